/**
 * A read compiled to SQL once per database, then run with each call's values.
 * Building and compiling a Kysely query cost more than the indexed read it
 * describes (bench/host-token.bench.ts), and the reads every authenticated
 * request makes (the caller's user row, the account lists) never change shape.
 *
 * The query is built once with a stand-in for each named value; the compiled
 * SQL's parameters then tell in which order the real values are bound, so the
 * order of the `where`s in the builder does not matter. SQLite statements are
 * prepared once as well (statement-cache.ts), and run at once when no
 * transaction is open: Kysely's connection queue and driver layers cost about
 * as much as the indexed read itself (issue 15). On PostgreSQL they run as
 * named statements, parsed and planned once per connection.
 */
import type { CompiledQuery } from "kysely";
import { classifyDatabaseError } from "./availability.ts";
import type { DB } from "./database.ts";

/**
 * Runs a prepared read outside Kysely: SQLite's answers at once, or undefined when a transaction is open and the read
 * must queue; PostgreSQL's runs it as a named statement (prepared-read-postgres.ts).
 */
type IdleReader = (
  sql: string,
  parameters: readonly unknown[],
) => unknown[] | undefined | Promise<unknown[] | undefined>;
const idleReaders = new WeakMap<DB, IdleReader>();

/** Lets prepared reads on `db` (opened by database.ts, not a transaction) run without Kysely's queue and driver. */
export function readPreparedWhenIdle(db: DB, reader: IdleReader): void {
  idleReaders.set(db, reader);
}

export function preparedRead<Row, Name extends string>(
  names: readonly Name[],
  build: (db: DB, values: Readonly<Record<Name, string>>) => { compile(): CompiledQuery<Row> },
): (db: DB, values: Readonly<Record<Name, unknown>>) => Promise<Row[]> {
  const compiled = new WeakMap<DB, { query: CompiledQuery<Row>; order: readonly Name[] }>();
  return async function runPreparedRead(db, values) {
    let entry = compiled.get(db);
    if (entry === undefined) {
      const standIns = Object.fromEntries(names.map((name) => [name, `:prepared-read:${name}`])) as Record<
        Name,
        string
      >;
      const query = build(db, standIns).compile();
      const order = query.parameters.map((parameter) => {
        const name = names.find((candidate) => standIns[candidate] === parameter);
        if (name === undefined)
          throw new Error(`preparedRead: the query binds a value that is none of ${names.join(", ")}`);
        return name;
      });
      entry = { query, order };
      compiled.set(db, entry);
    }
    const parameters = entry.order.map((name) => values[name]);
    const idleReader = idleReaders.get(db);
    if (idleReader !== undefined) {
      let rows: unknown[] | undefined;
      try {
        const read = idleReader(entry.query.sql, parameters);
        rows = read instanceof Promise ? await read : read;
      } catch (error) {
        throw classifyDatabaseError(error);
      }
      if (rows !== undefined) return rows as Row[];
    }
    const { rows } = await db.executeQuery<Row>({ ...entry.query, parameters });
    return rows;
  };
}
