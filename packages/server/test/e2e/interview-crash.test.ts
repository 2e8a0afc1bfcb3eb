/**
 * Issue 11, item 9 (crash): a real server process (`src/main.ts`) is
 * SIGKILLed in the middle of a booking, and another one started on the same
 * database: its recovery pass must end the interview confirmed or cleanly
 * failed, with no orphan at the fakes. Two places to die:
 *
 * - between the Zoom meeting and the calendar event (the event's insert is
 *   held at the Google fake by injected latency, and goes through after the
 *   process died, as a provider finishes a request whose caller is gone);
 * - while Zoom is creating the meeting (its id never reached the record: the
 *   meeting is found by the interview id in its agenda).
 *
 * Accounts are linked through the test app, whose database the processes
 * then use (PostgreSQL: the same schema; SQLite: a copy made with VACUUM INTO).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { googleSandboxEndpoints } from "../../src/sandbox/google/index.ts";
import { zoomSandboxEndpoints } from "../../src/sandbox/zoom/index.ts";
import { type DB, openDatabase } from "../../src/store/database.ts";
import { linkGoogle } from "../oauth/adapters/google-microsoft-links.ts";
import { ken as googleKen, hanako as googleHanako } from "../providers/google-support.ts";
import { testDatabaseUrl } from "../support/database.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { createTestApp } from "../support/test-app.ts";
import { waitFor } from "../support/wait.ts";
import { booking, hanako, type InterviewApp, ken, linkZoom, misaki, zoomMeetings } from "../interviews/support.ts";

let t: InterviewApp;
let db: DB;
let env: Record<string, string | undefined>;
let dataDir: string;
const running: ServerProcess[] = [];

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  await linkZoom(t, hanako, "zU_hanako", "org");
  await linkZoom(t, ken, "zU_ken", "personal");
  expect((await linkGoogle(t, hanako, "org", googleHanako)).outcome.status).toBe("linked");
  expect((await linkGoogle(t, ken, "personal", googleKen)).outcome.status).toBe("linked");
  expect((await t.api(misaki, "GET", "/v1/me")).status).toBe(200);

  dataDir = mkdtempSync(join(tmpdir(), "tsunagu-crash-"));
  let databaseUrl: string | undefined;
  if (testDatabaseUrl) {
    const url = new URL(testDatabaseUrl);
    url.searchParams.set("options", `-c search_path=${t.databaseOptions.postgresSchema}`);
    databaseUrl = url.toString();
    db = t.db;
  } else {
    await sql`vacuum into ${join(dataDir, "tsunagu.sqlite")}`.execute(t.db);
    db = openDatabase({ dataDir });
  }
  env = {
    TSUNAGU_HOSTS_FILE: t.hostsFile.file,
    TSUNAGU_ENCRYPTION_KEYS: `test:${Buffer.from(t.encryptionKey.key).toString("base64url")}`,
    TSUNAGU_LOG_LEVEL: "warn",
    DATABASE_URL: databaseUrl,
    TSUNAGU_DATA_DIR: dataDir,
    TSUNAGU_GOOGLE_CLIENT_ID: t.google.context.clientId,
    TSUNAGU_GOOGLE_CLIENT_SECRET: t.google.context.clientSecret,
    TSUNAGU_ZOOM_CLIENT_ID: t.zoom.running.context.clientId,
    TSUNAGU_ZOOM_CLIENT_SECRET: t.zoom.running.context.clientSecret,
    TSUNAGU_PROVIDER_ENDPOINTS: JSON.stringify({
      google: googleSandboxEndpoints(t.google.baseUrl),
      zoom: zoomSandboxEndpoints(t.zoom.running.baseUrl),
    }),
    // Short, so a dead process's interview is recovered within seconds.
    TSUNAGU_INTERVIEW_LEASE_SECONDS: "2",
  };
}, 90_000);

afterAll(async () => {
  for (const server of running) await server.stop();
  if (!testDatabaseUrl) await db?.destroy();
  await t?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const server = await startServerProcess(env);
  running.push(server);
  return server;
}

async function book(server: ServerProcess, slot: number) {
  return fetch(`${server.baseUrl}/v1/interviews`, {
    method: "POST",
    headers: { authorization: `Bearer ${await t.token(ken)}`, "content-type": "application/json" },
    body: JSON.stringify(booking(t, slot, { interviewers: ["misaki"], zoom: { hostZoomUserId: "zU_ken" } })),
  }).catch(() => "killed" as const);
}

const interviewsNow = () => db.selectFrom("interviews").selectAll().execute();
const liveEvents = async () =>
  (
    (await (await fetch(`${t.google.baseUrl}/_control/events`)).json()) as { events: Array<{ status: string }> }
  ).events.filter((event) => event.status !== "cancelled").length;

/** Waits for the one interview of `title` to settle, and checks the fakes hold exactly what it says exists. */
async function expectSettledWithoutOrphans(title: string, meetingsBefore: number, eventsBefore: number) {
  const settled = await waitFor(
    "the recovered interview to settle",
    async () => {
      const row = (await interviewsNow()).find((interview) => interview.title === title);
      return row && ["confirmed", "failed"].includes(row.status) ? row : undefined;
    },
    30_000,
  );
  const meetings = await zoomMeetings(t);
  if (settled.status === "confirmed") {
    expect(meetings.length).toBe(meetingsBefore + 1);
    expect(await liveEvents()).toBe(eventsBefore + 1);
  } else {
    expect(meetings.filter((meeting) => meeting.topic === title)).toEqual([]);
    expect(meetings.length).toBe(meetingsBefore);
    expect(await liveEvents()).toBe(eventsBefore);
    const holds = await db
      .selectFrom("zoom_holds")
      .selectAll()
      .where("id", "=", settled.zoom_hold_id ?? "")
      .execute();
    expect(holds).toEqual([]);
  }
  return settled;
}

describe("a server killed in the middle of a booking", () => {
  it("between the Zoom meeting and the event: the next process ends it, no orphan left", async () => {
    const meetingsBefore = (await zoomMeetings(t)).length;
    const eventsBefore = await liveEvents();
    const doomed = await start();
    await t.google.control("/latency", { ms: 3_000 });
    const inFlight = book(doomed, 1);
    await waitFor("the Zoom meeting at the fake and the event's insert at Google", async () =>
      (await zoomMeetings(t)).length > meetingsBefore &&
      (await t.google.calls("POST /calendar/v3/calendars/primary/events")) > 0
        ? true
        : undefined,
    );
    await doomed.kill();
    expect(await inFlight).toBe("killed");
    // Google finishes the insert its dead caller asked for.
    await waitFor("Google to finish the event", async () => ((await liveEvents()) > eventsBefore ? true : undefined));
    await t.google.control("/latency", { ms: 0 });

    await start();
    const settled = await expectSettledWithoutOrphans(booking(t, 1).title, meetingsBefore, eventsBefore);
    expect(settled.status).toBe("failed");
  }, 90_000);

  it("while Zoom creates the meeting: the meeting is found by its agenda and deleted", async () => {
    const meetingsBefore = (await zoomMeetings(t)).length;
    const eventsBefore = await liveEvents();
    const doomed = await start();
    const createCalls = await t.zoom.running.calls("POST /v2/users/zU_ken/meetings");
    await t.zoom.running.control("/latency", { ms: 3_000 });
    const inFlight = book(doomed, 3);
    await waitFor("the meeting's creation at Zoom", async () =>
      (await t.zoom.running.calls("POST /v2/users/zU_ken/meetings")) > createCalls ? true : undefined,
    );
    await doomed.kill();
    expect(await inFlight).toBe("killed");
    await waitFor("Zoom to finish the meeting", async () =>
      (await zoomMeetings(t)).length > meetingsBefore ? true : undefined,
    );
    await t.zoom.running.control("/latency", { ms: 0 });
    const row = (await interviewsNow()).find((interview) => interview.title === booking(t, 3).title);
    expect(row).toMatchObject({ status: "booking", zoom_meeting_id: null });

    await start();
    await expectSettledWithoutOrphans(booking(t, 3).title, meetingsBefore, eventsBefore);
  }, 90_000);
});
