/**
 * Opens the database: PostgreSQL when a URL is given, otherwise SQLite in the
 * data directory (WAL, busy timeout, foreign keys). Migrations run on open.
 *
 * Either way the dialect is wrapped by `withAvailability` (availability.ts):
 * a lost or refused connection, or a SQLite lock held past the busy timeout,
 * reaches callers as `DatabaseUnavailableError`. The PostgreSQL pool waits a
 * bounded time for a connection, and every connection has an `error`
 * listener: pg emits `error` when the server ends a connection (a restart,
 * pg_terminate_backend), and an unheard one would end the process. The pool
 * drops such a connection and opens a new one on the next query, so service
 * comes back by itself once the server does. A query that waited its bounded
 * time while every pooled connection was checked out is `DatabaseBusyError`
 * instead: the server is overloaded, the database is fine (`busyPoolWaits`).
 *
 * The pool keeps an idle connection for `idleTimeoutMs` (five minutes), not pg-pool's ten seconds: opening one costs
 * both sides a SCRAM exchange (PBKDF2 of 4,096 rounds each), PostgreSQL a new backend with cold catalog caches, and
 * every named statement of prepared-read-postgres.ts parsed and planned again on it, and the first requests after a
 * pause of ten seconds paid all of it (measured by bench/http.bench.ts: a third of the PostgreSQL backends' CPU per
 * request in the run after one, issue 15). Idle connections do not keep the process alive (`allowExitOnIdle`).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { type DatabaseIntrospector, Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { type Logger, silentLogger } from "../log.ts";
import { type BusyWait, classifyDatabaseError, isDatabaseBusy, withAvailability } from "./availability.ts";
import { migrationProvider } from "./migrations/index.ts";
import { isPostgres } from "./dialect.ts";
import { readPreparedWhenIdle } from "./prepared-read.ts";
import { namedStatementReader } from "./prepared-read-postgres.ts";
import { withStatementCache } from "./statement-cache.ts";
import { createQueryDeadline, type QueryDeadline } from "./query-deadline.ts";
import type { Database } from "./schema.ts";

export type DB = Kysely<Database>;

export interface DatabaseOptions {
  /** postgres:// URL; SQLite is used when absent. */
  databaseUrl?: string | undefined;
  /** Directory for the SQLite file. */
  dataDir?: string;
  /** SQLite file path; overrides dataDir (":memory:" is allowed). */
  sqliteFile?: string;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  postgresSchema?: string;
  /** Connections in the PostgreSQL pool. */
  poolSize?: number;
  /** How long a PostgreSQL connection stays open unused before the pool closes it. */
  idleTimeoutMs?: number;
  /** PostgreSQL `application_name` of the pool's connections (an `application_name` in the URL wins). */
  applicationName?: string;
  /** How long a query waits for a PostgreSQL connection before failing as unavailable. */
  connectTimeoutMs?: number;
  /** PostgreSQL `statement_timeout`: longest a statement may run or wait for a lock. */
  statementTimeoutMs?: number;
  /** How long a PostgreSQL query waits for any answer before its connection is taken for dead (query-deadline.ts);
   * default: the statement timeout and 5 s. */
  answerTimeoutMs?: number;
  /** SQLite `busy_timeout`: how long a write waits for another writer's lock. */
  busyTimeoutMs?: number;
  /** Where lost connections are reported. */
  logger?: Logger;
}

export const defaultDatabaseTimeouts = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  busyTimeoutMs: 5_000,
  idleTimeoutMs: 300_000,
};

const postgresPools = new WeakMap<DB, pg.Pool>();
const queryDeadlines = new WeakMap<DB, QueryDeadline>();

/** The answer timeout's margin over `statement_timeout`, which PostgreSQL answers itself while it can. */
const answerMarginMs = 5_000;

/** The PostgreSQL pool behind a database opened here (its counts and `acquire` events), undefined on SQLite. */
export function postgresPoolOf(db: DB): pg.Pool | undefined {
  return postgresPools.get(db);
}

export function openDatabase(options: DatabaseOptions): DB {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      application_name: options.applicationName ?? "tsunagu",
      connectionTimeoutMillis: options.connectTimeoutMs ?? defaultDatabaseTimeouts.connectTimeoutMs,
      idleTimeoutMillis: options.idleTimeoutMs ?? defaultDatabaseTimeouts.idleTimeoutMs,
      allowExitOnIdle: true,
      statement_timeout: options.statementTimeoutMs ?? defaultDatabaseTimeouts.statementTimeoutMs,
      // Lets the kernel notice a peer that vanished without closing the connection (probes after 10 s idle).
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      ...(options.postgresSchema ? { options: `-c search_path=${quoteIdent(options.postgresSchema)}` } : {}),
    });
    const logger = options.logger ?? silentLogger;
    listenForConnectionErrors(pool, logger);
    const statementTimeoutMs = options.statementTimeoutMs ?? defaultDatabaseTimeouts.statementTimeoutMs;
    const deadline = createQueryDeadline(options.answerTimeoutMs ?? statementTimeoutMs + answerMarginMs, logger);
    pool.on("connect", (client) => deadline.watch(client));
    const busyWait = busyPoolWaits(pool, options.poolSize ?? 10);
    const db = new Kysely<Database>({ dialect: withAvailability(new PostgresDialect({ pool }), busyWait) });
    const readNamed = namedStatementReader(pool);
    // Prepared reads wait for the pool's connections too: told apart the same way.
    readPreparedWhenIdle(db, (text, parameters) =>
      readNamed(text, parameters).catch((error: unknown) => {
        throw classifyDatabaseError(error, busyWait);
      }),
    );
    postgresPools.set(db, pool);
    queryDeadlines.set(db, deadline);
    return db;
  }
  const file = options.sqliteFile ?? join(ensureDir(options.dataDir ?? "./.data"), "tsunagu.sqlite");
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(
    `busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? defaultDatabaseTimeouts.busyTimeoutMs))}`,
  );
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  // Each statement outside a transaction is a WAL read transaction: a read mark of the -shm file locked and unlocked
  // (two fcntl calls), which is what lets other processes write meanwhile and every read see their commits. Not set,
  // measured (issue 15): locking_mode = EXCLUSIVE saves those calls but locks every other process out; mmap_size adds
  // an fstat to every read (the file's size, for the map) to save reads of pages the page cache holds already. Reads
  // an authenticated request makes are therefore one statement each (accounts/store.ts).
  const statements = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: withAvailability(new SqliteDialect({ database: statements })) });
  readPreparedWhenIdle(db, statements.readWhenIdle);
  return db;
}

/**
 * pg emits `error` on a client whose connection fails, idle in the pool or
 * checked out between two queries, and pg-pool repeats an idle one's on the
 * pool. Each client gets a listener that logs it (name, message and code: no
 * connection string); the pool's own listener only keeps the repeat from
 * being unheard. A failed client is never reused: pg-pool removes it.
 */
function listenForConnectionErrors(pool: pg.Pool, logger: Logger): void {
  pool.on("connect", (client) => {
    client.on("error", (error) =>
      logger.warn("database connection lost; the pool opens a new one when needed", { error }),
    );
  });
  pool.on("error", () => undefined);
}

/**
 * Tells a wait for a busy pool from an outage. pg-pool fails a query with "timeout exceeded when trying to connect"
 * when it waited past the connect timeout in the pool's queue, which it joins only while the pool holds its maximum of
 * clients (pg-pool's `connect`): either all of them are checked out by other queries (the server is overloaded, the
 * database answers), or some are still connecting to a database that does not answer (the network hangs: an outage).
 * pg-pool hands a client over (`acquire`) only once it is connected and takes it back on `release`, so the wait is a
 * busy one only when `max` clients were checked out as it gave up (the waiter has left the queue by then, so
 * `waitingCount` may be 0). Any other failure to connect is an outage.
 */
function busyPoolWaits(pool: pg.Pool, max: number): BusyWait {
  const checkedOut = new Set<pg.PoolClient>();
  pool.on("acquire", (client) => checkedOut.add(client));
  pool.on("release", (_error, client) => checkedOut.delete(client));
  return (error) =>
    error instanceof Error && poolWaitTimeout.test(error.message) && pool.totalCount >= max && checkedOut.size >= max;
}

/** pg-pool's error for a query that waited in the pool's queue past `connectionTimeoutMillis`. */
const poolWaitTimeout = /^timeout exceeded when trying to connect$/;

export async function migrateToLatest(db: DB): Promise<void> {
  if (!isPostgres(db as never)) return migrate(db, undefined);
  // On one connection whose statement_timeout is lifted: building an index on a
  // large table may take longer than a request's statement is allowed (so is the wait for an answer).
  const deadline = queryDeadlines.get(db);
  const run = <T>(work: () => Promise<T>) => (deadline ? deadline.unlimited(work) : work());
  await run(() =>
    db.connection().execute(async (connection) => {
      await sql`set statement_timeout = 0`.execute(connection);
      try {
        // Kysely looks for its bookkeeping tables across every schema; pin them to
        // ours so databases that share a PostgreSQL server never see each other's.
        const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(connection)).rows[0]
          ?.schema;
        await migrate(schema ? withIntrospectionOf(connection, schema) : connection, schema);
      } finally {
        await sql`reset statement_timeout`.execute(connection);
      }
    }),
  );
}

async function migrate(db: DB, migrationTableSchema: string | undefined): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(migrationTableSchema && { migrationTableSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error || failed) {
    // The cause's message names what went wrong (a lock, a timeout, a statement) without the URL or password.
    const reason = error instanceof Error ? error.message : String(error);
    const which = failed ? `${failed.migrationName} ` : "";
    throw new Error(`database migration ${which}failed: ${reason}`, { cause: error });
  }
}

/**
 * The database as Kysely's migrator sees it, asking only `schema` which tables it has. The migrator asks whether its
 * own tables exist by listing every table of every schema (its introspector checks each schema's privileges by
 * name), which fails with "schema ... does not exist" when another schema of the same database is dropped meanwhile:
 * a database shared by several schemas (other deployments, the test suite's files) could not be migrated reliably.
 */
function withIntrospectionOf(db: DB, schema: string): DB {
  const introspection: DatabaseIntrospector = {
    getSchemas: () => db.introspection.getSchemas(),
    async getTables() {
      const { rows } = await sql<{ name: string; type: string }>`
        select table_name as name, table_type as type from information_schema.tables where table_schema = ${schema}
      `.execute(db);
      return rows.map((row) => ({ name: row.name, schema, isView: row.type === "VIEW", columns: [] }));
    },
    async getMetadata(options) {
      return { tables: await introspection.getTables(options) };
    },
  };
  return new Proxy(db, {
    get(target, key) {
      if (key === "introspection") return introspection;
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Whether the database answers a trivial query, asked as a request asks: through the pool, waiting for a connection
 * as long as a request would. `busy` is the pool's wait given up while every connection served other work (the
 * database answers, this process is overloaded: `DatabaseBusyError`); `unavailable` any other failure.
 */
export async function pingDatabase(db: DB): Promise<"ok" | "busy" | "unavailable"> {
  try {
    await sql`select 1`.execute(db);
    return "ok";
  } catch (error) {
    return isDatabaseBusy(error) ? "busy" : "unavailable";
  }
}

function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid schema name ${name}`);
  return name;
}
