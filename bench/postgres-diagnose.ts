/**
 * Where a PostgreSQL request's time goes over HTTP (issue 15): the server as
 * in production (bench/support/server-build.ts) on a schema of its own,
 * autocannon with 50 connections, and meanwhile
 * - CPU per request of the server process, of its PostgreSQL backends and of
 *   this process (autocannon), from /proc (the database on this machine);
 * - the pool's connections busy vs. idle, sampled from pg_stat_activity;
 * - statements per request from pg_stat_statements when it is installed;
 * - from inside the server (support/pg-count-hook.mjs): queries pg was asked for per request, by SQL text, named
 *   (prepared) or not, writes to the connections' sockets, rows and the µs pg spent turning them into objects.
 * Usage: TSUNAGU_BENCH_DATABASE_URL=postgres://… npx tsx postgres-diagnose.ts [path] [seconds] [pool size]
 * (`--cpu-prof` profiles the server when DIAGNOSE_CPU_PROF names a directory.)
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { benchDirectory, benchKeys } from "./support/fixture.ts";
import { startProductionServer } from "./support/production-server.ts";
import { buildServer } from "./support/server-build.ts";

const path = process.argv[2] ?? "/v1/me";
const seconds = Number(process.argv[3] ?? 5);
const poolSize = process.argv[4];
const distinct = process.env.DIAGNOSE_DISTINCT === "1";
const baseUrl = process.env.TSUNAGU_BENCH_DATABASE_URL;
if (!baseUrl) throw new Error("set TSUNAGU_BENCH_DATABASE_URL");

const keys = await benchKeys();
const files = benchDirectory(keys.hostsEntries);
// DIAGNOSE_MAIN: a bundle built beforehand (another revision, inside packages/server) instead of this one.
const built = process.env.DIAGNOSE_MAIN ? { main: process.env.DIAGNOSE_MAIN, remove: () => undefined } : buildServer();
if (poolSize) {
  // Diagnosis only: the pool's size as asked, in the scratch bundle.
  const source = readFileSync(built.main, "utf8");
  writeFileSync(built.main, source.replace("max: options.poolSize ?? 10", `max: ${Number(poolSize)}`));
}
const app = `diag_${randomBytes(4).toString("hex")}`;
const schema = `bench_${app}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`create schema ${schema}`);
const url = new URL(baseUrl);
url.searchParams.set("options", `-c search_path=${schema}`);
url.searchParams.set("application_name", app);

const countsFile = join(tmpdir(), `${app}-pg-counts.json`);
const started = await startProductionServer({
  main: built.main,
  hostsFile: files.hostsFile,
  dataDir: `${files.dir}/data`,
  databaseUrl: url.toString(),
  nodeArgs: process.env.DIAGNOSE_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.DIAGNOSE_CPU_PROF}`] : [],
  env: {
    NODE_OPTIONS: `--import ${new URL("./support/pg-count-hook.mjs", import.meta.url).pathname}`,
    BENCH_PG_COUNTS: countsFile,
  },
});
/** The server's pg counts since the last call (the hook resets them on SIGUSR2). */
async function serverCounts(): Promise<PgCounts> {
  writeFileSync(countsFile, "");
  process.kill(started.pid, "SIGUSR2");
  for (let waited = 0; waited < 5_000; waited += 20) {
    if (existsSync(countsFile) && readFileSync(countsFile, "utf8") !== "") break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return JSON.parse(readFileSync(countsFile, "utf8")) as PgCounts;
}
interface PgCounts {
  queries: number;
  named: number;
  texts: Record<string, number>;
  socketWrites: number;
  socketBytes: number;
  rowParseMs: number;
  rows: number;
}
const server = started.url;

const tokens = distinct ? await keys.distinctCallerTokens("HS256", 50) : [keys.tokens.HS256];
let opened = 0;
// One token per connection: with DIAGNOSE_DISTINCT=1 each connection is another caller.
const run = (duration: number) =>
  autocannon({
    url: `${server}${path}`,
    connections: 50,
    duration,
    setupClient: (client: { setHeaders(headers: Record<string, string>): void }) =>
      client.setHeaders({
        authorization: `Bearer ${tokens[opened++ % tokens.length]}`,
        origin: "https://portal.example",
      }),
  });

/** utime + stime in clock ticks (100 a second). */
const ticks = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
};
const backendPids = async () =>
  (await admin.query("select pid from pg_stat_activity where application_name = $1", [app])).rows.map(
    (row) => row.pid as number,
  );

await run(2);
const statements = await admin
  .query("select pg_stat_statements_reset()")
  .then(() => true)
  .catch(() => false);
const pids = await backendPids();
await serverCounts();
const before = { server: ticks(started.pid), backends: pids.map(ticks), self: process.cpuUsage() };
const samples: { active: number; idle: number }[] = [];
let sampling = true;
const sampler = (async () => {
  const watcher = new pg.Client({ connectionString: baseUrl });
  await watcher.connect();
  while (sampling) {
    const { rows } = await watcher.query(
      "select count(*) filter (where state = 'active')::int as active, " +
        "count(*) filter (where state like 'idle%')::int as idle from pg_stat_activity where application_name = $1",
      [app],
    );
    samples.push(rows[0]);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await watcher.end();
})();
const result = await run(seconds);
sampling = false;
await sampler;
const counts = await serverCounts();
const after = { server: ticks(started.pid), backends: pids.map(ticks), self: process.cpuUsage(before.self) };
const requests = result.requests.total;
const perRequest = (ticksUsed: number) => ((ticksUsed * 10_000) / requests).toFixed(1);
const backendTicks = after.backends.reduce((sum, value, index) => sum + value - before.backends[index]!, 0);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
console.log(
  `${path} ${distinct ? "50 tokens" : "1 token"} pool ${poolSize ?? 10}: ${result.requests.average} req/s, ` +
    `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
);
console.log(
  `CPU µs/request: server ${perRequest(after.server - before.server)}, ` +
    `PostgreSQL backends (${pids.length}) ${perRequest(backendTicks)}, ` +
    `autocannon ${((after.self.user + after.self.system) / requests).toFixed(1)}`,
);
console.log(
  `pool connections (pg_stat_activity, ${samples.length} samples): ` +
    `active ${mean(samples.map((s) => s.active)).toFixed(2)}, idle ${mean(samples.map((s) => s.idle)).toFixed(2)}`,
);
const per = (value: number) => (value / requests).toFixed(3);
console.log(
  `pg in the server, per request: ${per(counts.queries)} queries (${per(counts.named)} named), ` +
    `${per(counts.socketWrites)} socket writes (${per(counts.socketBytes)} B), ${per(counts.rows)} rows, ` +
    `row parsing ${((counts.rowParseMs * 1000) / requests).toFixed(2)} µs`,
);
for (const [text, calls] of Object.entries(counts.texts)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 6))
  console.log(`  ${per(calls)}/request: ${text}`);
if (statements) {
  const { rows } = await admin.query(
    "select calls::int, round(total_exec_time::numeric, 1) as ms, left(query, 70) as query from pg_stat_statements " +
      "where dbid = (select oid from pg_database where datname = current_database()) and query like '%users%' " +
      "order by calls desc limit 3",
  );
  for (const row of rows)
    console.log(
      `statements: ${row.calls} calls (${(row.calls / requests).toFixed(3)}/request), ${row.ms} ms exec: ${row.query}`,
    );
}
await started.stop();
await admin.query(`drop schema ${schema} cascade`);
await admin.end();
files.cleanup();
if (existsSync(countsFile)) rmSync(countsFile);
built.remove();
