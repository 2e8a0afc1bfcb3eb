/**
 * Prepared reads on PostgreSQL as a mature server runs them: each distinct
 * SQL text becomes a named statement, which the pool's connections parse and
 * plan once each (node-postgres remembers, per connection, the names it has
 * prepared) and afterwards only bind and execute. Kysely sends every query
 * unnamed, so the server parsed and planned the caller's row read again on
 * every authenticated request, and the server shares the machine's cores with
 * this process.
 *
 * The read goes to the same pool Kysely uses, outside any transaction: a
 * prepared read given a transaction (a Kysely `Transaction`) is not
 * registered here and runs in it through Kysely, as before.
 */
import type pg from "pg";

/** The rows of `sql` run as a named statement on `pool`; names are unique per SQL text within this process. */
export function namedStatementReader(
  pool: pg.Pool,
): (sql: string, parameters: readonly unknown[]) => Promise<unknown[]> {
  const names = new Map<string, string>();
  return async function readNamed(sql, parameters) {
    let name = names.get(sql);
    if (name === undefined) {
      name = `tsunagu_read_${names.size + 1}`;
      names.set(sql, name);
    }
    const result = await pool.query({ name, text: sql, values: parameters as unknown[] });
    return result.rows;
  };
}
