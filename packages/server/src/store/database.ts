/**
 * Opens the database: PostgreSQL when a URL is given, otherwise SQLite in the
 * data directory (WAL, busy timeout, foreign keys). Migrations run on open.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { migrationProvider } from "./migrations/index.ts";
import { isPostgres } from "./dialect.ts";
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
}

export function openDatabase(options: DatabaseOptions): DB {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      ...(options.postgresSchema ? { options: `-c search_path=${quoteIdent(options.postgresSchema)}` } : {}),
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const file = options.sqliteFile ?? join(ensureDir(options.dataDir ?? "./.data"), "tsunagu.sqlite");
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

export async function migrateToLatest(db: DB): Promise<void> {
  // Kysely looks for its bookkeeping tables across every schema; pin them to
  // ours so databases that share a PostgreSQL server never see each other's.
  const migrationTableSchema = isPostgres(db as never) ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider, ...(migrationTableSchema && { migrationTableSchema }) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === "Error");
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ""} failed`, { cause: error });
  }
}

/** True when the database answers a trivial query. */
export async function pingDatabase(db: DB): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
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
