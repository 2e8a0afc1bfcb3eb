/**
 * `GET /v1/me` answers from the verified token: what the portal says about
 * its user now, even when another server process rewrote the user's row
 * from a different token meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUser } from "../../src/store/tenancy.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const caller = { sub: "aoi", org: "sakura", role: "recruiter" } as const;

describe("GET /v1/me", () => {
  it("answers the token's claims, though another process wrote another profile within the minute", async () => {
    const first = await t.api(caller, "GET", "/v1/me");
    expect(first.status).toBe(200);
    const said = await first.json();
    expect(said).toMatchObject({ host: "portal-a", org: "sakura", user: "aoi", role: "recruiter" });
    // Another process, given an older token of the same user, wrote what that token said.
    await t.database.db
      .updateTable("users")
      .set({ name: "Old name", email: "old@sakura.example", role: "guest" })
      .where("user_id", "=", "aoi")
      .execute();
    t.clock.advance(10);
    const again = await t.api(caller, "GET", "/v1/me");
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(said);
    expect(await findUser(t.db, { hostId: "portal-a", orgId: "sakura", userId: "aoi" })).toBeDefined();
  });
});
