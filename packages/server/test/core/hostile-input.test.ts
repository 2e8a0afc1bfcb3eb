/**
 * Input an attacker chooses never ends in a 500 (issue 7, item 6): every
 * route of the real app, with path segments, query values and bodies made
 * of inherited property names, NUL, broken percent-encodings and very long
 * strings, answers a 4xx: the error envelope, or the refusal page on the
 * browser routes. U+0000 is refused before it reaches a query, because
 * PostgreSQL text cannot hold it while SQLite would store it.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedConnection } from "../accounts/fixtures.ts";
import { type Caller, createTestApp, originA, type WebhookTestApp } from "../support/test-app.ts";
import { errorCodeOnPage } from "../support/round-trip.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const admin: Caller = { sub: "hanako", org: "sakura", role: "admin" };

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], serve: true, webhooks: {} });
});
afterAll(async () => {
  await t.close();
});

/** Path segments as they travel in a URL: names every plain object inherits, NUL, bytes that are no UTF-8, and a very
 * long one. */
const hostileSegments = [
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "zoom%00",
  "%00",
  "%FF",
  "%C0%80",
  "%ED%A0%80",
  "%E3%81",
  "x".repeat(4000),
];

/** Every route the app registers (method and path), the catch-all 405 answers aside. */
function registeredRoutes(): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  const routes: Array<{ method: string; path: string }> = [];
  for (const route of t.app.routes) {
    if (route.method === "ALL" || route.path.endsWith("*")) continue;
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: route.method, path: route.path });
  }
  return routes;
}

async function call(method: string, path: string, body?: string): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${await t.token(admin)}`, Origin: originA };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return t.app.request(path, { method, headers, body });
}

/** A 4xx whose body names a snake_case code: the JSON envelope, or the browser refusal page. */
async function refusalOf(response: Response): Promise<{ status: number; code: string | undefined }> {
  const text = await response.text();
  let code: string | undefined;
  if ((response.headers.get("content-type") ?? "").includes("application/json")) {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    code = typeof body.error?.code === "string" && typeof body.error.message === "string" ? body.error.code : undefined;
  } else {
    code = errorCodeOnPage(text);
  }
  return { status: response.status, code: code !== undefined && /^[a-z][a-z0-9_]*$/.test(code) ? code : undefined };
}

/** A body the route would take, so that only the hostile part can be refused. */
const bodyFor = (route: { method: string; path: string }) =>
  route.method === "GET"
    ? undefined
    : JSON.stringify(
        route.path.includes("/signin/") ? { enabled: true } : { purpose: "personal", returnMode: "popup" },
      );

describe("every route × hostile path segments", () => {
  it("lists the routes it walks (a new route is walked without editing this test)", () => {
    const paths = registeredRoutes().map((route) => `${route.method} ${route.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        "POST /v1/oauth/:provider/start",
        "GET /v1/oauth/flows/:flow",
        "GET /oauth/:provider/begin",
        "GET /oauth/:provider/callback",
        "POST /v1/accounts/:id/default",
        "POST /v1/accounts/:id/check",
        "DELETE /v1/accounts/:id",
        "DELETE /v1/connections/:provider",
        "GET /v1/signin/:provider",
        "PUT /v1/signin/:provider",
        "POST /webhooks/zoom",
        "POST /webhooks/slack",
      ]),
    );
  });

  it("answers each route whose path names a provider, flow or account with a 4xx and a code, never a 500", async () => {
    const failures: string[] = [];
    for (const route of registeredRoutes().filter((candidate) => candidate.path.includes(":"))) {
      for (const segment of hostileSegments) {
        const path = route.path.replace(/:[A-Za-z]+/g, segment);
        const response = await call(route.method, path, bodyFor(route));
        const refusal = await refusalOf(response);
        if (refusal.status < 400 || refusal.status >= 500 || !refusal.code)
          failures.push(`${route.method} ${path.slice(0, 60)} → ${refusal.status} ${refusal.code ?? "(no code)"}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers every route with hostile query values without a 500, and any refusal in the envelope", async () => {
    const failures: string[] = [];
    for (const route of registeredRoutes()) {
      const path = route.path.replace(/:provider/g, "zoom").replace(/:[A-Za-z]+/g, "x");
      for (const segment of hostileSegments) {
        const response = await call(
          route.method,
          `${path}?flow=${segment}&state=${segment}&code=${segment}&${segment}=1`,
          bodyFor(route),
        );
        const refusal = await refusalOf(response);
        if (refusal.status >= 500 || (refusal.status >= 400 && !refusal.code))
          failures.push(`${route.method} ${path} ?${segment.slice(0, 20)} → ${refusal.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("starts no flow for an inherited property name (it is no provider)", async () => {
    for (const provider of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      const response = await call(
        "POST",
        `/v1/oauth/${provider}/start`,
        JSON.stringify({ purpose: "personal", returnMode: "popup" }),
      );
      expect({ provider, status: response.status, body: await response.json() }).toMatchObject({
        provider,
        status: 404,
        body: { error: { code: "provider_unavailable" } },
      });
    }
  });
});

describe("U+0000", () => {
  beforeAll(async () => {
    // The organisation connection a personal start needs (the walk above may have disconnected it), so a start is
    // refused only for what the test sends.
    await t.db.deleteFrom("connections").where("provider", "=", "zoom").execute();
    await seedConnection(
      { db: t.db, vault: t.vault, clock: t.clock },
      { hostId: "portal-a", orgId: "sakura", userId: "hanako" },
      "zoom",
      "zAcSakura0001",
      { accessToken: "zoom-access", scopes: [] },
    );
  });

  it("is refused in a JSON body with invalid_body, before anything is stored", async () => {
    const before = await t.db
      .selectFrom("oauth_flows")
      .select(({ fn }) => fn.countAll().as("count"))
      .executeTakeFirstOrThrow();
    const bodies = [
      JSON.stringify({ purpose: "personal", returnMode: "redirect", returnUrl: `${originA}/settings\u0000` }),
      JSON.stringify({ purpose: "personal", returnMode: "popup", "returnUrl\u0000": "x" }),
      `{"purpose":"personal","returnMode":"popup","returnUrl":"${originA}/\u0000"}`,
    ];
    for (const body of bodies) {
      const response = await call("POST", "/v1/oauth/zoom/start", body);
      expect({ status: response.status, body: await response.json() }).toMatchObject({
        status: 400,
        body: { error: { code: "invalid_body" } },
      });
    }
    const after = await t.db
      .selectFrom("oauth_flows")
      .select(({ fn }) => fn.countAll().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(after.count)).toBe(Number(before.count));
  });

  it(
    "is found in a body nested as deep or as long as the " + "size limit allows, without overflowing the stack",
    async () => {
      const depth = 100_000;
      const deep = `${"[".repeat(depth)}"\\u0000"${"]".repeat(depth)}`;
      const long = JSON.stringify(Array.from({ length: 40_000 }, (_, index) => (index === 39_999 ? "\u0000" : 1)));
      for (const body of [deep, long]) {
        const response = await call("POST", "/v1/oauth/zoom/start", body);
        expect({ status: response.status, body: await response.json() }).toMatchObject({
          status: 400,
          body: { error: { code: "invalid_body" } },
        });
      }
    },
  );

  it("is not mistaken in an escaped backslash followed by u0000", async () => {
    const response = await call(
      "POST",
      "/v1/oauth/zoom/start",
      JSON.stringify({ purpose: "personal", returnMode: "redirect", returnUrl: `${originA}/settings?note=\\u0000` }),
    );
    expect(response.status).toBe(201);
  });

  it("is refused in a query value or a path segment with invalid_request", async () => {
    for (const path of [
      "/oauth/zoom/begin?flow=%00",
      "/v1/accounts?view=a%00b",
      "/v1/oauth/flows/f%00",
      "/v1/accounts/%00/check",
    ]) {
      const method = path.includes("/check") ? "POST" : "GET";
      const response = await call(method, path);
      expect({ path, status: response.status, body: await response.json() }).toMatchObject({
        path,
        status: 400,
        body: { error: { code: "invalid_request" } },
      });
    }
  });

  it("is refused in a signed Slack or Zoom webhook payload, and nothing changes", async () => {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const slackBody = JSON.stringify({
      token: "legacy",
      team_id: "T0SAKURA01\u0000",
      api_app_id: "A0TSUNAGU01",
      event: { type: "app_uninstalled", event_ts: `${now}.000000` },
      type: "event_callback",
      event_id: "Ev0NUL",
      event_time: now,
    });
    const slackSignature = `v0=${createHmac("sha256", t.slack.fake.context.webhookSecret)
      .update(`v0:${now}:${slackBody}`)
      .digest("hex")}`;
    const slack = await t.app.request("/webhooks/slack", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-slack-request-timestamp": String(now),
        "x-slack-signature": slackSignature,
      },
      body: slackBody,
    });
    expect({ status: slack.status, body: await slack.json() }).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_body" } },
    });

    const zoomBody = JSON.stringify({
      event: "app_deauthorized",
      event_ts: now * 1000,
      payload: {
        account_id: "zAcSakura0001",
        user_id: "zU_ken\u0000",
        signature: "legacy",
        deauthorization_time: t.clock.now().toISOString(),
        client_id: t.zoom.running.context.clientId,
      },
    });
    const zoomSignature = `v0=${createHmac("sha256", t.zoom.running.context.webhookSecret)
      .update(`v0:${now}:${zoomBody}`)
      .digest("hex")}`;
    const zoom = await t.app.request("/webhooks/zoom", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-zm-request-timestamp": String(now),
        "x-zm-signature": zoomSignature,
      },
      body: zoomBody,
    });
    expect({ status: zoom.status, body: await zoom.json() }).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_body" } },
    });
  });
});
