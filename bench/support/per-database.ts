/**
 * Runs a bench once per database, each in a child process of its own (the
 * server's test support reads the database from the environment once):
 * the bench file started again with `--child sqlite|postgres` prints its
 * result as one JSON line, which the parent collects. PostgreSQL runs when
 * TSUNAGU_BENCH_DATABASE_URL (or TSUNAGU_TEST_DATABASE_URL) names a database.
 */
import { spawnSync } from "node:child_process";
import { buildServer } from "./server-build.ts";

export const postgresUrl = process.env.TSUNAGU_BENCH_DATABASE_URL || process.env.TSUNAGU_TEST_DATABASE_URL || undefined;

export type DatabaseName = "SQLite" | "PostgreSQL";

/** In a child: the database it runs on; undefined in the parent. */
export function childDatabase(): DatabaseName | undefined {
  const index = process.argv.indexOf("--child");
  if (index < 0) return undefined;
  return process.argv[index + 1] === "postgres" ? "PostgreSQL" : "SQLite";
}

/** In a child: hands the result to the parent. */
export function reportToParent(result: unknown): void {
  process.stdout.write(`\nresult ${JSON.stringify(result)}\n`);
}

/** In the parent: runs `benchFile` on each database, its result per database. */
export function runPerDatabase<T>(benchFile: string, env: Record<string, string>): Map<DatabaseName, T> {
  const results = new Map<DatabaseName, T>();
  for (const database of ["sqlite", ...(postgresUrl ? ["postgres"] : [])]) {
    const child = spawnSync(process.execPath, ["--import", "tsx", benchFile, "--child", database], {
      encoding: "utf8",
      env: { ...process.env, ...env, TSUNAGU_TEST_DATABASE_URL: database === "postgres" ? postgresUrl : "" },
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = child.stdout.split("\n").find((text) => text.startsWith("result "));
    if (child.status !== 0 || !line) throw new Error(`the ${database} run failed (${child.status}):\n${child.stdout}`);
    results.set(database === "postgres" ? "PostgreSQL" : "SQLite", JSON.parse(line.slice("result ".length)) as T);
  }
  return results;
}

/**
 * The start-up of a bench that measures the built server on each database: in a child, `measure` on the child's
 * database (the bundle's path in BENCH_BUILT_MAIN), handed to the parent, and the child exits; in the parent, the
 * server built once, the bench file run once per database, the build removed, and the results per database.
 */
export async function runOnBuiltServer<T>(
  benchUrl: string,
  measure: (database: DatabaseName) => Promise<T>,
): Promise<Map<DatabaseName, T>> {
  const database = childDatabase();
  if (database) {
    reportToParent(await measure(database));
    process.exit(0);
  }
  const built = buildServer();
  try {
    return runPerDatabase<T>(new URL(benchUrl).pathname, { BENCH_BUILT_MAIN: built.main });
  } finally {
    built.remove();
  }
}
