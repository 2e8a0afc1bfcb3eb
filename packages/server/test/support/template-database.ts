/**
 * vitest's global set-up: the migrations run once per run and project, into a template, and every test file's
 * database starts as a copy of it (database.ts) instead of migrating itself. Migrating took most of a file's set-up
 * (on PostgreSQL some seventy statements and Kysely's catalog reads, each a round trip; measured in issue ci6), and
 * the suite has hundreds of files.
 *
 * - SQLite: a migrated file, checkpointed so that the file alone holds it; a file's database is a copy.
 * - PostgreSQL: a migrated schema, dumped with `pg_dump --schema` (tables, indexes, constraints and the migrator's
 *   own rows); a file's schema is that dump run again under the file's schema name, one query. Without pg_dump
 *   (a database elsewhere, no client tools) every file migrates its own schema, as before.
 *
 * test/store/template-database.test.ts checks that a copy and a database migrated from nothing describe the same
 * schema; the migrations themselves still run for real there, in the template, and in every server process the e2e
 * tests start (src/main.ts migrates its own schema or data directory).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { sql } from "kysely";
import type { TestProject } from "vitest/node";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";

/** Stands for the schema's name in the provided dump; database.ts puts each file's schema in its place. */
export const schemaPlaceholder = "tsunagu_template_schema";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated SQLite file to copy (the sqlite project). */
    sqliteTemplate: string;
    /** The migrated schema's dump, its name written as `schemaPlaceholder` (postgres project; "" without pg_dump). */
    postgresTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = (project.config.env?.TSUNAGU_TEST_DATABASE_URL as string | undefined) || undefined;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), "tsunagu-template-"));
    const file = join(dir, "template.sqlite");
    const db = openDatabase({ sqliteFile: file });
    await migrateToLatest(db);
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    await db.destroy();
    project.provide("sqliteTemplate", file);
    project.provide("postgresTemplate", "");
    return async () => rmSync(dir, { recursive: true, force: true });
  }
  const schema = `tsunagu_template_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
    const db = openDatabase({ databaseUrl: url, postgresSchema: schema, poolSize: 1 });
    try {
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
    project.provide("sqliteTemplate", "");
    project.provide("postgresTemplate", await replayable(admin, dumpSchema(url, schema)));
  } finally {
    await admin.end();
  }
  return async () => {
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    await cleanup.query(`drop schema ${schema} cascade`);
    await cleanup.end();
  };
}

/** The dump if this server runs it (a newer pg_dump may write settings an older server lacks), else "". */
async function replayable(admin: pg.Client, dump: string): Promise<string> {
  if (!dump) return "";
  const probe = `tsunagu_template_probe_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  try {
    await admin.query(dump.replaceAll(schemaPlaceholder, probe));
    return dump;
  } catch (error) {
    console.warn(`the template's dump does not run here (${(error as Error).message}): each test file migrates`);
    return "";
  } finally {
    await admin.query(`drop schema if exists ${probe} cascade`);
  }
}

/**
 * The schema as SQL one query can run again: pg_dump's plain output without psql's meta-commands (`\restrict`),
 * the rows as INSERTs (a COPY needs psql), the name replaced by the placeholder. "" when pg_dump cannot run.
 */
function dumpSchema(url: string, schema: string): string {
  const dump = spawnSync("pg_dump", ["--schema", schema, "--no-owner", "--no-privileges", "--inserts", url], {
    encoding: "utf8",
  });
  if (dump.error || dump.status !== 0) {
    console.warn(`pg_dump unavailable (${dump.error?.message ?? dump.stderr.trim()}): each test file migrates`);
    return "";
  }
  return dump.stdout
    .split("\n")
    .filter((line) => !line.startsWith("\\"))
    .join("\n")
    .replaceAll(schema, schemaPlaceholder);
}
