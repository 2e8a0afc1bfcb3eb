import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { withStatementCache } from "../../src/store/statement-cache.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function counted(size?: number) {
  const dir = mkdtempSync(join(tmpdir(), "tsunagu-statements-"));
  dirs.push(dir);
  const sqlite = new SQLite(join(dir, "db.sqlite"));
  const prepared: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((text: string) => {
    prepared.push(text);
    return prepare(text);
  }) as typeof sqlite.prepare;
  const db = new Kysely<{ items: { id: number; name: string } }>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite, size) }),
  });
  return { db, prepared };
}

describe("withStatementCache", () => {
  it("prepares a query's SQL once and runs it again with each call's own parameters and the current data", async () => {
    const { db, prepared } = counted();
    await sql`create table items (id integer primary key, name text not null)`.execute(db);
    for (const [id, name] of [
      [1, "one"],
      [2, "two"],
    ] as const)
      await db.insertInto("items").values({ id, name }).execute();
    const find = (id: number) => db.selectFrom("items").select("name").where("id", "=", id).executeTakeFirst();

    expect(await find(1)).toEqual({ name: "one" });
    expect(await find(2)).toEqual({ name: "two" });
    await db.updateTable("items").set({ name: "uno" }).where("id", "=", 1).execute();
    expect(await find(1)).toEqual({ name: "uno" });
    expect(await find(3)).toBeUndefined();

    const selects = prepared.filter((text) => text.startsWith("select"));
    expect(selects).toHaveLength(1);
    expect(prepared.filter((text) => text.startsWith("insert"))).toHaveLength(1);
    await db.destroy();
  });

  it("keeps at most `size` statements, dropping the one prepared longest ago", async () => {
    const { db, prepared } = counted(2);
    const select = (n: number) => sql`select ${sql.lit(n)} as n`.execute(db);
    await select(1);
    await select(2);
    await select(3); // evicts "select 1"
    await select(3);
    await select(1);
    expect(prepared).toEqual(["select 1 as n", "select 2 as n", "select 3 as n", "select 1 as n"]);
    await db.destroy();
  });
});
