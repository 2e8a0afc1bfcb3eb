/**
 * The OAuth round trip over HTTP.
 *
 * Under /v1 (host token): `POST /oauth/:provider/start`, `GET /oauth/flows/:flow`.
 * In the browser (no token; the popup or the page itself):
 * `POST /oauth/:provider/begin` (a form the embedding page submits, carrying
 * the begin secret; a GET only explains that) and `GET /oauth/:provider/callback`.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import type { AppEnv } from "../auth/app-env.ts";
import { jsonBody } from "../http/json-body.ts";
import type { Flows } from "../oauth/flows.ts";
import type { BrowserAnswer } from "../oauth/outcome.ts";
import { linkPurposes } from "../oauth/provider-link.ts";
import { documented } from "../openapi/route-doc.ts";

const startBody = z.strictObject({
  purpose: z.enum(linkPurposes),
  returnMode: z.enum(["popup", "redirect"]),
  returnUrl: z.string().max(2048).optional(),
});

const startedFlow = z.object({
  flow: z.string(),
  url: z.string().meta({ description: "Where the embedding page POSTs the begin form." }),
  beginSecret: z.string().meta({ description: "The begin form's secret field." }),
  expiresAt: z.string(),
});
const flowStatus = z.object({
  flow: z.string(),
  provider: z.string(),
  purpose: z.string(),
  status: z.enum(["created", "started", "linked", "error", "expired"]),
  expiresAt: z.string(),
  accountId: z.string().optional(),
  connectionId: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

/** Mounted under /v1, after tokenAuth. */
export function oauthApiRoutes(flows: Flows) {
  return new Hono<AppEnv>()
    .post(
      "/oauth/:provider/start",
      documented({
        summary: "Starts linking: a one-time URL for the popup or the page to open",
        description:
          "A sign-in start (purpose signin, Sign in with Slack) takes the sign-in token instead of the host token.",
        tag: "oauth",
        tokens: "host_or_signin",
        answers: { 201: startedFlow },
        errors: {
          400: ["purpose_unsupported", "return_url_invalid"],
          403: ["admin_required", "signin_disabled"],
          404: ["provider_unavailable"],
          409: ["org_connection_missing"],
        },
      }),
      jsonBody(startBody, "The body must be {purpose: org|personal|signin, returnMode: popup|redirect, returnUrl?}"),
      async (c) => {
        const started = await flows.startFlow(
          c.get("caller"),
          c.req.param("provider"),
          c.req.valid("json"),
          c.req.header("Origin"),
        );
        return c.json(started, 201);
      },
    )
    .get(
      "/oauth/flows/:flow",
      documented({
        summary: "Where a linking flow stands: linked, refused (error.code) or still under way",
        tag: "oauth",
        answers: { 200: flowStatus },
        errors: { 404: ["flow_unknown"] },
      }),
      async (c) => c.json(await flows.flowStatus(c.get("caller"), c.req.param("flow"))),
    );
}

/** Mounted at the root: the pages a browser visits during the round trip. */
export function oauthBrowserRoutes(flows: Flows) {
  return new Hono<AppEnv>()
    .post("/oauth/:provider/begin", async (c) => {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const secret = typeof form.secret === "string" ? form.secret : undefined;
      // 303: the browser follows with a GET to the provider.
      return answer(
        c,
        await flows.beginFlow(c.req.param("provider"), c.req.query("flow"), { secret, origin: c.req.header("Origin") }),
        303,
      );
    })
    .get("/oauth/:provider/begin", (c) => answer(c, flows.beginNotFromPortal()))
    .get("/oauth/:provider/callback", async (c) => {
      // Hono answers a HEAD with its GET route: here that would spend the state and exchange the code for an answer
      // without a body, and the browser's own GET would then find its flow replayed. A HEAD is refused instead.
      if (c.req.method === "HEAD") return c.body(null, 405, { Allow: "GET", "Cache-Control": "no-store" });
      return answer(
        c,
        await flows.completeFlow(c.req.param("provider"), new URL(c.req.url).searchParams, getCookie(c)),
      );
    });
}

function answer(
  c: Context<AppEnv>,
  result: BrowserAnswer,
  redirectStatus: 302 | 303 = 302,
): Response | Promise<Response> {
  for (const cookie of result.cookies) {
    setCookie(c, cookie.name, cookie.value, {
      path: cookie.path,
      httpOnly: true,
      sameSite: "Lax",
      secure: cookie.secure,
      maxAge: cookie.maxAgeSeconds,
    });
  }
  c.header("Cache-Control", "no-store");
  if (result.kind === "redirect") return c.redirect(result.location, redirectStatus);
  for (const [name, value] of Object.entries(result.page.headers)) c.header(name, value);
  return c.html(result.page.body, result.page.status);
}
