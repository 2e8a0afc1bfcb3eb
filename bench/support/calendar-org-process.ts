/**
 * The calendar organisation of calendar-org.ts in a process of its own: the
 * test app, the Google, Microsoft and Zoom fakes and their consent walks run
 * in a child process, which then starts the server as in production (a
 * process of its own again) and hands the bench what it needs to load it.
 * The bench process fires the load; the fakes answer from their process; so
 * the server's figures (requests/s, CPU from /proc) are not the fakes' and
 * not the load generator's.
 *
 * Run as a script it is that child: it prints one `org {json}` line and
 * serves until its stdin closes, then stops the server and the fakes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { people } from "../../packages/server/src/sandbox/seed.ts";
import { generateSigningKey, signToken } from "../../packages/server/test/support/hosts.ts";
import type { ServerProcess } from "../../packages/server/test/support/server-process.ts";
import { callerClaims } from "../../packages/server/test/support/test-app.ts";
import { calendarOrg, recruiter } from "./calendar-org.ts";

/** How the portal signs the bench's host token. */
export type HostAlgorithm = "HS256" | "ES256";

export interface CalendarOrgProcess {
  /** The server as in production, and its process id (for /proc/<pid>/stat). */
  baseUrl: string;
  serverPid: number;
  /** A host token of the recruiter, signed at start-up (HS256 or ES256, as asked) and valid for the portal's token
   * lifetime. */
  token: string;
  /** The interviewers' user ids, in seed order. */
  participants: string[];
  /** The fakes' clock at start-up (ISO). */
  now: string;
  /** The fakes' origins, for their control API (latency, call counts). */
  fakes: Record<string, string>;
  /** Every server started, one per built entry asked for, in that order (the first is `baseUrl`/`serverPid`). */
  servers: Array<{ baseUrl: string; serverPid: number }>;
  close(): Promise<void>;
}

type Handover = Omit<CalendarOrgProcess, "close">;

const self = new URL(import.meta.url).pathname;

/**
 * Starts the organisation (`count` interviewers; up to the seed's 10 people each with a Google and an Outlook
 * calendar, beyond that one calendar each, Google and Outlook alternating: `calendarsOf`) and the built
 * server `builtMain` in their own processes (one server per entry when given several: two builds side by side on
 * the same database and fakes); `serverEnv` adds to the servers' environment (NODE_OPTIONS, say).
 */
export async function startCalendarOrgProcess(
  count: number,
  builtMain: string | string[],
  serverEnv: Record<string, string> = {},
  hostAlgorithm: HostAlgorithm = "HS256",
): Promise<CalendarOrgProcess> {
  const mains = JSON.stringify([builtMain].flat());
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", self, String(count), mains], {
    env: {
      ...process.env,
      BENCH_ORG_SERVER_ENV: JSON.stringify(serverEnv),
      BENCH_ORG_HOST_ALGORITHM: hostAlgorithm,
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  const handover = await new Promise<Handover>((resolve, reject) => {
    lines.on("line", (line) => {
      if (line.startsWith("org ")) resolve(JSON.parse(line.slice("org ".length)) as Handover);
    });
    void exited.then((code) => reject(new Error(`the organisation's process exited (${code}) before it was ready`)));
  });
  return {
    ...handover,
    async close() {
      child.stdin!.end();
      await exited;
    },
  };
}

/** What each of `count` interviewers linked. */
export function calendarsOf(count: number): (index: number) => Array<"google" | "microsoft"> {
  if (count <= people.length) return () => ["google", "microsoft"];
  return (index) => (index % 2 === 0 ? ["google"] : ["microsoft"]);
}

if (process.argv[1] === self) {
  const [count = "5", mains = "[]"] = process.argv.slice(2);
  const serverEnv = JSON.parse(process.env.BENCH_ORG_SERVER_ENV ?? "{}") as Record<string, string>;
  const org = await calendarOrg(Number(count), calendarsOf(Number(count)));
  const hostsDir = mkdtempSync(join(tmpdir(), "tsunagu-bench-hosts-"));
  try {
    // ES256: the servers read a hosts file in which the recruiter's portal holds the public half of a key pair in
    // place of its HS256 secret. Same host id, so the same organisation and the calendars linked above.
    let token = await org.t.token(recruiter);
    if (process.env.BENCH_ORG_HOST_ALGORITHM === "ES256") {
      const key = await generateSigningKey("ES256");
      const host = recruiter.host ?? "portal-a";
      const entries = JSON.parse(readFileSync(org.t.hostsFile.file, "utf8")) as Array<Record<string, unknown>>;
      const hostsFile = join(hostsDir, "hosts.json");
      const withKey = entries.map((entry) => {
        if (entry.id !== host) return entry;
        const { secret: _hs256, ...rest } = entry;
        return { ...rest, jwk: key.publicJwk, algorithms: ["ES256"] };
      });
      writeFileSync(hostsFile, JSON.stringify(withKey));
      serverEnv.TSUNAGU_HOSTS_FILE = hostsFile;
      token = await signToken(key, callerClaims(org.t.clock, recruiter));
    }
    const servers = [];
    const started: ServerProcess[] = [];
    for (const builtMain of JSON.parse(mains) as string[]) {
      const server = await org.startServer(builtMain, serverEnv);
      started.push(server);
      servers.push({ baseUrl: server.baseUrl, serverPid: server.pid });
    }
    const handover: Handover = {
      ...servers[0]!,
      servers,
      fakes: org.fakes,
      token,
      participants: org.interviewers.map((interviewer) => interviewer.caller.sub),
      now: org.t.clock.now().toISOString(),
    };
    process.stdout.write(`org ${JSON.stringify(handover)}\n`);
    await new Promise<void>((resolve) => {
      process.stdin.on("end", resolve);
      process.stdin.on("close", resolve);
      process.stdin.resume();
    });
    // BENCH_ORG_SERVER_LOG: the servers' output (one JSON line each), for looking into failed requests.
    const log = process.env.BENCH_ORG_SERVER_LOG;
    if (log) writeFileSync(log, started.map((server) => server.output()).join("\n"));
  } finally {
    rmSync(hostsDir, { recursive: true, force: true });
    await org.close();
  }
  process.exit(0);
}
