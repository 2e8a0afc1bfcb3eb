/**
 * What a read's statement costs PostgreSQL itself (issue 15): the CPU of the
 * server's backend per execution, from /proc/<pid>/stat (the database on this
 * machine), for the shapes the coalesced reads could take
 * (packages/server/src/store/read-coalescer.ts), each run as a named
 * statement as the server runs them, on a `users` table of 500 rows (or as
 * many as given) in a schema of its own: the set of keys as arrays (unnest),
 * the same joined, each key's row looked up by its index (a lateral join the
 * planner cannot turn into a hash join), `= any` on each key column, a list
 * of key rows, and the primary key of one row.
 * Rounds alternate the shapes, so a burst of load from elsewhere hits each alike.
 *
 *   TSUNAGU_BENCH_DATABASE_URL=postgres://… npx tsx postgres-statements.ts \
 *     [keys per statement] [executions] [table rows]
 *
 * PLAN_CACHE_MODE=force_generic_plan (or force_custom_plan) sets PostgreSQL's plan_cache_mode for the run: under
 * `auto` PostgreSQL plans a named statement again on every execution while its plans for the values given look
 * cheaper than its plan for any values.
 */
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";

const keyCount = Number(process.argv[2] ?? 1);
const executions = Number(process.argv[3] ?? 3_000);
const tableRows = Number(process.argv[4] ?? 500);
const url = process.env.TSUNAGU_BENCH_DATABASE_URL;
if (!url) throw new Error("set TSUNAGU_BENCH_DATABASE_URL");
const schema = `bench_${randomBytes(6).toString("hex")}`;
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query(`create schema ${schema}`);
await client.query(`set search_path = ${schema}`);
const planCacheMode = process.env.PLAN_CACHE_MODE;
if (planCacheMode) {
  if (!["auto", "force_generic_plan", "force_custom_plan"].includes(planCacheMode))
    throw new Error("PLAN_CACHE_MODE: auto, force_generic_plan or force_custom_plan");
  await client.query(`set plan_cache_mode = ${planCacheMode}`);
}
await client.query(
  "create table users (host_id text not null, org_id text not null, user_id text not null, email text not null, " +
    "name text, role text not null, locale text, time_zone text, first_seen_at text not null, " +
    "last_seen_at text not null, primary key (host_id, org_id, user_id))",
);
const now = new Date().toISOString();
for (let index = 0; index < tableRows; index++)
  await client.query("insert into users values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)", [
    "bench-portal",
    `org-${index % 5}`,
    `user-${index}`,
    `user-${index}@example.com`,
    `User ${index}`,
    "member",
    "ja",
    "Asia/Tokyo",
    now,
  ]);
await client.query("analyze users");
const backend = (await client.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
/** utime + stime of the backend, in clock ticks (100 a second). */
const ticks = () => {
  const fields = readFileSync(`/proc/${backend}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
};

const keys = Array.from({ length: keyCount }, (_, index) => ["bench-portal", `org-${index % 5}`, `user-${index}`]);
const columns = [0, 1, 2].map((column) => keys.map((key) => key[column]!));
const keyRows = keys.map((_, index) => `($${3 * index + 1}, $${3 * index + 2}, $${3 * index + 3})`).join(", ");
const arrays = "cast($1 as text[]), cast($2 as text[]), cast($3 as text[])";
const shapes: Record<string, { text: string; values: unknown[] }> = {
  "unnest (as read-coalescer.ts's amongKeys)": {
    text: `select * from users where (host_id, org_id, user_id) in (select * from unnest(${arrays}))`,
    values: columns,
  },
  "unnest joined": {
    text:
      `select u.* from unnest(${arrays}) k(h, o, u) join users u ` +
      "on u.host_id = k.h and u.org_id = k.o and u.user_id = k.u",
    values: columns,
  },
  "unnest, each key's row by its index (lateral, offset 0)": {
    text:
      `select u.* from unnest(${arrays}) k(h, o, u) cross join lateral ` +
      "(select * from users where host_id = k.h and org_id = k.o and user_id = k.u offset 0) u",
    values: columns,
  },
  "= any on each key column": {
    text: "select * from users where host_id = any($1) and org_id = any($2) and user_id = any($3)",
    values: columns,
  },
  "list of key rows": {
    text: `select * from users where (host_id, org_id, user_id) in (${keyRows})`,
    values: keys.flat(),
  },
  "primary key of the first key": {
    text: "select * from users where host_id = $1 and org_id = $2 and user_id = $3",
    values: keys[0]!,
  },
};
const figures = new Map<string, number[]>();
try {
  for (let round = 0; round < 3; round++)
    for (const [name, { text, values }] of Object.entries(shapes)) {
      const before = ticks();
      for (let run = 0; run < executions; run++) await client.query({ name: name.replace(/\W+/g, "_"), text, values });
      figures.set(name, [...(figures.get(name) ?? []), ((ticks() - before) * 10_000) / executions]);
    }
  console.log(`PostgreSQL backend CPU µs per execution, ${keyCount} key(s), 3 rounds (median):`);
  for (const [name, values] of figures) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(`${sorted[1]!.toFixed(0).padStart(6)}  ${name}`);
  }
} finally {
  await client.query(`drop schema ${schema} cascade`);
  await client.end();
}
