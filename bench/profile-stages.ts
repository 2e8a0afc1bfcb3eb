/**
 * Where one authenticated request's time goes, stage by stage, without a
 * profiler (issue 15): the in-process pipeline is rebuilt one part at a time
 * in small Hono apps (the bare route; the request front; its steps, body
 * limit and CORS; tokenAuth with a remembered token; the /v1/me route on
 * SQLite), next to the real app's /v1/me and /v1/accounts and to three probes
 * of the caller's read (the same statement on the same file through
 * better-sqlite3 alone, on a database in memory, which takes no file lock, and
 * twice in one request). Each stage's cost is the difference to the one
 * before. V8's sampling profiler (bench/profile.ts) more than doubles a
 * request's time and charges it unevenly; this only counts CPU time.
 *
 *   npx tsx bench/profile-stages.ts [rounds]
 *
 * Rounds alternate the order of the cases. The machine is shared: a busy
 * neighbour inflates the median of a round far more than its first quartile,
 * so both are printed (CPU µs per call, user + system).
 */
import { createRequire } from "node:module";
import { loadavg } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import type { AppEnv } from "../packages/server/src/auth/app-env.ts";
import { hostCors } from "../packages/server/src/auth/cors.ts";
import { loadHostRegistry, syncHostsToDatabase } from "../packages/server/src/auth/host-registry.ts";
import { hostTokens } from "../packages/server/src/auth/host-token.ts";
import { tokenAuth } from "../packages/server/src/auth/middleware.ts";
import { systemClock } from "../packages/server/src/clock.ts";
import { errorHandler } from "../packages/server/src/http/errors.ts";
import { requestFront } from "../packages/server/src/http/request-front.ts";
import { requestGuards } from "../packages/server/src/http/request-guards.ts";
import { createLogger } from "../packages/server/src/log.ts";
import { documented } from "../packages/server/src/openapi/route-doc.ts";
import { meRoutes } from "../packages/server/src/routes/me.ts";
import { migrateToLatest, openDatabase } from "../packages/server/src/store/database.ts";
import { findUserProfile, userScopeOf } from "../packages/server/src/store/tenancy.ts";
import { benchDirectory, benchKeys, inProcessApp } from "./support/fixture.ts";

/** better-sqlite3, as the server loads it (the bench package does not depend on it), reduced to what is used here. */
interface Sqlite {
  exec(sql: string): void;
  prepare(sql: string): { all(...values: unknown[]): unknown[]; run(...values: unknown[]): unknown };
}
const SQLite = createRequire(new URL("../packages/server/package.json", import.meta.url))("better-sqlite3") as new (
  file: string,
) => Sqlite;

const rounds = Number(process.argv[2] ?? 30);
const perRound = 200;

const keys = await benchKeys();
const real = await inProcessApp(keys);
const logger = createLogger({ level: "info", write: () => undefined });
const files = benchDirectory(keys.hostsEntries);
const sqliteFile = join(files.dir, "stages.sqlite");
const db = openDatabase({ sqliteFile });
await migrateToLatest(db);
const hosts = await loadHostRegistry(files.hostsFile, { logger });
await syncHostsToDatabase(db, hosts, systemClock);

const front = (withSteps: boolean) =>
  withSteps
    ? requestFront({
        logger,
        steps: [{ middleware: requestGuards() }, { path: "/v1", middleware: hostCors({ hosts }) }],
        onError: errorHandler(logger),
      })
    : requestFront({ logger });
const authenticated = () =>
  new Hono<AppEnv>().use(front(true)).use("/v1/*", tokenAuth({ audience: hostTokens, hosts, db, clock: systemClock }));
const noDoc = documented({ summary: "stage", tag: "stage", answers: {} });

const bare = new Hono().get("/bare", (c) => c.json({ ok: true }));
const frontOnly = new Hono<AppEnv>().use(front(false)).get("/v1/x", (c) => c.json({ ok: true }));
const frontAndSteps = new Hono<AppEnv>().use(front(true)).get("/v1/x", (c) => c.json({ ok: true }));
const withTokenAuth = authenticated().get("/v1/x", noDoc, (c) => c.json({ ok: true }));
const withMe = authenticated();
withMe.route("/v1", meRoutes({ db }));

// The probes: the caller's read as better-sqlite3 runs it alone, on the same file and on a database in memory.
const profileSql =
  'select "email", "name", "role", "locale", "time_zone" from "users" ' +
  'where "host_id" = ? and "org_id" = ? and "user_id" = ?';
const onFile = new SQLite(sqliteFile).prepare(profileSql);
const inMemory = new SQLite(":memory:");
inMemory.exec(
  "create table users (host_id text, org_id text, user_id text, email text, name text, role text, locale text, " +
    "time_zone text, primary key (host_id, org_id, user_id))",
);
inMemory
  .prepare("insert into users values (?, ?, ?, ?, ?, ?, ?, ?)")
  .run("bench-hs256", "acme", "user-42", "ken.tanaka@acme.example", "田中 健", "recruiter", "ja", "Asia/Tokyo");
const inMemoryRead = inMemory.prepare(profileSql);
const probes = authenticated();
probes.get("/v1/file", (c) => {
  const { hostId, orgId, userId } = userScopeOf(c.get("caller"));
  onFile.all(hostId, orgId, userId);
  return c.json({ ok: true });
});
probes.get("/v1/memory", (c) => {
  const { hostId, orgId, userId } = userScopeOf(c.get("caller"));
  inMemoryRead.all(hostId, orgId, userId);
  return c.json({ ok: true });
});
probes.get("/v1/twice", async (c) => {
  await findUserProfile(db, userScopeOf(c.get("caller")));
  await findUserProfile(db, userScopeOf(c.get("caller")));
  return c.json({ ok: true });
});

const init = { headers: { authorization: `Bearer ${keys.tokens.HS256}`, origin: "https://portal.example" } };
/** In order: each stage adds one part to the one before. */
const stages: [name: string, run: () => Response | Promise<Response>][] = [
  ["bare Hono route", () => bare.request("/bare")],
  ["… sent the API's request headers", () => bare.request("/bare", init)],
  ["+ request front (id, headers, log line)", () => frontOnly.request("/v1/x", init)],
  ["+ its steps (body limit, NUL, CORS)", () => frontAndSteps.request("/v1/x", init)],
  ["+ tokenAuth (token remembered)", () => withTokenAuth.request("/v1/x", init)],
  ["+ the /v1/me route on SQLite", () => withMe.request("/v1/me", init)],
  ["the app's GET /v1/me", () => real.app.request("/v1/me", init)],
];
const others: [name: string, run: () => Response | Promise<Response>][] = [
  ["the app's GET /v1/accounts", () => real.app.request("/v1/accounts", init)],
  ["probe: tokenAuth + better-sqlite3 read, same file", () => probes.request("/v1/file", init)],
  ["probe: tokenAuth + better-sqlite3 read, in memory", () => probes.request("/v1/memory", init)],
  ["probe: tokenAuth + the caller's read twice", () => probes.request("/v1/twice", init)],
];
const cases = [...stages, ...others];

async function cpuPerCall(run: () => Response | Promise<Response>, count: number): Promise<number> {
  const before = process.cpuUsage();
  for (let index = 0; index < count; index++) {
    const response = await run();
    if (response.status !== 200) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

for (const [, run] of cases) await cpuPerCall(run, 1000);
const samples = new Map(cases.map(([name]) => [name, [] as number[]]));
for (let round = 0; round < rounds; round++)
  for (const [name, run] of round % 2 === 0 ? cases : cases.toReversed())
    samples.get(name)?.push(await cpuPerCall(run, perRound));
const quantile = (name: string, share: number) => {
  const sorted = [...(samples.get(name) ?? [])].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length * share)] ?? Number.NaN;
};

console.log(
  `CPU µs per call, ${rounds} rounds × ${perRound} calls, order alternated (load ${loadavg()
    .map((value) => value.toFixed(2))
    .join(" ")})`,
);
console.log("| case | q1 | median | q1 − stage before |");
console.log("| --- | ---: | ---: | ---: |");
let before: number | undefined;
for (const [name] of stages) {
  const q1 = quantile(name, 0.25);
  const step = before === undefined ? "" : (q1 - before).toFixed(1);
  console.log(`| ${name} | ${q1.toFixed(1)} | ${quantile(name, 0.5).toFixed(1)} | ${step} |`);
  before = q1;
}
for (const [name] of others)
  console.log(`| ${name} | ${quantile(name, 0.25).toFixed(1)} | ${quantile(name, 0.5).toFixed(1)} | |`);

await real.close();
await db.destroy();
files.cleanup();
