/**
 * The V8 setting the server process runs with, applied by main.ts before it
 * serves (issue 15): allocation-site pretenuring off.
 *
 * At each collection of the young generation, V8 counts how many of the
 * objects allocated at each place in the code are still alive. Where most
 * are, it allocates that place's objects in the old generation from then on
 * (pretenuring), expecting them to live long. A server answering fifty
 * requests at once has, at any collection, every request in flight alive:
 * the requests of one turn wait together for one SQLite read transaction
 * (store/statement-cache.ts) or one PostgreSQL query (store/read-coalescer.ts).
 * So V8 pretenured Node's own request, response and header objects, though
 * each dies a millisecond or two later, and the old generation filled with
 * them until a full marking collection cleared it.
 *
 * Measured with `--trace-gc-nvp` under `GET /v1/me` over HTTP, 50 connections, SQLite (bench/HISTORY.md):
 * - promoted per young collection: 337 KB → 3 KB;
 * - a young collection's pause: 1.1 → 0.7 ms;
 * - full collections: one every 5–10 s → none.
 * The server's CPU per request fell by about a tenth on PostgreSQL and a sixth on SQLite.
 *
 * V8 checks the setting at each collection, so setting it while the process
 * runs takes effect from the next collection on (the figures above were
 * measured that way). An operator who puts either form of the flag on Node's
 * command line keeps theirs.
 */
import { setFlagsFromString } from "node:v8";

export const v8Flags = ["--no-allocation-site-pretenuring"] as const;

/** The flags of `v8Flags` that Node's command line (`execArgv`) does not already set, one way or the other. */
export function v8FlagsToApply(execArgv: readonly string[]): string[] {
  const named = new Set(execArgv.map((argument) => flagName(argument.split("=")[0] ?? "")));
  return v8Flags.filter((flag) => !named.has(flagName(flag)));
}

/** Applies `v8FlagsToApply(process.execArgv)`; answers what it applied. */
export function applyV8Settings(): string[] {
  const flags = v8FlagsToApply(process.execArgv);
  for (const flag of flags) setFlagsFromString(flag);
  return flags;
}

/** A flag's name without its `no-` and with V8's `_` and `-` taken as the same. */
function flagName(argument: string): string {
  return argument.replace(/^--/, "").replace(/^no-/, "").replaceAll("_", "-");
}
