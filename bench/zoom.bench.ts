/**
 * Zoom hosts over HTTP, the server started as in production (the built
 * bundle, bench/support/server-build.ts) against the Zoom fake with no added
 * latency, accounts linked through the fake's real consent walk
 * (packages/server/test/e2e/zoom-servers.ts):
 *
 * - the hosts query (`GET /v1/zoom/hosts`) with autocannon, 50 connections,
 *   each run right after the bare route of the same process (`refresh=1`,
 *   which asks Zoom again on every call, is not loaded: the fake enforces
 *   Zoom's rate limits, so it would measure those), with HS256 host tokens and
 *   with ES256 ones (a host of its own on servers of their own);
 * - 50 concurrent holds of one Zoom user (licensed: two meetings at once)
 *   for one interval: successes, conflicts and requests per second, on
 *   SQLite with one process and on PostgreSQL with two on one database.
 *
 * Each database runs in a child of its own (the test support reads the
 * database from the environment once): `--child sqlite|postgres` prints its
 * rows as JSON, the parent writes the section.
 */
import { spawnSync } from "node:child_process";
import autocannon from "autocannon";
import { median, reportSection } from "./support/report.ts";
import { buildServer } from "./support/server-build.ts";

const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 2);
const rounds = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const batches = Number(process.env.BENCH_HOLD_BATCHES ?? 5);
const connections = 50;
const postgresUrl = process.env.TSUNAGU_BENCH_DATABASE_URL || process.env.TSUNAGU_TEST_DATABASE_URL || undefined;
const hour = 3600_000;

interface Rows {
  throughput: string[];
  holds: string[];
}

const childIndex = process.argv.indexOf("--child");
if (childIndex >= 0) {
  const rows = await measure(process.argv[childIndex + 1] === "postgres" ? "PostgreSQL" : "SQLite");
  process.stdout.write(`\nrows ${JSON.stringify(rows)}\n`);
  process.exit(0);
}

const built = buildServer();
const rows: Rows = { throughput: [], holds: [] };
try {
  for (const database of ["sqlite", ...(postgresUrl ? ["postgres"] : [])]) {
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", new URL(import.meta.url).pathname, "--child", database],
      {
        encoding: "utf8",
        env: {
          ...process.env,
          BENCH_BUILT_MAIN: built.main,
          TSUNAGU_TEST_DATABASE_URL: database === "postgres" ? postgresUrl : "",
        },
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const line = child.stdout.split("\n").find((text) => text.startsWith("rows "));
    if (child.status !== 0 || !line) throw new Error(`the ${database} run failed (${child.status}):\n${child.stdout}`);
    const part = JSON.parse(line.slice("rows ".length)) as Rows;
    rows.throughput.push(...part.throughput);
    rows.holds.push(...part.holds);
  }
} finally {
  built.remove();
}
if (!postgresUrl) rows.holds.push("| PostgreSQL | not run: set TSUNAGU_BENCH_DATABASE_URL | | | | | |");
reportSection(
  "3-zoom-http",
  [
    "## Zoom hosts over HTTP (server as in production, the Zoom fake with no added latency)",
    "",
    `Hosts query: autocannon, ${connections} connections, ${rounds} rounds of ${seconds} s, each right after ` +
      "the bare route of the same process for as long; medians, each ratio within its pair. Two Zoom users " +
      "linked (the admin's and a shared recruiting user), a Business plan; host tokens HS256, then ES256 on " +
      "servers of their own (bench/zoom.bench.ts).",
    "",
    "| database | route | requests/s | p50 ms | p99 ms | × bare route |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...rows.throughput,
    "",
    `Holds: ${batches} batches of 50 concurrent \`POST /v1/zoom/holds\` of the shared recruiting Zoom user (limit 2 ` +
      "meetings at once), every batch for one hour of its own; requests alternate between the processes. " +
      "Successes and conflicts summed over the batches, requests/s the median of the batches.",
    "",
    "| database | processes | holds asked | placed (201) | conflicts (409) | other | requests/s |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.holds,
    "",
  ].join("\n"),
);

/**
 * The hosts query with HS256 host tokens and then, on servers of their own (a host has one key), with ES256 ones;
 * the holds with HS256.
 */
async function measure(databaseName: string): Promise<Rows> {
  const rows: Rows = { throughput: [], holds: [] };
  for (const hostAlgorithm of ["HS256", "ES256"] as const) {
    const part = await measureWith(databaseName, hostAlgorithm);
    rows.throughput.push(...part.throughput);
    rows.holds.push(...part.holds);
  }
  return rows;
}

async function measureWith(databaseName: string, hostAlgorithm: "HS256" | "ES256"): Promise<Rows> {
  const { startZoomServers } = await import("../packages/server/test/e2e/zoom-servers.ts");
  const withHolds = hostAlgorithm === "HS256";
  const processCount = databaseName === "PostgreSQL" && withHolds ? 2 : 1;
  const admin = { sub: "hanako", role: "admin" } as const;
  const recruiter = { sub: "ken", role: "recruiter" } as const;
  const servers = await startZoomServers(
    processCount,
    { NODE_ENV: "production", TSUNAGU_LOG_LEVEL: "info", TSUNAGU_BENCH_ROUTES: "1" },
    { builtMain: process.env.BENCH_BUILT_MAIN! },
    { hostAlgorithm },
  );
  try {
    const [first] = servers.processes;
    await servers.link(first!, admin, "zU_hanako", "org");
    await servers.link(first!, recruiter, "zU_recruiting", "personal");
    const settings = await servers.call(first!, admin, "PUT", "/v1/zoom/settings", { plan: "business", limits: {} });
    if (settings.status !== 200) throw new Error(`zoom settings answered ${settings.status}`);

    // One token for the load: a recruiter's, signed now, valid for the whole run.
    const probe = await servers.call(first!, recruiter, "GET", "/v1/me");
    if (probe.status !== 200) throw new Error(`/v1/me answered ${probe.status}`);
    const headers = await servers.headersOf(recruiter);
    const start = new Date(Math.floor(Date.now() / hour) * hour + 72 * hour);
    const query = `start=${start.toISOString()}&end=${new Date(start.getTime() + hour).toISOString()}`;
    const targets = [
      { name: "bare Hono route", path: "/bench/bare" },
      { name: `GET /v1/zoom/hosts, ${hostAlgorithm}`, path: `/v1/zoom/hosts?${query}` },
    ];
    const base = first!.baseUrl;
    for (const target of targets) await load(base, target.path, headers, 1);
    const runs = new Map(targets.map((target) => [target.name, [] as Figures[]]));
    for (let round = 0; round < rounds; round++) {
      for (const target of targets) {
        const bare = await load(base, "/bench/bare", {}, seconds);
        const figures = target.path === "/bench/bare" ? bare : await load(base, target.path, headers, seconds);
        if (figures.errors > 0) throw new Error(`${target.name}: ${figures.errors} failed requests`);
        runs.get(target.name)!.push({ ...figures, ratio: figures.requestsPerSecond / bare.requestsPerSecond });
      }
    }
    const throughput = targets.map((target) => {
      const of = (field: keyof Figures) => median(runs.get(target.name)!.map((run) => run[field]));
      return (
        `| ${databaseName} | ${target.name} | ${of("requestsPerSecond").toFixed(0)} | ${of("p50")} | ${of("p99")} | ` +
        `${of("ratio").toFixed(2)} |`
      );
    });

    if (!withHolds) {
      console.error(throughput.join("\n"));
      return { throughput, holds: [] };
    }

    let placed = 0;
    let conflicts = 0;
    let other = 0;
    const perSecond: number[] = [];
    for (let batch = 0; batch < batches; batch++) {
      const holdStart = new Date(start.getTime() + (batch + 1) * 24 * hour);
      const body = {
        zoomUserId: "zU_recruiting",
        start: holdStart.toISOString(),
        end: new Date(holdStart.getTime() + hour).toISOString(),
      };
      // Tokens signed before the clock starts: the figure is the server's, not the signing's.
      const requests = await Promise.all(
        Array.from({ length: 50 }, async (_, index) => ({
          server: servers.processes[index % servers.processes.length]!,
          headers: await servers.headersOf(recruiter),
        })),
      );
      const started = performance.now();
      const statuses = await Promise.all(
        requests.map(async ({ server, headers: auth }) => {
          const response = await fetch(`${server.baseUrl}/v1/zoom/holds`, {
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify(body),
          });
          await response.arrayBuffer();
          return response.status;
        }),
      );
      perSecond.push(50 / ((performance.now() - started) / 1000));
      placed += statuses.filter((status) => status === 201).length;
      conflicts += statuses.filter((status) => status === 409).length;
      other += statuses.filter((status) => status !== 201 && status !== 409).length;
    }
    const holds = [
      `| ${databaseName} | ${processCount} | ${batches * 50} | ${placed} | ${conflicts} | ${other} | ` +
        `${median(perSecond).toFixed(0)} |`,
    ];
    console.error([...throughput, ...holds].join("\n"));
    return { throughput, holds };
  } finally {
    await servers.close();
  }
}

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  ratio: number;
}

async function load(
  url: string,
  path: string,
  headers: Record<string, string>,
  duration: number,
): Promise<Omit<Figures, "ratio">> {
  const result = await autocannon({ url: `${url}${path}`, connections, duration, headers });
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
