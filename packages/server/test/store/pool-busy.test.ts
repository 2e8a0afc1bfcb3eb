/**
 * Load told from outage: a query that waits past the pool's connect timeout while every pooled PostgreSQL connection
 * is checked out by other work answers 503 `server_busy` (the server is overloaded, the database answers), whereas a
 * connection that cannot be made stays 503 `database_unavailable`, also when the pool is full of clients still
 * connecting to a database that does not answer (the same pg-pool error as a busy wait: store/database.ts). SQLite has
 * no pool: a held database (another writer's lock past the busy timeout) is `database_unavailable` there.
 */
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatabaseBusyError, DatabaseUnavailableError } from "../../src/store/availability.ts";
import { openDatabase } from "../../src/store/database.ts";
import { dialectName } from "../support/database.ts";
import { portalClaims, randomSecret, secretKey, signToken } from "../support/hosts.ts";
import { startTcpProxy } from "../support/tcp-proxy.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const origin = "https://portal.example";
const hostSecret = randomSecret();

describe("a request while the app's database is held by other work", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      hosts: [{ id: "portal-a", origins: [origin], secret: hostSecret, algorithms: ["HS256"] }],
      // One pooled connection, waited for 3 s (time to open one on a loaded machine); SQLite waits for its lock 0.3 s.
      pool: (options) => ({ ...options, poolSize: 1, connectTimeoutMs: 3_000, busyTimeoutMs: 300 }),
    });
  });
  afterAll(() => t.close());

  async function me(sub: string): Promise<Response> {
    const token = await signToken(secretKey(hostSecret), portalClaims(t.clock, "portal-a", { sub, org: "sakura" }));
    return t.app.request("/v1/me", { headers: { authorization: `Bearer ${token}`, origin } });
  }

  /**
   * PostgreSQL: a transaction of the app's own pool holds its only connection. SQLite: another connection holds the
   * write lock (the app's one connection is never pooled).
   */
  async function holdDatabase(): Promise<{ release(): Promise<void> }> {
    if (dialectName === "sqlite") {
      const locker = new SQLite(t.databaseOptions.sqliteFile!);
      locker.exec("begin immediate");
      return {
        release: async () => {
          locker.exec("rollback");
          locker.close();
        },
      };
    }
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held!: () => void;
    const inHand = new Promise<void>((resolve) => {
      held = resolve;
    });
    const transaction = t.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      held();
      await released;
    });
    await inHand;
    return {
      release: async () => {
        release();
        await transaction;
      },
    };
  }

  it("answers 503 server_busy with Retry-After on PostgreSQL (database_unavailable on SQLite), then 200", async () => {
    expect((await me("ken")).status).toBe(200);
    const hold = await holdDatabase();
    let answer: Response;
    let query: unknown;
    try {
      // A user the app has not seen: hostAuth reads (a prepared read), then writes their row.
      answer = await me("aiko");
      // A Kysely query waits for its connection the same way.
      query = await t.db
        .insertInto("hosts")
        .values({ id: "h-busy", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" })
        .execute()
        .catch((error: unknown) => error);
    } finally {
      await hold.release();
    }
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    if (dialectName === "postgres") {
      expect(await answer.json()).toEqual({
        error: { code: "server_busy", message: expect.stringMatching(/overloaded/) },
      });
      expect(query).toBeInstanceOf(DatabaseBusyError);
    } else {
      expect(await answer.json()).toEqual({ error: { code: "database_unavailable", message: expect.any(String) } });
      expect(query).toBeInstanceOf(DatabaseUnavailableError);
      expect(query).not.toBeInstanceOf(DatabaseBusyError);
    }
    expect((await me("aiko")).status).toBe(200);
  });

  it("answers /healthz 503 server_busy while the pool is held (PostgreSQL; SQLite still reads)", async () => {
    const hold = await holdDatabase();
    let answer: Response;
    try {
      answer = await t.app.request("/healthz");
    } finally {
      await hold.release();
    }
    if (dialectName === "postgres") {
      expect(answer.status).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("5");
      expect(await answer.json()).toEqual({
        error: { code: "server_busy", message: expect.stringMatching(/busy/) },
        status: "busy",
        sandbox: false,
      });
    } else {
      // WAL: another connection's write lock never stops a read, so the database answers.
      expect(answer.status).toBe(200);
    }
    expect(await (await t.app.request("/healthz")).json()).toEqual({ status: "ok", database: "ok", sandbox: false });
  });
});

// SQLite has no connection to lose: its outage (a held lock) is in database-unavailable.test.ts.
if (dialectName === "postgres") {
  describe("/healthz when PostgreSQL cannot be reached", () => {
    it("answers 503 database_unavailable with Retry-After, not server_busy, then 200 once it is back", async () => {
      const proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
      const t = await createTestApp({
        hosts: [{ id: "portal-a", origins: [origin], secret: hostSecret, algorithms: ["HS256"] }],
        // The app's one pooled connection goes through the relay; it waits for a connection as long as above.
        pool: (options) => ({
          ...options,
          databaseUrl: proxy.route(options.databaseUrl!),
          poolSize: 1,
          connectTimeoutMs: 3_000,
        }),
      });
      try {
        expect((await t.app.request("/healthz")).status).toBe(200);
        for (const mode of ["refuse", "hang"] as const) {
          await proxy.cut(mode);
          const answer = await t.app.request("/healthz");
          expect(answer.status).toBe(503);
          expect(answer.headers.get("retry-after")).toBe("5");
          expect(await answer.json()).toEqual({
            error: { code: "database_unavailable", message: expect.any(String) },
            status: "down",
            sandbox: false,
          });
          await proxy.restore();
          expect((await t.app.request("/healthz")).status).toBe(200);
        }
      } finally {
        await t.close();
        await proxy.close();
      }
    });
  });
}

describe("a PostgreSQL pool full of clients still connecting", () => {
  it("is an outage: the waiter's pool timeout stays DatabaseUnavailableError, not DatabaseBusyError", async () => {
    // The relay accepts connections and never answers them: no database needs to be behind it.
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    await proxy.cut("hang");
    const db = openDatabase({
      databaseUrl: proxy.route("postgres://tsunagu:tsunagu@127.0.0.1:5432/tsunagu_test"),
      poolSize: 1,
      connectTimeoutMs: 300,
    });
    try {
      // The first query's client takes the pool's one place while it connects; the second waits in the queue.
      const [connecting, waiting] = await Promise.all([
        sql`select 1`.execute(db).catch((error: unknown) => error),
        sql`select 1`.execute(db).catch((error: unknown) => error),
      ]);
      for (const error of [connecting, waiting]) {
        expect(error).toBeInstanceOf(DatabaseUnavailableError);
        expect(error).not.toBeInstanceOf(DatabaseBusyError);
      }
      // The waiter got pg-pool's own wait timeout, the error a busy pool gives too.
      expect(((waiting as Error).cause as Error).message).toBe("timeout exceeded when trying to connect");
    } finally {
      await db.destroy();
      await proxy.close();
    }
  });
});
