/**
 * Sign in with Slack over HTTP (README, "Sign in with Slack").
 *
 * At the root (no token):
 *   GET  /.well-known/jwks.json        the server's public signing keys (assertions verify against them)
 * Under /v1, before the API's tokenAuth (a sign-in token, not a host token):
 *   POST /oauth/:provider/start        with {purpose: "signin", returnMode, returnUrl?} for a provider offering
 * sign-in;
 *                                      anything else goes on to the host-token route (which refuses sign-in tokens)
 * Under /v1, after the API's tokenAuth:
 *   GET  /signin/:provider             the organisation's setting
 *   PUT  /signin/:provider             admin: {enabled}; turning it on needs the organisation's connection
 */
import { Hono } from "hono";
import { z } from "zod";
import { findConnection } from "../accounts/store.ts";
import type { HostRegistry } from "../auth/host-registry.ts";
import { tokenAuth } from "../auth/middleware.ts";
import type { Clock } from "../clock.ts";
import { badRequest, conflict, forbidden, notFound } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { jsonBody } from "../http/json-body.ts";
import { documented } from "../openapi/route-doc.ts";
import type { Flows } from "../oauth/flows.ts";
import { refusal } from "../oauth/refusals.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { ServerKeys } from "../signin/server-keys.ts";
import { readSignInSetting, type SignInSetting, writeSignInSetting } from "../signin/settings.ts";
import { signInTokens } from "../signin/sign-in-token.ts";
import type { DB } from "../store/database.ts";
import { orgScopeOf, userScopeOf } from "../store/tenancy.ts";

const startBody = z.strictObject({
  purpose: z.literal("signin"),
  returnMode: z.enum(["popup", "redirect"]),
  returnUrl: z.string().max(2048).optional(),
});
const settingBody = z.strictObject({ enabled: z.boolean() });
const settingAnswer = z.object({
  provider: z.string(),
  enabled: z.boolean(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** Sign-in works when it is enabled and the organisation is connected. */
  connected: z.boolean(),
});

/** Mounted at the root. Public keys only; a portal may cache them for five minutes and refetches on an unknown `kid`.
 * */
export function serverKeyRoutes(keys: ServerKeys) {
  return new Hono<AppEnv>().get("/.well-known/jwks.json", async (c) =>
    c.body(JSON.stringify({ keys: await keys.publicKeys() }), 200, {
      "Content-Type": "application/jwk-set+json",
      "Cache-Control": "public, max-age=300",
    }),
  );
}

/**
 * Mounted under /v1 after CORS and before the API's tokenAuth: a sign-in
 * start authenticates with a sign-in token of its own, once its body has
 * shown it is one (anything else goes on to the host-token route).
 */
export function signInStartRoutes(deps: {
  hosts: HostRegistry;
  db: DB;
  clock: Clock;
  flows: Flows;
  providers: readonly ProviderId[];
}) {
  const signInAuth = tokenAuth({ audience: signInTokens, hosts: deps.hosts, db: deps.db, clock: deps.clock });
  return new Hono<AppEnv>().post("/oauth/:provider/start", async (c, next) => {
    if (!deps.providers.includes(c.req.param("provider") as ProviderId)) return next();
    const body: unknown = await c.req.json().catch(() => undefined);
    if (typeof body !== "object" || body === null || (body as { purpose?: unknown }).purpose !== "signin")
      return next();
    const parsed = startBody.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badRequest(
        "invalid_body",
        (
          `The body must be {purpose: "signin", returnMode: popup|redirect, returnUrl?}: ` +
          `${issue?.path.join(".") || "body"} ${issue?.message ?? ""}`
        ).trim(),
      );
    }
    await signInAuth(c, async () => {
      c.res = c.json(
        await deps.flows.startFlow(c.get("caller"), c.req.param("provider"), parsed.data, c.req.header("Origin")),
        201,
      );
    });
    return c.res;
  });
}

/** Mounted under /v1 after the API's tokenAuth. */
export function signInSettingRoutes(deps: { db: DB; clock: Clock; providers: readonly ProviderId[] }) {
  const { db, clock } = deps;
  const offered = (provider: string): ProviderId => {
    if (!deps.providers.includes(provider as ProviderId))
      throw notFound("provider_unavailable", `Sign in with ${provider.slice(0, 40)} is not available on this server.`);
    return provider as ProviderId;
  };
  const view = async (tenant: { hostId: string; orgId: string }, setting: SignInSetting) => ({
    ...setting,
    // Sign-in works when it is enabled and the organisation is connected.
    connected: (await findConnection(db, tenant, setting.provider)) !== undefined,
  });

  return new Hono<AppEnv>()
    .get(
      "/signin/:provider",
      documented({
        summary: "The organisation's Sign in with a provider setting",
        tag: "signin",
        answers: { 200: settingAnswer },
        errors: { 404: ["provider_unavailable"] },
      }),
      async (c) => {
        const tenant = orgScopeOf(c.get("caller"));
        return c.json(await view(tenant, await readSignInSetting(db, tenant, offered(c.req.param("provider")))));
      },
    )
    .put(
      "/signin/:provider",
      documented({
        summary: "Turns Sign in with a provider on or off (admin); on needs the organisation's connection",
        tag: "signin",
        answers: { 200: settingAnswer },
        errors: { 403: ["admin_required"], 404: ["provider_unavailable"], 409: ["org_connection_missing"] },
      }),
      // Who may change it is answered before what the body says (404, then 403, then 400).
      async (c, next) => {
        offered(c.req.param("provider"));
        if (c.get("caller").role !== "admin")
          throw forbidden("admin_required", "Only an administrator can turn Sign in with Slack on or off.");
        await next();
      },
      jsonBody(settingBody, "The body must be {enabled: true|false}"),
      async (c) => {
        const caller = c.get("caller");
        const provider = offered(c.req.param("provider"));
        const { enabled } = c.req.valid("json");
        const actor = userScopeOf(caller);
        // Turning it off always works; turning it on needs the workspace the sign-ins are checked against.
        if (enabled && !(await findConnection(db, actor, provider))) {
          const missing = refusal("org_connection_missing");
          throw conflict(missing.code, missing.message);
        }
        return c.json(await view(actor, await writeSignInSetting(db, clock, actor, provider, enabled)));
      },
    );
}
