/**
 * A fresh, migrated database for one test file: a temporary SQLite file, or
 * a schema of its own in PostgreSQL when the suite runs in the postgres project.
 * Both start as a copy of the run's migrated template (template-database.ts)
 * under vitest; outside it (the benches build the same test app in a plain
 * process, where vitest's `inject` throws) each is migrated as before.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import type { Clock } from "../../src/clock.ts";
import { type DB, type DatabaseOptions, migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { recordCaller } from "../../src/store/tenancy.ts";
import { schemaPlaceholder } from "./template-database.ts";

export const testDatabaseUrl: string | undefined = process.env.TSUNAGU_TEST_DATABASE_URL || undefined;
export const dialectName = testDatabaseUrl ? "postgres" : "sqlite";

/** The run's template of `key`, or undefined outside a vitest run (no global set-up provided one). */
function template<Key extends "postgresTemplate" | "sqliteTemplate">(key: Key) {
  return process.env.VITEST ? inject(key) : undefined;
}

export interface TestDatabase {
  db: DB;
  /** Options that open another connection pool on the same data (a second server process). */
  options: DatabaseOptions;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDatabaseUrl) {
    const schema = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    const dump = template("postgresTemplate");
    await admin.connect();
    // The dump creates the schema itself.
    await admin.query(dump ? dump.replaceAll(schemaPlaceholder, schema) : `create schema ${schema}`);
    await admin.end();
    const options: DatabaseOptions = { databaseUrl: testDatabaseUrl, postgresSchema: schema };
    const db = openDatabase(options);
    if (!dump) await migrateToLatest(db);
    return {
      db,
      options,
      async close() {
        await db.destroy();
        const cleanup = new pg.Client({ connectionString: testDatabaseUrl });
        await cleanup.connect();
        await cleanup.query(`drop schema ${schema} cascade`);
        await cleanup.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "tsunagu-test-"));
  const options: DatabaseOptions = { sqliteFile: join(dir, "test.sqlite") };
  const copied = template("sqliteTemplate");
  if (copied) copyFileSync(copied, options.sqliteFile as string);
  const db = openDatabase(options);
  if (!copied) await migrateToLatest(db);
  return {
    db,
    options,
    async close() {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The one caller of `createDatabaseWithOneCaller`: user u1 of organisation o1 under host h. */
export const oneCallerScope = { hostId: "h", orgId: "o1", userId: "u1" } as const;

/**
 * A fresh database holding one host and one caller recorded as a portal's token records it, for the store tests that
 * read that caller (`oneCallerScope`).
 */
export async function createDatabaseWithOneCaller(clock: Clock): Promise<TestDatabase> {
  const database = await createTestDatabase();
  await database.db
    .insertInto("hosts")
    .values({ id: "h", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z" })
    .execute();
  await recordCaller(database.db, { iss: "h", org: "o1", sub: "u1", email: "u1@o1.example", role: "recruiter" }, clock);
  return database;
}
