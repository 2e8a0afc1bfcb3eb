/**
 * What the starter's page can ask about its own flow (GET /v1/oauth/flows/:flow),
 * for when the popup's message never arrives (closed, blocked).
 */
import type { HostTokenClaims } from "../auth/host-token.ts";
import { notFound } from "../errors.ts";
import { userScopeOf } from "../store/tenancy.ts";
import type { FlowContext } from "./flow-context.ts";
import { findOwnFlow } from "./flow-store.ts";
import { type Refusal, refusal } from "./refusals.ts";

export interface FlowStatusView {
  flow: string;
  provider: string;
  purpose: string;
  /** `expired`: nobody finished the flow (the popup was closed, the provider never called back) before `expiresAt`;
   * `error` says `flow_expired`. */
  status: "created" | "started" | "linked" | "error" | "expired";
  expiresAt: string;
  accountId?: string;
  connectionId?: string;
  error?: Refusal;
}

export async function flowStatus(
  context: FlowContext,
  caller: HostTokenClaims,
  flowId: string,
): Promise<FlowStatusView> {
  const flow = await findOwnFlow(context.db, userScopeOf(caller), flowId);
  if (!flow) throw notFound("flow_unknown", "No such linking flow for this user.");
  const base = { flow: flow.id, provider: flow.provider, purpose: flow.purpose, expiresAt: flow.expires_at };
  if (flow.status === "done") {
    // The result of an organisation flow is the connection; of any other, the account.
    const result = flow.result_id
      ? flow.purpose === "org"
        ? { connectionId: flow.result_id }
        : { accountId: flow.result_id }
      : {};
    return { ...base, status: "linked", ...result };
  }
  if (flow.status === "failed")
    return {
      ...base,
      status: "error",
      error: { code: flow.error_code ?? "internal_error", message: flow.error_message ?? "" },
    };
  // Interrupted before its end: past its expiry it can no longer finish, so it says so rather than "started" forever.
  if (flow.expires_at <= context.clock.now().toISOString())
    return { ...base, status: "expired", error: refusal("flow_expired") };
  return { ...base, status: flow.status };
}
