/** Unknown routes and wrong methods answer with the error envelope, inside /v1 and out. */
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

let t: TestApp;
let key: SigningKey;

beforeAll(async () => {
  const secret = randomSecret();
  key = secretKey(secret);
  t = await createTestApp({
    hosts: [{ id: "hr-portal", origins: ["https://hr.example.com"], secret, algorithms: ["HS256"] }],
  });
});
afterAll(() => t.close());

const token = () => signToken(key, portalClaims(t.clock, "hr-portal"));

describe("the error envelope", () => {
  it("answers POST /healthz with 405 and Allow", async () => {
    const response = await t.app.request("/healthz", { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(await response.json()).toEqual({
      error: { code: "method_not_allowed", message: expect.stringContaining("POST") },
    });
  });

  it("answers an unknown path with 404 not_found", async () => {
    const response = await t.app.request("/nowhere");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: "not_found", message: "No route for GET /nowhere." } });
  });

  it("asks for a token before saying whether a /v1 path exists", async () => {
    const response = await t.app.request("/v1/nowhere");
    expect(response.status).toBe(401);
    expect(((await response.json()) as any).error.code).toBe("token_missing");
  });

  it("answers an unknown /v1 path with 404 once authenticated", async () => {
    const response = await requestWithToken(t.app, "/v1/nowhere", await token());
    expect(response.status).toBe(404);
    expect(((await response.json()) as any).error.code).toBe("not_found");
  });

  it("answers DELETE /v1/me with 405 and Allow once authenticated", async () => {
    const response = await requestWithToken(t.app, "/v1/me", await token(), { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect(((await response.json()) as any).error.code).toBe("method_not_allowed");
  });
});
