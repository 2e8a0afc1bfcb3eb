/**
 * What the server allocates per `POST /v1/availability`: the built server (as in production) of the
 * availability-over-HTTP bench's organisation answers `requests` sequential requests under V8's sampling heap
 * profiler, which counts what the GCs collected too; bytes per request in all, then by the nearest frame of our own
 * source (through the bundle's source map) above the allocation. Allocation is what the garbage collector's share
 * of a request comes from, and unlike CPU it does not move with the machine's load. Not part of `pnpm bench`:
 *
 *   npx tsx bench/profile-availability-allocation.ts [people] [days] [requests]
 *   npx tsx bench/profile-availability-allocation.ts 50 60 40
 *
 * BENCH_BUILT_MAIN=<main.js of a build kept from support/server-build.ts> profiles that build instead (main's, say).
 */
import type { HeapProfiler } from "node:inspector";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { SourceMap, type SourceMapping } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { availabilityAsker, availabilityRequest } from "./support/availability-request.ts";
import { startCalendarOrgProcess } from "./support/calendar-org-process.ts";
import { buildServer } from "./support/server-build.ts";

const [people = 50, days = 60, requests = 40] = process.argv.slice(2).map(Number);

const kept = process.env.BENCH_BUILT_MAIN;
const built = kept ? { main: kept, remove: () => undefined } : buildServer();
const profileDir = mkdtempSync(join(tmpdir(), "tsunagu-heap-"));
const profileFile = join(profileDir, "server.heapprofile");
try {
  const org = await startCalendarOrgProcess(people, built.main, {
    NODE_OPTIONS: `--import ${new URL("./support/heap-sampling-hook.mjs", import.meta.url).pathname}`,
    BENCH_HEAP_PROFILE: profileFile,
  });
  try {
    const ask = availabilityAsker(availabilityRequest(org, days));
    for (let index = 0; index < 10; index++) await ask();
    process.kill(org.serverPid, "SIGUSR2");
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let index = 0; index < requests; index++) await ask();
  } finally {
    await org.close();
  }
  if (!existsSync(profileFile)) throw new Error("the server wrote no heap profile");
  report(JSON.parse(readFileSync(profileFile, "utf8")) as HeapProfiler.SamplingHeapProfile);
} finally {
  built.remove();
  rmSync(profileDir, { recursive: true, force: true });
}

function report(profile: HeapProfiler.SamplingHeapProfile): void {
  const map = new SourceMap(JSON.parse(readFileSync(`${built.main}.map`, "utf8")));
  const byOwnFrame = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapProfiler.SamplingHeapProfileNode, own: string | undefined) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const source = url.endsWith(built.main)
      ? ((map.findEntry(lineNumber, columnNumber) as Partial<SourceMapping>).originalSource ?? url)
      : url;
    const file = source.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, "").replace(/^.*\/src\//, "src/");
    const where = `${functionName || "(anonymous)"} ${file}`;
    // Our own frame nearest the allocation: this one, or the closest above it.
    const ownHere = file.startsWith("src/") ? where : own;
    const charged = ownHere ?? where;
    if (node.selfSize > 0) byOwnFrame.set(charged, (byOwnFrame.get(charged) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const child of node.children) walk(child, ownHere);
  };
  walk(profile.head, undefined);
  const perRequest = (total / requests / 1e6).toFixed(2);
  console.log(`${people} people × ${days} days, ${requests} requests: ${perRequest} MB allocated per request`);
  for (const [where, bytes] of [...byOwnFrame].sort(([, a], [, b]) => b - a).slice(0, 25))
    console.log(`${String(Math.round(bytes / requests / 1024)).padStart(7)} KB  ${where}`);
}
