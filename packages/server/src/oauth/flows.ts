/**
 * The OAuth round trip, independent of any provider (ARCHITECTURE.md, "OAuth
 * round trip"):
 *
 * 1. `startFlow` (host-token authenticated) records who links what, for which
 *    embedding origin, and hands back a one-time URL on this server with a
 *    one-time begin secret that only the calling script sees.
 * 2. `beginFlow` (a form POST of that secret to that URL, submitted by the
 *    embedding page into the popup or the page itself) checks the secret and
 *    that `Origin` is the recorded embedding origin, binds the flow to this
 *    browser with a cookie, creates state and a PKCE verifier, and sends the
 *    browser to the provider. A URL opened by plain navigation (a link sent
 *    to a colleague) carries neither, so it cannot link anyone's account to
 *    the starter's user (README, "Why begin is a POST").
 * 3. `completeFlow` (the provider's redirect) checks state, browser, expiry
 *    and the provider's answer, lets the adapter finish, stores the result,
 *    and answers the opener at the exact recorded origin, or redirects back.
 *
 * Only hashes of state and of the browser binding are stored; the verifier is
 * sealed by the vault and dropped when the flow ends.
 */
import type { Clock } from "../clock.ts";
import { badRequest, conflict, forbidden, notFound } from "../errors.ts";
import type { HostRegistry } from "../auth/host-registry.ts";
import type { HostTokenClaims } from "../auth/host-token.ts";
import type { Logger } from "../log.ts";
import { isProviderId, ProviderError, type ProviderId } from "../providers/errors.ts";
import type { DB } from "../store/database.ts";
import { type UserScope, userScopeOf } from "../store/tenancy.ts";
import type { Vault } from "../vault/vault.ts";
import { type LinkResult, mayRevokeUnsaved, saveOrgOutcome, savePersonalOutcome } from "../accounts/linking.ts";
import { createTokenRefresher, ReauthRequiredError } from "../accounts/refresh.ts";
import { defaultLeaseMs, withLease } from "../accounts/refresh-lease.ts";
import { type ConnectionRow, findConnection, parseDetail } from "../accounts/store.ts";
import type { TokenSet } from "../providers/types.ts";
import type { SignInCompletion, SignInResult } from "../signin/completion.ts";
import { matchesHash, pkceChallenge, randomSecret, sha256 } from "./crypto.ts";
import { claimCallback, deleteExpiredFlows, type FlowRow, findFlow, findFlowByState, findOwnFlow, finishFlow, insertFlow, markBegun, markContinued, type ReturnMode } from "./flow-store.ts";
import { type BrowserAnswer, type CookieInstruction, deliver, ids, message, page, plainPage } from "./outcome.ts";
import { type LinkAdapter, type LinkAdapters, type LinkFlow, type LinkOutcome, type LinkPurpose, readsProviderErrors, serialisesCompletions } from "./provider-link.ts";
import { type Refusal, refusal } from "./refusals.ts";
import { openFlowSecret, sealFlowSecret } from "./secrets.ts";

export const flowLifetimeMs = 10 * 60_000;
/** Completions an adapter serialises (Zoom): each waits this long at most for the one before it. */
const completionLease = { ttlMs: defaultLeaseMs, maxWaitMs: 30_000, pollMs: 20 };
/** Finished and expired flows are kept this long for the status endpoint and replay answers, then deleted. */
const flowRetentionMs = 24 * 60 * 60_000;

export interface FlowDeps {
  db: DB;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  hosts: HostRegistry;
  adapters: LinkAdapters;
  /** The server's public URL; redirect URIs are `${publicUrl}/oauth/<provider>/callback`. */
  publicUrl: string;
  /** What `signin` flows need beyond linking (src/signin); without it no flow may have that purpose. */
  signIn?: SignInCompletion | undefined;
}

export interface StartRequest {
  purpose: LinkPurpose;
  returnMode: ReturnMode;
  returnUrl?: string | undefined;
}

export interface StartedFlow {
  flow: string;
  /** Where the embedding page POSTs the begin form. */
  url: string;
  /** The begin form's `secret` field; only its hash is stored. */
  beginSecret: string;
  expiresAt: string;
}

/** What a begin POST carries that says it came from the page that started the flow. */
export interface BeginRequest {
  /** The form's `secret` field. */
  secret: string | undefined;
  /** The request's `Origin` header, set by the browser (page script cannot). */
  origin: string | undefined;
}

export interface FlowStatusView {
  flow: string;
  provider: string;
  purpose: string;
  /** `expired`: nobody finished the flow (the popup was closed, the provider never called back) before `expiresAt`; `error` says `flow_expired`. */
  status: "created" | "started" | "linked" | "error" | "expired";
  expiresAt: string;
  accountId?: string;
  connectionId?: string;
  error?: Refusal;
}

export function bindingCookieName(flowId: string): string {
  return `tsunagu_oauth_${flowId}`;
}

export function createFlows(deps: FlowDeps) {
  const { db, clock, logger } = deps;
  const refresher = createTokenRefresher({ db, vault: deps.vault, clock, logger });
  const secureCookies = deps.publicUrl.startsWith("https://");
  const redirectUri = (provider: string) => `${deps.publicUrl}/oauth/${provider}/callback`;
  const cookiePath = (provider: string) => `/oauth/${provider}/`;

  /** The adapter for a provider named by a request; an inherited property name (`constructor`) is no provider. */
  function findAdapter(provider: string): LinkAdapter | undefined {
    return isProviderId(provider) ? deps.adapters[provider] : undefined;
  }

  function adapterFor(provider: string): LinkAdapter {
    const adapter = findAdapter(provider);
    if (!adapter) throw notFound("provider_unavailable", `Linking ${provider.slice(0, 40)} is not available on this server.`);
    return adapter;
  }

  async function startFlow(caller: HostTokenClaims, provider: string, request: StartRequest, origin: string | undefined): Promise<StartedFlow> {
    const adapter = adapterFor(provider);
    if (!adapter.purposes.includes(request.purpose)) {
      throw badRequest("purpose_unsupported", `${provider} cannot be linked for purpose "${request.purpose}"; it supports ${adapter.purposes.join(", ")}.`);
    }
    if (request.purpose === "org" && caller.role !== "admin") {
      throw forbidden("admin_required", "Only an administrator can connect the organisation.");
    }
    const host = deps.hosts.get(caller.iss);
    if (!origin || !host?.origins.includes(origin)) {
      throw forbidden("origin_not_allowed", "Start linking from a page on one of the host's registered origins (the request's Origin header).");
    }
    const returnUrl = request.returnMode === "redirect" ? checkReturnUrl(request.returnUrl, host.origins) : null;
    const scope = userScopeOf(caller);
    if (request.purpose !== "org" && !(await findConnection(db, scope, provider))) {
      const missing = refusal("org_connection_missing");
      throw conflict(missing.code, missing.message);
    }
    if (request.purpose === "signin") {
      if (!deps.signIn) throw badRequest("purpose_unsupported", `${provider} offers no sign-in on this server.`);
      await deps.signIn.assertEnabled(scope, adapter.provider);
    }

    const now = clock.now();
    const id = randomSecret();
    const beginSecret = randomSecret();
    const expiresAt = new Date(now.getTime() + flowLifetimeMs).toISOString();
    await deleteExpiredFlows(db, new Date(now.getTime() - flowRetentionMs).toISOString());
    await insertFlow(db, {
      id,
      hostId: scope.hostId,
      orgId: scope.orgId,
      userId: scope.userId,
      userEmail: caller.email,
      userRole: caller.role,
      provider: adapter.provider,
      purpose: request.purpose,
      embedOrigin: origin,
      returnMode: request.returnMode,
      returnUrl,
      beginHash: sha256(beginSecret),
      createdAt: now.toISOString(),
      expiresAt,
    });
    return { flow: id, url: `${deps.publicUrl}/oauth/${provider}/begin?flow=${id}`, beginSecret, expiresAt };
  }

  /**
   * Begin is answered only to the page that started the flow: its exact
   * embedding origin (Origin is set by the browser; a cross-origin redirect
   * on the way makes it "null") and the secret only that page's script got
   * from start. A refused begin changes nothing, so the real one still works.
   */
  async function beginFlow(provider: string, flowId: string | undefined, request: BeginRequest): Promise<BrowserAnswer> {
    const adapter = findAdapter(provider);
    const flow = adapter && flowId ? await findFlow(db, provider, flowId) : undefined;
    if (!adapter || !flow) return page(plainPage(refusal("flow_unknown")));
    if (request.origin !== flow.embed_origin) {
      logger.warn("oauth begin refused: not from the embedding origin", { provider, flow: flow.id, origin: request.origin?.slice(0, 200) ?? null });
      return beginNotFromPortal();
    }
    if (!matchesHash(request.secret, flow.begin_hash)) {
      logger.warn("oauth begin refused: wrong or missing begin secret", { provider, flow: flow.id });
      return page(plainPage(refusal("begin_secret_invalid")));
    }
    if (flow.status !== "created") return page(plainPage(refusal("flow_used")));
    const now = clock.now();
    if (flow.expires_at <= now.toISOString()) return fail(flow, refusal("flow_expired"), []);

    const state = randomSecret();
    const verifier = randomSecret();
    const browserSecret = randomSecret();
    const nonce = randomSecret();
    const begun = await markBegun(db, flow.id, {
      stateHash: sha256(state),
      browserHash: sha256(browserSecret),
      nonce,
      codeVerifier: sealFlowSecret(deps.vault, flow, verifier),
      startedAt: now.toISOString(),
    });
    if (!begun) return page(plainPage(refusal("flow_used")));

    const url = adapter.authorizationUrl(linkFlow(flow), { state, codeChallenge: pkceChallenge(verifier), redirectUri: redirectUri(provider), nonce });
    const maxAgeSeconds = Math.max(1, Math.ceil((Date.parse(flow.expires_at) - now.getTime()) / 1000));
    return {
      kind: "redirect",
      location: url.toString(),
      cookies: [{ name: bindingCookieName(flow.id), value: browserSecret, path: cookiePath(provider), maxAgeSeconds, secure: secureCookies }],
    };
  }

  async function completeFlow(provider: string, query: URLSearchParams, cookies: Record<string, string>): Promise<BrowserAnswer> {
    const adapter = findAdapter(provider);
    const state = query.get("state");
    const flow = adapter && state ? await findFlowByState(db, provider, sha256(state)) : undefined;
    if (!adapter || !flow) return page(plainPage(refusal("state_invalid")));
    const back = { returnUrl: flow.return_mode === "redirect" ? flow.return_url : null };
    if (flow.status !== "started" || flow.callback_at !== null) return page(plainPage(refusal("state_replayed"), back));

    const clear = [{ name: bindingCookieName(flow.id), value: "", path: cookiePath(provider), maxAgeSeconds: 0, secure: secureCookies }];
    const now = clock.now().toISOString();
    // The first callback to present this state consumes it, whatever happens next.
    if (!(await claimCallback(db, flow.id, now))) return page(plainPage(refusal("state_replayed"), back));
    if (!matchesHash(cookies[bindingCookieName(flow.id)], flow.browser_hash)) {
      await finishFlow(db, flow.id, { status: "failed", error: refusal("flow_browser_mismatch"), resultId: null, at: now });
      return page(plainPage(refusal("flow_browser_mismatch")));
    }
    if (flow.expires_at <= now) return fail(flow, refusal("state_expired"), clear);
    const providerError = query.get("error");
    if (providerError !== null) {
      const code = providerError.replace(/[^A-Za-z0-9_.-]/g, "").slice(0, 60);
      // The adapter reads the error first: Zoom says "needs an admin" and "needs pre-approval" with access_denied too.
      const explained = readsProviderErrors(adapter) ? adapter.refusalForProviderError(linkFlow(flow), query) : undefined;
      return fail(flow, explained ?? (code === "access_denied" ? refusal("consent_denied") : refusal("provider_error", `${provider}: ${code}`)), clear);
    }

    let outcome: LinkOutcome;
    try {
      const connection = await findConnection(db, scopeOf(flow), provider);
      const view = connection && { externalId: connection.external_id, displayName: connection.display_name, detail: parseDetail(connection.detail) };
      const complete = () =>
        adapter.complete(linkFlow(flow), query, {
          codeVerifier: openFlowSecret(deps.vault, flow),
          redirectUri: redirectUri(provider),
          nonce: flow.nonce ?? "",
          connection: view,
          connectionTokens: () => connectionTokens(adapter, connection),
        });
      outcome = serialisesCompletions(adapter) ? await withLease({ db, clock, logger }, adapter.completionKey(linkFlow(flow), view), completionLease, complete) : await complete();
    } catch (error) {
      if (error instanceof ProviderError) {
        logger.warn("oauth completion failed at the provider", { provider, flow: flow.id, status: error.status, code: error.code });
        return fail(flow, refusal("provider_error", `${provider}: ${error.code}`), clear);
      }
      logger.error("oauth completion failed", { provider, flow: flow.id, error, stack: error instanceof Error ? error.stack : undefined });
      return fail(flow, refusal("internal_error"), clear);
    }
    if (outcome.kind === "refused") return fail(flow, { code: outcome.code, message: outcome.message }, clear);
    if (outcome.kind === "continue") return continueAtProvider(adapter, flow, outcome.step, now, clear);
    if (flow.purpose === "signin") return completeSignIn(flow, outcome, clear);

    const linkContext = { db, vault: deps.vault, clock };
    const target = { scope: scopeOf(flow), provider: adapter.provider };
    let saved: LinkResult;
    try {
      saved = outcome.kind === "org" ? await saveOrgOutcome(linkContext, target, outcome) : await savePersonalOutcome(linkContext, target, outcome);
    } catch (error) {
      logger.error("storing a completed link failed", { provider, flow: flow.id, error, stack: error instanceof Error ? error.stack : undefined });
      const issued = outcome.kind === "org" ? outcome.grant?.tokens : outcome.tokens;
      // Never a grant that a stored row of this identity may now use (Google revokes per user and app).
      if (issued && (await mayRevokeUnsaved(linkContext, target, outcome))) await revokeQuietly(adapter, issued, flow);
      return fail(flow, refusal("internal_error"), clear);
    }
    if (!saved.ok) {
      if (saved.discardedTokens) await revokeQuietly(adapter, saved.discardedTokens, flow);
      return fail(flow, saved.refusal, clear);
    }
    const resultId = (outcome.kind === "org" ? saved.connectionId : saved.accountId) ?? null;
    await finishFlow(db, flow.id, { status: "done", error: null, resultId, at: clock.now().toISOString() });
    return deliver(flow, { ...message(flow, "linked"), ...ids(saved) }, clear);
  }

  async function flowStatus(caller: HostTokenClaims, flowId: string): Promise<FlowStatusView> {
    const flow = await findOwnFlow(db, userScopeOf(caller), flowId);
    if (!flow) throw notFound("flow_unknown", "No such linking flow for this user.");
    const base = { flow: flow.id, provider: flow.provider, purpose: flow.purpose, expiresAt: flow.expires_at };
    if (flow.status === "done") {
      // The result of an organisation flow is the connection; of any other, the account.
      const result = flow.result_id ? (flow.purpose === "org" ? { connectionId: flow.result_id } : { accountId: flow.result_id }) : {};
      return { ...base, status: "linked", ...result };
    }
    if (flow.status === "failed") return { ...base, status: "error", error: { code: flow.error_code ?? "internal_error", message: flow.error_message ?? "" } };
    // Interrupted before its end: past its expiry it can no longer finish, so it says so rather than "started" forever.
    if (flow.expires_at <= clock.now().toISOString()) return { ...base, status: "expired", error: refusal("flow_expired") };
    return { ...base, status: flow.status };
  }

  /** The adapter's next stop at the provider: a new state, verifier and nonce; the binding cookie stays, the claimed state is spent. */
  async function continueAtProvider(adapter: LinkAdapter, flow: FlowRow, step: string, claimedAt: string, clear: CookieInstruction[]): Promise<BrowserAnswer> {
    const state = randomSecret();
    const verifier = randomSecret();
    const nonce = randomSecret();
    let url: URL;
    try {
      url = adapter.authorizationUrl({ ...linkFlow(flow), step }, { state, codeChallenge: pkceChallenge(verifier), redirectUri: redirectUri(flow.provider), nonce });
    } catch (error) {
      logger.error("building the next authorization URL failed", { provider: flow.provider, flow: flow.id, error, stack: error instanceof Error ? error.stack : undefined });
      return fail(flow, refusal("internal_error"), clear);
    }
    const moved = await markContinued(db, flow.id, claimedAt, { step, stateHash: sha256(state), nonce, codeVerifier: sealFlowSecret(deps.vault, flow, verifier) });
    if (!moved) return page(plainPage(refusal("state_replayed")));
    return { kind: "redirect", location: url.toString(), cookies: [] };
  }

  /** A `signin` flow ends with the server's assertion for the portal (src/signin), not with a link page. */
  async function completeSignIn(flow: FlowRow, outcome: LinkOutcome, clear: CookieInstruction[]): Promise<BrowserAnswer> {
    let signedIn: SignInResult;
    try {
      if (!deps.signIn || outcome.kind !== "personal") throw new Error(`a signin flow cannot end with a ${outcome.kind} outcome`);
      signedIn = await deps.signIn.complete(linkFlow(flow), outcome);
    } catch (error) {
      logger.error("completing a sign-in failed", { provider: flow.provider, flow: flow.id, error, stack: error instanceof Error ? error.stack : undefined });
      return fail(flow, refusal("internal_error"), clear);
    }
    if (!signedIn.ok) return fail(flow, signedIn.refusal, clear);
    await finishFlow(db, flow.id, { status: "done", error: null, resultId: signedIn.accountId, at: clock.now().toISOString() });
    return deliver(flow, { ...message(flow, "signed_in"), accountId: signedIn.accountId, assertion: signedIn.assertion }, clear);
  }

  /** The connection's tokens for an adapter's guard, refreshed when due; undefined when it holds none or needs linking again. */
  async function connectionTokens(adapter: LinkAdapter, connection: ConnectionRow | undefined): Promise<TokenSet | undefined> {
    if (!connection?.credential_id || connection.status !== "active") return undefined;
    const owner = { kind: "connection" as const, id: connection.id, provider: adapter.provider, credentialId: connection.credential_id, hostId: connection.host_id, orgId: connection.org_id };
    try {
      return await refresher.getFreshAccessToken(owner, (current) => adapter.refresh(current));
    } catch (error) {
      if (error instanceof ReauthRequiredError) return undefined;
      throw error;
    }
  }

  async function fail(flow: FlowRow, reason: Refusal, cookies: CookieInstruction[]): Promise<BrowserAnswer> {
    // The request line says only 400; an operator needs the refusal's code ("code" itself is redacted: OAuth codes).
    logger.info("oauth flow refused", { provider: flow.provider, purpose: flow.purpose, flow: flow.id, refusal: reason.code });
    await finishFlow(db, flow.id, { status: "failed", error: reason, resultId: null, at: clock.now().toISOString() });
    return deliver(flow, { ...message(flow, "error"), error: reason }, cookies);
  }

  async function revokeQuietly(adapter: LinkAdapter, tokens: Parameters<LinkAdapter["revoke"]>[0], flow: FlowRow): Promise<void> {
    try {
      await adapter.revoke(tokens);
    } catch (error) {
      logger.warn("could not revoke tokens of a refused link", { provider: flow.provider, flow: flow.id, error });
    }
  }

  return { startFlow, beginFlow, beginNotFromPortal, completeFlow, flowStatus };
}

export type Flows = ReturnType<typeof createFlows>;

/** A begin URL opened by plain navigation (GET): it explains where linking starts, and touches no flow. */
function beginNotFromPortal(): BrowserAnswer {
  return page(plainPage(refusal("begin_not_from_portal")));
}

function linkFlow(flow: FlowRow): LinkFlow {
  return {
    id: flow.id,
    hostId: flow.host_id,
    orgId: flow.org_id,
    userId: flow.user_id,
    userEmail: flow.user_email,
    provider: flow.provider as ProviderId,
    purpose: flow.purpose as LinkPurpose,
    step: flow.step,
  };
}

function scopeOf(flow: FlowRow): UserScope {
  return { hostId: flow.host_id, orgId: flow.org_id, userId: flow.user_id };
}

/** The return URL of redirect mode must be an http(s) URL on one of the host's registered origins. */
function checkReturnUrl(raw: string | undefined, origins: readonly string[]): string {
  if (!raw) throw badRequest("return_url_invalid", "returnMode redirect needs a returnUrl on one of the host's registered origins.");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest("return_url_invalid", "returnUrl is not an absolute URL.");
  }
  if (!origins.includes(url.origin)) throw badRequest("return_url_invalid", "returnUrl must be on one of the host's registered origins.");
  url.hash = "";
  return url.toString();
}
