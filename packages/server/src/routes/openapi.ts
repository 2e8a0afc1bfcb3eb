/**
 * `GET /openapi.json`: the API's OpenAPI 3.1 document (openapi/document.ts),
 * built once from the app's routes on the first request, public (no token)
 * and cacheable (an ETag, five minutes' freshness).
 */
import { Hono } from "hono";
import { etag } from "hono/etag";
import type { AppEnv } from "../auth/app-env.ts";
import { type AppRoute, buildOpenApiDocument, type OpenApiDocument } from "../openapi/document.ts";
import { webhookDocs } from "../webhooks/events.ts";

/** The groups the document lists routes under. */
const tags = {
  me: "Who the caller is.",
  accounts: "The organisation's connections and the caller's own accounts.",
  oauth: "Linking an account or connecting the organisation: the OAuth round trip's API side.",
  signin: "Sign in with a provider: the organisation's setting.",
  templates: "Message templates and rendering them with an interview's values.",
  availability: "Free slots, working hours and days off.",
  zoom: "Zoom hosts, holds, meetings' hosts and the Zoom plan.",
  interviews: "Booking, changing and cancelling interviews, and the organisation's interview settings.",
  "scheduling-links": "Links a candidate opens to pick one of the offered slots.",
  notifications: "The portal's own Slack notices to its users.",
  webhooks: "What Tsunagu POSTs to a portal's webhook URL, signed with the portal's webhook secret.",
};

/** The document of `app`'s routes as the server at `publicUrl` serves them. */
export function openApiDocument(app: { routes: readonly AppRoute[] }, publicUrl: string): OpenApiDocument {
  return buildOpenApiDocument(app.routes, { version: "1", serverUrl: publicUrl, tags, webhooks: webhookDocs });
}

export function openApiRoutes(app: { routes: readonly AppRoute[] }, publicUrl: string) {
  let body: string | undefined;
  return new Hono<AppEnv>().get("/openapi.json", etag(), (c) => {
    // Built on the first request: every route is registered by then.
    body ??= JSON.stringify(openApiDocument(app, publicUrl));
    return c.body(body, 200, { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" });
  });
}
