/**
 * Prepares each distinct SQLite statement once. Kysely's SQLite driver calls
 * `prepare(sql)` for every query it runs, and preparing (parsing and planning
 * the SQL) cost more than running the indexed read behind an authenticated
 * request. A better-sqlite3 statement can be run again with new parameters,
 * and Kysely's single SQLite connection runs one query at a time (its mutex
 * also covers a streamed query), so one statement per SQL text is safe.
 * SQLite re-prepares a statement by itself after a schema change.
 */
import type { Database as SqliteDatabase, Statement } from "better-sqlite3";

/** Distinct SQL texts kept; queries whose text varies (IN lists of any length) cannot fill memory. */
export const statementCacheSize = 1_000;

export function withStatementCache(
  sqlite: SqliteDatabase,
  size = statementCacheSize,
): { close(): void; prepare(sql: string): Statement } {
  const statements = new Map<string, Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        // Maps iterate in insertion order: the first entry is the one prepared longest ago.
        if (statements.size >= size) statements.delete(statements.keys().next().value as string);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
