/**
 * Where one authenticated request's time goes: runs a route in process (the
 * app of bench/support/fixture.ts, as the in-process bench builds it) under
 * V8's sampling profiler and charges each sample to the nearest frame of the
 * pipeline that asked for it (token verification, database, log line, CORS,
 * …), the rest to the package it ran in. Not part of `pnpm bench`:
 *
 *   npx tsx bench/profile.ts [route] [HS256|ES256] [calls]
 *   npx tsx bench/profile.ts /v1/accounts ES256 20000
 *
 * Asynchronous work is charged to the code that resumed, so a wait (for the
 * thread pool, say) shows as "(idle)".
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { benchKeys, inProcessApp } from "./support/fixture.ts";
import { chargeProfile } from "./support/profile-parts.ts";
import { readAnswer, useServerGlobals } from "./support/server-globals.ts";

const [route = "/v1/me", alg = "HS256", calls = "20000"] = process.argv.slice(2) as [
  string?,
  ("HS256" | "ES256")?,
  string?,
];
// As the server process runs the app, like host-token.bench.ts (BENCH_UNDICI=1: undici's Request and Response).
if (process.env.BENCH_UNDICI !== "1") useServerGlobals();
const keys = await benchKeys();
const subject = await inProcessApp(keys);
const init = { headers: { authorization: `Bearer ${keys.tokens[alg]}`, origin: "https://portal.example" } };
const run = async (count: number) => {
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const response = await subject.app.request(route, init);
    if (response.status !== 200) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
    await readAnswer(response);
  }
  return ((performance.now() - started) * 1000) / count;
};
await run(2000);

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 50 });
await session.post("Profiler.start");
const perCall = await run(Number(calls));
const { profile } = await session.post("Profiler.stop");
await subject.close();
const file = join(tmpdir(), `tsunagu-${route.replaceAll("/", "_")}-${alg}.cpuprofile`);
writeFileSync(file, JSON.stringify(profile));

console.log(`${route} ${alg}: ${perCall.toFixed(1)} µs per call while profiled (${calls} calls); profile in ${file}`);
for (const [part, share] of chargeProfile(profile)) {
  console.log(`${(100 * share).toFixed(1).padStart(5)} %  ${(perCall * share).toFixed(1).padStart(6)} µs  ${part}`);
}
