/**
 * The OAuth round trip, independent of any provider (ARCHITECTURE.md, "OAuth
 * round trip"), one module per step:
 *
 * 1. `startFlow` (src/oauth/start-flow.ts, host-token authenticated) records
 *    who links what, for which embedding origin, and hands back a one-time
 *    URL with a one-time begin secret that only the calling script sees.
 * 2. `beginFlow` (src/oauth/begin-flow.ts, a form POST of that secret from
 *    the embedding page) binds the flow to this browser with a cookie,
 *    creates state and a PKCE verifier, and sends the browser to the provider.
 * 3. `completeFlow` (src/oauth/complete-flow.ts, the provider's redirect)
 *    checks state, browser, expiry and the provider's answer, lets the
 *    adapter finish, lets the flow's purpose store the result, and answers
 *    the opener at the exact recorded origin, or redirects back.
 *
 * The adapter of a flow is picked by its purpose (`FlowDeps.purposes`):
 * linking and sign-in each bring theirs, and their own end (flow-ports.ts).
 * Only hashes of state and of the browser binding are stored; the verifier is
 * sealed by the vault and dropped when the flow ends.
 */
import type { HostTokenClaims } from "../auth/host-token.ts";
import { type BeginRequest, beginFlow, beginNotFromPortal } from "./begin-flow.ts";
import { completeFlow } from "./complete-flow.ts";
import { type FlowDeps, flowContext } from "./flow-context.ts";
import { type FlowStatusView, flowStatus } from "./flow-status.ts";
import type { BrowserAnswer } from "./outcome.ts";
import { type StartedFlow, type StartRequest, startFlow } from "./start-flow.ts";

export type { BeginRequest, FlowDeps, FlowStatusView, StartedFlow, StartRequest };
export { bindingCookieName } from "./flow-context.ts";
export { flowLifetimeMs } from "./start-flow.ts";

export interface Flows {
  startFlow(
    caller: HostTokenClaims,
    provider: string,
    request: StartRequest,
    origin: string | undefined,
  ): Promise<StartedFlow>;
  beginFlow(provider: string, flowId: string | undefined, request: BeginRequest): Promise<BrowserAnswer>;
  beginNotFromPortal(): BrowserAnswer;
  completeFlow(provider: string, query: URLSearchParams, cookies: Record<string, string>): Promise<BrowserAnswer>;
  flowStatus(caller: HostTokenClaims, flowId: string): Promise<FlowStatusView>;
}

export function createFlows(deps: FlowDeps): Flows {
  const context = flowContext(deps);
  return {
    startFlow: (caller, provider, request, origin) => startFlow(context, caller, provider, request, origin),
    beginFlow: (provider, flowId, request) => beginFlow(context, provider, flowId, request),
    beginNotFromPortal,
    completeFlow: (provider, query, cookies) => completeFlow(context, provider, query, cookies),
    flowStatus: (caller, flowId) => flowStatus(context, caller, flowId),
  };
}
