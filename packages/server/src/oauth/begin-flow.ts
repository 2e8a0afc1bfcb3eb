/**
 * Step 2 of the round trip (src/oauth/flows.ts): the begin form POST. It is
 * answered only to the page that started the flow: its exact embedding
 * origin (Origin is set by the browser; a cross-origin redirect on the way
 * makes it "null") and the secret only that page's script got from start. A
 * refused begin changes nothing, so the real one still works. A URL opened by
 * plain navigation (a link sent to a colleague) carries neither, so it cannot
 * link anyone's account to the starter's user (README, "Why begin is a POST").
 */
import { isProviderId } from "../providers/errors.ts";
import { matchesHash, pkceChallenge, randomSecret, sha256 } from "./crypto.ts";
import { adapterServing, bindingCookie, failFlow, type FlowContext, linkFlow, redirectUri } from "./flow-context.ts";
import { findFlow, type FlowRow, markBegun } from "./flow-store.ts";
import { type BrowserAnswer, flowPage, page, plainPage } from "./outcome.ts";
import type { LinkAdapter } from "./provider-link.ts";
import { refusal } from "./refusals.ts";
import { sealFlowSecret } from "./secrets.ts";

/** What a begin POST carries that says it came from the page that started the flow. */
export interface BeginRequest {
  /** The form's `secret` field. */
  secret: string | undefined;
  /** The request's `Origin` header, set by the browser (page script cannot). */
  origin: string | undefined;
}

export async function beginFlow(
  context: FlowContext,
  provider: string,
  flowId: string | undefined,
  request: BeginRequest,
): Promise<BrowserAnswer> {
  const flow = isProviderId(provider) && flowId ? await findFlow(context.db, provider, flowId) : undefined;
  const adapter = flow && adapterServing(context, flow.provider, flow.purpose);
  // A portal removed from the hosts file (README, "Hosts") begins nothing more, as its tokens start nothing.
  if (!flow || !adapter || !context.hosts.get(flow.host_id)) return page(plainPage(refusal("flow_unknown")));
  const refused = refuseForeignBegin(context, flow, request);
  if (refused) return refused;
  if (flow.expires_at <= context.clock.now().toISOString()) return failFlow(context, flow, refusal("flow_expired"), []);
  return sendToProvider(context, adapter, flow);
}

/** A begin URL opened by plain navigation (GET): it explains where linking starts, and touches no flow (nor reads it,
 * so the page is in English). */
export function beginNotFromPortal(): BrowserAnswer {
  return page(plainPage(refusal("begin_not_from_portal")));
}

/** A begin from another page, without the begin secret, or of a flow begun already: refused, the flow untouched. */
function refuseForeignBegin(context: FlowContext, flow: FlowRow, request: BeginRequest): BrowserAnswer | undefined {
  if (request.origin !== flow.embed_origin) {
    context.logger.warn("oauth begin refused: not from the embedding origin", {
      provider: flow.provider,
      flow: flow.id,
      origin: request.origin?.slice(0, 200) ?? null,
    });
    // In the language the flow recorded, as its other refusals (flowPage).
    return page(plainPage(refusal("begin_not_from_portal"), flowPage(flow)));
  }
  if (!matchesHash(request.secret, flow.begin_hash)) {
    context.logger.warn("oauth begin refused: wrong or missing begin secret", {
      provider: flow.provider,
      flow: flow.id,
    });
    return page(plainPage(refusal("begin_secret_invalid"), flowPage(flow)));
  }
  if (flow.status !== "created") return page(plainPage(refusal("flow_used"), flowPage(flow)));
  return undefined;
}

/** Binds the flow to this browser with a cookie, creates state, PKCE verifier and nonce, and redirects to the provider.
 * */
async function sendToProvider(context: FlowContext, adapter: LinkAdapter, flow: FlowRow): Promise<BrowserAnswer> {
  const now = context.clock.now();
  const state = randomSecret();
  const verifier = randomSecret();
  const browserSecret = randomSecret();
  const nonce = randomSecret();
  const begun = await markBegun(context.db, flow.id, {
    stateHash: sha256(state),
    browserHash: sha256(browserSecret),
    nonce,
    codeVerifier: sealFlowSecret(context.vault, flow, verifier),
    startedAt: now.toISOString(),
  });
  if (!begun) return page(plainPage(refusal("flow_used"), flowPage(flow)));
  const url = adapter.authorizationUrl(linkFlow(flow), {
    state,
    codeChallenge: pkceChallenge(verifier),
    redirectUri: redirectUri(context, flow.provider),
    nonce,
  });
  const maxAgeSeconds = Math.max(1, Math.ceil((Date.parse(flow.expires_at) - now.getTime()) / 1000));
  return {
    kind: "redirect",
    location: url.toString(),
    cookies: [bindingCookie(context, flow, browserSecret, maxAgeSeconds)],
  };
}
