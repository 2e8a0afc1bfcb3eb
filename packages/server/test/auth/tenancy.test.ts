/**
 * Tenancy: a token for (host, org A) can never read or change the rows of
 * org B, nor of the same org id under another host.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUser, organisationExists } from "../../src/store/tenancy.ts";
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
let hrKey: SigningKey;
let otherKey: SigningKey;

beforeAll(async () => {
  const hrSecret = randomSecret();
  const otherSecret = randomSecret();
  hrKey = secretKey(hrSecret);
  otherKey = secretKey(otherSecret);
  t = await createTestApp({
    hosts: [
      { id: "hr-portal", origins: ["https://hr.example.com"], secret: hrSecret, algorithms: ["HS256"] },
      { id: "other-portal", origins: ["https://other.example.com"], secret: otherSecret, algorithms: ["HS256"] },
    ],
  });
});
afterAll(() => t.close());

async function me(key: SigningKey, iss: string, claims: Record<string, unknown>) {
  const response = await requestWithToken(t.app, "/v1/me", await signToken(key, portalClaims(t.clock, iss, claims)));
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const usersOf = (hostId: string, orgId: string) =>
  t.db
    .selectFrom("users")
    .selectAll()
    .where("host_id", "=", hostId)
    .where("org_id", "=", orgId)
    .orderBy("user_id")
    .execute();

describe("GET /v1/me records the caller within its own tenant", () => {
  it("creates the organisation and the user on first sight", async () => {
    const body = await me(hrKey, "hr-portal", { org: "acme", sub: "u-1", email: "aoi@acme.example", name: "Aoi" });
    expect(body).toMatchObject({ host: "hr-portal", org: "acme", user: "u-1", email: "aoi@acme.example", name: "Aoi" });
    expect(await organisationExists(t.db, { hostId: "hr-portal", orgId: "acme" })).toBe(true);
    const [user] = await usersOf("hr-portal", "acme");
    expect(user).toMatchObject({
      user_id: "u-1",
      email: "aoi@acme.example",
      name: "Aoi",
      role: "recruiter",
      locale: "ja",
      time_zone: "Asia/Tokyo",
    });
    expect(user?.first_seen_at).toBe(t.clock.now().toISOString());
  });

  it("keeps the same sub in two organisations as two users", async () => {
    await me(hrKey, "hr-portal", {
      org: "globex",
      sub: "u-1",
      email: "aoi@globex.example",
      name: "Aoi (Globex)",
      role: "admin",
    });
    const acme = await findUser(t.db, { hostId: "hr-portal", orgId: "acme", userId: "u-1" });
    const globex = await findUser(t.db, { hostId: "hr-portal", orgId: "globex", userId: "u-1" });
    expect(acme).toMatchObject({ email: "aoi@acme.example", role: "recruiter" });
    expect(globex).toMatchObject({ email: "aoi@globex.example", role: "admin" });
  });

  it("keeps the same org id under two hosts apart", async () => {
    await me(otherKey, "other-portal", {
      org: "acme",
      sub: "u-1",
      email: "someone@else.example",
      name: "Someone else",
    });
    expect((await findUser(t.db, { hostId: "hr-portal", orgId: "acme", userId: "u-1" }))?.email).toBe(
      "aoi@acme.example",
    );
    expect((await findUser(t.db, { hostId: "other-portal", orgId: "acme", userId: "u-1" }))?.email).toBe(
      "someone@else.example",
    );
    const organisations = await t.db
      .selectFrom("organisations")
      .select(["host_id", "org_id"])
      .orderBy("host_id")
      .orderBy("org_id")
      .execute();
    expect(organisations).toEqual([
      { host_id: "hr-portal", org_id: "acme" },
      { host_id: "hr-portal", org_id: "globex" },
      { host_id: "other-portal", org_id: "acme" },
    ]);
  });

  it("changes only the caller's own row when its profile changes", async () => {
    const globexBefore = await usersOf("hr-portal", "globex");
    const otherHostBefore = await usersOf("other-portal", "acme");
    t.clock.advance(3600);
    const body = await me(hrKey, "hr-portal", {
      org: "acme",
      sub: "u-1",
      email: "aoi.new@acme.example",
      name: undefined,
      locale: "en",
      role: "assistant",
    });
    expect(body).toEqual({
      host: "hr-portal",
      org: "acme",
      user: "u-1",
      role: "assistant",
      email: "aoi.new@acme.example",
      locale: "en",
      tz: "Asia/Tokyo",
    });

    const acme = await findUser(t.db, { hostId: "hr-portal", orgId: "acme", userId: "u-1" });
    expect(acme).toMatchObject({
      email: "aoi.new@acme.example",
      name: null,
      role: "assistant",
      locale: "en",
      last_seen_at: t.clock.now().toISOString(),
    });
    expect(acme?.first_seen_at).not.toBe(acme?.last_seen_at);
    expect(await usersOf("hr-portal", "globex")).toEqual(globexBefore);
    expect(await usersOf("other-portal", "acme")).toEqual(otherHostBefore);
  });

  it("answers /v1/me from the caller's scope only, whatever the other tenants hold", async () => {
    const globex = await me(hrKey, "hr-portal", {
      org: "globex",
      sub: "u-1",
      email: "aoi@globex.example",
      name: "Aoi (Globex)",
      role: "admin",
    });
    expect(globex).toMatchObject({ org: "globex", email: "aoi@globex.example", role: "admin" });
    const other = await me(otherKey, "other-portal", {
      org: "acme",
      sub: "u-1",
      email: "someone@else.example",
      name: "Someone else",
    });
    expect(other).toMatchObject({ host: "other-portal", email: "someone@else.example" });
  });

  it("cannot be steered into another tenant by claims that look like other scopes", async () => {
    // A portal's org or sub may contain anything; they are values in a parameterised query, never SQL.
    await me(hrKey, "hr-portal", { org: "acme' OR '1'='1", sub: "u-1' --", email: "x@acme.example" });
    expect((await findUser(t.db, { hostId: "hr-portal", orgId: "acme", userId: "u-1" }))?.email).toBe(
      "aoi.new@acme.example",
    );
    expect(await usersOf("hr-portal", "acme' OR '1'='1")).toHaveLength(1);
    expect(await findUser(t.db, { hostId: "other-portal", orgId: "globex", userId: "u-1" })).toBeUndefined();
  });

  it("records an organisation once however often its users call", async () => {
    for (const sub of ["u-2", "u-3", "u-2"])
      await me(hrKey, "hr-portal", { org: "acme", sub, email: `${sub}@acme.example` });
    const rows = await t.db
      .selectFrom("organisations")
      .selectAll()
      .where("host_id", "=", "hr-portal")
      .where("org_id", "=", "acme")
      .execute();
    expect(rows).toHaveLength(1);
    expect((await usersOf("hr-portal", "acme")).map((user) => user.user_id)).toEqual(["u-1", "u-2", "u-3"]);
  });
});
