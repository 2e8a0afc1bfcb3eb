/**
 * Prepared reads are prepared by the database itself: on PostgreSQL each is a
 * named statement, parsed and planned once per connection and only bound and
 * executed afterwards (store/prepared-read-postgres.ts); SQLite's statements
 * are prepared once by store/statement-cache.ts (its own test). On both, a
 * read handed a transaction still runs in it.
 */
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type DB, openDatabase } from "../../src/store/database.ts";
import { findUser } from "../../src/store/tenancy.ts";
import { createDatabaseWithOneCaller, dialectName, type TestDatabase, oneCallerScope } from "../support/database.ts";
import { movableClock } from "../support/hosts.ts";

let database: TestDatabase;
let single: DB;
const clock = movableClock();
const scope = oneCallerScope;
beforeEach(async () => {
  database = await createDatabaseWithOneCaller(clock);
  // One connection: what the read prepared is what the next query on the pool sees.
  single = openDatabase({ ...database.options, poolSize: 1 });
});
afterEach(async () => {
  await single.destroy();
  await database.close();
});

describe("prepared reads, prepared by the database", () => {
  it("run as a statement the connection keeps, answering each call with its own values", async () => {
    expect(await findUser(single, scope)).toMatchObject({ user_id: "u1", email: "u1@o1.example" });
    expect(await findUser(single, { ...scope, userId: "nobody" })).toBeUndefined();
    expect(await findUser(single, scope)).toMatchObject({ user_id: "u1" });
    if (dialectName === "postgres") {
      const { rows } = await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements where statement like '%"users"%'`.execute(single);
      expect(rows).toHaveLength(1);
      expect(rows[0]?.name).toMatch(/^tsunagu_read_\d+$/);
      expect(rows[0]?.statement).toMatch(/^select \* from "users" where/);
    }
  });

  it("run inside the transaction they are given, seeing its own writes", async () => {
    await single.transaction().execute(async (trx) => {
      await trx.updateTable("users").set({ email: "renamed@o1.example" }).where("user_id", "=", "u1").execute();
      expect(await findUser(trx, scope)).toMatchObject({ email: "renamed@o1.example" });
    });
    expect(await findUser(single, scope)).toMatchObject({ email: "renamed@o1.example" });
  });
});
