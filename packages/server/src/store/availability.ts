/**
 * Database availability: the one place that tells "the database cannot answer
 * right now" apart from every other database error (a constraint, a bug).
 *
 * Unavailable means: the connection was refused, reset or timed out; the
 * PostgreSQL server is shutting down, restarting or starting (57P01–57P03,
 * class 08), out of connections, or cut our statement short; SQLite stayed
 * busy or locked past its busy timeout, or hit an I/O error. Such a fault
 * passes once the database is back, so callers answer 503 and retry instead
 * of failing for good (issue 7, item 1).
 *
 * `withAvailability` wraps a Kysely dialect so that these errors leave the
 * driver as a `DatabaseUnavailableError` (the driver's own error as `cause`),
 * and only those: a network error of a provider call, which looks the same
 * (ECONNREFUSED), never becomes a database fault. Every other error passes
 * through untouched, so code that inspects a constraint error keeps working.
 * A wait for a pooled connection while every one is checked out is told
 * apart as a `DatabaseBusyError` (load, not an outage) where the dialect's
 * pool can say so (database.ts).
 */
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from "kysely";

/** What the HTTP layer sends as `Retry-After` with a 503 `database_unavailable` or `server_busy`. */
export const databaseRetryAfterSeconds = 5;

/** https://www.postgresql.org/docs/current/errcodes-appendix.html */
const postgresUnavailableCodes = new Set([
  "57P01", // admin_shutdown: pg_terminate_backend, a fast shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up, in recovery
  "57P05", // idle_session_timeout
  "53300", // too_many_connections
  "57014", // query_canceled: our statement_timeout
  "55P03", // lock_not_available: a lock_timeout
]);
/** Node's socket errors as pg reports them while connecting or talking to the server. */
const socketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
/** pg and pg-pool raise these without a code. */
const postgresClientMessages = [
  /^Connection terminated/, // unexpectedly; due to connection timeout
  /timeout exceeded when trying to connect/,
  /is not queryable/, // a client whose connection already failed
  /^Cannot use a pool after calling end/,
];
/** https://www.sqlite.org/rescode.html: BUSY and LOCKED (and their extended codes) outlast busy_timeout; IOERR is the
 * disk's. */
const sqliteUnavailableCode = /^SQLITE_(BUSY|LOCKED|IOERR)/;

/**
 * True when a driver error (pg, pg-pool or better-sqlite3) means the database
 * is unreachable or too busy right now. Looks through `cause` and an
 * AggregateError's `errors` (a host name with several addresses).
 */
export function isTransientDatabaseFault(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== "object" || error === null) return false;
  const { code, message, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === "string") {
    if (
      postgresUnavailableCodes.has(code) ||
      code.startsWith("08") ||
      socketCodes.has(code) ||
      sqliteUnavailableCode.test(code)
    )
      return true;
  }
  if (typeof message === "string" && postgresClientMessages.some((pattern) => pattern.test(message))) return true;
  if (Array.isArray(errors) && errors.some((item) => isTransientDatabaseFault(item, depth + 1))) return true;
  return isTransientDatabaseFault(cause, depth + 1);
}

/** A database fault that passes once the database is back: answered 503 `database_unavailable`. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  /** The driver's code (a SQLSTATE, a socket code, a SQLITE_ code), when it gave one. */
  readonly code: string | undefined;
  constructor(cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    super(`The database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.code = typeof code === "string" ? code : undefined;
  }
}

/**
 * A query waited past the connect timeout for a pooled connection while every connection was checked out by other
 * queries: the server is overloaded, the database answers. Answered 503 `server_busy`; still a
 * `DatabaseUnavailableError`, so whatever pauses and retries on one does on this.
 */
export class DatabaseBusyError extends DatabaseUnavailableError {
  override name = "DatabaseBusyError";
  constructor(cause: unknown) {
    super(cause);
    this.message = `Every database connection is busy: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
}

/** True when `error`, or an error in its `cause` chain, is a `DatabaseUnavailableError` (a busy one included). */
export function isDatabaseUnavailable(error: unknown): boolean {
  return inCauseChain(error, DatabaseUnavailableError);
}

/** True when `error`, or an error in its `cause` chain, is a `DatabaseBusyError`. */
export function isDatabaseBusy(error: unknown): boolean {
  return inCauseChain(error, DatabaseBusyError);
}

function inCauseChain(error: unknown, kind: new (cause: unknown) => Error): boolean {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    if (current instanceof kind) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Tells whether a driver error is a wait for a busy pool (database.ts knows the pool); absent, none is. */
export type BusyWait = (error: unknown) => boolean;

/** Wraps a dialect so that its driver's transient faults surface as `DatabaseUnavailableError` (`DatabaseBusyError`
 * for a wait `busyWait` recognises). */
export function withAvailability(dialect: Dialect, busyWait?: BusyWait): Dialect {
  return {
    createDriver: () => new AvailabilityDriver(dialect.createDriver(), busyWait),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** A driver's error as callers must see it: a wait `busyWait` recognises becomes a `DatabaseBusyError`, another
 * transient fault a `DatabaseUnavailableError`, any other stays. */
export function classifyDatabaseError(error: unknown, busyWait?: BusyWait): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  if (busyWait?.(error)) return new DatabaseBusyError(error);
  return isTransientDatabaseFault(error) ? new DatabaseUnavailableError(error) : error;
}

async function classified<T>(work: () => Promise<T>, busyWait?: BusyWait): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw classifyDatabaseError(error, busyWait);
  }
}

class AvailabilityConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return classified(() => this.inner.executeQuery<R>(compiledQuery));
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    const rows = this.inner.streamQuery<R>(compiledQuery, chunkSize);
    /** False while the reader may stop early: then the driver's stream (a cursor, a statement) is closed here. */
    let ended = false;
    try {
      for (;;) {
        ended = true;
        const next = await classified(() => rows.next());
        if (next.done) return;
        ended = false;
        yield next.value;
      }
    } finally {
      if (!ended) await rows.return?.();
    }
  }
}

/** The dialect's driver, handed the dialect's own connection; every failure goes through `classified`. */
class AvailabilityDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly busyWait: BusyWait | undefined,
  ) {}

  init(): Promise<void> {
    return classified(() => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // The only place a pool wait fails: a connection in hand no longer waits for one.
    return new AvailabilityConnection(await classified(() => this.inner.acquireConnection(), this.busyWait));
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return classified(() => this.inner.beginTransaction(unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return classified(() => this.inner.commitTransaction(unwrap(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return classified(() => this.inner.rollbackTransaction(unwrap(connection)));
  }

  savepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    return classified(() =>
      required(this.inner.savepoint, "savepoint").call(this.inner, unwrap(connection), savepointName, compileQuery),
    );
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    return classified(() =>
      required(this.inner.rollbackToSavepoint, "rollbackToSavepoint").call(
        this.inner,
        unwrap(connection),
        savepointName,
        compileQuery,
      ),
    );
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    savepointName: string,
    compileQuery: QueryCompiler["compileQuery"],
  ): Promise<void> {
    return classified(() =>
      required(this.inner.releaseSavepoint, "releaseSavepoint").call(
        this.inner,
        unwrap(connection),
        savepointName,
        compileQuery,
      ),
    );
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function unwrap(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof AvailabilityConnection ? connection.inner : connection;
}

function required<T>(method: T | undefined, name: string): T {
  if (!method) throw new Error(`the database driver has no ${name}`);
  return method;
}
