/**
 * Issue 7, item 1, at the level of the app and the worker: which errors count
 * as "the database is unavailable" (store/availability.ts), what the real app
 * answers when a write waits past the database's limit, and the webhook
 * delivery worker carrying on through a failing database. Runs on SQLite and
 * PostgreSQL; each with its own way of making the database fail.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HostRegistry, loadHostRegistry, syncHostsToDatabase } from "../../src/auth/host-registry.ts";
import { createLogger, type Logger, silentLogger } from "../../src/log.ts";
import { ProviderError } from "../../src/providers/errors.ts";
import {
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  isTransientDatabaseFault,
} from "../../src/store/availability.ts";
import { sql } from "kysely";
import { type DB, type DatabaseOptions, migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { createWebhookDelivery } from "../../src/webhooks/delivery.ts";
import { emitConnectionEvent } from "../../src/webhooks/outbox.ts";
import { createTestDatabase, type TestDatabase, testDatabaseUrl } from "../support/database.ts";
import { portalClaims, randomSecret, secretKey, signToken, temporaryHostsFile } from "../support/hosts.ts";
import { freePort } from "../support/server-process.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";
import { type Receiver, startReceiver } from "../support/webhook-receiver.ts";

const origin = "https://portal.example";
const hostSecret = randomSecret();
const systemClock = { now: () => new Date() };

/** A driver error as it is thrown, with a code. */
function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe("which database errors mean unavailable", () => {
  it("counts lost and refused connections, server shutdowns and SQLite locks", () => {
    for (const error of [
      coded("terminating connection due to administrator command", "57P01"),
      coded("the database system is shutting down", "57P03"),
      coded("connection failure", "08006"),
      coded("canceling statement due to statement timeout", "57014"),
      coded("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      coded("read ECONNRESET", "ECONNRESET"),
      new Error("Connection terminated unexpectedly"),
      new Error("Connection terminated due to connection timeout", {
        cause: new Error("Connection terminated unexpectedly"),
      }),
      new Error("timeout exceeded when trying to connect"),
      new Error("Client has encountered a connection error and is not queryable"),
      new AggregateError([
        coded("connect ECONNREFUSED ::1:5432", "ECONNREFUSED"),
        coded("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED"),
      ]),
      coded("database is locked", "SQLITE_BUSY"),
      coded("database is locked", "SQLITE_BUSY_SNAPSHOT"),
      coded("database table is locked", "SQLITE_LOCKED"),
      coded("disk I/O error", "SQLITE_IOERR_WRITE"),
    ]) {
      expect(isTransientDatabaseFault(error), error.message).toBe(true);
    }
  });

  it("leaves constraint errors and bugs alone", () => {
    for (const error of [
      coded("duplicate key value violates unique constraint", "23505"),
      coded("UNIQUE constraint failed: accounts.id", "SQLITE_CONSTRAINT_UNIQUE"),
      coded("syntax error", "42601"),
      new TypeError("x is undefined"),
      "a string",
    ]) {
      expect(isTransientDatabaseFault(error)).toBe(false);
    }
  });

  it("answers unavailable only for errors that came out of the database driver", () => {
    const refused = coded("connect ECONNREFUSED 127.0.0.1:443", "ECONNREFUSED");
    // The same socket error from a provider call is the provider's, not the database's.
    expect(isDatabaseUnavailable(refused)).toBe(false);
    expect(
      isDatabaseUnavailable(
        new ProviderError("zoom", 0, "network", "Zoom did not answer", {
          cause: new TypeError("fetch failed", { cause: refused }),
        }),
      ),
    ).toBe(false);
    expect(isDatabaseUnavailable(new DatabaseUnavailableError(refused))).toBe(true);
    expect(isDatabaseUnavailable(new Error("linking failed", { cause: new DatabaseUnavailableError(refused) }))).toBe(
      true,
    );
  });

  it("turns a real refused PostgreSQL connection or a busy SQLite database into DatabaseUnavailableError", async () => {
    const closedPort = await freePort();
    const unreachable = openDatabase({
      databaseUrl: `postgres://tsunagu:tsunagu@127.0.0.1:${closedPort}/tsunagu_test`,
      connectTimeoutMs: 2_000,
    });
    const refused = await unreachable
      .selectFrom("hosts")
      .selectAll()
      .execute()
      .catch((error: unknown) => error);
    await unreachable.destroy();
    expect(refused).toBeInstanceOf(DatabaseUnavailableError);
    expect((refused as DatabaseUnavailableError).code).toBe("ECONNREFUSED");

    const database = await createTestDatabase();
    try {
      if (database.options.sqliteFile) {
        const locker = new SQLite(database.options.sqliteFile);
        const impatient = openDatabase({ ...database.options, busyTimeoutMs: 20 });
        locker.exec("begin immediate");
        const busy = await impatient
          .deleteFrom("webhook_outbox")
          .execute()
          .catch((error: unknown) => error);
        locker.exec("rollback");
        locker.close();
        await impatient.destroy();
        expect(busy).toBeInstanceOf(DatabaseUnavailableError);
        expect((busy as DatabaseUnavailableError).code).toBe("SQLITE_BUSY");
      }
      // A constraint error keeps its own type and code, on either database.
      const duplicate = await database.db
        .insertInto("hosts")
        .values([hostRow("twice"), hostRow("twice")])
        .execute()
        .catch((error: unknown) => error);
      expect(duplicate).not.toBeInstanceOf(DatabaseUnavailableError);
      expect(String((duplicate as { code?: unknown }).code)).toMatch(/^(23505|SQLITE_CONSTRAINT)/);
    } finally {
      await database.close();
    }
  });
});

describe("the database's wait limits", () => {
  it(
    "are those configured, and migrating (which lifts PostgreSQL's statement_timeout for itself) leaves them in " +
      "place",
    async () => {
      const database = await createTestDatabase();
      // One connection: the one the migration ran on is the one asked afterwards.
      const db = openDatabase({ ...database.options, poolSize: 1, statementTimeoutMs: 1234, busyTimeoutMs: 1234 });
      try {
        await migrateToLatest(db);
        const setting = testDatabaseUrl
          ? (await sql<{ statement_timeout: string }>`show statement_timeout`.execute(db)).rows[0]?.statement_timeout
          : (await sql<{ timeout: number }>`select timeout from pragma_busy_timeout`.execute(db)).rows[0]?.timeout;
        expect(String(setting)).toMatch(/^1234(ms)?$/);
      } finally {
        await db.destroy();
        await database.close();
      }
    },
  );
});

if (testDatabaseUrl)
  describe("a PostgreSQL connection that goes silent (a partition: no answer, no reset)", () => {
    it("fails the query waiting on it as unavailable after the answer timeout, and the next query runs", async () => {
      const database = await createTestDatabase();
      const target = new URL(testDatabaseUrl!);
      const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const lines: string[] = [];
      const logger = createLogger({ level: "warn", write: (line) => lines.push(line) });
      const db = openDatabase({
        ...database.options,
        databaseUrl: proxy.route(database.options.databaseUrl!),
        poolSize: 1,
        connectTimeoutMs: 1_000,
        answerTimeoutMs: 1_500,
        logger,
      });
      try {
        expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
        proxy.silence();
        const asked = Date.now();
        const silent = await sql`select 1`.execute(db).catch((error: unknown) => error);
        // Before the change it waited for the kernel to give up on the socket (many minutes).
        expect(Date.now() - asked).toBeLessThan(5_000);
        expect(silent).toBeInstanceOf(DatabaseUnavailableError);
        expect(lines.join("\n")).toContain("a database query got no answer in time; its connection is closed");

        await proxy.restore();
        expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
      } finally {
        await db.destroy();
        await proxy.close();
        await database.close();
      }
    });
  });

describe("streamed queries through the availability wrapper", () => {
  it("close the driver's statement when the reader stops early, so the next query runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsunagu-stream-"));
    const db = openDatabase({ sqliteFile: join(dir, "stream.sqlite") });
    try {
      await migrateToLatest(db);
      await db
        .insertInto("hosts")
        .values([hostRow("a"), hostRow("b"), hostRow("c")])
        .execute();
      const seen: string[] = [];
      for await (const row of db.selectFrom("hosts").select("id").orderBy("id").stream()) {
        seen.push(row.id);
        break;
      }
      expect(seen).toEqual(["a"]);
      // better-sqlite3 refuses a query while a statement's iterator is still open.
      await db.insertInto("hosts").values(hostRow("d")).execute();
      expect((await db.selectFrom("hosts").select("id").execute()).length).toBe(4);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function hostRow(id: string) {
  const now = new Date().toISOString();
  return { id, created_at: now, updated_at: now };
}

/** Another connection that holds the write lock until `release`. */
interface WriteLock {
  release(): Promise<void>;
}

async function holdWriteLock(database: TestDatabase): Promise<WriteLock> {
  if (database.options.sqliteFile) {
    const locker = new SQLite(database.options.sqliteFile);
    locker.exec("begin immediate");
    return {
      release: async () => {
        locker.exec("rollback");
        locker.close();
      },
    };
  }
  const locker = new pg.Client({
    connectionString: testDatabaseUrl,
    options: `-c search_path=${database.options.postgresSchema}`,
  });
  await locker.connect();
  // Writers wait; readers do not (EXCLUSIVE allows ACCESS SHARE).
  await locker.query("begin; lock table organisations, users, webhook_outbox in exclusive mode");
  return {
    release: async () => {
      await locker.query("rollback");
      await locker.end();
    },
  };
}

/** A second pool on the test database that gives up quickly on a lock: SQLite's busy timeout, PostgreSQL's statement
 * timeout. */
function impatientOptions(options: DatabaseOptions, logger: Logger = silentLogger): DatabaseOptions {
  return { ...options, busyTimeoutMs: 100, statementTimeoutMs: 300, logger };
}

describe("the app while another writer holds the database past its limit", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      hosts: [{ id: "portal-a", origins: [origin], secret: hostSecret, algorithms: ["HS256"] }],
      pool: impatientOptions,
    });
  });
  afterAll(() => t.close());

  async function me(sub: string): Promise<Response> {
    const token = await signToken(secretKey(hostSecret), portalClaims(t.clock, "portal-a", { sub, org: "sakura" }));
    return t.app.request("/v1/me", { headers: { authorization: `Bearer ${token}`, origin } });
  }

  it("answers 503 database_unavailable with Retry-After, then 200 once the lock is gone", async () => {
    expect((await me("ken")).status).toBe(200);
    const lock = await holdWriteLock(t.database);
    let answer: Response;
    try {
      // A user the app has not seen: hostAuth writes their row.
      answer = await me("aiko");
    } finally {
      await lock.release();
    }
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect(await answer.json()).toEqual({ error: { code: "database_unavailable", message: expect.any(String) } });
    expect((await me("aiko")).status).toBe(200);
  });
});

const connectionFacts = {
  id: "con_1",
  host_id: "portal-a",
  org_id: "sakura",
  connected_by: "hanako",
  provider: "zoom" as const,
  external_id: "acc_1",
  display_name: "Sakura",
  status: "active" as const,
};

describe("the webhook delivery worker on a failing database", () => {
  let database: TestDatabase;
  let receiver: Receiver;
  let registry: HostRegistry;
  const webhookSecret = randomSecret();
  let hostsCleanup: () => void;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startReceiver();
    const hosts = temporaryHostsFile([
      {
        id: "portal-a",
        origins: [origin],
        secret: hostSecret,
        algorithms: ["HS256"],
        webhookUrl: receiver.url,
        webhookSecret,
      },
    ]);
    hostsCleanup = hosts.cleanup;
    registry = await loadHostRegistry(hosts.file, { logger: silentLogger });
    await syncHostsToDatabase(database.db, registry, systemClock);
  });
  afterAll(async () => {
    await receiver.close();
    await database.close();
    hostsCleanup();
  });

  /** SQLite: another writer holds the lock. PostgreSQL: the relay to the server is cut, its connections destroyed. */
  async function failingDatabase(
    logger: Logger,
  ): Promise<{ db: DB; fail(): Promise<void>; recover(): Promise<void>; close(): Promise<void> }> {
    if (!testDatabaseUrl) {
      const db = openDatabase(impatientOptions(database.options, logger));
      let lock: WriteLock | undefined;
      return {
        db,
        fail: async () => {
          lock = await holdWriteLock(database);
        },
        recover: async () => lock?.release(),
        close: () => db.destroy(),
      };
    }
    const target = new URL(testDatabaseUrl);
    const proxy: TcpProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const db = openDatabase({
      ...impatientOptions(database.options, logger),
      databaseUrl: proxy.route(testDatabaseUrl),
      connectTimeoutMs: 1_000,
    });
    return {
      db,
      fail: () => proxy.cut("refuse"),
      recover: () => proxy.restore(),
      close: async () => {
        await db.destroy();
        await proxy.close();
      },
    };
  }

  it("logs the outage once, keeps retrying, and delivers once the database is back", async () => {
    const lines: Array<{ level: string; message: string }> = [];
    const logger = createLogger({
      level: "info",
      write: (line) => lines.push(JSON.parse(line) as { level: string; message: string }),
    });
    const failing = await failingDatabase(logger);
    const delivery = createWebhookDelivery({
      db: failing.db,
      clock: systemClock,
      logger,
      hosts: registry,
      policy: { pollMs: 50 },
    });
    try {
      // A pass on a healthy database leaves an idle pooled connection behind, as in a running server.
      await delivery.deliverDue();
      const eventId = await emitConnectionEvent(database.db, systemClock, "linked", connectionFacts, null);
      await failing.fail();
      delivery.start();
      await waitFor(
        () => lines.some((line) => line.message.startsWith("webhook delivery paused")),
        "the outage logged",
      );
      // More passes fail while the database stays down; the worker goes on, without an error line per pass.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(lines.filter((line) => line.message.startsWith("webhook delivery paused"))).toHaveLength(1);
      expect(lines.filter((line) => line.level === "error")).toEqual([]);
      expect(receiver.events().some((event) => event.id === eventId)).toBe(false);

      await failing.recover();
      await waitFor(() => receiver.events().some((event) => event.id === eventId), "the event delivered");
      await waitFor(() => lines.some((line) => line.message === "webhook delivery resumed"), "the resumed log line");
    } finally {
      await delivery.stop();
      await failing.close();
    }
  });
});

async function waitFor(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
