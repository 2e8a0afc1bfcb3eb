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
 */
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import pg from "pg";
import { benchDirectory, benchKeys } from "./support/fixture.ts";
import { median, reportSection } from "./support/report.ts";
import { startProductionServer } from "./support/production-server.ts";
import { buildServer } from "./support/server-build.ts";

const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const connections = 50;
const postgresUrl = process.env.TSUNAGU_BENCH_DATABASE_URL || process.env.TSUNAGU_TEST_DATABASE_URL || undefined;

const keys = await benchKeys();
const files = benchDirectory(keys.hostsEntries);
const built = buildServer();

/** A PostgreSQL schema of our own on the given database, dropped afterwards. */
async function ownSchema(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `bench_${randomBytes(6).toString("hex")}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  await run(`create schema ${schema}`);
  const withSchema = new URL(url);
  withSchema.searchParams.set("options", `-c search_path=${schema}`);
  return { url: withSchema.toString(), drop: () => run(`drop schema ${schema} cascade`) };
}

/** The server as `pnpm start` runs it, on SQLite in a directory of its own or on `databaseUrl`. */
async function startServer(databaseUrl: string | undefined): Promise<{ url: string; stop(): Promise<void> }> {
  return startProductionServer({
    main: built.main,
    hostsFile: files.hostsFile,
    dataDir: `${files.dir}/data-${randomBytes(4).toString("hex")}`,
    databaseUrl,
  });
}

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `token`: one for every connection, or one per connection (a different caller on each: keys.distinctCallerTokens). */
async function load(
  url: string,
  path: string,
  token: string | readonly string[] | undefined,
  duration: number,
): Promise<Figures> {
  const headersOf = (bearer: string) => ({ authorization: `Bearer ${bearer}`, origin: "https://portal.example" });
  let opened = 0;
  const result = await autocannon({
    url: `${url}${path}`,
    connections,
    duration,
    headers: typeof token === "string" ? headersOf(token) : {},
    ...(Array.isArray(token) && {
      setupClient: (client: { setHeaders(headers: Record<string, string>): void }) =>
        client.setHeaders(headersOf(token[opened++ % token.length]!)),
    }),
  });
  // The requests still in flight when the run ended are answered before the next run starts: one more request
  // waits behind them.
  await (await fetch(`${url}/bench/bare`)).arrayBuffer();
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
  };
}

/** One token per connection, each naming another caller: no caller's row is read by two connections. */
const distinctTokens = {
  HS256: await keys.distinctCallerTokens("HS256", connections),
  ES256: await keys.distinctCallerTokens("ES256", connections),
};
const tokenOf = (target: (typeof targets)[number]) =>
  target.token && (target.distinct ? distinctTokens[target.token] : keys.tokens[target.token]);

const targets: { name: string; path: string; token?: "HS256" | "ES256"; distinct?: true }[] = [
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

const rows: string[] = [];
const databases: { name: string; url: () => Promise<{ url: string | undefined; drop(): Promise<void> }> }[] = [
  { name: "SQLite", url: async () => ({ url: undefined, drop: async () => undefined }) },
  ...(postgresUrl ? [{ name: "PostgreSQL", url: () => ownSchema(postgresUrl) }] : []),
];
try {
  for (const database of databases) {
    const schema = await database.url();
    const server = await startServer(schema.url);
    try {
      // Warm up.
      for (const target of targets) await load(server.url, target.path, tokenOf(target), 1);
      // Short rounds, every route in each, each route right after a run of the bare route: the ratio is taken
      // within that pair, so a burst of load from elsewhere on the machine hits both sides of it alike.
      const runs = new Map(targets.map((target) => [target.name, [] as (Figures & { ratio: number })[]]));
      for (let round = 0; round < rounds; round++) {
        for (const target of targets) {
          const bare = await load(server.url, "/bench/bare", undefined, seconds);
          const figures =
            target.path === "/bench/bare" ? bare : await load(server.url, target.path, tokenOf(target), seconds);
          if (figures.errors + bare.errors > 0) throw new Error(`${target.name}: ${figures.errors} failed requests`);
          runs.get(target.name)!.push({ ...figures, ratio: figures.requestsPerSecond / bare.requestsPerSecond });
        }
      }
      for (const target of targets) {
        const of = (field: keyof Figures | "ratio") => median(runs.get(target.name)!.map((run) => run[field]));
        rows.push(
          `| ${database.name} | ${target.name} | ${of("requestsPerSecond").toFixed(0)} | ${of("p50")} | ${of("p99")} ` +
            `| ${of("ratio").toFixed(2)} |`,
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

if (!postgresUrl) rows.push("| PostgreSQL | not run: set TSUNAGU_BENCH_DATABASE_URL | | | | |");
reportSection(
  "2-http",
  [
    "## Throughput over HTTP (server as in production, autocannon, 50 connections, loopback)",
    "",
    `${rounds} rounds, each loading every route for ${seconds} s right after the bare route for as long (after a ` +
      `warm-up); medians over the rounds, each ratio taken within its pair (bench/http.bench.ts). The load ` +
      `generator shares the machine.`,
    "",
    "| database | route | requests/s | p50 ms | p99 ms | × bare route |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
  ].join("\n"),
);
