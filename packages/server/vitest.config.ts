import { defineConfig } from "vitest/config";

const postgresUrl = process.env.TSUNAGU_TEST_DATABASE_URL || "postgres://tsunagu:tsunagu@127.0.0.1:5432/tsunagu_test";

/**
 * The whole server suite runs twice: on SQLite and on PostgreSQL, as one run (one start-up, one report) whose files of
 * both projects share the workers. Every file has its own database (a temporary SQLite file, a PostgreSQL schema) and
 * binds its ports on 0, so files may run side by side. The worker count stays vitest's default (one fewer than the
 * cores: a single worker on 2 cores): with 3 or 8 workers on a loaded 2-core machine the timing-bound tests
 * (test/accounts/refresh.test.ts's lease renewal, test/e2e/refresher-killed.test.ts) failed. TSUNAGU_TEST_WORKERS
 * sets the count where the machine has room (e.g. CI alone on more cores).
 */
const workers = Number(process.env.TSUNAGU_TEST_WORKERS) || undefined;

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 90_000,
    // Migrates a template database once; each file's database is a copy (test/support/template-database.ts).
    globalSetup: ["test/support/template-database.ts"],
    ...(workers && { maxWorkers: workers }),
    projects: [
      {
        extends: true,
        test: { name: "sqlite", include: ["test/**/*.test.ts"], env: { TSUNAGU_TEST_DATABASE_URL: "" } },
      },
      {
        extends: true,
        test: { name: "postgres", include: ["test/**/*.test.ts"], env: { TSUNAGU_TEST_DATABASE_URL: postgresUrl } },
      },
    ],
  },
});
