/**
 * Prepared reads (store/prepared-read.ts) beside other queries: on SQLite
 * they skip Kysely's connection queue while no transaction is open, and
 * never read another request's uncommitted writes.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findUser } from "../../src/store/tenancy.ts";
import { createDatabaseWithOneCaller, type TestDatabase, oneCallerScope } from "../support/database.ts";
import { movableClock } from "../support/hosts.ts";

let database: TestDatabase;
const clock = movableClock();
const scope = oneCallerScope;
beforeEach(async () => {
  database = await createDatabaseWithOneCaller(clock);
});
afterEach(() => database.close());

/** Resolves when `gate()` is called: holds a connection or a transaction open as long as a test needs. */
function gate(): { opened: Promise<void>; open(): void } {
  const opener: { open?: () => void } = {};
  const opened = new Promise<void>((resolve) => {
    opener.open = resolve;
  });
  return { opened, open: () => opener.open?.() };
}

describe("prepared reads beside other queries", () => {
  it("answer while another query holds the connection outside a transaction", async () => {
    const release = gate();
    const held = database.db.connection().execute(() => release.opened);
    try {
      const read = findUser(database.db, scope);
      const outcome = await Promise.race([read, new Promise((resolve) => setTimeout(() => resolve("queued"), 2_000))]);
      expect(outcome).toMatchObject({ user_id: "u1", email: "u1@o1.example" });
    } finally {
      release.open();
      await held;
    }
  });

  it("never see the writes of a transaction still open, and see them once it commits", async () => {
    const commit = gate();
    let outside: Promise<unknown> | undefined;
    const transaction = database.db.transaction().execute(async (trx) => {
      await trx.updateTable("users").set({ email: "renamed@o1.example" }).where("user_id", "=", "u1").execute();
      outside = findUser(database.db, scope);
      await commit.opened;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const settledEarly = await Promise.race([outside, new Promise((resolve) => setTimeout(() => resolve("open"), 50))]);
    // SQLite queues the read behind the transaction; PostgreSQL answers the committed row at once.
    if (settledEarly !== "open") expect(settledEarly).toMatchObject({ email: "u1@o1.example" });
    commit.open();
    await transaction;
    expect(await outside).toMatchObject({ email: settledEarly === "open" ? "renamed@o1.example" : "u1@o1.example" });
    expect(await findUser(database.db, scope)).toMatchObject({ email: "renamed@o1.example" });
  });

  it("see a rolled-back transaction's writes nowhere", async () => {
    let outside: Promise<unknown> | undefined;
    await expect(
      database.db.transaction().execute(async (trx) => {
        await trx.updateTable("users").set({ email: "renamed@o1.example" }).where("user_id", "=", "u1").execute();
        outside = findUser(database.db, scope);
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await outside).toMatchObject({ email: "u1@o1.example" });
  });
});
