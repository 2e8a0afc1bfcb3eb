/**
 * Coalesced row reads, as a mature server issues them to a database across
 * the network (issue 15): the reads of single rows asked for in one turn of
 * the event loop go out together as one query for all of their keys, and
 * the same key asked for twice in that turn is read once for both.
 *
 * On PostgreSQL every query costs this process a write and a read on the
 * connection's socket, and the server a round of its protocol, which were
 * most of an authenticated request's time under load (bench/postgres-diagnose.ts);
 * fifty callers whose reads arrive together now cost one query.
 *
 * Nothing is answered from memory: a read joins only a batch that has not
 * been sent yet, so every caller's row comes from a query that started after
 * the caller asked (a write committed before is seen). A batch that fails
 * (the database is down) fails every read in it with the same error.
 *
 * A read answers every row of its key (one for a primary key, a list for an
 * owner's rows), in the order the query returned them.
 *
 * A batch of one key (the same caller's requests, or a quiet turn) goes out
 * as `readOne` when given: the statement for a set of keys costs PostgreSQL
 * its array parameters, a set-returning function and a hash of the keys on
 * every execution, measured at about five times the CPU of the primary-key
 * statement for one key (bench/postgres-statements.ts). Every row `readOne`
 * answers is its key's: they go to its callers as they are, not grouped by
 * `identifyRow`, so a statement for one key need not select its key columns.
 */
import { type RawBuilder, sql } from "kysely";
import type { DB } from "./database.ts";
import { isPostgres } from "./dialect.ts";

export interface ReadCoalescerOptions<Key, Row> {
  /** The identity of a key: keys with the same identity are read once per batch. */
  identify(key: Key): string;
  /** The identity of the key a returned row answers. */
  identifyRow(row: Row): string;
  /**
   * The key a batch reads for its reads of one identity, from the key read so far and a read joining it (the first
   * read's key when absent): a key may carry what differs between reads of one identity, such as the request's clock
   * the holds are read at (zoom-hosts/holds.ts reads the earliest, each read then leaving out what lapsed since).
   */
  joinKey?(pending: Key, joining: Key): Key;
  /** One query for all of `keys` (distinct), answering their rows (grouped by `identifyRow`, order kept). */
  readMany(keys: readonly Key[]): Promise<readonly Row[]>;
  /** The rows of one key (all of them its own), for a batch of one; `readMany` with one key when absent. */
  readOne?(key: Key): Promise<readonly Row[]>;
  /** Most keys in one query; more waiting go out in further queries in the same turn. */
  maxBatch?: number;
}

interface Waiting<Key, Row> {
  /** `identify(key)`, built once. */
  identity: string;
  key: Key;
  resolve: ((rows: Row[]) => void)[];
  reject: ((error: unknown) => void)[];
}

export type CoalescedRead<Key, Row> = (key: Key) => Promise<Row[]>;

export function createReadCoalescer<Key, Row>(options: ReadCoalescerOptions<Key, Row>): CoalescedRead<Key, Row> {
  const { identify, identifyRow, joinKey, readMany, readOne, maxBatch = 100 } = options;
  let pending = new Map<string, Waiting<Key, Row>>();
  let scheduled = false;

  function send(batch: Waiting<Key, Row>[]): void {
    const one = readOne && batch.length === 1;
    let read: Promise<readonly Row[]>;
    try {
      read = one ? readOne(batch[0]!.key) : readMany(batch.map((waiting) => waiting.key));
    } catch (error) {
      read = Promise.reject(error);
    }
    read.then(
      (rows) => {
        if (one) {
          // Each caller gets its own array: one changing its answer never changes another's.
          for (const resolve of batch[0]!.resolve) resolve([...rows]);
          return;
        }
        const byIdentity = new Map<string, Row[]>();
        for (const row of rows) {
          const identity = identifyRow(row);
          const group = byIdentity.get(identity);
          if (group) group.push(row);
          else byIdentity.set(identity, [row]);
        }
        for (const waiting of batch) {
          const group = byIdentity.get(waiting.identity) ?? [];
          // Each caller gets its own array: one changing its answer never changes another's.
          for (const resolve of waiting.resolve) resolve([...group]);
        }
      },
      (error: unknown) => {
        for (const waiting of batch) for (const reject of waiting.reject) reject(error);
      },
    );
  }

  function flush(): void {
    scheduled = false;
    const batch = [...pending.values()];
    pending = new Map();
    for (let start = 0; start < batch.length; start += maxBatch) send(batch.slice(start, start + maxBatch));
  }

  return function coalescedRead(key) {
    return new Promise<Row[]>((resolve, reject) => {
      const identity = identify(key);
      const waiting = pending.get(identity);
      if (waiting) {
        if (joinKey) waiting.key = joinKey(waiting.key, key);
        waiting.resolve.push(resolve);
        waiting.reject.push(reject);
      } else {
        pending.set(identity, { identity, key, resolve: [resolve], reject: [reject] });
      }
      if (!scheduled) {
        scheduled = true;
        // After the I/O callbacks of this turn: every request whose bytes arrived in it has asked by then.
        setImmediate(flush);
      }
    });
  };
}

/**
 * One coalescer per database for a kind of read, on PostgreSQL only and never for a transaction (its reads must run
 * in it): undefined there, and on SQLite, whose reads cost less than batching them.
 */
export function coalescedOnPostgres<Key, Row>(
  options: Omit<ReadCoalescerOptions<Key, Row>, "readMany" | "readOne"> & {
    readMany(db: DB, keys: readonly Key[]): Promise<readonly Row[]>;
    readOne?(db: DB, key: Key): Promise<readonly Row[]>;
  },
): (db: DB) => CoalescedRead<Key, Row> | undefined {
  const coalescers = new WeakMap<DB, CoalescedRead<Key, Row>>();
  return function coalescedReadOf(db) {
    if (db.isTransaction || !isPostgres(db as never)) return undefined;
    let read = coalescers.get(db);
    if (read === undefined) {
      const { readOne, readMany, ...rest } = options;
      read = createReadCoalescer({
        ...rest,
        readMany: (keys) => readMany(db, keys),
        ...(readOne && { readOne: (key: Key) => readOne(db, key) }),
      });
      coalescers.set(db, read);
    }
    return read;
  };
}

/**
 * PostgreSQL: the condition of a coalesced read, `(columns) in (the rows of these arrays)`: one text array per
 * column, the n-th key made of each array's n-th value. One SQL text whatever the number of keys, so one named
 * statement (prepared-read-postgres.ts).
 */
export function amongKeys(columns: readonly string[], arrays: readonly unknown[]): RawBuilder<boolean> {
  const keyColumns = sql.join(columns.map((column) => sql.ref(column)));
  return sql<boolean>`(${keyColumns}) in (select * from ${keyRows(arrays)})`;
}

/**
 * PostgreSQL: the keys of a coalesced read as rows, `unnest` of one text array per column (as `amongKeys` binds
 * them), for a statement that joins them: one whose keys are not all columns of the table read (a hold's interval is
 * asked about, not stored). Name its columns where it is aliased.
 */
export function keyRows<Row>(arrays: readonly unknown[]): RawBuilder<Row> {
  return sql<Row>`unnest(${sql.join(arrays.map((values) => sql`cast(${values} as text[])`))})`;
}
