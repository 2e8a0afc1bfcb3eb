/**
 * The organisation the availability and round-trip benches measure: the test
 * app (packages/server/test/support/test-app.ts) with the Google, Microsoft
 * and Zoom fakes, the admin's Google and Microsoft 365 connections, and
 * interviewers who linked their own calendars through the fakes' real consent
 * walks; the recruiter booking interviews linked Zoom and Google. The seed's
 * people are the interviewers, so their busy time is the sandbox's. The fakes
 * know only the seed's 10 people, so beyond 10 interviewers the seed's people
 * come round again: interviewer 12 is another portal user who linked the
 * calendar of the seed's second person, a grant (and tokens) of its own,
 * read by a call of its own.
 *
 * `startServer` then starts the server as in production (the built bundle)
 * on the test app's database, pointed at the same fakes, in the environment
 * the crash tests' processes get (packages/server/test/support/
 * server-environment.ts): PostgreSQL, the same schema; SQLite, a copy made
 * with VACUUM INTO when the first server starts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { people } from "../../packages/server/src/sandbox/seed.ts";
import {
  connectMicrosoft,
  linkGoogle,
  linkMicrosoft,
} from "../../packages/server/test/oauth/adapters/google-microsoft-links.ts";
import { type InterviewApp, linkZoom } from "../../packages/server/test/interviews/support.ts";
import { type ServerEnvironment, serverEnvironment } from "../../packages/server/test/support/server-environment.ts";
import { type ServerProcess, startServerProcess } from "../../packages/server/test/support/server-process.ts";
import { type Caller, createTestApp } from "../../packages/server/test/support/test-app.ts";

export const org = "sakura";
export const admin: Caller = { sub: "hanako", org, role: "admin", locale: "en" };
export const recruiter: Caller = { sub: "ken", org, role: "recruiter", locale: "en" };

export interface Interviewer {
  caller: Caller;
  calendars: Array<"google" | "microsoft">;
}

export interface CalendarOrg {
  t: InterviewApp;
  interviewers: Interviewer[];
  /** The fakes, for their control API (latency, call counts). */
  fakes: { google: string; microsoft: string; zoom: string };
  /** The server as `pnpm start` runs it, on this organisation's database and fakes. */
  startServer(builtMain: string, extra?: Record<string, string>): Promise<ServerProcess>;
  close(): Promise<void>;
}

/**
 * `count` interviewers (recruiters of the portal), the seed's people in turn, each with the calendars `calendarsOf`
 * gives them; ken books, with his Zoom user (zU_ken) and his Google calendar.
 */
export async function calendarOrg(
  count: number,
  calendarsOf: (index: number) => Array<"google" | "microsoft">,
): Promise<CalendarOrg> {
  const t = (await createTestApp({ providers: ["google", "microsoft", "zoom"] })) as InterviewApp;
  const servers: ServerProcess[] = [];
  let dataDir: string | undefined;
  let environment: ServerEnvironment = {};
  try {
    await linkZoom(t, admin, "zU_hanako", "org");
    await linkZoom(t, recruiter, "zU_ken", "personal");
    expectLinked(await linkGoogle(t, admin, "org", people[0]!.email));
    expectLinked(await connectMicrosoft(t, admin, people[0]!.email));
    expectLinked(await linkGoogle(t, recruiter, "personal", people[1]!.email));
    const interviewers: Interviewer[] = [];
    for (let index = 0; index < count; index++) {
      const person = people[index % people.length]!;
      // The seed's people first under their own ids (u-ai), then again as other users (u-ai-1, u-ai-2, …).
      const round = Math.floor(index / people.length);
      const sub = round === 0 ? `u-${person.key}` : `u-${person.key}-${round}`;
      const caller: Caller = { sub, org, role: "recruiter", email: person.email, locale: "en" };
      const calendars = calendarsOf(index);
      if (calendars.includes("google")) expectLinked(await linkGoogle(t, caller, "personal", person.email));
      if (calendars.includes("microsoft")) expectLinked(await linkMicrosoft(t, caller, person.email));
      interviewers.push({ caller, calendars });
    }

    return {
      t,
      interviewers,
      fakes: { google: t.google.baseUrl, microsoft: t.microsoft.baseUrl, zoom: t.zoom.running.baseUrl },
      async startServer(builtMain, extra = {}) {
        if (!dataDir) {
          dataDir = mkdtempSync(join(tmpdir(), "tsunagu-bench-org-"));
          environment = await serverEnvironment(t, dataDir);
        }
        const server = await startServerProcess(
          {
            ...environment,
            NODE_ENV: "production",
            TSUNAGU_LOG_LEVEL: "info",
            TSUNAGU_BENCH_ROUTES: "1",
            ...extra,
          },
          { builtMain },
        );
        servers.push(server);
        return server;
      },
      async close() {
        for (const server of servers.splice(0)) await server.stop();
        await t.close();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const server of servers) await server.stop();
    await t.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

function expectLinked(result: { outcome: { status: string } }): void {
  if (result.outcome.status !== "linked") throw new Error(`a link ended ${JSON.stringify(result.outcome)}`);
}

/** Adds `ms` of latency to every call at each fake (`POST /_control/latency`; 0 takes it away). */
export async function setFakeLatency(fakes: Record<string, string>, ms: number): Promise<void> {
  for (const baseUrl of Object.values(fakes)) {
    const answer = await fetch(`${baseUrl}/_control/latency`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ms }),
    });
    if (!answer.ok) throw new Error(`latency at ${baseUrl}: ${answer.status}`);
  }
}
