/**
 * Two builds of the server side by side on PostgreSQL (issue 15): each started
 * as in production (support/production-server.ts) on a schema of its own, and
 * in alternating rounds each build's bare route then a route, autocannon with
 * 50 connections; per round the route's ratio to its own bare route, the
 * server CPU per request and that of its PostgreSQL backends (/proc; the
 * backends found by an application_name of each build's own), so that the
 * load of the machine hits both builds alike. Not part of `pnpm bench`:
 *
 *   TSUNAGU_BENCH_DATABASE_URL=postgres://… npx tsx profile-builds.ts <before/main.js> <after/main.js> [route] [rounds]
 *
 * Build a revision with `node scripts/build.mjs $PWD/.dist-bench-<name>` inside packages/server (so that its imports
 * resolve).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { load } from "./support/autocannon-load.ts";
import { benchDirectory, benchKeys } from "./support/fixture.ts";
import { startProductionServer } from "./support/production-server.ts";

const [before, after, route = "/v1/me", roundsText = "4"] = process.argv.slice(2);
if (!before || !after) throw new Error("usage: profile-builds.ts <before main.js> <after main.js> [route] [rounds]");
const baseUrl = process.env.TSUNAGU_BENCH_DATABASE_URL;
if (!baseUrl) throw new Error("set TSUNAGU_BENCH_DATABASE_URL");
const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const distinct = process.env.BENCH_DISTINCT === "1";
const keys = await benchKeys();
const files = benchDirectory(keys.hostsEntries);
const tokens = distinct ? await keys.distinctCallerTokens("HS256", 50) : [keys.tokens.HS256];

async function onPostgres(statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}
const ticks = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
};

const builds = [
  { name: "before", main: before },
  { name: "after", main: after },
];
interface BuildRun {
  name: string;
  main: string;
  schema: string;
  server: Awaited<ReturnType<typeof startProductionServer>>;
  ratios: number[];
  cpu: number[];
  backendCpu: number[];
  rps: number[];
  /** CPU ticks of each backend of the build's pool when last seen (one ended meanwhile keeps its last figure). */
  backends: Map<number, number>;
}
const servers: BuildRun[] = [];
for (const build of builds) {
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  await onPostgres(`create schema ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  url.searchParams.set("application_name", schema);
  const server = await startProductionServer({
    main: build.main,
    hostsFile: files.hostsFile,
    dataDir: `${files.dir}/data-${build.name}`,
    databaseUrl: url.toString(),
  });
  servers.push({
    ...build,
    schema,
    server,
    ratios: [],
    cpu: [],
    backendCpu: [],
    rps: [],
    backends: new Map(),
  });
}
/** CPU ticks used so far by the PostgreSQL backends of `entry`'s pool. */
async function backendTicks(entry: BuildRun): Promise<number> {
  const { rows } = await onPostgres(`select pid from pg_stat_activity where application_name = '${entry.schema}'`);
  for (const { pid } of rows as { pid: number }[]) {
    try {
      entry.backends.set(pid, ticks(pid));
    } catch {
      // Ended meanwhile.
    }
  }
  return [...entry.backends.values()].reduce((sum, value) => sum + value, 0);
}
const headersOf = (index: number) => ({
  authorization: `Bearer ${tokens[index % tokens.length]}`,
  origin: "https://portal.example",
});
try {
  for (const { server } of servers) {
    await load(server.url, { path: "/bench/bare" }, 1);
    await load(server.url, { path: route, headers: headersOf(0) }, 1);
  }
  for (let round = 0; round < Number(roundsText); round++)
    for (const entry of round % 2 === 0 ? servers : [...servers].reverse()) {
      const bare = await load(entry.server.url, { path: "/bench/bare" }, seconds);
      const cpuBefore = ticks(entry.server.pid);
      const backendsBefore = await backendTicks(entry);
      // One caller per connection when BENCH_DISTINCT=1: autocannon's headers are per run, so split the token list.
      const figures = await load(entry.server.url, { path: route, headers: headersOf(round) }, seconds);
      const requests = figures.requestsPerSecond * seconds;
      entry.cpu.push(((ticks(entry.server.pid) - cpuBefore) * 10_000) / requests);
      entry.backendCpu.push((((await backendTicks(entry)) - backendsBefore) * 10_000) / requests);
      entry.ratios.push(figures.requestsPerSecond / bare.requestsPerSecond);
      entry.rps.push(figures.requestsPerSecond);
      if (figures.errors + bare.errors > 0) throw new Error(`${entry.name}: ${figures.failures}`);
    }
  for (const entry of servers)
    console.log(
      `${entry.name}: ${route} × bare ${entry.ratios.map((ratio) => ratio.toFixed(2)).join(" ")}; ` +
        `req/s ${entry.rps.map((value) => value.toFixed(0)).join(" ")}; ` +
        `server CPU µs/request ${entry.cpu.map((value) => value.toFixed(0)).join(" ")}; ` +
        `backends µs/request ${entry.backendCpu.map((value) => value.toFixed(1)).join(" ")}`,
    );
} finally {
  for (const { server, schema } of servers) {
    await server.stop();
    await onPostgres(`drop schema ${schema} cascade`);
  }
  files.cleanup();
}
