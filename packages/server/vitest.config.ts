import { defineConfig } from "vitest/config";

const postgresUrl = process.env.TSUNAGU_TEST_DATABASE_URL || "postgres://tsunagu:tsunagu@127.0.0.1:5432/tsunagu_test";

/** The whole server suite runs twice: on SQLite and on PostgreSQL. */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 90_000,
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
