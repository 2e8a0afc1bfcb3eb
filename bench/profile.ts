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

const [route = "/v1/me", alg = "HS256", calls = "20000"] = process.argv.slice(2) as [
  string?,
  ("HS256" | "ES256")?,
  string?,
];
/** Pipeline parts by the file (or function) of a frame; the first match walking from the sampled frame to the root
 * wins. */
const parts: [pattern: string, part: string][] = [
  ["http/request-front.ts", "request id, security headers and log line"],
  ["src/log.ts", "request id, security headers and log line"],
  ["auth/cors.ts", "CORS"],
  ["security-headers.ts", "request id, security headers and log line"],
  ["http/request-guards.ts", "body limit and NUL check"],
  ["nul-characters.ts", "body limit and NUL check"],
  ["caller-recorder.ts", "caller and organisation recording"],
  ["/zod/", "claims schema (time zone included)"],
  ["auth/jwt-verify.ts", "token verification"],
  ["auth/host-token.ts", "token verification"],
  ["auth/host-registry.ts", "token verification"],
  ["/jose/", "token verification"],
  ["auth/middleware.ts", "token-auth middleware"],
  ["routes/", "route handler and JSON"],
  ["accounts/", "route handler and JSON"],
  ["store/", "database"],
  ["kysely", "database"],
  ["better-sqlite3", "database"],
  ["hono/dist/router", "Hono routing"],
  ["hono/dist/", "Hono dispatch, context and response"],
];

const keys = await benchKeys();
const subject = await inProcessApp(keys);
const init = { headers: { authorization: `Bearer ${keys.tokens[alg]}`, origin: "https://portal.example" } };
const run = async (count: number) => {
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const response = await subject.app.request(route, init);
    if (response.status !== 200) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
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

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const charged = new Map<string, number>();
const deltas = profile.timeDeltas ?? [];
const total = deltas.reduce((sum, delta) => sum + delta, 0);
(profile.samples ?? []).forEach((sampled, index) => {
  let part: string | undefined;
  for (let id: number | undefined = sampled; id !== undefined && part === undefined; id = parentOf.get(id)) {
    const { url, functionName } = nodes.get(id)!.callFrame;
    part = parts.find(([pattern]) => url.includes(pattern))?.[1];
    if (part === undefined && id === sampled && ["(idle)", "(garbage collector)", "(program)"].includes(functionName))
      part = functionName;
  }
  const leaf = nodes.get(sampled)!.callFrame.url;
  part ??= `other: ${
    leaf.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/)?.[1] ??
    (leaf.replace(/^.*\/(packages|bench)\//, "") || "native")
  }`;
  charged.set(part, (charged.get(part) ?? 0) + (deltas[index] ?? 0));
});

console.log(`${route} ${alg}: ${perCall.toFixed(1)} µs per call while profiled (${calls} calls); profile in ${file}`);
for (const [part, time] of [...charged].sort((a, b) => b[1] - a[1])) {
  if (time / total < 0.005) continue;
  console.log(
    `${((100 * time) / total).toFixed(1).padStart(5)} %  ${((perCall * time) / total).toFixed(1).padStart(6)} µs  ` +
      `${part}`,
  );
}
