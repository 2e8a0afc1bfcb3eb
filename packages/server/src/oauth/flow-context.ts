/**
 * What every step of the OAuth round trip shares (src/oauth/flows.ts lists
 * the steps): the dependencies, the adapter a flow's purpose picks, the
 * binding cookie, and how a flow ends in a refusal.
 */
import type { HostRegistry } from "../auth/host-registry.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { DB } from "../store/database.ts";
import type { UserScope } from "../store/tenancy.ts";
import type { Vault } from "../vault/vault.ts";
import type { FlowRow } from "./flow-store.ts";
import { finishFlow } from "./flow-store.ts";
import type { CompletionLock, ConnectionAccess, FlowPurposes } from "./flow-ports.ts";
import { type BrowserAnswer, type CookieInstruction, deliver, message } from "./outcome.ts";
import type { LinkAdapter, LinkFlow, LinkPurpose } from "./provider-link.ts";
import type { Refusal } from "./refusals.ts";

export interface FlowDeps {
  db: DB;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  hosts: HostRegistry;
  /** The server's public URL; redirect URIs are `${publicUrl}/oauth/<provider>/callback`. */
  publicUrl: string;
  /** Adapters and completions by purpose (src/accounts for org and personal, src/signin for signin). */
  purposes: FlowPurposes;
  connections: ConnectionAccess;
  /** For adapters that serialise their completions (Zoom). */
  completionLock: CompletionLock;
}

export interface FlowContext extends FlowDeps {
  /** Binding cookies are `Secure` when the server is reached over https. */
  secureCookies: boolean;
}

export function flowContext(deps: FlowDeps): FlowContext {
  return { ...deps, secureCookies: deps.publicUrl.startsWith("https://") };
}

export function redirectUri(context: FlowContext, provider: string): string {
  return `${context.publicUrl}/oauth/${provider}/callback`;
}

export function bindingCookieName(flowId: string): string {
  return `tsunagu_oauth_${flowId}`;
}

/** The cookie that binds a flow to the browser that began it; `maxAgeSeconds` 0 clears it. */
export function bindingCookie(
  context: FlowContext,
  flow: Pick<FlowRow, "id" | "provider">,
  value: string,
  maxAgeSeconds: number,
): CookieInstruction {
  return {
    name: bindingCookieName(flow.id),
    value,
    path: `/oauth/${flow.provider}/`,
    maxAgeSeconds,
    secure: context.secureCookies,
  };
}

/** The adapter that serves this purpose for this provider; undefined when the server offers no such flow. */
export function adapterServing(context: FlowContext, provider: string, purpose: string): LinkAdapter | undefined {
  const adapters = Object.hasOwn(context.purposes, purpose)
    ? context.purposes[purpose as LinkPurpose]?.adapters
    : undefined;
  const adapter = adapters && Object.hasOwn(adapters, provider) ? adapters[provider as ProviderId] : undefined;
  return adapter?.purposes.includes(purpose as LinkPurpose) ? adapter : undefined;
}

/** Ends the flow with a refusal, told to the opener (or the return URL) like any outcome. */
export async function failFlow(
  context: FlowContext,
  flow: FlowRow,
  reason: Refusal,
  cookies: CookieInstruction[],
): Promise<BrowserAnswer> {
  // The request line says only 400; an operator needs the refusal's code (as `refusal`, the name operators know).
  context.logger.info("oauth flow refused", {
    provider: flow.provider,
    purpose: flow.purpose,
    flow: flow.id,
    refusal: reason.code,
  });
  await finishFlow(context.db, flow.id, {
    status: "failed",
    error: reason,
    resultId: null,
    at: context.clock.now().toISOString(),
  });
  return deliver(flow, { ...message(flow, "error"), error: reason }, cookies);
}

export function linkFlow(flow: FlowRow): LinkFlow {
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

export function scopeOf(flow: FlowRow): UserScope {
  return { hostId: flow.host_id, orgId: flow.org_id, userId: flow.user_id };
}
