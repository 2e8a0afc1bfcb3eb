/**
 * A process's CPU time from /proc/<pid>/stat (user + system, in clock ticks
 * of 10 ms on Linux), and the server's CPU per request measured with it:
 * `count` requests one after another, so nothing else the server does in
 * that time is charged to them but its own background work (idle here).
 * Linux only, as the bench machine is.
 */
import { readFileSync } from "node:fs";
import type { LoadRequest } from "./autocannon-load.ts";

/** Ticks a second of /proc's utime and stime (USER_HZ, 100 on every Linux the bench runs on). */
const ticksPerSecond = 100;

/** CPU milliseconds the process `pid` has used so far. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** Milliseconds of the server's CPU per request: `count` sequential requests, each answered 200. */
export async function cpuPerRequest(
  server: { baseUrl: string; serverPid: number },
  request: LoadRequest,
  count: number,
): Promise<number> {
  const init = { method: request.method ?? "GET", headers: request.headers ?? {}, body: request.body };
  const before = processCpuMs(server.serverPid);
  for (let index = 0; index < count; index++) {
    const response = await fetch(`${server.baseUrl}${request.path}`, init);
    if (response.status !== 200)
      throw new Error(`${request.path} answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  }
  return (processCpuMs(server.serverPid) - before) / count;
}
