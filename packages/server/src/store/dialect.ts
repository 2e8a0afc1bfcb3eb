import { type Kysely, PostgresAdapter } from "kysely";

/** The few places that must differ between SQLite and PostgreSQL ask this. */
export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
