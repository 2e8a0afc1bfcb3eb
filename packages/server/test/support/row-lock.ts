/**
 * A row held locked by a connection of the test's own, as a long transaction of another writer would: the app's
 * writes of it wait for the lock and, past the app's statement timeout (PostgreSQL: the row, `for update`) or busy
 * timeout (SQLite: the whole database, `begin immediate`), fail as the database being unavailable.
 */
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { testDatabaseUrl } from "./database.ts";
import type { BaseTestApp } from "./test-app.ts";
import { sleep } from "./wait.ts";

export async function lockRowFor(
  t: Pick<BaseTestApp, "database" | "databaseOptions">,
  table: "interviews" | "scheduling_links",
  id: string,
  ms: number,
): Promise<void> {
  if (testDatabaseUrl) {
    await t.database.db.transaction().execute(async (trx) => {
      await sql`select id from ${sql.table(table)} where id = ${id} for update`.execute(trx);
      await sleep(ms);
    });
    return;
  }
  const other = new SQLite(t.databaseOptions.sqliteFile as string);
  try {
    other.exec("begin immediate");
    await sleep(ms);
    other.exec("rollback");
  } finally {
    other.close();
  }
}
