import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireRole } from "../../src/auth/middleware.ts";
import type { HostRole } from "../../src/auth/host-token.ts";
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
  // Guarded routes on the real app, behind the real /v1 middleware.
  t.app.get("/v1/test/admin-only", requireRole("admin"), (c) => c.json({ ok: true, role: c.get("caller").role }));
  t.app.get("/v1/test/schedulers", requireRole("admin", "recruiter", "assistant"), (c) => c.json({ ok: true }));
});
afterAll(() => t.close());

async function call(path: string, role: HostRole) {
  const response = await requestWithToken(
    t.app,
    path,
    await signToken(key, portalClaims(t.clock, "hr-portal", { role })),
  );
  return { status: response.status, body: (await response.json()) as any };
}

describe("requireRole", () => {
  it("lets an admin through to an admin-only route", async () => {
    expect(await call("/v1/test/admin-only", "admin")).toEqual({ status: 200, body: { ok: true, role: "admin" } });
  });

  it.each([["recruiter"], ["assistant"], ["guest"]] as const)(
    "refuses %s on an admin-only route, naming the role needed",
    async (role) => {
      const { status, body } = await call("/v1/test/admin-only", role);
      expect(status).toBe(403);
      expect(body).toEqual({
        error: { code: "forbidden_role", message: `This needs the admin role; the caller is ${role}.` },
      });
    },
  );

  it("accepts any of several roles and names them all when refusing", async () => {
    expect((await call("/v1/test/schedulers", "assistant")).status).toBe(200);
    const { status, body } = await call("/v1/test/schedulers", "guest");
    expect(status).toBe(403);
    expect(body.error.message).toBe("This needs one of the roles admin, recruiter, assistant; the caller is guest.");
  });

  it("never runs for an unauthenticated request: the token check comes first", async () => {
    const response = await requestWithToken(t.app, "/v1/test/admin-only", undefined);
    expect(response.status).toBe(401);
  });

  it("refuses to be built without roles or with an unknown role", () => {
    expect(() => requireRole()).toThrow(/at least one role/);
    expect(() => requireRole("owner" as HostRole)).toThrow(/unknown role/);
  });
});
