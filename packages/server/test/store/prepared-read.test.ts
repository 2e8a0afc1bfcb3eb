/**
 * preparedRead: a read compiled once per database, bound to each call's own
 * values by name, on SQLite and PostgreSQL (the test project decides).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isoNow } from "../../src/clock.ts";
import type { DB } from "../../src/store/database.ts";
import { preparedRead } from "../../src/store/prepared-read.ts";
import { type TestDatabase, createTestDatabase } from "../support/database.ts";
import { movableClock } from "../support/hosts.ts";

let database: TestDatabase;
let db: DB;

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
  const now = isoNow(movableClock());
  await db.insertInto("hosts").values({ id: "portal", created_at: now, updated_at: now }).execute();
  for (const org of ["acme", "umeda"])
    await db.insertInto("organisations").values({ host_id: "portal", org_id: org, created_at: now }).execute();
  for (const [org, user, email] of [
    ["acme", "ken", "ken@acme.example"],
    ["acme", "mika", "mika@acme.example"],
    ["umeda", "ken", "ken@umeda.example"],
  ] as const) {
    await db
      .insertInto("users")
      .values({
        host_id: "portal",
        org_id: org,
        user_id: user,
        email,
        name: null,
        role: "recruiter",
        locale: null,
        time_zone: null,
        first_seen_at: now,
        last_seen_at: now,
      })
      .execute();
  }
});
afterAll(() => database.close());

describe("preparedRead", () => {
  it("answers each call with its own values, whatever order the query names them in", async () => {
    // The where clauses name the values in another order than the list does.
    const userEmail = preparedRead(["userId", "hostId", "orgId"], (db, v) =>
      db
        .selectFrom("users")
        .select("email")
        .where("org_id", "=", v.orgId)
        .where("user_id", "=", v.userId)
        .where("host_id", "=", v.hostId),
    );
    expect(await userEmail(db, { hostId: "portal", orgId: "acme", userId: "ken" })).toEqual([
      { email: "ken@acme.example" },
    ]);
    expect(await userEmail(db, { hostId: "portal", orgId: "umeda", userId: "ken" })).toEqual([
      { email: "ken@umeda.example" },
    ]);
    expect(await userEmail(db, { hostId: "portal", orgId: "umeda", userId: "mika" })).toEqual([]);
    expect(await userEmail(db, { hostId: "other", orgId: "acme", userId: "ken" })).toEqual([]);
  });

  it("builds and compiles the query once per database, and reads the data as it is now", async () => {
    let built = 0;
    const emails = preparedRead(["orgId"], (db, v) => {
      built++;
      return db.selectFrom("users").select("email").where("org_id", "=", v.orgId).orderBy("user_id");
    });
    expect(await emails(db, { orgId: "acme" })).toEqual([
      { email: "ken@acme.example" },
      { email: "mika@acme.example" },
    ]);
    await db
      .updateTable("users")
      .set({ email: "mika@new.example" })
      .where("org_id", "=", "acme")
      .where("user_id", "=", "mika")
      .execute();
    expect(await emails(db, { orgId: "acme" })).toEqual([{ email: "ken@acme.example" }, { email: "mika@new.example" }]);
    expect(built).toBe(1);
  });

  it("refuses a query that binds a value it was not given a name for", async () => {
    const careless = preparedRead(["orgId"], (db, v) =>
      db.selectFrom("users").select("email").where("org_id", "=", v.orgId).where("user_id", "=", "ken"),
    );
    await expect(careless(db, { orgId: "acme" })).rejects.toThrow(/binds a value that is none of orgId/);
  });
});
