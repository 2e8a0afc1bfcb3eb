/**
 * Step 1 of the round trip (src/oauth/flows.ts): a host-token authenticated
 * start records who links what, for which embedding origin, and hands back a
 * one-time URL on this server with a one-time begin secret that only the
 * calling script sees. Each check is its own function, in the order a caller
 * can act on them.
 */
import type { HostTokenClaims } from "../auth/host-token.ts";
import type { RegisteredHost } from "../auth/host-registry.ts";
import { badRequest, conflict, forbidden, notFound } from "../errors.ts";
import { type UserScope, upsertUser, userScopeOf } from "../store/tenancy.ts";
import { randomSecret, sha256 } from "./crypto.ts";
import { type FlowContext, adapterServing } from "./flow-context.ts";
import { deleteExpiredFlows, insertFlow, type ReturnMode } from "./flow-store.ts";
import { type LinkAdapter, type LinkPurpose, linkPurposes } from "./provider-link.ts";
import { refusal } from "./refusals.ts";

export const flowLifetimeMs = 10 * 60_000;
/** Finished and expired flows are kept this long for the status endpoint and replay answers, then deleted. */
const flowRetentionMs = 24 * 60 * 60_000;

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

export async function startFlow(
  context: FlowContext,
  caller: HostTokenClaims,
  provider: string,
  request: StartRequest,
  origin: string | undefined,
): Promise<StartedFlow> {
  const adapter = adapterFor(context, provider, request.purpose);
  if (request.purpose === "org" && caller.role !== "admin") {
    throw forbidden("admin_required", "Only an administrator can connect the organisation.");
  }
  // The callback completes an organisation flow only if the users row still says admin. The token recorder skips a
  // profile this process wrote within the last minute, though another process may have written another role since
  // (admin, recruiter elsewhere, admin again here): written now, unless a later token's profile is stored.
  if (request.purpose === "org") await upsertUser(context.db, caller, context.clock);
  const embedding = embeddingPage(context, caller, origin);
  const returnUrl =
    request.returnMode === "redirect" ? checkReturnUrl(request.returnUrl, embedding.host.origins) : null;
  const scope = userScopeOf(caller);
  await assertPrerequisites(context, scope, adapter, request.purpose);
  return recordFlow(context, caller, scope, adapter, request, { origin: embedding.origin, returnUrl });
}

/** The adapter serving this purpose: 404 when the provider is not offered at all, 400 when not for this purpose. */
function adapterFor(context: FlowContext, provider: string, purpose: LinkPurpose): LinkAdapter {
  const adapter = adapterServing(context, provider, purpose);
  if (adapter) return adapter;
  const supported = linkPurposes.filter((other) => adapterServing(context, provider, other));
  if (supported.length === 0)
    throw notFound("provider_unavailable", `Linking ${provider.slice(0, 40)} is not available on this server.`);
  throw badRequest(
    "purpose_unsupported",
    `${provider} cannot be linked for purpose "${String(purpose).slice(0, 40)}"; it supports ${supported.join(", ")}.`,
  );
}

/** The caller's host and the page's origin, when that is one of the host's registered origins (the browser sets
 * Origin). */
function embeddingPage(
  context: FlowContext,
  caller: HostTokenClaims,
  origin: string | undefined,
): { host: RegisteredHost; origin: string } {
  const host = context.hosts.get(caller.iss);
  if (!origin || !host?.origins.includes(origin)) {
    throw forbidden(
      "origin_not_allowed",
      "Start linking from a page on one of the host's registered origins (the request's Origin header).",
    );
  }
  return { host, origin };
}

/** A personal link or a sign-in needs the organisation's connection; the purpose has the last word (sign-in turned on).
 * */
async function assertPrerequisites(
  context: FlowContext,
  scope: UserScope,
  adapter: LinkAdapter,
  purpose: LinkPurpose,
): Promise<void> {
  if (purpose !== "org" && !(await context.connections.find(scope, adapter.provider))) {
    const missing = refusal("org_connection_missing");
    throw conflict(missing.code, missing.message);
  }
  await context.purposes[purpose]?.assertMayStart(scope, adapter.provider);
}

async function recordFlow(
  context: FlowContext,
  caller: HostTokenClaims,
  scope: UserScope,
  adapter: LinkAdapter,
  request: StartRequest,
  embedding: { origin: string; returnUrl: string | null },
): Promise<StartedFlow> {
  const now = context.clock.now();
  const id = randomSecret();
  const beginSecret = randomSecret();
  const expiresAt = new Date(now.getTime() + flowLifetimeMs).toISOString();
  await deleteExpiredFlows(context.db, new Date(now.getTime() - flowRetentionMs).toISOString());
  await insertFlow(context.db, {
    id,
    hostId: scope.hostId,
    orgId: scope.orgId,
    userId: scope.userId,
    userEmail: caller.email,
    userRole: caller.role,
    provider: adapter.provider,
    purpose: request.purpose,
    embedOrigin: embedding.origin,
    returnMode: request.returnMode,
    returnUrl: embedding.returnUrl,
    beginHash: sha256(beginSecret),
    locale: caller.locale ?? null,
    createdAt: now.toISOString(),
    expiresAt,
  });
  return { flow: id, url: `${context.publicUrl}/oauth/${adapter.provider}/begin?flow=${id}`, beginSecret, expiresAt };
}

/** The return URL of redirect mode must be an http(s) URL on one of the host's registered origins. */
function checkReturnUrl(raw: string | undefined, origins: readonly string[]): string {
  if (!raw)
    throw badRequest(
      "return_url_invalid",
      "returnMode redirect needs a returnUrl on one of the host's registered origins.",
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest("return_url_invalid", "returnUrl is not an absolute URL.");
  }
  if (!origins.includes(url.origin))
    throw badRequest("return_url_invalid", "returnUrl must be on one of the host's registered origins.");
  url.hash = "";
  return url.toString();
}
