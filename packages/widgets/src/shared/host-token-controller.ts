/**
 * Where an element's host token comes from. The embedding page either sets
 * `token` (a string it renews itself) or `tokenProvider` (an async callback
 * the element calls whenever it needs a fresh one: before the token runs out,
 * and after the server refuses it).
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { clientErrorCodes, TsunaguApiError } from "./api-error.ts";
import { type HostTokenClaims, readHostTokenClaims } from "./host-token-claims.ts";
import { defaultTimeoutMs } from "./request.ts";

/** Resolves with a freshly signed host token from the portal's backend. */
export type HostTokenProvider = () => Promise<string>;

/** The properties an element declares to take a host token. */
export interface HostTokenSource {
  token?: string | null | undefined;
  tokenProvider?: HostTokenProvider | null | undefined;
}

export type HostTokenHost = ReactiveControllerHost & HTMLElement & HostTokenSource;

export interface HostTokenControllerOptions {
  /** The clock, in epoch milliseconds. Tests move it; elements leave it alone. */
  now?: () => number;
  /** Ask for a new token this long before the current one runs out (capped at a fifth of its lifetime). Default 60 s.
   * */
  refreshMarginMs?: number;
  /** How long the `tokenProvider` may take before the request fails with `token_unavailable`. Default 30 s, as a
   * request to the server. */
  providerTimeoutMs?: number;
}

interface ProvidedToken {
  provider: HostTokenProvider;
  token: string;
  claims: HostTokenClaims | undefined;
  /** When the token runs out by the local clock, or undefined when it does not say. */
  refreshAt: number | undefined;
}

export class HostTokenController implements ReactiveController {
  readonly #host: HostTokenHost;
  readonly #now: () => number;
  readonly #refreshMarginMs: number;
  readonly #providerTimeoutMs: number;
  #provided: ProvidedToken | undefined;
  #pending: { provider: HostTokenProvider; promise: Promise<ProvidedToken> } | undefined;
  #decodedStatic: { token: string; claims: HostTokenClaims | undefined } | undefined;

  constructor(host: HostTokenHost, options: HostTokenControllerOptions = {}) {
    this.#host = host;
    this.#now = options.now ?? Date.now;
    this.#refreshMarginMs = options.refreshMarginMs ?? 60_000;
    this.#providerTimeoutMs = options.providerTimeoutMs ?? defaultTimeoutMs;
    host.addController(this);
  }

  /** A detached element keeps no token: reattached, it asks the provider again. */
  hostDisconnected(): void {
    this.#provided = undefined;
    this.#pending = undefined;
  }

  /** True when a `tokenProvider` can replace a refused or expiring token. */
  get canRefresh(): boolean {
    return typeof this.#host.tokenProvider === "function";
  }

  /**
   * The claims of the token in use, unverified: good for hints such as
   * `locale` and `tz`, never for decisions.
   */
  get claims(): HostTokenClaims | undefined {
    const provider = this.#host.tokenProvider;
    if (typeof provider === "function")
      return this.#provided?.provider === provider ? this.#provided.claims : undefined;
    const token = this.#host.token;
    if (!token) return undefined;
    if (this.#decodedStatic?.token !== token) this.#decodedStatic = { token, claims: readHostTokenClaims(token) };
    return this.#decodedStatic.claims;
  }

  /**
   * A token to send. With a provider: the cached one unless it is near its
   * end or `forceRefresh` is set; concurrent callers share one provider call.
   */
  async getToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    const provider = this.#host.tokenProvider;
    if (typeof provider === "function") {
      const cached = this.#provided;
      if (!options.forceRefresh && cached?.provider === provider && !this.#isNearExpiry(cached)) return cached.token;
      return (await this.#callProvider(provider, options.forceRefresh === true)).token;
    }
    const token = this.#host.token;
    if (token) return token;
    throw new TsunaguApiError(
      0,
      clientErrorCodes.tokenMissing,
      "No host token: set the element's `token` or `tokenProvider`.",
    );
  }

  /** Forgets the cached token, so the next request asks the provider again. */
  invalidate(): void {
    this.#provided = undefined;
  }

  #isNearExpiry(provided: ProvidedToken): boolean {
    return provided.refreshAt !== undefined && this.#now() >= provided.refreshAt;
  }

  #callProvider(provider: HostTokenProvider, forceRefresh: boolean): Promise<ProvidedToken> {
    // A forced refresh must not be satisfied by a call that started before the refusal it answers.
    if (this.#pending?.provider === provider && !forceRefresh) return this.#pending.promise;
    const promise = this.#obtain(provider).finally(() => {
      if (this.#pending?.promise === promise) this.#pending = undefined;
    });
    this.#pending = { provider, promise };
    return promise;
  }

  async #obtain(provider: HostTokenProvider): Promise<ProvidedToken> {
    const obtainedAt = this.#now();
    let token: unknown;
    let timer: number | undefined;
    try {
      // A portal backend that never answers would otherwise leave the element loading for good.
      const late = new Promise<never>((_, reject) => {
        timer = window.setTimeout(
          () => reject(new Error(`The tokenProvider callback did not answer within ${this.#providerTimeoutMs} ms.`)),
          this.#providerTimeoutMs,
        );
      });
      token = await Promise.race([provider(), late]);
    } catch (error) {
      throw new TsunaguApiError(
        0,
        clientErrorCodes.tokenUnavailable,
        "The tokenProvider callback failed to supply a host token.",
        { cause: error },
      );
    } finally {
      window.clearTimeout(timer);
    }
    if (typeof token !== "string" || token === "") {
      throw new TsunaguApiError(
        0,
        clientErrorCodes.tokenUnavailable,
        "The tokenProvider callback resolved without a host token string.",
      );
    }
    const claims = readHostTokenClaims(token);
    const provided: ProvidedToken = { provider, token, claims, refreshAt: this.#refreshTime(claims, obtainedAt) };
    // Only the latest provider's answer is kept: a user switch mid-call must not resurrect the old user.
    if (this.#host.tokenProvider === provider) {
      const claimsChanged =
        this.#provided?.claims?.locale !== claims?.locale || this.#provided?.claims?.tz !== claims?.tz;
      this.#provided = provided;
      if (claimsChanged) this.#host.requestUpdate();
    }
    return provided;
  }

  /**
   * The lifetime (`exp - iat`) counted from when we asked, so a browser clock
   * that is minutes off still refreshes on time.
   */
  #refreshTime(claims: HostTokenClaims | undefined, obtainedAt: number): number | undefined {
    if (typeof claims?.exp !== "number") return undefined;
    const lifetimeMs =
      typeof claims.iat === "number" ? (claims.exp - claims.iat) * 1000 : claims.exp * 1000 - obtainedAt;
    const margin = Math.min(this.#refreshMarginMs, Math.max(lifetimeMs, 0) / 5);
    return obtainedAt + lifetimeMs - margin;
  }
}
