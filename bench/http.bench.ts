/**
 * Throughput over HTTP: the server started as in production (built by
 * `pnpm build` into plain JavaScript and run by Node as `pnpm start` runs
 * dist/main.js, configured by the environment, info-level log lines
 * written), on SQLite
 * and, when TSUNAGU_BENCH_DATABASE_URL (or TSUNAGU_TEST_DATABASE_URL) names
 * a PostgreSQL database, on a schema of its own there. With
 * TSUNAGU_BENCH_ROUTES=1 the same process serves the baselines
 * (src/routes/bench.ts): a bare Hono route and a jwtVerify-only route.
 * autocannon drives each route with 50 connections over loopback, one route
 * after the other in short rounds; the figure that matters is the ratio to
 * the bare route.
 *
 * Fairness (issue 15): every route is warmed before any round is measured
 * (the pool's connections opened, PostgreSQL's plans of the named statements
 * past their first custom ones, the JIT), and the rounds alternate the order
 * of the routes (listed order, then reversed), so no route is always the
 * first after the warm-up or always follows the same neighbour. Each round's
 * ratio is printed and kept in the table. Besides requests per second, the
 * server's CPU per request (/proc), the bare route's too, and, on PostgreSQL,
 * the CPU of its pool's backends per request (found by the application_name
 * the bench gives them).
 *
 *   BENCH_HTTP_DATABASES=postgres BENCH_HTTP_ROUTES="/v1/me, HS256;/v1/accounts" npx tsx http.bench.ts
 * (a subset; the bare route always runs); BENCH_SERVER_NODE_ARGS="--max-semi-space-size=32" starts the server with
 * those Node options, for a side-by-side run of a runtime setting.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { connections, type LoadFigures, load } from "./support/autocannon-load.ts";
import { benchDirectory, benchKeys } from "./support/fixture.ts";
import { processCpuMs } from "./support/process-cpu.ts";
import { median, reportSection } from "./support/report.ts";
import { startProductionServer } from "./support/production-server.ts";
import { buildServer } from "./support/server-build.ts";

const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const postgresUrl = process.env.TSUNAGU_BENCH_DATABASE_URL || process.env.TSUNAGU_TEST_DATABASE_URL || undefined;
/**
 * Which databases (starts of their names, comma-separated) and routes (parts of their names, which hold commas:
 * separated by `;`) to run; all when unset.
 */
const databaseFilter = process.env.BENCH_HTTP_DATABASES?.toLowerCase().split(",");
const routeFilter = process.env.BENCH_HTTP_ROUTES?.split(";");

const keys = await benchKeys();
const files = benchDirectory(keys.hostsEntries);
const built = buildServer();

/** One statement on `url` over a connection of its own. */
async function onPostgres(url: string, statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

interface Database {
  url: string | undefined;
  /**
   * CPU milliseconds used so far by the server's PostgreSQL backends, those ended since counted with what they had
   * used when last seen, and how many there are now (0 on SQLite).
   */
  backends(): Promise<{ cpuMs: number; open: number }>;
  drop(): Promise<void>;
}

/**
 * A PostgreSQL schema of our own on the given database, dropped afterwards; the server's connections carry an
 * application_name of their own, by which their backends' CPU is found.
 */
async function ownSchema(url: string): Promise<Database> {
  const name = `bench_${randomBytes(6).toString("hex")}`;
  await onPostgres(url, `create schema ${name}`);
  const withSchema = new URL(url);
  withSchema.searchParams.set("options", `-c search_path=${name}`);
  withSchema.searchParams.set("application_name", name);
  const seen = new Map<number, number>();
  return {
    url: withSchema.toString(),
    async backends() {
      const { rows } = await onPostgres(url, `select pid from pg_stat_activity where application_name = '${name}'`);
      for (const { pid } of rows as { pid: number }[]) {
        try {
          seen.set(pid, processCpuMs(pid));
        } catch {
          // The backend ended meanwhile (the pool closed an idle connection): what it used when last seen counts.
        }
      }
      return { cpuMs: [...seen.values()].reduce((sum, value) => sum + value, 0), open: rows.length };
    },
    drop: async () => void (await onPostgres(url, `drop schema ${name} cascade`)),
  };
}

/** The server as `pnpm start` runs it, on SQLite in a directory of its own or on `databaseUrl`. */
async function startServer(databaseUrl: string | undefined) {
  return startProductionServer({
    main: built.main,
    hostsFile: files.hostsFile,
    dataDir: `${files.dir}/data-${randomBytes(4).toString("hex")}`,
    databaseUrl,
    // BENCH_SERVER_NODE_ARGS: Node's or V8's options for the server (a GC setting, say), for side-by-side runs.
    nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean),
  });
}

/** `token`: one for every connection, or one per connection (a different caller on each: keys.distinctCallerTokens). */
function loadRoute(url: string, path: string, token: string | readonly string[] | undefined, duration: number) {
  const headersOf = (bearer: string) => ({ authorization: `Bearer ${bearer}`, origin: "https://portal.example" });
  return load(
    url,
    typeof token === "string"
      ? { path, headers: headersOf(token) }
      : token === undefined
        ? { path }
        : { path, connectionHeaders: token.map(headersOf) },
    duration,
  );
}

/** One token per connection, each naming another caller: no caller's row is read by two connections. */
const distinctTokens = {
  HS256: await keys.distinctCallerTokens("HS256", connections),
  ES256: await keys.distinctCallerTokens("ES256", connections),
};
const tokenOf = (target: Target) =>
  target.token && (target.distinct ? distinctTokens[target.token] : keys.tokens[target.token]);

interface Target {
  name: string;
  path: string;
  token?: "HS256" | "ES256";
  distinct?: true;
}
const allTargets: Target[] = [
  { name: "bare Hono route", path: "/bench/bare" },
  { name: "jwtVerify only, HS256", path: "/bench/jwt", token: "HS256" },
  { name: "jwtVerify only, ES256", path: "/bench/jwt", token: "ES256" },
  { name: "GET /v1/me, HS256", path: "/v1/me", token: "HS256" },
  { name: "GET /v1/me, ES256", path: "/v1/me", token: "ES256" },
  { name: `GET /v1/me, HS256, ${connections} callers`, path: "/v1/me", token: "HS256", distinct: true },
  { name: "GET /v1/accounts, HS256", path: "/v1/accounts", token: "HS256" },
  { name: "GET /v1/accounts, ES256", path: "/v1/accounts", token: "ES256" },
  { name: `GET /v1/accounts, HS256, ${connections} callers`, path: "/v1/accounts", token: "HS256", distinct: true },
];
const targets = allTargets.filter(
  (target) => target.path === "/bench/bare" || !routeFilter || routeFilter.some((part) => target.name.includes(part)),
);

interface Run extends LoadFigures {
  ratio: number;
  /** Server CPU per request, µs; and the PostgreSQL backends' (0 on SQLite). */
  serverCpu: number;
  /** The server's CPU per request ÷ its CPU per request of the bare route in the same pair. */
  cpuRatio: number;
  backendCpu: number;
}

const rows: string[] = [];
const databases: { name: string; open: () => Promise<Database> }[] = [
  {
    name: "SQLite",
    open: async () => ({ url: undefined, backends: async () => ({ cpuMs: 0, open: 0 }), drop: async () => undefined }),
  },
  ...(postgresUrl ? [{ name: "PostgreSQL", open: () => ownSchema(postgresUrl) }] : []),
].filter((database) => !databaseFilter || databaseFilter.some((part) => database.name.toLowerCase().startsWith(part)));
try {
  for (const database of databases) {
    const schema = await database.open();
    const server = await startServer(schema.url);
    try {
      // Warm-up, before any measured round: every route twice, in both orders.
      for (const target of [...targets, ...[...targets].reverse()])
        await loadRoute(server.url, target.path, tokenOf(target), 1);
      // Short rounds, every route in each, each route right after a run of the bare route: the ratio is taken
      // within that pair, so a burst of load from elsewhere on the machine hits both sides of it alike. The order
      // of the routes alternates from round to round.
      const runs = new Map(targets.map((target) => [target.name, [] as Run[]]));
      for (let round = 0; round < rounds; round++) {
        const ordered = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of ordered) {
          const bareCpuBefore = processCpuMs(server.pid);
          const bare = await loadRoute(server.url, "/bench/bare", undefined, seconds);
          const bareCpu = (processCpuMs(server.pid) - bareCpuBefore) / (bare.requestsPerSecond * seconds);
          const cpuBefore = processCpuMs(server.pid);
          const backendsBefore = await schema.backends();
          const figures =
            target.path === "/bench/bare" ? bare : await loadRoute(server.url, target.path, tokenOf(target), seconds);
          const requests = figures.requestsPerSecond * seconds;
          const serverCpu = target.path === "/bench/bare" ? bareCpu : (processCpuMs(server.pid) - cpuBefore) / requests;
          const backendsAfter = await schema.backends();
          const backendCpu = backendsAfter.cpuMs - backendsBefore.cpuMs;
          if (figures.errors + bare.errors > 0) throw new Error(`${target.name}: ${figures.errors} failed requests`);
          const run = {
            ...figures,
            ratio: figures.requestsPerSecond / bare.requestsPerSecond,
            serverCpu: serverCpu * 1000,
            cpuRatio: serverCpu / bareCpu,
            backendCpu: target.path === "/bench/bare" ? Number.NaN : (backendCpu * 1000) / requests,
          };
          runs.get(target.name)!.push(run);
          console.error(
            `round ${round + 1} ${database.name} ${target.name}: ${run.ratio.toFixed(2)} × bare ` +
              `(${figures.requestsPerSecond.toFixed(0)} / ${bare.requestsPerSecond.toFixed(0)} req/s), ` +
              `server CPU ${run.serverCpu.toFixed(0)} µs/request (${run.cpuRatio.toFixed(2)} × bare), ` +
              `backends ${run.backendCpu.toFixed(0)} ` +
              `(connections ${backendsBefore.open} → ${backendsAfter.open})`,
          );
        }
      }
      for (const target of targets) {
        const of = (field: Exclude<keyof Run, "failures">) => median(runs.get(target.name)!.map((run) => run[field]));
        const each = runs
          .get(target.name)!
          .map((run) => run.ratio.toFixed(2))
          .join(" / ");
        const cpu = of("serverCpu").toFixed(0);
        const cpuRatio = target.path === "/bench/bare" ? "" : `${of("cpuRatio").toFixed(2)}×`;
        const backend = target.path === "/bench/bare" || !schema.url ? "" : of("backendCpu").toFixed(0);
        rows.push(
          `| ${database.name} | ${target.name} | ${of("requestsPerSecond").toFixed(0)} | ${of("p50")} | ${of("p99")} ` +
            `| ${of("ratio").toFixed(2)} | ${each} | ${cpu} | ${cpuRatio} | ${backend} |`,
        );
        console.error(rows.at(-1));
      }
    } finally {
      await server.stop();
      await schema.drop();
    }
  }
} finally {
  files.cleanup();
  built.remove();
}

if (!postgresUrl) rows.push("| PostgreSQL | not run: set TSUNAGU_BENCH_DATABASE_URL | | | | | | | | |");
reportSection(
  "2-http",
  [
    "## Throughput over HTTP (server as in production, autocannon, 50 connections, loopback)",
    "",
    `${rounds} rounds, each loading every route for ${seconds} s right after the bare route for as long; every ` +
      `route warmed before the first round, the order of the routes reversed every other round; medians over the ` +
      `rounds, each ratio taken within its pair, then each round's ratio; CPU per request of the server process ` +
      `and of its PostgreSQL backends (bench/http.bench.ts), the server's also as a multiple of its CPU per request ` +
      `of the bare route in the same pair (while the server's one thread is what limits, a route at half the bare ` +
      `route's requests/s costs twice its CPU). The load generator and PostgreSQL share the machine.`,
    "",
    "| database | route | requests/s | p50 ms | p99 ms | × bare route | each round | server µs CPU | " +
      "server CPU × bare | backends µs CPU |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
  ].join("\n"),
);
