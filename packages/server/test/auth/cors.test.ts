import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type SigningKey,
  portalClaims,
  randomSecret,
  requestWithToken,
  secretKey,
  signToken,
} from "../support/hosts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const hrOrigin = "https://hr.example.com";
const saiyoOrigin = "https://saiyo.example.jp";
const strangerOrigin = "https://evil.example.net";

let t: TestApp;
let hrKey: SigningKey;

beforeAll(async () => {
  const hrSecret = randomSecret();
  hrKey = secretKey(hrSecret);
  t = await createTestApp({
    hosts: [
      { id: "hr-portal", origins: [hrOrigin, "http://localhost:3000"], secret: hrSecret, algorithms: ["HS256"] },
      { id: "saiyo-portal", origins: [saiyoOrigin], secret: randomSecret(), algorithms: ["HS256"] },
    ],
  });
});
afterAll(() => t.close());

function preflight(origin: string, path = "/v1/me") {
  return t.app.request(path, {
    method: "OPTIONS",
    headers: {
      Origin: origin,
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": "authorization, idempotency-key",
    },
  });
}

const hrToken = () => signToken(hrKey, portalClaims(t.clock, "hr-portal"));
const corsHeaderNames = (response: Response) =>
  [...response.headers.keys()].filter((name) => name.startsWith("access-control-"));

describe("preflight", () => {
  it("answers a registered origin without a token", async () => {
    const response = await preflight(hrOrigin);
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(hrOrigin);
    expect(response.headers.get("access-control-allow-headers")).toBe(
      "Authorization, Content-Type, Idempotency-Key, X-Request-Id",
    );
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(response.headers.get("vary")).toContain("Origin");
  });

  it("answers every origin of every host, on any /v1 path", async () => {
    expect((await preflight("http://localhost:3000")).headers.get("access-control-allow-origin")).toBe(
      "http://localhost:3000",
    );
    expect((await preflight(saiyoOrigin, "/v1/interviews/123")).headers.get("access-control-allow-origin")).toBe(
      saiyoOrigin,
    );
  });

  it.each([
    [strangerOrigin],
    ["https://hr.example.com.evil.example"],
    ["http://hr.example.com"],
    ["https://hr.example.com:8443"],
    ["null"],
  ])("gives the unregistered origin %s no CORS headers", async (origin) => {
    const response = await preflight(origin);
    expect(response.status).toBe(403);
    expect(corsHeaderNames(response)).toEqual([]);
    expect(((await response.json()) as any).error.code).toBe("origin_not_allowed");
  });
});

describe("actual requests", () => {
  it("lets the token's own origin read the answer and the request id", async () => {
    const response = await requestWithToken(t.app, "/v1/me", await hrToken(), { origin: hrOrigin });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(hrOrigin);
    expect(response.headers.get("access-control-expose-headers")).toBe("X-Request-Id");
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(response.headers.get("vary")).toContain("Origin");
  });

  it("refuses a token used from another host's origin with 403, readable by that page", async () => {
    const response = await requestWithToken(t.app, "/v1/me", await hrToken(), { origin: saiyoOrigin });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: "origin_not_allowed", message: expect.stringContaining('"hr-portal"') },
    });
    expect(response.headers.get("access-control-allow-origin")).toBe(saiyoOrigin);
  });

  it("refuses a token used from an unregistered origin, without CORS headers", async () => {
    const response = await requestWithToken(t.app, "/v1/me", await hrToken(), { origin: strangerOrigin });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).error.code).toBe("origin_not_allowed");
    expect(corsHeaderNames(response)).toEqual([]);
  });

  it("does not record the caller when the origin is refused", async () => {
    const token = await signToken(hrKey, portalClaims(t.clock, "hr-portal", { org: "origin-test-org" }));
    await requestWithToken(t.app, "/v1/me", token, { origin: strangerOrigin });
    expect(
      await t.db.selectFrom("organisations").selectAll().where("org_id", "=", "origin-test-org").execute(),
    ).toEqual([]);
  });

  it("lets a registered page read a token refusal", async () => {
    const response = await requestWithToken(t.app, "/v1/me", undefined, { origin: hrOrigin });
    expect(response.status).toBe(401);
    expect(response.headers.get("access-control-allow-origin")).toBe(hrOrigin);
  });

  it("serves a server-to-server call (no Origin) without CORS headers", async () => {
    const response = await requestWithToken(t.app, "/v1/me", await hrToken());
    expect(response.status).toBe(200);
    expect(corsHeaderNames(response)).toEqual([]);
  });

  it("leaves /healthz alone", async () => {
    const response = await t.app.request("/healthz", { headers: { Origin: hrOrigin } });
    expect(response.status).toBe(200);
    expect(corsHeaderNames(response)).toEqual([]);
  });
});
