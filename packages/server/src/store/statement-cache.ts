/**
 * Prepares each distinct SQLite statement once. Kysely's SQLite driver calls
 * `prepare(sql)` for every query it runs, and preparing (parsing and planning
 * the SQL) cost more than running the indexed read behind an authenticated
 * request. A better-sqlite3 statement can be run again with new parameters,
 * and Kysely's single SQLite connection runs one query at a time (its mutex
 * also covers a streamed query), so one statement per SQL text is safe.
 * SQLite re-prepares a statement by itself after a schema change.
 *
 * `readWhenIdle` runs a prepared read at once, without Kysely's connection
 * queue, when that is as safe as queueing it: the connection has no
 * transaction open (so the read cannot see another request's uncommitted
 * writes) and better-sqlite3 runs the read synchronously, so nothing else
 * runs on the connection meanwhile. Otherwise it answers undefined and the
 * caller goes through Kysely, which waits for the transaction to end.
 */
import type { Database as SqliteDatabase, Statement } from "better-sqlite3";

/** Distinct SQL texts kept; queries whose text varies (IN lists of any length) cannot fill memory. */
export const statementCacheSize = 1_000;

export interface StatementCache {
  close(): void;
  prepare(sql: string): Statement;
  /** The rows of a read run at once, or undefined when a transaction is open and the read must queue. */
  readWhenIdle(sql: string, parameters: readonly unknown[]): unknown[] | undefined;
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
  return {
    close: () => void sqlite.close(),
    prepare,
    readWhenIdle: (sql, parameters) => (sqlite.inTransaction ? undefined : prepare(sql).all(parameters)),
  };
}
