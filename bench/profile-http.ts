/**
 * Where a request's time goes in the server process itself, over HTTP: the
 * server built and started as in production (bench/support/server-build.ts,
 * configured as bench/http.bench.ts configures it) under `node --cpu-prof`;
 * autocannon
 * driving one route with 50 connections over loopback, then the profile
 * charged to the parts of the pipeline as bench/profile.ts charges them (the
 * bundle's frames mapped to our source files through its source map), plus
 * Node's HTTP server and the node adapter; only the samples of the measured
 * load count (start-up and warm-up left out). Not part of `pnpm bench`:
 *
 *   npx tsx bench/profile-http.ts [route] [HS256|ES256] [seconds]
 *   npx tsx bench/profile-http.ts /bench/bare
 *   PROFILE_CALLERS=50 npx tsx bench/profile-http.ts /v1/me   (a different caller on each connection)
 *
 * TSUNAGU_PROFILE_MAIN=<main.js> profiles that build instead (another commit's `scripts/build.mjs <outdir>`, built
 * into a directory inside packages/server so that its imports resolve), for a before/after side by side.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import type { Profiler, Runtime } from "node:inspector";
import { SourceMap, type SourceMapping } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createServer } from "node:net";
import pg from "pg";
import { load } from "./support/autocannon-load.ts";
import { benchDirectory, benchKeys } from "./support/fixture.ts";
import { chargeProfile, serverParts, topFunctions } from "./support/profile-parts.ts";
import { buildServer, serverDir } from "./support/server-build.ts";

const [route = "/v1/me", alg = "HS256", seconds = "8"] = process.argv.slice(2) as [
  string?,
  ("HS256" | "ES256")?,
  string?,
];
const keys = await benchKeys();
const files = benchDirectory(keys.hostsEntries);
const other = process.env.TSUNAGU_PROFILE_MAIN;
const built = other ? { main: other, remove: () => undefined } : buildServer();
const profileDir = mkdtempSync(join(tmpdir(), "tsunagu-http-profile-"));
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as { port: number };
    probe.close(() => resolve(port));
  });
});
/** On PostgreSQL (TSUNAGU_BENCH_DATABASE_URL), a schema of our own, dropped afterwards. */
const postgresUrl = process.env.TSUNAGU_BENCH_DATABASE_URL;
const schemaName = `bench_${randomBytes(6).toString("hex")}`;
const onPostgres = async (statement: string) => {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
};
const schema = postgresUrl
  ? await onPostgres(`create schema ${schemaName}`).then(() => {
      const url = new URL(postgresUrl);
      url.searchParams.set("options", `-c search_path=${schemaName}`);
      return { url: url.toString() };
    })
  : undefined;
const spawned = performance.now();
const child: ChildProcess = spawn(
  process.execPath,
  ["--enable-source-maps", "--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--cpu-prof-interval=100", built.main],
  {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PORT: String(port),
      TSUNAGU_HOSTS_FILE: files.hostsFile,
      TSUNAGU_DATA_DIR: `${files.dir}/data`,
      TSUNAGU_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString("base64url")}`,
      TSUNAGU_LOG_LEVEL: "info",
      TSUNAGU_BENCH_ROUTES: "1",
      ...(schema ? { DATABASE_URL: schema.url } : {}),
    },
    stdio: ["ignore", "ignore", "inherit"],
  },
);
let measuredFrom = 0;
let requestsPerSecond = 0;
const url = `http://127.0.0.1:${port}`;
try {
  for (let tries = 0; ; tries++) {
    const ready = await fetch(`${url}/bench/bare`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (tries > 300) throw new Error("the server did not answer within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const headersOf = (token: string) => ({ authorization: `Bearer ${token}`, origin: "https://portal.example" });
  // PROFILE_CALLERS=50: one token per connection, each naming another caller (http.bench.ts's "50 callers").
  const callers = Number(process.env.PROFILE_CALLERS ?? 0);
  const request =
    callers > 0
      ? { path: route, connectionHeaders: (await keys.distinctCallerTokens(alg, callers)).map(headersOf) }
      : { path: route, headers: headersOf(keys.tokens[alg]) };
  await load(url, request, 2);
  measuredFrom = performance.now() - spawned;
  const figures = await load(url, request, Number(seconds));
  requestsPerSecond = figures.requestsPerSecond;
  console.log(`${route} ${alg}: ${figures.requestsPerSecond.toFixed(0)} req/s, ${figures.errors} failed`);
} finally {
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
  files.cleanup();
  if (schema) await onPostgres(`drop schema ${schemaName} cascade`);
}
const [file] = readdirSync(profileDir).filter((name) => name.endsWith(".cpuprofile"));
if (!file) throw new Error("the server wrote no profile");
const profile: Profiler.Profile = JSON.parse(readFileSync(join(profileDir, file), "utf8"));
const map = new SourceMap(JSON.parse(readFileSync(`${built.main}.map`, "utf8")));
const bundle = pathToFileURL(built.main).href;
const sourceOf = (frame: Runtime.CallFrame) =>
  frame.url === bundle
    ? (map.findEntry(frame.lineNumber, frame.columnNumber) as Partial<SourceMapping>).originalSource
    : undefined;
const charged = chargeProfile(profile, { fromMicros: measuredFrom * 1000, sourceOf, extraParts: serverParts });
const top = Number(process.env.PROFILE_TOP ?? 0);
const topList = top > 0 ? topFunctions(profile, top, { fromMicros: measuredFrom * 1000, sourceOf }) : [];
built.remove();
console.log(`profile in ${join(profileDir, file)} `);
// The process runs one thread: a part's share of the sampled time over the requests of a second is its time per
// request (idle included, which is time the process waited for the load generator or the machine).
const perRequest = (share: number) => ((share * 1e6) / requestsPerSecond).toFixed(1).padStart(6);
for (const [part, share] of charged)
  console.log(`${(100 * share).toFixed(1).padStart(5)} %  ${perRequest(share)} µs  ${part}`);
for (const [share, where] of topList) console.log(`${(100 * share).toFixed(1).padStart(5)} %  ${where}`);
