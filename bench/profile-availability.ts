/**
 * Where the server's CPU goes on `POST /v1/availability`: the built server
 * (as in production) of the availability-over-HTTP bench's organisation,
 * run under `node --cpu-prof`, answers `requests` requests, `inFlight` at a
 * time; the samples taken while they ran (by the monotonic clock both
 * processes share) are charged to the nearest frame of a known part
 * (vault, database, provider call, shape checks, engine, …), our own
 * bundled code located through the bundle's source map. Not part of
 * `pnpm bench`:
 *
 *   npx tsx bench/profile-availability.ts [people] [days] [requests] [inFlight]
 *   npx tsx bench/profile-availability.ts 50 60 100 4
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { SourceMap, type SourceMapping } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { availabilityAsker, availabilityRequest } from "./support/availability-request.ts";
import { startCalendarOrgProcess } from "./support/calendar-org-process.ts";
import { processCpuMs } from "./support/process-cpu.ts";
import { buildServer } from "./support/server-build.ts";

const [people = 5, days = 14, requests = 200, inFlight = 1] = process.argv.slice(2).map(Number);

/** Parts by the source file (or package) of a frame; the first match from the sampled frame to the root wins. */
const parts: [pattern: string, part: string][] = [
  ["src/vault/", "vault (opening sealed tokens)"],
  ["accounts/tokens.ts", "token store (parse of the opened token set)"],
  ["accounts/refresh", "token refresher"],
  ["accounts/authorized-call.ts", "token refresher"],
  ["providers/answer-check.ts", "shape checks of provider answers"],
  ["providers/busy-intervals.ts", "shape checks of provider answers"],
  ["providers/google/freebusy.ts", "shape checks of provider answers"],
  ["providers/microsoft/graph.ts", "shape checks of provider answers"],
  ["providers/microsoft/time.ts", "zone conversion (Graph times)"],
  ["providers/zone-offset.ts", "zone conversion (Graph times)"],
  ["providers/transport.ts", "provider calls: node:http send and receive"],
  ["providers/http.ts", "provider calls: our request path"],
  ["providers/", "provider clients (building requests)"],
  ["_http_", "provider calls: node:http send and receive"],
  ["node:net", "sockets"],
  ["/zod/", "zod (the question)"],
  ["availability/slots.ts", "availability engine"],
  ["availability/intervals.ts", "availability engine"],
  ["availability/working-hours.ts", "availability engine"],
  ["availability/zone.ts", "zones, rendering times"],
  ["availability/days-off", "days off"],
  ["availability/busy-times.ts", "busy times (our glue)"],
  ["availability/service.ts", "availability service (rendering)"],
  ["store/", "database"],
  ["kysely", "database"],
  ["better-sqlite3", "database"],
  ["/pg", "database"],
  ["/jose/", "token verification"],
  ["auth/", "auth, CORS"],
  ["src/log.ts", "log line"],
  ["routes/", "route handler and JSON"],
  ["hono", "Hono"],
];

const built = buildServer();
const profileDir = mkdtempSync(join(tmpdir(), "tsunagu-profile-"));
const profileFile = join(profileDir, "server.cpuprofile");
try {
  const org = await startCalendarOrgProcess(people, built.main, {
    // BENCH_SERVER_NODE_OPTIONS: more of Node's or V8's options for the server (a GC setting, say).
    NODE_OPTIONS: [
      `--import ${new URL("./support/cpu-profile-hook.mjs", import.meta.url).pathname}`,
      process.env.BENCH_SERVER_NODE_OPTIONS ?? "",
    ].join(" "),
    BENCH_CPU_PROFILE: profileFile,
  });
  let window: { start: number; end: number; cpuMs: number };
  try {
    const ask = availabilityAsker(availabilityRequest(org, days));
    const run = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next++ < count) await ask();
        }),
      );
    };
    await run(20);
    const cpuBefore = processCpuMs(org.serverPid);
    const start = Number(process.hrtime.bigint() / 1000n);
    await run(requests);
    const end = Number(process.hrtime.bigint() / 1000n);
    window = { start, end, cpuMs: processCpuMs(org.serverPid) - cpuBefore };
  } finally {
    await org.close();
  }
  if (!existsSync(profileFile)) throw new Error("the server wrote no profile");
  report(JSON.parse(readFileSync(profileFile, "utf8")) as Profile, window);
} finally {
  built.remove();
  rmSync(profileDir, { recursive: true, force: true });
}

interface Profile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function report(profile: Profile, window: { start: number; end: number; cpuMs: number }): void {
  const map = new SourceMap(JSON.parse(readFileSync(`${built.main}.map`, "utf8")));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const sourceOf = new Map<number, string>();
  const source = (id: number): string => {
    let known = sourceOf.get(id);
    if (known === undefined) {
      const { url, lineNumber, columnNumber } = nodes.get(id)!.callFrame;
      known = url.endsWith(built.main)
        ? ((map.findEntry(lineNumber, columnNumber) as Partial<SourceMapping>).originalSource ?? url)
        : url;
      sourceOf.set(id, known);
    }
    return known;
  };
  const partOf = (id: number) => parts.find(([pattern]) => source(id).includes(pattern))?.[1];
  const callerPart = (id: number): string => {
    for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) {
      const part = partOf(at);
      if (part) return part;
    }
    return "?";
  };
  const charged = new Map<string, number>();
  // BENCH_PROFILE_DETAIL=<part>: the leaf functions that part's time went to, too ("*": every part's).
  const detail = process.env.BENCH_PROFILE_DETAIL;
  const leaves = new Map<string, number>();
  let time = profile.startTime;
  let total = 0;
  profile.samples.forEach((sampled, index) => {
    time += profile.timeDeltas[index] ?? 0;
    if (time < window.start || time > window.end) return;
    const frame = nodes.get(sampled)!.callFrame;
    let part: string | undefined;
    if (["(idle)", "(garbage collector)", "(program)"].includes(frame.functionName)) part = frame.functionName;
    // JSON.parse and JSON.stringify are native leaves: their own part, named by who called them.
    else if (frame.url === "" && (frame.functionName === "parse" || frame.functionName === "stringify"))
      part = `JSON.${frame.functionName} (native) under ${callerPart(sampled)}`;
    for (let id: number | undefined = sampled; id !== undefined && part === undefined; id = parentOf.get(id)) {
      const file = source(id);
      part = parts.find(([pattern]) => file.includes(pattern))?.[1];
    }
    if (part === undefined) {
      const leaf = source(sampled);
      part = `other: ${
        leaf.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/)?.[1] ??
        (leaf.replace(/^.*\/(packages|bench)\//, "") || `native ${frame.functionName}`)
      }`;
    }
    const delta = profile.timeDeltas[index + 1] ?? 0;
    charged.set(part, (charged.get(part) ?? 0) + delta);
    if (detail && (detail === "*" || part.startsWith(detail))) {
      const file = source(sampled).replace(/^.*node_modules\//, "");
      const leaf = `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber}`;
      leaves.set(leaf, (leaves.get(leaf) ?? 0) + delta);
    }
    total += delta;
  });
  const busy = total - (charged.get("(idle)") ?? 0);
  console.log(
    `${people} people × ${days} days, ${requests} requests, ${inFlight} in flight: ` +
      `${(window.cpuMs / requests).toFixed(2)} ms server CPU per request (/proc), ` +
      `${(busy / 1000 / requests).toFixed(2)} ms sampled busy per request`,
  );
  for (const [part, spent] of [...charged].sort((a, b) => b[1] - a[1])) {
    if (part === "(idle)" || spent / busy < 0.005) continue;
    const share = ((100 * spent) / busy).toFixed(1).padStart(5);
    console.log(`${share} %  ${(spent / 1000 / requests).toFixed(3).padStart(7)} ms  ${part}`);
  }
  for (const [leaf, spent] of [...leaves]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(process.env.BENCH_PROFILE_LEAVES ?? 30)))
    console.log(`   ${(spent / 1000 / requests).toFixed(3).padStart(7)} ms  ${leaf}`);
}
