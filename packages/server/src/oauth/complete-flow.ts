/**
 * Step 3 of the round trip (src/oauth/flows.ts): the provider's redirect back.
 * Each step is one function, in order:
 *
 * 1. `claimState`: the state names a started flow, and this is the first
 *    callback to present it (it is spent whatever happens next);
 * 2. `checkBrowser`: the browser is the one that began the flow, in time;
 * 3. `checkRole`: an organisation connection is still an admin's to make;
 * 4. `refusalAtProvider`: the provider said no (`error=` in the query);
 * 5. `runAdapter`: the adapter exchanges the code and applies its guards,
 *    with the organisation's connection at hand;
 * 6. `continueAtProvider`: one more stop at the provider, or
 * 7. `finishWithPurpose`: the purpose stores the outcome (a link, a sign-in)
 *    and the opener is told at the exact recorded origin, or redirected back.
 */
import { isProviderId, ProviderError } from "../providers/errors.ts";
import { findUser } from "../store/tenancy.ts";
import { matchesHash, pkceChallenge, randomSecret, sha256 } from "./crypto.ts";
import {
  adapterServing,
  bindingCookie,
  bindingCookieName,
  failFlow,
  type FlowContext,
  linkFlow,
  redirectUri,
  scopeOf,
} from "./flow-context.ts";
import type { FinalOutcome, FlowConnection, FlowResult } from "./flow-ports.ts";
import { claimCallback, findFlowByState, finishFlow, type FlowRow, markContinued } from "./flow-store.ts";
import {
  type BrowserAnswer,
  type CookieInstruction,
  deliver,
  flowPage,
  ids,
  message,
  page,
  plainPage,
} from "./outcome.ts";
import { type LinkAdapter, type LinkOutcome, readsProviderErrors, serialisesCompletions } from "./provider-link.ts";
import { type Refusal, refusal } from "./refusals.ts";
import { openFlowSecret, sealFlowSecret } from "./secrets.ts";

/** A callback whose state this request spent: the flow, its adapter, and the cookie instruction that clears the
 * binding. */
interface ClaimedCallback {
  flow: FlowRow;
  adapter: LinkAdapter;
  claimedAt: string;
  clear: CookieInstruction[];
}

export async function completeFlow(
  context: FlowContext,
  provider: string,
  query: URLSearchParams,
  cookies: Record<string, string>,
): Promise<BrowserAnswer> {
  const claimed = await claimState(context, provider, query);
  if (!("flow" in claimed)) return claimed;
  const { flow, adapter, clear } = claimed;
  const browserRefusal = await checkBrowser(context, claimed, cookies);
  if (browserRefusal) return browserRefusal;
  const roleRefusal = await checkRole(context, claimed);
  if (roleRefusal) return roleRefusal;
  const providerRefusal = refusalAtProvider(adapter, flow, query);
  if (providerRefusal) return failFlow(context, flow, providerRefusal, clear);
  const outcome = await runAdapter(context, adapter, flow, query);
  if (outcome.kind === "refused")
    return failFlow(context, flow, { code: outcome.code, message: outcome.message }, clear);
  if (outcome.kind === "continue") return continueAtProvider(context, claimed, outcome.step);
  return finishWithPurpose(context, claimed, outcome);
}

/** The flow whose state this is, claimed by this callback; or the page that says the state is unknown or spent. */
async function claimState(
  context: FlowContext,
  provider: string,
  query: URLSearchParams,
): Promise<ClaimedCallback | BrowserAnswer> {
  const state = query.get("state");
  const flow = isProviderId(provider) && state ? await findFlowByState(context.db, provider, sha256(state)) : undefined;
  const adapter = flow && adapterServing(context, flow.provider, flow.purpose);
  // A portal removed from the hosts file (README, "Hosts") completes nothing more: no link is stored for it and
  // nothing is posted to its origin. The state stays unspent, and lapses with the flow.
  if (!flow || !adapter || !context.hosts.get(flow.host_id)) return page(plainPage(refusal("state_invalid")));
  const back = { returnUrl: flow.return_mode === "redirect" ? flow.return_url : null, ...flowPage(flow) };
  if (flow.status !== "started" || flow.callback_at !== null) return page(plainPage(refusal("state_replayed"), back));
  const claimedAt = context.clock.now().toISOString();
  // The first callback to present this state consumes it, whatever happens next.
  if (!(await claimCallback(context.db, flow.id, claimedAt))) return page(plainPage(refusal("state_replayed"), back));
  return { flow, adapter, claimedAt, clear: [bindingCookie(context, flow, "", 0)] };
}

/** Another browser (no binding cookie) is told nothing about the flow; a flow past its expiry fails. */
async function checkBrowser(
  context: FlowContext,
  claimed: ClaimedCallback,
  cookies: Record<string, string>,
): Promise<BrowserAnswer | undefined> {
  const { flow, claimedAt } = claimed;
  if (!matchesHash(cookies[bindingCookieName(flow.id)], flow.browser_hash)) {
    await finishFlow(context.db, flow.id, {
      status: "failed",
      error: refusal("flow_browser_mismatch"),
      resultId: null,
      at: claimedAt,
    });
    return page(plainPage(refusal("flow_browser_mismatch"), flowPage(flow)));
  }
  if (flow.expires_at <= claimedAt) return failFlow(context, flow, refusal("state_expired"), claimed.clear);
  return undefined;
}

/**
 * An organisation flow completes only for a user the portal still calls an admin: the role the server last recorded
 * (the users row, written when a token with another role is used), not the one the flow began with, since the portal
 * may have demoted them during the flow's ten minutes. Checked before the code is exchanged: nothing is issued.
 */
async function checkRole(context: FlowContext, claimed: ClaimedCallback): Promise<BrowserAnswer | undefined> {
  const { flow } = claimed;
  if (flow.purpose !== "org") return undefined;
  const user = await findUser(context.db, { hostId: flow.host_id, orgId: flow.org_id, userId: flow.user_id });
  if (user?.role === "admin") return undefined;
  return failFlow(context, flow, refusal("admin_required"), claimed.clear);
}

/** The provider's `error=` redirect as a refusal; the adapter reads it first (Zoom says "needs an admin" with
 * access_denied too). */
export function refusalAtProvider(adapter: LinkAdapter, flow: FlowRow, query: URLSearchParams): Refusal | undefined {
  const providerError = query.get("error");
  if (providerError === null) return undefined;
  const explained = readsProviderErrors(adapter) ? adapter.refusalForProviderError(linkFlow(flow), query) : undefined;
  if (explained) return explained;
  const code = providerError.replace(/[^A-Za-z0-9_.-]/g, "").slice(0, 60);
  return code === "access_denied" ? refusal("consent_denied") : refusal("provider_error", `${flow.provider}: ${code}`);
}

/** The adapter's outcome; a failure at the provider or here becomes a refusal, logged. */
async function runAdapter(
  context: FlowContext,
  adapter: LinkAdapter,
  flow: FlowRow,
  query: URLSearchParams,
): Promise<LinkOutcome> {
  try {
    const connection = await context.connections.find(scopeOf(flow), adapter.provider);
    const complete = () =>
      adapter.complete(linkFlow(flow), query, {
        codeVerifier: openFlowSecret(context.vault, flow),
        redirectUri: redirectUri(context, flow.provider),
        nonce: flow.nonce ?? "",
        connection: connection?.view,
        connectionTokens: () => tokensOf(connection),
      });
    if (!serialisesCompletions(adapter)) return await complete();
    return await context.completionLock(adapter.completionKey(linkFlow(flow), connection?.view), complete);
  } catch (error) {
    if (error instanceof ProviderError) {
      context.logger.warn("oauth completion failed at the provider", {
        provider: flow.provider,
        flow: flow.id,
        status: error.status,
        code: error.code,
      });
      return { kind: "refused", ...refusal("provider_error", `${flow.provider}: ${error.code}`) };
    }
    context.logger.error("oauth completion failed", {
      provider: flow.provider,
      flow: flow.id,
      error,
      stack: error instanceof Error ? error.stack : undefined,
    });
    return { kind: "refused", ...refusal("internal_error") };
  }
}

async function tokensOf(connection: FlowConnection | undefined) {
  return connection ? connection.tokens() : undefined;
}

/** The adapter's next stop at the provider: a new state, verifier and nonce; the binding cookie stays, the claimed
 * state is spent. */
async function continueAtProvider(
  context: FlowContext,
  claimed: ClaimedCallback,
  step: string,
): Promise<BrowserAnswer> {
  const { flow, adapter } = claimed;
  const state = randomSecret();
  const verifier = randomSecret();
  const nonce = randomSecret();
  let url: URL;
  try {
    url = adapter.authorizationUrl(
      { ...linkFlow(flow), step },
      { state, codeChallenge: pkceChallenge(verifier), redirectUri: redirectUri(context, flow.provider), nonce },
    );
  } catch (error) {
    context.logger.error("building the next authorization URL failed", {
      provider: flow.provider,
      flow: flow.id,
      error,
      stack: error instanceof Error ? error.stack : undefined,
    });
    return failFlow(context, flow, refusal("internal_error"), claimed.clear);
  }
  const codeVerifier = sealFlowSecret(context.vault, flow, verifier);
  const moved = await markContinued(context.db, flow.id, claimed.claimedAt, {
    step,
    stateHash: sha256(state),
    nonce,
    codeVerifier,
  });
  if (!moved) return page(plainPage(refusal("state_replayed"), flowPage(flow)));
  return { kind: "redirect", location: url.toString(), cookies: [] };
}

/** The flow's purpose stores the outcome (src/accounts links, src/signin signs in); the opener hears how it ended. */
async function finishWithPurpose(
  context: FlowContext,
  claimed: ClaimedCallback,
  outcome: FinalOutcome,
): Promise<BrowserAnswer> {
  const { flow, adapter, clear } = claimed;
  const purpose = context.purposes[linkFlow(flow).purpose];
  let result: FlowResult;
  try {
    if (!purpose) throw new Error(`no purpose ${flow.purpose} to finish the flow with`);
    result = await purpose.finish(linkFlow(flow), outcome, adapter);
  } catch (error) {
    context.logger.error("finishing a completed flow failed", {
      provider: flow.provider,
      purpose: flow.purpose,
      flow: flow.id,
      error,
      stack: error instanceof Error ? error.stack : undefined,
    });
    return failFlow(context, flow, refusal("internal_error"), clear);
  }
  if (!result.ok) return failFlow(context, flow, result.refusal, clear);
  const resultId = (outcome.kind === "org" ? result.connectionId : result.accountId) ?? null;
  await finishFlow(context.db, flow.id, {
    status: "done",
    error: null,
    resultId,
    at: context.clock.now().toISOString(),
  });
  const assertion = result.assertion ? { assertion: result.assertion } : {};
  return deliver(flow, { ...message(flow, result.status), ...ids(result), ...assertion }, clear);
}
