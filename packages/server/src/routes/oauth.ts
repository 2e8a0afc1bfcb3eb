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

const startBody = z.strictObject({
  purpose: z.enum(linkPurposes),
  returnMode: z.enum(["popup", "redirect"]),
  returnUrl: z.string().max(2048).optional(),
});

/** Mounted under /v1, after tokenAuth. */
export function oauthApiRoutes(flows: Flows) {
  return new Hono<AppEnv>()
    .post(
      "/oauth/:provider/start",
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
    .get("/oauth/flows/:flow", async (c) => c.json(await flows.flowStatus(c.get("caller"), c.req.param("flow"))));
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
    .get("/oauth/:provider/callback", async (c) =>
      answer(c, await flows.completeFlow(c.req.param("provider"), new URL(c.req.url).searchParams, getCookie(c))),
    );
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
