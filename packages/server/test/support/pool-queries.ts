import { type DB, postgresPoolOf } from "../../src/store/database.ts";

/** The pool connections `db` takes while `run` runs: one for each query the app sends (none on SQLite). */
export async function queriesDuring<T>(db: DB, run: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const pool = postgresPoolOf(db);
  let queries = 0;
  const count = () => {
    queries += 1;
  };
  pool?.on("acquire", count);
  try {
    return { result: await run(), queries };
  } finally {
    pool?.off("acquire", count);
  }
}
