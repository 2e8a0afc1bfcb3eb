/**
 * The request front (issue 15): the request id, the security headers and the
 * log line in one middleware, the body limit and the NUL check in another.
 * Every answer carries the same security headers hono's `secureHeaders`
 * middleware set before (same options), the request id and a log line,
 * whether a route answered it or a refusal made before any route ran.
 */
import { gzipSync } from "node:zlib";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/auth/app-env.ts";
import { ApiError } from "../../src/errors.ts";
import { errorHandler } from "../../src/http/errors.ts";
import { requestFront } from "../../src/http/request-front.ts";
import { requestGuards } from "../../src/http/request-guards.ts";
import { securityHeaders } from "../../src/http/security-headers.ts";
import { createLogger } from "../../src/log.ts";
import { randomSecret, secretKey, signToken } from "../support/hosts.ts";
import { type Caller, callerClaims, createTestApp, originA, type TestApp } from "../support/test-app.ts";

const recruiter: Caller = { sub: "ken", org: "acme", role: "recruiter" };
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

/** The security headers of a response, names lower-cased. */
function securityHeadersOf(response: Response): Record<string, string | null> {
  return Object.fromEntries(
    [...securityHeaders.map(([name]) => name), "X-Powered-By", "Cross-Origin-Resource-Policy"].map((name) => [
      name.toLowerCase(),
      response.headers.get(name),
    ]),
  );
}

const expectedSecurityHeaders = Object.fromEntries([
  ...securityHeaders.map(([name, value]) => [name.toLowerCase(), value]),
  ["x-powered-by", null],
  ["cross-origin-resource-policy", null],
]);

/** A route that sets headers of its own, some of them security headers. */
function routeSettingHeaders(app: Hono<AppEnv>) {
  return app.get("/own", (c) => {
    c.header("X-Powered-By", "something");
    c.header("Referrer-Policy", "unsafe-url");
    c.header("X-Frame-Options", "ALLOWALL");
    return c.json({ ok: true });
  });
}

describe("security headers", () => {
  it("are what hono's secureHeaders sets (same options): a route's own replaced, X-Powered-By dropped", async () => {
    const hono = routeSettingHeaders(
      new Hono<AppEnv>().use(secureHeaders({ crossOriginResourcePolicy: false, crossOriginOpenerPolicy: false })),
    );
    const front = routeSettingHeaders(
      new Hono<AppEnv>().use(requestFront({ logger: createLogger({ level: "silent" }) })),
    );
    const expected = await hono.request("/own");
    const answer = await front.request("/own");
    const names = [...new Set([...expected.headers.keys(), ...answer.headers.keys()])].filter(
      (name) => name !== "x-request-id",
    );
    expect(Object.fromEntries(names.map((name) => [name, answer.headers.get(name)]))).toEqual(
      Object.fromEntries(names.map((name) => [name, expected.headers.get(name)])),
    );
    expect(securityHeadersOf(answer)).toEqual(expectedSecurityHeaders);
  });

  it("are on an API answer, a refusal by tokenAuth, a 404 and a 405, each with its request id", async () => {
    const answers = [
      await t.api(recruiter, "GET", "/v1/me"),
      await t.app.request("/v1/me", { headers: { Origin: originA } }),
      await t.app.request("/no/such/path"),
      await t.app.request("/healthz", { method: "DELETE" }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 401, 404, 405]);
    for (const answer of answers) {
      expect(securityHeadersOf(answer)).toEqual(expectedSecurityHeaders);
      expect(answer.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("refusals before any route", () => {
  const refusals: [
    name: string,
    send: () => Response | Promise<Response>,
    status: number,
    code: string,
    message?: RegExp,
  ][] = [
    ["a NUL in the path of a GET", () => t.app.request("/v1/me%00"), 400, "invalid_request"],
    ["a NUL in the query of a HEAD", () => t.app.request("/healthz?x=%00", { method: "HEAD" }), 400, ""],
    [
      "a NUL in the query of a POST",
      () => t.app.request("/v1/notifications?x=%00", { method: "POST", body: "{}" }),
      400,
      "invalid_request",
    ],
    [
      "a NUL in a POST body",
      () =>
        t.app.request("/v1/notifications", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: '{"a":"\\u0000"}',
        }),
      400,
      "invalid_body",
    ],
    [
      // Neither database keeps a lone surrogate (each writes U+FFFD): the answer would name what was not stored.
      "a lone UTF-16 surrogate in a POST body",
      () =>
        t.app.request("/v1/notifications", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: '{"userId":"ken","text":"a\\ud800b"}',
        }),
      400,
      "invalid_body",
      /surrogate/,
    ],
    [
      "a surrogate pair in a POST body, a character like any other",
      () =>
        t.app.request("/v1/notifications", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: '{"userId":"ken","text":"\\ud83d\\ude42"}',
        }),
      401,
      "token_missing",
    ],
    [
      // The server decodes no Content-Encoding: a gzipped body read as it came would be refused as holding a NUL.
      "a compressed POST body",
      () =>
        t.app.request("/v1/notifications", {
          method: "POST",
          headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
          body: gzipSync('{"userId":"ken","text":"hello"}'),
        }),
      400,
      "invalid_body",
      /Content-Encoding gzip/,
    ],
    [
      "a body over 256 KB",
      () => t.app.request("/v1/notifications?x=%00", { method: "POST", body: "x".repeat(256 * 1024 + 1) }),
      413,
      "payload_too_large",
    ],
  ];
  for (const [name, send, status, code, message] of refusals) {
    it(`answers ${name} with ${status} ${code || "(no body)"}, security headers, request id and log line`, async () => {
      const before = t.logLines.length;
      const answer = await send();
      expect(answer.status).toBe(status);
      if (code) {
        const { error } = (await answer.json()) as { error: { code: string; message: string } };
        expect(error.code).toBe(code);
        if (message) expect(error.message).toMatch(message);
      }
      expect(securityHeadersOf(answer)).toEqual(expectedSecurityHeaders);
      const requestId = answer.headers.get("x-request-id");
      expect(requestId).toBeTruthy();
      const logged = t.logLines.slice(before).map((line) => JSON.parse(line));
      expect(logged).toContainEqual(expect.objectContaining({ message: "request", requestId, status }));
    });
  }

  it("looks at nothing but the URL of a GET: the request is never built in full", async () => {
    const app = new Hono<AppEnv>();
    app.onError(errorHandler(createLogger({ level: "silent" })));
    app.use(requestGuards());
    app.get("/x", (c) => c.json({ ok: true }));
    let bodyAsked = 0;
    const request = new Request("http://localhost/x");
    const watched = new Proxy(request, {
      get(target, property) {
        if (property === "body") bodyAsked++;
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    expect((await app.fetch(watched)).status).toBe(200);
    expect(bodyAsked).toBe(0);
  });
});

describe("the log line of a refusal", () => {
  it("names the code that refused a host token signed with another key, never the token or the message", async () => {
    const token = await signToken(secretKey(randomSecret()), callerClaims(t.clock, recruiter));
    const before = t.logLines.length;
    const answer = await t.app.request("/v1/me", { headers: { authorization: `Bearer ${token}`, origin: originA } });
    expect(answer.status).toBe(401);
    const { error } = (await answer.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("token_signature");
    const logged = t.logLines.slice(before);
    expect(logged.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ message: "request", path: "/v1/me", status: 401, errorCode: "token_signature" }),
    );
    expect(logged.join("\n")).not.toContain(token);
    expect(logged.join("\n")).not.toContain(error.message);
  });

  it("names the origin a preflight was refused for, the one to register (the page sees a CORS failure)", async () => {
    const before = t.logLines.length;
    const origin = "http://127.0.0.1:5174";
    const answer = await t.app.request("/v1/me", {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });
    expect(answer.status).toBe(403);
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expect(t.logLines.slice(before).map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ method: "OPTIONS", status: 403, errorCode: "origin_not_allowed", origin }),
    );
  });

  it("has no code when the answer is not a refusal", async () => {
    const before = t.logLines.length;
    expect((await t.api(recruiter, "GET", "/v1/me")).status).toBe(200);
    const line = t.logLines
      .slice(before)
      .map((entry) => JSON.parse(entry))
      .find((entry) => entry.message === "request");
    expect(line).toMatchObject({ path: "/v1/me", status: 200, user: "ken" });
    expect(line).not.toHaveProperty("errorCode");
  });
});

describe("steps the front runs itself", () => {
  it("leaves the app's guards and CORS no layer of their own: the front and tokenAuth ahead of an API route", () => {
    const layers = (path: string) =>
      t.app.routes.filter((route) => route.path === path && route.method === "ALL").map((route) => route.handler.name);
    expect(layers("/*")).toEqual(["requestFrontMiddleware"]);
    expect(layers("/v1/*")).toEqual(["tokenAuthMiddleware"]);
  });

  /** An app whose front runs `steps`, with a route at /v1/x, /v1x and /other; what ran, in order. */
  function withSteps(steps: (ran: string[]) => Parameters<typeof requestFront>[0]["steps"]) {
    const ran: string[] = [];
    const lines: string[] = [];
    const logger = createLogger({ level: "info", write: (line) => lines.push(line) });
    const onError = errorHandler(logger);
    const app = new Hono<AppEnv>();
    app.onError(onError);
    app.use(requestFront({ logger, steps: steps(ran), onError }));
    for (const path of ["/v1", "/v1/x", "/v1x", "/other"])
      app.get(path, (c) => {
        ran.push(`route ${path}`);
        return c.json({ ok: true });
      });
    return { app, ran, lines };
  }

  it("runs its steps in order, a step under a path only for that path and below it", async () => {
    const { app, ran } = withSteps((ran) => [
      {
        middleware: (_c, next) => {
          ran.push("every");
          return next();
        },
      },
      {
        path: "/v1",
        middleware: (_c, next) => {
          ran.push("under /v1");
          return next();
        },
      },
    ]);
    for (const path of ["/v1", "/v1/x", "/v1x", "/other"]) expect((await app.request(path)).status).toBe(200);
    expect(ran).toEqual([
      ...["every", "under /v1", "route /v1"],
      ...["every", "under /v1", "route /v1/x"],
      ...["every", "route /v1x"],
      ...["every", "route /other"],
    ]);
  });

  it("answers what a step throws as the app's error handler does, with the front's headers and log line", async () => {
    const { app, ran, lines } = withSteps(() => [
      {
        middleware: () => {
          throw new ApiError(403, "origin_not_allowed", "Not this one.");
        },
      },
    ]);
    const answer = await app.request("/v1/x");
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({ error: { code: "origin_not_allowed", message: "Not this one." } });
    expect(securityHeadersOf(answer)).toEqual(expectedSecurityHeaders);
    const requestId = answer.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ran).toEqual([]);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        message: "request",
        requestId,
        path: "/v1/x",
        status: 403,
        errorCode: "origin_not_allowed",
      }),
    ]);
  });

  it("keeps the answer a step sets by itself; the route does not run", async () => {
    const { app, ran } = withSteps(() => [
      {
        middleware: (c) => {
          c.res = c.body(null, 204, { "X-Own": "yes" });
          return Promise.resolve();
        },
      },
    ]);
    const answer = await app.request("/v1/x");
    expect(answer.status).toBe(204);
    expect(answer.headers.get("x-own")).toBe("yes");
    expect(securityHeadersOf(answer)).toEqual(expectedSecurityHeaders);
    expect(ran).toEqual([]);
  });
});
