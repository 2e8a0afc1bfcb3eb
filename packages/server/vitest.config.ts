import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

const postgresUrl = process.env.TSUNAGU_TEST_DATABASE_URL || "postgres://tsunagu:tsunagu@127.0.0.1:5432/tsunagu_test";

/**
 * The whole server suite runs twice: on SQLite and on PostgreSQL, as one run whose files of both projects share the
 * workers. Vitest's default (one worker fewer than the cores) is a single worker on a 2-core machine, and much of a
 * server test's time is spent waiting (on the fakes' held answers, on a server process starting or recovering, on
 * PostgreSQL), not computing: one worker more than the cores keeps them busy while a file waits. More oversubscribes a
 * shared machine until 20 s test timeouts fire. Every file has its own database (a temporary SQLite file, a
 * PostgreSQL schema) and binds its ports on 0, so files do not meet. TSUNAGU_TEST_WORKERS overrides the count.
 */
const workers = Number(process.env.TSUNAGU_TEST_WORKERS) || availableParallelism() + 1;

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
