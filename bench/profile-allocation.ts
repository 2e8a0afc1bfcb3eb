/**
 * Who allocates what per request: runs a route in process (the app of
 * bench/support/fixture.ts) under V8's sampling heap profiler, counting the
 * objects that minor and major GCs collected too, so that the samples stand
 * for everything allocated, and prints the bytes per call in all, then per
 * allocating function (its nearest frame of our source or of a package).
 * Allocation is what the GC's share of a request costs (issue 15). Not part
 * of `pnpm bench`:
 *
 *   npx tsx bench/profile-allocation.ts [route] [HS256|ES256] [calls]
 *   npx tsx bench/profile-allocation.ts /bench/bare
 *
 * The in-process figures include the bench's own `app.request` (a Request, the
 * answer read back): compare a route with `/bench/bare`, not the absolute bytes.
 */
import { Hono } from "hono";
import { Session } from "node:inspector/promises";
import type { HeapProfiler } from "node:inspector";
import { benchKeys, inProcessApp } from "./support/fixture.ts";
import { readAnswer, useServerGlobals } from "./support/server-globals.ts";

const [route = "/v1/me", alg = "HS256", calls = "20000"] = process.argv.slice(2) as [
  string?,
  ("HS256" | "ES256")?,
  string?,
];
// As the server process runs the app, like host-token.bench.ts (BENCH_UNDICI=1: undici's Request and Response).
if (process.env.BENCH_UNDICI !== "1") useServerGlobals();
const keys = await benchKeys();
const app = await inProcessApp(keys);
/** `/bench/bare`: a bare Hono route in an app of its own, as bench/host-token.bench.ts's baseline. */
const subject =
  route === "/bench/bare" ? { app: new Hono().get(route, (c) => c.json({ ok: true })), close: app.close } : app;
const init = { headers: { authorization: `Bearer ${keys.tokens[alg]}`, origin: "https://portal.example" } };
const run = async (count: number) => {
  for (let index = 0; index < count; index++) {
    const response = await subject.app.request(route, init);
    if (response.status !== 200) throw new Error(`unexpected ${response.status}: ${await response.text()}`);
    await readAnswer(response);
  }
};
await run(2000);

const session = new Session();
session.connect();
await session.post("HeapProfiler.enable");
await session.post("HeapProfiler.startSampling", {
  samplingInterval: 256,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const count = Number(calls);
await run(count);
const { profile } = await session.post("HeapProfiler.stopSampling");
await subject.close();

/** Bytes by the frame that allocated them, and in all. */
const byFrame = new Map<string, number>();
let total = 0;
const walk = (node: HeapProfiler.SamplingHeapProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "").replace(/^.*\/src\//, "src/");
  const where = `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
  if (node.selfSize > 0) byFrame.set(where, (byFrame.get(where) ?? 0) + node.selfSize);
  total += node.selfSize;
  for (const child of node.children) walk(child);
};
walk(profile.head);
console.log(`${route} ${alg}: ${(total / count / 1024).toFixed(1)} KB allocated per call (${calls} calls)`);
const top = [...byFrame].sort(([, a], [, b]) => b - a).slice(0, Number(process.env.PROFILE_TOP ?? 25));
for (const [where, bytes] of top) console.log(`${String(Math.round(bytes / count)).padStart(7)} B  ${where}`);
