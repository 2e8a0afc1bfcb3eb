/**
 * The answer's headers written once (issue 15, http/answer-headers.ts): a
 * plain JSON answer is built with Content-Type, CORS, the security headers and
 * the request id in one plain record, which the Node adapter writes as it is;
 * every other answer gets them set afterwards. Either way the same headers,
 * over the wire too, with no line twice. And routing by hono's RegExpRouter:
 * nothing the app registers makes it fall back to the TrieRouter.
 */
import { request as httpRequest } from "node:http";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../src/auth/app-env.ts";
import { hostCors } from "../../src/auth/cors.ts";
import { securityHeaders } from "../../src/http/security-headers.ts";
import { type Caller, createTestApp, originA, type TestApp } from "../support/test-app.ts";

const recruiter: Caller = { sub: "ken", org: "acme", role: "recruiter" };
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ serve: true });
});
afterAll(async () => {
  await t.close();
});

const security = Object.fromEntries(securityHeaders.map(([name, value]) => [name.toLowerCase(), value]));
const allowedCors = {
  vary: "Origin",
  "access-control-allow-origin": originA,
  "access-control-expose-headers": "X-Request-Id",
};

/** An answer's header lines as the server wrote them: names lower-cased, in order, repeated names kept. */
function rawAnswer(
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; lines: [string, string][]; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(`${t.baseUrl}${path}`, { method: options.method ?? "GET", headers: options.headers });
    sent.on("response", (answer) => {
      let body = "";
      answer.setEncoding("utf8");
      answer.on("data", (chunk: string) => (body += chunk));
      answer.on("end", () => {
        const lines: [string, string][] = [];
        for (let index = 0; index < answer.rawHeaders.length; index += 2)
          lines.push([answer.rawHeaders[index]!.toLowerCase(), answer.rawHeaders[index + 1]!]);
        resolve({ status: answer.statusCode ?? 0, lines, body });
      });
    });
    sent.on("error", reject);
    sent.end();
  });
}

/** The lines without those Node adds to every answer (date, connection, keep-alive). */
const ownLines = (lines: [string, string][]) =>
  lines.filter(([name]) => !["date", "connection", "keep-alive"].includes(name));

describe("over HTTP, every answer carries its headers once", () => {
  it("a 200 JSON answer from an allowed origin: Content-Type, length, CORS, security headers, request id", async () => {
    const token = await t.token(recruiter);
    const answer = await rawAnswer("/v1/me", {
      headers: { authorization: `Bearer ${token}`, origin: originA, "x-request-id": "answer-headers-0001" },
    });
    expect(answer.status).toBe(200);
    const lines = ownLines(answer.lines);
    expect(new Set(lines.map(([name]) => name)).size).toBe(lines.length);
    expect(Object.fromEntries(lines)).toEqual({
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(answer.body)),
      ...allowedCors,
      ...security,
      "x-request-id": "answer-headers-0001",
    });
    expect(JSON.parse(answer.body)).toMatchObject({ user: "ken", org: "acme" });
  });

  it("a 401 with WWW-Authenticate, a 404 and a 405 under /v1: the same headers around each refusal", async () => {
    const token = await t.token(recruiter);
    const cases: [path: string, method: string, headers: Record<string, string>, status: number, own: object][] = [
      ["/v1/me", "GET", { origin: originA }, 401, { "www-authenticate": 'Bearer realm="tsunagu"' }],
      ["/v1/no-such-thing", "GET", { origin: originA, authorization: `Bearer ${token}` }, 404, {}],
      ["/v1/me", "DELETE", { origin: originA, authorization: `Bearer ${token}` }, 405, { allow: "GET, HEAD, OPTIONS" }],
    ];
    for (const [path, method, headers, status, own] of cases) {
      const answer = await rawAnswer(path, { method, headers });
      expect(answer.status).toBe(status);
      const lines = ownLines(answer.lines);
      expect(new Set(lines.map(([name]) => name)).size).toBe(lines.length);
      const fields = Object.fromEntries(lines);
      expect(fields).toEqual({
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(answer.body)),
        ...own,
        ...allowedCors,
        ...security,
        "x-request-id": fields["x-request-id"],
      });
      expect(fields["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(answer.body).error.code).toMatch(/^[a-z_]+$/);
    }
  });

  it("a CORS preflight: the preflight's own headers, the security headers and a request id", async () => {
    const answer = await rawAnswer("/v1/me", {
      method: "OPTIONS",
      headers: { origin: originA, "access-control-request-method": "GET" },
    });
    expect(answer.status).toBe(204);
    const fields = Object.fromEntries(ownLines(answer.lines));
    expect(fields).toEqual({
      "access-control-allow-origin": originA,
      "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE",
      "access-control-allow-headers": "Authorization, Content-Type, Idempotency-Key, X-Request-Id",
      "access-control-max-age": "600",
      vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
      ...security,
      "x-request-id": fields["x-request-id"],
    });
  });

  it("an answer outside /v1 and without an Origin: no CORS header, the security headers and a request id", async () => {
    const answer = await rawAnswer("/healthz");
    expect(answer.status).toBe(200);
    const fields = Object.fromEntries(ownLines(answer.lines));
    expect(Object.keys(fields).filter((name) => name.startsWith("access-control-") || name === "vary")).toEqual([]);
    expect(fields).toMatchObject({ ...security, "content-type": "application/json" });
    expect(fields["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves the scheduling-link page's script at /s-assets/page.js, with the security headers", async () => {
    const answer = await rawAnswer("/s-assets/page.js");
    expect(answer.status).toBe(200);
    const fields = Object.fromEntries(ownLines(answer.lines));
    expect(fields["content-type"]).toContain("javascript");
    expect(fields).toMatchObject(security);
    expect(answer.body.length).toBeGreaterThan(0);
  });
});

describe("a plain JSON answer is built once, with every header in one plain record", () => {
  it("hands the response its headers as a plain object holding CORS, security headers and the request id", async () => {
    const built: unknown[] = [];
    const Original = globalThis.Response;
    vi.stubGlobal(
      "Response",
      class extends Original {
        constructor(body?: ConstructorParameters<typeof Response>[0], init?: ResponseInit) {
          super(body, init);
          built.push(init?.headers);
        }
      },
    );
    try {
      const answer = await t.api(recruiter, "GET", "/v1/me", undefined, {
        headers: { "x-request-id": "answer-headers-0002" },
      });
      expect(answer.status).toBe(200);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(built).toEqual([
      {
        "content-type": "application/json",
        ...allowedCors,
        ...security,
        "x-request-id": "answer-headers-0002",
      },
    ]);
  });
});

describe("CORS without the request front", () => {
  it("sets Vary and the allow/expose pair on the answer itself, as before", async () => {
    const app = new Hono<AppEnv>().use(hostCors({ hosts: t.hosts })).get("/x", (c) => c.json({ ok: true }));
    const allowed = await app.request("/x", { headers: { Origin: originA } });
    expect(Object.fromEntries(allowed.headers)).toEqual({ "content-type": "application/json", ...allowedCors });
    const stranger = await app.request("/x", { headers: { Origin: "https://stranger.example" } });
    expect(Object.fromEntries(stranger.headers)).toEqual({ "content-type": "application/json", vary: "Origin" });
  });
});

describe("routing", () => {
  it("is hono's RegExpRouter: no registered path makes the app fall back to the TrieRouter", async () => {
    expect((await t.app.request("/healthz")).status).toBe(200);
    expect(t.app.router.name).toBe("SmartRouter + RegExpRouter");
  });

  it("answers a path two registered paths match for the first registered, as the catch-all routes did", async () => {
    // /v1/oauth/flows/start is both POST /v1/oauth/:provider/start and GET /v1/oauth/flows/:flow.
    const answer = await t.api(recruiter, "DELETE", "/v1/oauth/flows/start");
    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")).toBe("POST, OPTIONS");
  });
});
