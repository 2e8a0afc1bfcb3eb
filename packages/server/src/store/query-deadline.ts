/**
 * A bound on how long a PostgreSQL query waits for its answer. `statement_timeout` is PostgreSQL's own limit: it
 * holds only while the server can still answer. When the connection goes silent instead (a network partition, a
 * host that froze, a failover that left the old address unanswering), the kernel keeps the socket open for many
 * minutes, and the query, its request and its pool connection waited all that time; with every pooled connection so
 * stuck, each other request waited for one and was told `server_busy` although the database did not answer at all.
 *
 * Each pooled client's queries are therefore timed: one that has no answer `limitMs` after it was sent (longer than
 * `statement_timeout`, which PostgreSQL answers itself) ends its connection. pg then fails the query with "Connection
 * terminated" (`DatabaseUnavailableError`, 503 `database_unavailable`) and the pool replaces the connection. Queries
 * of `unlimited` (the migrations at start-up, which lift `statement_timeout`) are not timed.
 */
import type pg from "pg";
import type { Logger } from "../log.ts";

type Query = (...args: unknown[]) => unknown;

export interface QueryDeadline {
  /** Runs `work` with the limit lifted (on every client of the pool, for its duration). */
  unlimited<T>(work: () => Promise<T>): Promise<T>;
  /** Times the queries of a client the pool just connected. */
  watch(client: pg.PoolClient): void;
}

export function createQueryDeadline(limitMs: number, logger: Logger): QueryDeadline {
  let lifted = 0;
  return {
    async unlimited(work) {
      lifted++;
      try {
        return await work();
      } finally {
        lifted--;
      }
    },
    watch(client) {
      // The class's own `query`, looked up at each call (so whatever wraps it there, a test counting round trips
      // say, still sees every query).
      const query: Query = (...args) => (Object.getPrototypeOf(client).query as Query).apply(client, args);
      const timed: Query = (...args) => {
        if (lifted > 0) return query(...args);
        const timer = setTimeout(() => {
          logger.warn("a database query got no answer in time; its connection is closed", { limitMs });
          // pg fails the query (and any queued behind it) as the connection ends, and the pool drops the client.
          (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        }, limitMs);
        const last = args.at(-1);
        if (typeof last === "function") {
          // The callback form (pg-pool's `pool.query`).
          args[args.length - 1] = (...results: unknown[]) => {
            clearTimeout(timer);
            last(...results);
          };
          return query(...args);
        }
        const result = query(...args);
        if (result instanceof Promise) return result.finally(() => clearTimeout(timer));
        clearTimeout(timer);
        return result;
      };
      (client as unknown as { query: Query }).query = timed;
    },
  };
}
