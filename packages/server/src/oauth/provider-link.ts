/**
 * What the provider-independent OAuth round trip needs from each provider:
 * the authorize URL, the completion of a callback (code exchange, identity,
 * the provider's own guards), and revocation on unlink. Adapters never write
 * to the database: they return what they learnt, and the flow service
 * persists it (STYLE.md, "Adapters never write to the database").
 */
import type { LinkPurpose, ProviderId, RefusalCode } from "@tsunagu/contract";
import type { RefreshableTokens, TokenSet } from "../providers/types.ts";
import type { Clock } from "../clock.ts";

export { type LinkPurpose, linkPurposes } from "@tsunagu/contract";

/** The flow as an adapter sees it: who is linking what, for which tenant. */
export interface LinkFlow {
  id: string;
  hostId: string;
  orgId: string;
  userId: string;
  /** The portal user's email from the host token (Sign in with Slack compares it). */
  userEmail: string;
  provider: ProviderId;
  purpose: LinkPurpose;
  /**
   * Where a flow with several stops at the provider stands: null at the first
   * stop, then the `step` of the adapter's last `continue` outcome. Stored in
   * clear, so never a secret.
   */
  step: string | null;
}

export interface AuthorizationParams {
  state: string;
  /** PKCE S256 challenge of the verifier kept sealed on the server. */
  codeChallenge: string;
  /** `${publicUrl}/oauth/<provider>/callback`: one path per provider (mix-up defence). */
  redirectUri: string;
  /** For OpenID Connect; adapters of plain OAuth providers ignore it. */
  nonce: string;
}

/** The organisation connection as it stands when a callback is completed. */
export interface ConnectionView {
  externalId: string;
  displayName: string;
  detail: Record<string, unknown>;
}

export interface CompletionParams {
  codeVerifier: string;
  redirectUri: string;
  nonce: string;
  /** The tenant's connection for this provider; undefined when there is none (org purpose only). */
  connection: ConnectionView | undefined;
  /**
   * The connection's own tokens (Slack: the workspace's bot token, to read
   * the member who signed in), refreshed when due; undefined when the
   * connection holds none or needs linking again. The engine always passes it.
   */
  connectionTokens?: (() => Promise<TokenSet | undefined>) | undefined;
}

/** A provider identity that becomes a personal account. */
export interface LinkedIdentity {
  /** Slack user id, Zoom user id, Microsoft object id, Google `sub`. */
  externalUserId: string;
  /** Slack team id, Zoom account id, Microsoft tenant id, Workspace domain. */
  externalAccountId: string;
  email: string | undefined;
  displayName: string;
  /** Shown to the browser: never secrets. */
  detail: Record<string, unknown>;
}

/** Tokens from an organisation link, and the admin's own identity when those tokens are theirs (Microsoft, Zoom). */
export interface OrgGrant {
  tokens: TokenSet;
  /** Becomes the admin's personal account without a second link, sharing the tokens. */
  ownAccount: LinkedIdentity | null;
}

export type LinkOutcome =
  | {
      kind: "org";
      connection: { externalId: string; displayName: string; detail: Record<string, unknown> };
      /** null when the provider hands no tokens for the organisation (Microsoft admin consent). */
      grant: OrgGrant | null;
    }
  /**
   * `grantedAt`: `grantStamp()` taken as the provider's answer to the code
   * exchange arrived. Where a provider keeps one live grant per user (Zoom),
   * the newest of simultaneous links of one identity is the one to keep;
   * adapters of providers that keep every grant alive may leave it out.
   */
  | { kind: "personal"; account: LinkedIdentity; tokens: TokenSet; grantedAt?: number | undefined }
  /**
   * One more stop at the provider before the outcome (Microsoft: admin
   * consent for the tenant, then the admin's own sign-in in that tenant). The
   * engine spends the state, makes a new state, PKCE verifier and nonce, and
   * sends the browser to `authorizationUrl` with `flow.step` set to `step`.
   */
  | { kind: "continue"; step: string }
  /** A guard said no: `code` is one of the contract's and `message` tells the user what to do. */
  | { kind: "refused"; code: RefusalCode; message: string };

export type Revocation = { revoked: true } | { revoked: false; reason: "not_supported" | "failed"; message: string };

export interface LinkAdapter {
  readonly provider: ProviderId;
  /** The purposes this provider can serve; a start for any other is refused. */
  readonly purposes: readonly LinkPurpose[];
  authorizationUrl(flow: LinkFlow, params: AuthorizationParams): URL;
  /**
   * Turns the callback's query into an outcome. Guard failures and a code the
   * provider refuses (used twice, expired: `code_invalid`) are `refused`
   * outcomes; only unexpected failures throw (ProviderError).
   */
  complete(flow: LinkFlow, callback: URLSearchParams, params: CompletionParams): Promise<LinkOutcome>;
  /** The provider's refresh grant, for the refresh coordinator (throws `InvalidGrantError` when the grant is dead). */
  refresh(current: RefreshableTokens): Promise<TokenSet>;
  /** Revokes the grant behind these tokens where the provider allows it; Microsoft answers `not_supported`. */
  revoke(tokens: TokenSet): Promise<Revocation>;
}

/**
 * An extra capability: an adapter that reads some of its provider's error
 * redirects itself, where the generic `provider_error` ("try again in a
 * moment") would mislead (Microsoft: `consent_required` at admin consent means
 * the person is not an administrator of the tenant). `access_denied` stays the
 * engine's `consent_denied`; `undefined` leaves the error to the engine.
 */
export interface ProviderErrorReader {
  refusalForProviderError(
    flow: LinkFlow,
    callback: URLSearchParams,
  ): { code: RefusalCode; message: string } | undefined;
}

export function readsProviderErrors(adapter: LinkAdapter): adapter is LinkAdapter & ProviderErrorReader {
  return typeof (adapter as Partial<ProviderErrorReader>).refusalForProviderError === "function";
}

/**
 * An extra capability: callbacks whose completions must not overlap. Zoom
 * keeps one live grant per user and app, so another authorisation of the same
 * user landing between our code exchange and the `/users/me` that names the
 * user ends the token before it can name anyone. The engine completes flows
 * with the same key one at a time, across processes (a lease); the key names
 * what the provider user is known to belong to before the exchange.
 */
export interface CompletionSerialiser {
  completionKey(flow: LinkFlow, connection: ConnectionView | undefined): string;
}

export function serialisesCompletions(adapter: LinkAdapter): adapter is LinkAdapter & CompletionSerialiser {
  return typeof (adapter as Partial<CompletionSerialiser>).completionKey === "function";
}

/** The adapters the server was built with, by provider. A provider without one is not offered. */
export type LinkAdapters = Partial<Record<ProviderId, LinkAdapter>>;

let lastGrantStamp = 0;

/**
 * When a grant arrived, in microseconds since the epoch, strictly increasing
 * within this process (two answers in one millisecond keep their order):
 * what orders simultaneous links of one identity (src/accounts/linking.ts).
 */
export function grantStamp(clock: Clock): number {
  lastGrantStamp = Math.max(clock.now().getTime() * 1000, lastGrantStamp + 1);
  return lastGrantStamp;
}
