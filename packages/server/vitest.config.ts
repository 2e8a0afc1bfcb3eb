import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const postgresUrl = process.env.TSUNAGU_TEST_DATABASE_URL || "postgres://tsunagu:tsunagu@127.0.0.1:5432/tsunagu_test";

/**
 * The whole server suite runs twice: on SQLite and on PostgreSQL, as one run whose files of both projects share the
 * workers. Vitest's default (one worker fewer than the cores) is a single worker on a 2-core machine, and most of a
 * server test's time is spent waiting (on the fakes' held answers, on a server process starting or recovering, on
 * PostgreSQL), not computing: two workers per core keep the cores busy while files wait. Every file has its own
 * database (a temporary SQLite file, a PostgreSQL schema) and binds its ports on 0, so files do not meet.
 * TSUNAGU_TEST_WORKERS overrides the count.
 */
const workers = Number(process.env.TSUNAGU_TEST_WORKERS) || Math.max(2, 2 * availableParallelism());

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 90_000,
    maxWorkers: workers,
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
