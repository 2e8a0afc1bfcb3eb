/**
 * Fresh access tokens for an account or connection, with one refresher per
 * credential across all server processes (ARCHITECTURE.md, "Refresh"):
 *
 * - a token that is not near expiry is returned as stored;
 * - otherwise the caller that takes the credential's refresh lease refreshes,
 *   writes the new tokens with a compare-and-swap on the credential version,
 *   and only then returns them; everyone else waits and re-reads;
 * - tokens replaced since a caller asked are the refresh it would have waited
 *   for, whatever their expiry says (a provider may grant less than our skew):
 *   whether the caller first read them before the write (their version moved)
 *   or only after it (its first read waited for a database connection, e.g.
 *   one the pool was opening, while another caller's whole refresh ran);
 * - `invalid_grant` turns the owner to needs_reauth (with an audit entry),
 *   unless the credential changed meanwhile (another refresher won a race
 *   with a rotating refresh token), in which case the new tokens are used.
 *
 * The lease is short (`leaseMs`, seconds) and renewed while the provider
 * call runs, so a refresher that dies is replaced within seconds; callers
 * wait at most `maxWaitMs` and then fail with a `retryAfterSeconds` (the API's
 * 503 `provider_unavailable` with Retry-After), never hang. When the dead
 * refresher had already spent a rotating refresh token (Zoom), the one that
 * takes over gets `invalid_grant`: needs_reauth, with its webhook.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { InvalidGrantError, ProviderError, type ProviderId } from "../providers/errors.ts";
import type { RefreshableTokens, TokenSet } from "../providers/types.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import type { Vault } from "../vault/vault.ts";
import { markNeedsReauth as markOwnerNeedsReauth } from "./reauth.ts";
import { acquireLease, defaultLeaseMs, type Every, failLease, releaseLease, whileRenewing } from "./refresh-lease.ts";
import { type ReadTokens, readTokens, replaceTokens, type StoredTokens } from "./tokens.ts";

/** Whose tokens these are: a personal account or an organisation connection. */
export interface TokenOwner extends OrgScope {
  kind: "account" | "connection";
  id: string;
  provider: ProviderId;
  credentialId: string;
}

export type { RefreshableTokens };
export type RefreshFunction = (current: RefreshableTokens) => Promise<TokenSet>;

/** The owner must be linked again: its grant is dead. Routes render it as 409 `needs_reauth`. */
export class ReauthRequiredError extends Error {
  override name = "ReauthRequiredError";
  constructor(
    readonly owner: Pick<TokenOwner, "kind" | "id" | "provider">,
    readonly reason: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${owner.provider} ${owner.kind} ${owner.id} needs to be linked again (${reason})`, options);
  }
}

/** The refresh could not be done now (provider down, waited too long); the grant itself may be fine. */
export class TokenRefreshError extends Error {
  override name = "TokenRefreshError";
  constructor(
    readonly provider: ProviderId,
    readonly code: string,
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number | undefined } = {},
  ) {
    super(message, options);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
  /** When trying again makes sense: the refresh under way or the failure cooldown has ended by then. */
  readonly retryAfterSeconds: number | undefined;
}

export interface RefreshOptions {
  /** Refresh when the access token expires within this window. */
  skewMs: number;
  /** How long a lease lasts unless its holder renews it (every third of it, while the provider call runs). */
  leaseMs: number;
  /** After a transient failure, callers fail fast for this long instead of retrying the provider. */
  failureCooldownMs: number;
  /** How long a caller waits for another process's refresh before giving up. */
  maxWaitMs: number;
  /** First and largest pause between re-reads while waiting. */
  pollMs: { first: number; max: number };
}

export const defaultRefreshOptions: RefreshOptions = {
  skewMs: 2 * 60_000,
  leaseMs: defaultLeaseMs,
  failureCooldownMs: 5_000,
  maxWaitMs: 5_000,
  pollMs: { first: 15, max: 250 },
};

export interface TokenRefresherDeps {
  db: DB;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  sleep?: (ms: number) => Promise<void>;
  /** Runs the lease renewals while a refresh is under way (real intervals unless a test moves time itself). */
  every?: Every;
  options?: Partial<RefreshOptions>;
}

export interface FreshTokenOptions {
  /**
   * An access token the provider just refused before its expiry (revoked,
   * or expired early): refresh even though it looks fresh, unless the stored
   * token is already another one (someone refreshed meanwhile).
   */
  rejectedAccessToken?: string | undefined;
  /**
   * The owner's tokens as the caller just read them, in the same query as the owner's row, which it found
   * active: when they are fresh they are used as they are, without reading both again (availability reads every
   * account of its question in one query). Stale ones are refreshed as usual, the owner and tokens read again.
   */
  stored?: StoredTokens | undefined;
}

export interface TokenRefresher {
  getFreshAccessToken(owner: TokenOwner, refresh: RefreshFunction, options?: FreshTokenOptions): Promise<TokenSet>;
}

export function createTokenRefresher(deps: TokenRefresherDeps): TokenRefresher {
  const options = { ...defaultRefreshOptions, ...deps.options };
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const { db, vault, clock, logger } = deps;
  const tokenStore = { db, vault, clock };

  const isFresh = (tokens: TokenSet, rejected: string | undefined) =>
    tokens.accessToken !== rejected &&
    (tokens.expiresAt === undefined || Date.parse(tokens.expiresAt) - clock.now().getTime() > options.skewMs);

  /**
   * Tokens a refresh or a relink wrote at or after `askedAt` (version 1 is the credential as created) and not expired
   * yet. The writer's clock is another process's, so a skew between servers moves the line by as much: tokens written
   * that much before the caller asked are taken too, and they are the newest there are.
   */
  const replacedSince = (stored: ReadTokens, askedAt: string, rejected: string | undefined) =>
    stored.version > 1 &&
    stored.writtenAt >= askedAt &&
    stored.tokens.accessToken !== rejected &&
    (stored.tokens.expiresAt === undefined || Date.parse(stored.tokens.expiresAt) >= clock.now().getTime());

  async function read(owner: TokenOwner): Promise<ReadTokens> {
    await assertUsable(owner);
    const stored = await readTokens(tokenStore, owner, owner.credentialId);
    if (!stored) throw new ReauthRequiredError(owner, "credential_missing");
    return stored;
  }

  async function assertUsable(owner: TokenOwner): Promise<void> {
    const table = owner.kind === "account" ? "accounts" : "connections";
    const row = await db
      .selectFrom(table)
      .select(["status", "status_reason"])
      .where("id", "=", owner.id)
      .where("host_id", "=", owner.hostId)
      .where("org_id", "=", owner.orgId)
      .executeTakeFirst();
    if (!row) throw new ReauthRequiredError(owner, "unlinked");
    if (row.status !== "active") throw new ReauthRequiredError(owner, row.status_reason ?? row.status);
  }

  async function markNeedsReauth(
    owner: TokenOwner,
    reason: "invalid_grant" | "no_refresh_token",
    cause?: unknown,
  ): Promise<ReauthRequiredError> {
    // Status, audit entry and the portal's needs_reauth webhook, in one transaction.
    if (await markOwnerNeedsReauth({ db, clock }, owner, reason)) {
      logger.warn("token cannot be refreshed: needs reauthorisation", {
        provider: owner.provider,
        kind: owner.kind,
        id: owner.id,
        reason,
      });
    }
    return new ReauthRequiredError(owner, reason, { cause });
  }

  /** Refreshes while holding the lease. Returns undefined when another writer got there first: the caller re-reads. */
  async function refreshAsHolder(
    owner: TokenOwner,
    refresh: RefreshFunction,
    holder: string,
    seenVersion: number,
    rejected: string | undefined,
  ): Promise<TokenSet | undefined> {
    let released = false;
    try {
      // Re-read under the lease: the refresh we waited for may have finished just before we took it.
      const current = await read(owner);
      if (isFresh(current.tokens, rejected) || current.version !== seenVersion) return current.tokens;
      const refreshToken = current.tokens.refreshToken;
      if (!refreshToken) throw await markNeedsReauth(owner, "no_refresh_token");
      let fresh: TokenSet;
      try {
        fresh = await whileRenewing(
          { db, clock, logger, every: deps.every },
          owner.credentialId,
          holder,
          options.leaseMs,
          () => refresh({ ...current.tokens, refreshToken }),
        );
      } catch (error) {
        if (error instanceof InvalidGrantError) {
          const now = await readTokens(tokenStore, owner, owner.credentialId);
          if (now && now.version !== current.version) return undefined;
          throw await markNeedsReauth(owner, "invalid_grant", error);
        }
        const code = error instanceof ProviderError ? error.code : "refresh_failed";
        await failLease(
          db,
          owner.credentialId,
          holder,
          code,
          new Date(clock.now().getTime() + options.failureCooldownMs),
        );
        released = true;
        throw new TokenRefreshError(owner.provider, code, `${owner.provider} did not refresh the token`, {
          cause: error,
          retryAfterSeconds: secondsUntil(options.failureCooldownMs),
        });
      }
      // Providers that do not rotate (Google) answer without a refresh token: the old one stays valid.
      const next: TokenSet = { ...fresh, refreshToken: fresh.refreshToken ?? refreshToken };
      const written = await replaceTokens(tokenStore, owner, owner.credentialId, current.version, next);
      return written ? next : undefined;
    } finally {
      if (!released) await releaseLease(db, owner.credentialId, holder);
    }
  }

  return {
    async getFreshAccessToken(owner, refresh, freshOptions = {}) {
      const rejected = freshOptions.rejectedAccessToken;
      if (freshOptions.stored && isFresh(freshOptions.stored.tokens, rejected)) return freshOptions.stored.tokens;
      const holder = randomUUID();
      const askedAt = clock.now().toISOString();
      let waited = 0;
      let pause = options.pollMs.first;
      let seenVersion: number | undefined;
      for (;;) {
        const stored = await read(owner);
        // Tokens written since we asked (or since we first looked) are the refresh we waited for: use them even if
        // the provider granted less than our skew (or its clock runs behind ours), rather than refresh again.
        if (
          isFresh(stored.tokens, rejected) ||
          (seenVersion !== undefined && stored.version !== seenVersion) ||
          replacedSince(stored, askedAt, rejected)
        )
          return stored.tokens;
        seenVersion = stored.version;
        const lease = await acquireLease(db, owner.credentialId, holder, clock.now(), options.leaseMs);
        if (lease.acquired) {
          const tokens = await refreshAsHolder(owner, refresh, holder, seenVersion, rejected);
          if (tokens) return tokens;
          continue;
        }
        const leaseLeftMs = lease.expiresAt ? Date.parse(lease.expiresAt) - clock.now().getTime() : 0;
        if (lease.failure) {
          throw new TokenRefreshError(
            owner.provider,
            lease.failure,
            `${owner.provider} failed to refresh the token moments ago; try again shortly`,
            {
              retryAfterSeconds: secondsUntil(leaseLeftMs),
            },
          );
        }
        if (waited >= options.maxWaitMs) {
          // The refresh under way ends, or its lease runs out if its holder died, within one lease time.
          throw new TokenRefreshError(
            owner.provider,
            "refresh_timeout",
            `waited ${waited} ms for another refresh of this ${owner.provider} token`,
            {
              retryAfterSeconds: secondsUntil(Math.min(leaseLeftMs, options.leaseMs)),
            },
          );
        }
        await sleep(pause);
        waited += pause;
        pause = Math.min(pause * 2, options.pollMs.max);
      }
    },
  };
}

/** Whole seconds, at least one: the shape of an HTTP Retry-After. */
function secondsUntil(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
