/**
 * Prepares each distinct SQLite statement once. Kysely's SQLite driver calls
 * `prepare(sql)` for every query it runs, and preparing (parsing and planning
 * the SQL) cost more than running the indexed read behind an authenticated
 * request. A better-sqlite3 statement can be run again with new parameters,
 * and Kysely's single SQLite connection runs one query at a time (its mutex
 * also covers a streamed query), so one statement per SQL text is safe.
 * SQLite re-prepares a statement by itself after a schema change.
 *
 * `readWhenIdle` runs a prepared read without Kysely's connection queue,
 * when that is as safe as queueing it: the connection has no transaction open
 * (so the read cannot see another request's uncommitted writes) and
 * better-sqlite3 runs the read synchronously, so nothing else runs on the
 * connection meanwhile. Otherwise it answers undefined and the caller goes
 * through Kysely, which waits for the transaction to end.
 *
 * The first read of a turn of the event loop runs at once, and so do the
 * reads asked for in the same callback (one request after another in
 * process, through `app.request`: nothing to share a transaction with, and a
 * wait for the turn's end would cost each second request a trip round the
 * event loop; issue 15). The reads asked for by the turn's later callbacks
 * (the other connections' requests over HTTP) run together at its end
 * (setImmediate, which over HTTP comes right after the turn's I/O callbacks),
 * in one read transaction. A callback ends where Node runs `process.nextTick`
 * callbacks: after its promise continuations, before the next callback.
 * In WAL mode every statement run on its own is a read transaction of its
 * own: a read mark of the -shm file locked and unlocked, two fcntl system
 * calls that cost more than the indexed read itself on a virtual machine
 * (issue 15: ~15 µs of a request's ~25 µs read). Requests arriving together
 * (fifty connections under load) now share one lock and unlock; a lone
 * request (or one read after another in process) waits for no turn's end.
 * Nothing is answered from an older snapshot: every read runs after it was
 * asked for, so it sees every commit made before (of this process or
 * another), and the lock is shared, so other processes (the CLI, the demo)
 * read and write the file meanwhile as before.
 */
import type { Database as SqliteDatabase, Statement } from "better-sqlite3";

/** Distinct SQL texts kept; queries whose text varies (IN lists of any length) cannot fill memory. */
export const statementCacheSize = 1_000;

export interface StatementCache {
  close(): void;
  prepare(sql: string): Statement;
  /**
   * The rows of a read: at once for the turn's first, else at the end of this turn with the other reads asked for in
   * it; undefined (at once or then) when a transaction is open and the read must queue.
   */
  readWhenIdle(sql: string, parameters: readonly unknown[]): unknown[] | Promise<unknown[] | undefined> | undefined;
}

interface WaitingRead {
  statement: Statement;
  parameters: readonly unknown[];
  resolve(rows: unknown[] | undefined): void;
  reject(error: unknown): void;
}

export function withStatementCache(sqlite: SqliteDatabase, size = statementCacheSize): StatementCache {
  const statements = new Map<string, Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = sqlite.prepare(sql);
      // Maps iterate in insertion order: the first entry is the one prepared longest ago.
      if (statements.size >= size) statements.delete(statements.keys().next().value as string);
      statements.set(sql, statement);
    }
    return statement;
  };
  let waiting: WaitingRead[] = [];
  let begin: Statement | undefined;
  let commit: Statement | undefined;
  const runAll = (batch: readonly WaitingRead[]) => {
    for (const read of batch) {
      try {
        read.resolve(read.statement.all(read.parameters));
      } catch (error) {
        read.reject(error);
      }
    }
  };
  /** A read ran at once in this turn: the next ones of later callbacks wait for its end (`flush`). */
  let turnRead = false;
  /** Still in the callback whose read ran at once. */
  let firstCallback = false;
  const firstCallbackEnded = () => {
    firstCallback = false;
  };
  const flush = () => {
    turnRead = false;
    const batch = waiting;
    waiting = [];
    // A Kysely transaction began meanwhile: the reads queue behind it, as they would have at once.
    if (sqlite.inTransaction) for (const read of batch) read.resolve(undefined);
    else if (batch.length <= 1) runAll(batch);
    else {
      begin ??= sqlite.prepare("BEGIN");
      commit ??= sqlite.prepare("COMMIT");
      try {
        begin.run();
      } catch (error) {
        for (const read of batch) read.reject(error);
        return;
      }
      try {
        runAll(batch);
      } finally {
        if (sqlite.inTransaction) commit.run();
      }
    }
  };
  return {
    close: () => void sqlite.close(),
    prepare,
    readWhenIdle(sql, parameters) {
      if (sqlite.inTransaction) return undefined;
      const statement = prepare(sql);
      if (!turnRead) {
        turnRead = true;
        firstCallback = true;
        process.nextTick(firstCallbackEnded);
        setImmediate(flush);
        return statement.all(parameters);
      }
      if (firstCallback) return statement.all(parameters);
      return new Promise((resolve, reject) => void waiting.push({ statement, parameters, resolve, reject }));
    },
  };
}
