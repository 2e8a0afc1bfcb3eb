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

describe("withStatementCache: reads without Kysely's queue", () => {
  /** The cache over a file with one table, the statements it runs recorded, a second connection (another process). */
  function withFile() {
    const dir = mkdtempSync(join(tmpdir(), "tsunagu-statements-"));
    dirs.push(dir);
    const file = join(dir, "db.sqlite");
    const sqlite = new SQLite(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec("create table items (id integer primary key, name text not null)");
    sqlite.exec("insert into items values (1, 'one'), (2, 'two')");
    const ran: string[] = [];
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((text: string) => {
      const statement = prepare(text);
      for (const method of ["run", "all"] as const) {
        const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
        (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          ran.push(text);
          return original(...args);
        };
      }
      return statement;
    }) as typeof sqlite.prepare;
    const other = new SQLite(file);
    const cache = withStatementCache(sqlite);
    const cleanup = () => {
      other.close();
      cache.close();
    };
    return { sqlite, other, cache, ran, cleanup };
  }
  const byId = "select name from items where id = ?";
  /**
   * What each read answered, each asked in a callback of its own, all in one turn (as the requests of several
   * connections over HTTP): the first runs at once, the others at the turn's end.
   */
  function askedInOneTurn<T>(...asks: (() => T)[]): Promise<T[]> {
    return new Promise((resolve, reject) => {
      const answers: T[] = [];
      for (const ask of asks)
        setImmediate(() => {
          try {
            answers.push(ask());
          } catch (error) {
            reject(error);
          }
          if (answers.length === asks.length) resolve(answers);
        });
    });
  }

  it("runs a turn's first read at once, its later callbacks' reads together in one read transaction", async () => {
    const { sqlite, cache, ran, cleanup } = withFile();
    const [first, ...reads] = await askedInOneTurn(
      () => cache.readWhenIdle(byId, [1]),
      () => cache.readWhenIdle(byId, [2]),
      () => cache.readWhenIdle(byId, [3]),
      () => cache.readWhenIdle(byId, [1]),
    );
    expect(first).toEqual([{ name: "one" }]);
    expect(ran).toEqual([byId]);
    for (const read of reads) expect(read).toBeInstanceOf(Promise);
    expect(await Promise.all(reads)).toEqual([[{ name: "two" }], [], [{ name: "one" }]]);
    expect(ran).toEqual([byId, "BEGIN", byId, byId, byId, "COMMIT"]);
    expect(sqlite.inTransaction).toBe(false);
    // A read alone in its turn is a read transaction of its own, as before.
    ran.length = 0;
    expect(cache.readWhenIdle(byId, [2])).toEqual([{ name: "two" }]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual([byId]);
    cleanup();
  });

  it("runs the reads asked in the same callback as the turn's first at once, one after another", async () => {
    const { sqlite, cache, ran, cleanup } = withFile();
    expect(cache.readWhenIdle(byId, [1])).toEqual([{ name: "one" }]);
    expect(cache.readWhenIdle(byId, [2])).toEqual([{ name: "two" }]);
    // In a promise continuation of the same callback too (the next request through `app.request`).
    expect(await Promise.resolve().then(() => cache.readWhenIdle(byId, [3]))).toEqual([]);
    expect(ran).toEqual([byId, byId, byId]);
    expect(sqlite.inTransaction).toBe(false);
    cleanup();
  });

  it("sees what another connection committed after the read was asked for, before the turn ended", async () => {
    const { other, cache, cleanup } = withFile();
    const [first, ...reads] = await askedInOneTurn(
      () => cache.readWhenIdle(byId, [2]),
      () => cache.readWhenIdle(byId, [1]),
      () => {
        const read = cache.readWhenIdle(byId, [4]);
        other.prepare("update items set name = 'uno' where id = 1").run();
        return read;
      },
    );
    expect(first).toEqual([{ name: "two" }]);
    other.prepare("insert into items values (4, 'four')").run();
    expect(await Promise.all(reads)).toEqual([[{ name: "uno" }], [{ name: "four" }]]);
    // The other connection writes again at once: the read transaction ended, nothing holds its snapshot.
    other.prepare("update items set name = 'eins' where id = 1").run();
    expect(await cache.readWhenIdle(byId, [1])).toEqual([{ name: "eins" }]);
    cleanup();
  });

  it("fails only the read that failed; the others of its turn are answered", async () => {
    const { sqlite, cache, cleanup } = withFile();
    const [firstFailed, ...reads] = await askedInOneTurn(
      () => {
        try {
          return cache.readWhenIdle(byId, [1, 2]);
        } catch (error) {
          return error;
        }
      },
      () => cache.readWhenIdle(byId, [1]),
      () => cache.readWhenIdle(byId, [1, 2]),
      () => cache.readWhenIdle(byId, [2]),
    );
    expect(firstFailed).toBeInstanceOf(Error);
    const [first, failed, last] = await Promise.allSettled(reads);
    expect(first).toEqual({ status: "fulfilled", value: [{ name: "one" }] });
    expect(failed?.status).toBe("rejected");
    expect(last).toEqual({ status: "fulfilled", value: [{ name: "two" }] });
    expect(sqlite.inTransaction).toBe(false);
    cleanup();
  });

  it("answers undefined (queue behind the transaction) when a transaction is open then or now", async () => {
    const { sqlite, cache, ran, cleanup } = withFile();
    const [, asked] = await askedInOneTurn(
      () => cache.readWhenIdle(byId, [2]),
      () => cache.readWhenIdle(byId, [1]),
    );
    ran.length = 0;
    sqlite.exec("begin");
    sqlite.exec("update items set name = 'uncommitted' where id = 1");
    expect(cache.readWhenIdle(byId, [1])).toBeUndefined();
    expect(await asked).toBeUndefined();
    expect(ran).toEqual([]);
    sqlite.exec("rollback");
    expect(cache.readWhenIdle(byId, [1])).toEqual([{ name: "one" }]);
    cleanup();
  });
});
