/**
 * The system calls a request costs the server process, over HTTP: the server
 * built and started as in production (support/production-server.ts), each
 * route loaded by autocannon (50 connections) for a fixed number of requests
 * under `strace -c -f`, and every call made at least once per twenty
 * requests printed per request. On this kind of virtual machine a system
 * call costs microseconds (issue 15: an fcntl lock and unlock pair ~15 µs),
 * so their count per request is a figure of its own, and one that the
 * machine's load does not change. Linux with strace only; not part of
 * `pnpm bench`:
 *
 *   npx tsx bench/profile-syscalls.ts [requests]
 *
 * TSUNAGU_PROFILE_MAIN=<main.js> counts that build instead (as bench/profile-http.ts). With
 * TSUNAGU_BENCH_DATABASE_URL the server runs on PostgreSQL, on a schema of its own dropped afterwards: the socket
 * calls then include those to the pool's connections.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import pg from "pg";
import autocannon from "autocannon";
import { connections } from "./support/autocannon-load.ts";
import { benchDirectory, benchKeys } from "./support/fixture.ts";
import { startProductionServer } from "./support/production-server.ts";
import { buildServer } from "./support/server-build.ts";

const requests = Number(process.argv[2] ?? 20_000);
const routes = ["/bench/bare", "/v1/me", "/v1/accounts"];
const keys = await benchKeys();
const files = benchDirectory(keys.hostsEntries);
const other = process.env.TSUNAGU_PROFILE_MAIN;
const built = other ? { main: other, remove: () => undefined } : buildServer();
const postgresUrl = process.env.TSUNAGU_BENCH_DATABASE_URL;
const schema = `bench_${randomBytes(6).toString("hex")}`;
/** One statement on the bench's database, as its own connection. */
async function onPostgres(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(statement);
  await client.end();
}
let databaseUrl: string | undefined;
if (postgresUrl) {
  await onPostgres(`create schema ${schema}`);
  const url = new URL(postgresUrl);
  url.searchParams.set("options", `-c search_path=${schema}`);
  databaseUrl = url.toString();
}
const server = await startProductionServer({
  main: built.main,
  hostsFile: files.hostsFile,
  dataDir: `${files.dir}/data`,
  databaseUrl,
});
const headers = { authorization: `Bearer ${keys.tokens.HS256}`, origin: "https://portal.example" };
try {
  for (const route of routes) {
    await autocannon({ url: `${server.url}${route}`, connections, amount: 5_000, headers });
    const strace = spawn("strace", ["-c", "-f", "-p", String(server.pid)], { stdio: ["ignore", "ignore", "pipe"] });
    let summary = "";
    strace.stderr.on("data", (chunk) => {
      summary += chunk;
    });
    // strace attaches before the load starts (it says so on stderr).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const result = await autocannon({ url: `${server.url}${route}`, connections, amount: requests, headers });
    strace.kill("SIGINT");
    await new Promise((resolve) => strace.once("exit", resolve));
    console.log(`${route}: system calls per request (${result.requests.total} requests, ${result.non2xx} not 2xx)`);
    // strace -c's table: % time, seconds, usecs/call, calls, [errors,] syscall.
    for (const line of summary.split("\n")) {
      const fields = line.trim().split(/\s+/);
      const name = fields.at(-1);
      if (fields.length < 5 || !/^\d/.test(fields[0] ?? "") || name === "total") continue;
      const perRequest = Number(fields[3]) / result.requests.total;
      if (perRequest >= 0.05) console.log(`${perRequest.toFixed(2).padStart(7)}  ${name}`);
    }
  }
} finally {
  await server.stop();
  if (postgresUrl) await onPostgres(`drop schema ${schema} cascade`);
  files.cleanup();
  built.remove();
}
