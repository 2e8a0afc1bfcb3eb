/**
 * Charges a V8 CPU profile's samples to the parts of the request pipeline
 * (token verification, database, log line, CORS, …): each sample goes to the
 * nearest frame, walking from the sampled frame to the root, whose file names
 * a part; the rest to the package (or Node internal module) it ran in. Used by
 * bench/profile.ts (in process) and bench/profile-http.ts (the server process).
 */
import type { Profiler, Runtime } from "node:inspector";

/** Pipeline parts by the file (or function) of a frame; the first match walking from the sampled frame wins. */
const parts: [pattern: string, part: string][] = [
  ["http/request-front.ts", "request id, security headers and log line"],
  ["http/answer-headers.ts", "request id, security headers and log line"],
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
  ["/pg/", "database"],
  ["pg-protocol", "database"],
  ["hono/dist/router", "Hono routing"],
  ["hono/dist/", "Hono dispatch, context and response"],
];

/**
 * The server process's own parts over HTTP (bench/profile-http.ts). Left out in process, where undici's Request,
 * Response and streams are mostly the bench's own calls (`app.request`, reading the answer) and are charged, as before,
 * to the pipeline part that asked for them.
 */
export const serverParts: [pattern: string, part: string][] = [
  ["@hono/node-server", "node adapter (@hono/node-server)"],
  ["node:internal/deps/undici", "undici (Headers, Request, Response)"],
  ["node:_http", "Node HTTP server"],
  ["node:internal/http", "Node HTTP server"],
  ["node:net", "sockets"],
  ["node:internal/stream_base_commons", "sockets"],
];

/**
 * [part, share of the sampled time] from largest to smallest; parts under 0.5 % left out. `options.fromMicros`: only
 * the samples taken that long after the profile started; `options.sourceOf`: the source file of a frame of a bundle
 * (through its source map), for frames whose url is the bundle's; `options.extraParts`: more parts (`serverParts`).
 */
export function chargeProfile(
  profile: Profiler.Profile,
  options: {
    fromMicros?: number;
    sourceOf?: (frame: Runtime.CallFrame) => string | undefined;
    extraParts?: [pattern: string, part: string][];
  } = {},
): [part: string, share: number][] {
  const known = [...parts, ...(options.extraParts ?? [])];
  const nodes = new Map(
    profile.nodes.map((node) => {
      const source = options.sourceOf?.(node.callFrame);
      return [node.id, source === undefined ? node : { ...node, callFrame: { ...node.callFrame, url: source } }];
    }),
  );
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const charged = new Map<string, number>();
  const total = eachSample(profile, options.fromMicros ?? 0, (sampled, time) => {
    let part: string | undefined;
    for (let id: number | undefined = sampled; id !== undefined && part === undefined; id = parentOf.get(id)) {
      const { url, functionName } = nodes.get(id)!.callFrame;
      part = known.find(([pattern]) => url.includes(pattern))?.[1];
      if (part === undefined && id === sampled && ["(idle)", "(garbage collector)", "(program)"].includes(functionName))
        part = functionName;
    }
    const leaf = nodes.get(sampled)!.callFrame.url;
    part ??= `other: ${
      leaf.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/)?.[1] ??
      (leaf.replace(/^.*\/(packages|bench)\//, "") || "native")
    }`;
    charged.set(part, (charged.get(part) ?? 0) + time);
  });
  return [...charged]
    .map(([part, time]): [string, number] => [part, time / total])
    .filter(([, share]) => share >= 0.005)
    .sort((a, b) => b[1] - a[1]);
}

/** The `count` functions with the most self time (share, function, file:line), for a closer look at one part. */
export function topFunctions(
  profile: Profiler.Profile,
  count: number,
  options: { fromMicros?: number; sourceOf?: (frame: Runtime.CallFrame) => string | undefined } = {},
): [share: number, where: string][] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const total = eachSample(profile, options.fromMicros ?? 0, (sampled, time) => {
    const frame = nodes.get(sampled)!.callFrame;
    const file = (options.sourceOf?.(frame) ?? frame.url).replace(/^.*\/(node_modules|packages)\//, "");
    const where = `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
    self.set(where, (self.get(where) ?? 0) + time);
  });
  return [...self]
    .map(([where, time]): [number, string] => [time / total, where])
    .sort((a, b) => b[0] - a[0])
    .slice(0, count);
}

/** Calls `visit` with each sample's node id and time from `fromMicros` into the profile on; the total time visited. */
function eachSample(
  profile: Profiler.Profile,
  fromMicros: number,
  visit: (sampled: number, time: number) => void,
): number {
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  let elapsed = 0;
  (profile.samples ?? []).forEach((sampled, index) => {
    const time = deltas[index] ?? 0;
    elapsed += time;
    if (elapsed < fromMicros) return;
    total += time;
    visit(sampled, time);
  });
  return total;
}
