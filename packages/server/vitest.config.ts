import { readdirSync, readFileSync } from "node:fs";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const postgresUrl = process.env.TSUNAGU_TEST_DATABASE_URL || "postgres://tsunagu:tsunagu@127.0.0.1:5432/tsunagu_test";

/**
 * The whole server suite runs twice: on SQLite and on PostgreSQL, as one run (one start-up, one report) whose files of
 * both projects share the workers. Every file has its own database (a temporary SQLite file, a PostgreSQL schema) and
 * binds its ports on 0, so files may run side by side. The worker count stays vitest's default (one fewer than the
 * cores: a single worker on 2 cores): `pnpm test` runs the widget suite and the scripts alongside this suite
 * (scripts/test.mjs), and they take the second core. With 3 or 8 workers on a loaded 2-core machine the timing-bound
 * tests failed (test/e2e/refresher-killed.test.ts; test/accounts/refresh.test.ts's lease renewal now runs on a moved
 * clock). TSUNAGU_TEST_WORKERS sets the count where the machine has room (e.g. CI alone on more cores).
 *
 * Modules are shared between the files a worker runs (`isolate: false`): importing the app afresh for every file
 * cost some 0.8 s a file, hundreds of times (issue ci7). A file that replaces a module with `vi.mock` needs its own
 * module graph, so such files run isolated, in the projects "sqlite-isolated" and "postgres-isolated" (select one
 * database's files with `--project 'sqlite*'`). The other files leave no global behind: a file that replaces a global
 * (fetch, timers) puts it back in its own after-hook.
 */
const workers = Number(process.env.TSUNAGU_TEST_WORKERS) || undefined;

const testFiles = readdirSync(new URL("test", import.meta.url), { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => `test/${file}`);
const mockingFiles = testFiles.filter((file) =>
  /\bvi\.(do)?mock\(/.test(readFileSync(new URL(file, import.meta.url), "utf8")),
);

function databaseProjects(name: string, databaseUrl: string): TestProjectInlineConfiguration[] {
  const env = { TSUNAGU_TEST_DATABASE_URL: databaseUrl };
  return [
    { extends: true, test: { name, include: ["test/**/*.test.ts"], exclude: mockingFiles, isolate: false, env } },
    { extends: true, test: { name: `${name}-isolated`, include: mockingFiles, env } },
  ];
}

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 90_000,
    // Migrates a template database once; each file's database is a copy (test/support/template-database.ts).
    globalSetup: ["test/support/template-database.ts"],
    ...(workers && { maxWorkers: workers }),
    projects: [...databaseProjects("sqlite", ""), ...databaseProjects("postgres", postgresUrl)],
  },
});
