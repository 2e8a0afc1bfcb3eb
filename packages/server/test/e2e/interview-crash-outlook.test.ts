/**
 * Issue 11, item 9 (crash) for an Outlook organiser: a real server process
 * is SIGKILLed in the middle of a booking whose event goes to Microsoft
 * Graph, and another one started on the same database. The event's create
 * carries Graph's `transactionId`, stored before the call, so the next
 * process finds an event whose create never answered by reading the
 * organiser's calendar view for it, and deletes it; it never repeats the
 * create, which would make an event that never was and have Outlook invite
 * the attendees and then cancel. Two places
 * to die, both held deterministically at the Graph fake by injected latency
 * (the process is killed while its create waits there, which the test then
 * lets go on, `/_control/release`):
 *
 * - between the Zoom meeting and the event: the held create is then refused
 *   (`/_control/fail`), so Graph never makes the event;
 * - right after Graph made the event: the held create goes through once its
 *   caller is gone (`GET /_control/events` shows it), so the event exists and
 *   its id never reached the record.
 *
 * After the restart: the interview confirmed or cleanly failed, at most one
 * event and one Zoom meeting for it, none once it failed, the hold released.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrashRig, createCrashRig } from "../interviews/crash-rig.ts";
import { booking, outlookEvents, sho, zoomMeetings } from "../interviews/support.ts";
import { holdAt, letHeldCallsGo } from "../support/fake-server.ts";
import type { ServerProcess } from "../support/server-process.ts";
import { waitFor } from "../support/wait.ts";

let rig: CrashRig;

beforeAll(async () => {
  rig = await createCrashRig();
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

const createPath = "/v1.0/me/events";
/** Held calls wait until the test releases them; this (the fake's longest latency) only bounds a failed test. */
const heldMs = 60_000;

const book = (server: ServerProcess, slot: number) =>
  rig.request(
    server,
    sho,
    "POST",
    "/v1/interviews",
    booking(rig.t, slot, { interviewers: ["misaki"], zoom: { hostZoomUserId: "zU_hanako" } }),
  );

const eventsTitled = async (title: string) => (await outlookEvents(rig.t)).filter((event) => event.subject === title);
const meetingsTitled = async (title: string) =>
  (await zoomMeetings(rig.t)).filter((meeting) => meeting.topic === title);

/** Starts a booking on a doomed process and kills it while Graph holds the event's create. */
async function killDuringEventCreate(slot: number): Promise<string> {
  const title = booking(rig.t, slot).title;
  const doomed = await rig.start();
  const creates = await rig.t.microsoft.calls(`POST ${createPath}`);
  await rig.t.microsoft.control("/latency", { ms: heldMs });
  const inFlight = book(doomed, slot);
  await holdAt(rig.t.microsoft, `POST ${createPath}`, "the event's create held at Graph");
  expect(await meetingsTitled(title)).toHaveLength(1);
  expect(await rig.t.microsoft.calls(`POST ${createPath}`)).toBe(creates + 1);
  await doomed.kill();
  expect(await inFlight).toBe("killed");
  return rig.idOf(title);
}

/** The recovered interview agrees with the fakes: what it says exists is there once, nothing else is. */
async function expectSettledWithoutOrphans(id: string, title: string) {
  const settled = await rig.settled(id, ["confirmed", "failed"]);
  const events = await eventsTitled(title);
  const meetings = await meetingsTitled(title);
  if (settled.status === "confirmed") {
    expect(events.map((event) => event.id)).toEqual([settled.event_id]);
    expect(meetings.map((meeting) => meeting.id)).toEqual([settled.zoom_meeting_id]);
  } else {
    expect(events).toEqual([]);
    expect(meetings).toEqual([]);
    expect(
      await rig.db
        .selectFrom("zoom_holds")
        .selectAll()
        .where("id", "=", settled.zoom_hold_id ?? "")
        .execute(),
    ).toEqual([]);
  }
  return settled;
}

describe("a server killed in the middle of an Outlook booking", () => {
  it("between the Zoom meeting and the event: the event is never made, the next process undoes the rest", async () => {
    await rig.t.microsoft.control("/fail", { status: 503, method: "POST", path: createPath });
    const title = booking(rig.t, 40).title;
    const id = await killDuringEventCreate(40);
    // The held create, let go, is refused: Graph made nothing.
    await letHeldCallsGo(rig.t.microsoft);
    expect(await eventsTitled(title)).toEqual([]);
    const left = await rig.db.selectFrom("interviews").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(left).toMatchObject({ status: "booking", step: "calendar_event", event_id: null });
    expect(JSON.parse(left.pending ?? "{}")).toMatchObject({ transactionId: expect.any(String) });

    const creates = await rig.t.microsoft.calls(`POST ${createPath}`);
    const views = await rig.t.microsoft.calls("GET /v1.0/me/calendarView");
    await rig.start();
    const settled = await expectSettledWithoutOrphans(id, title);
    expect(settled.status).toBe("failed");
    // The event was looked for on the calendar, not by asking Graph to create it again.
    expect(await rig.t.microsoft.calls(`POST ${createPath}`)).toBe(creates);
    expect(await rig.t.microsoft.calls("GET /v1.0/me/calendarView")).toBeGreaterThan(views);
  }, 90_000);

  it("right after Graph made the event: found by its transactionId, no duplicate, nothing orphaned", async () => {
    const title = booking(rig.t, 42).title;
    const id = await killDuringEventCreate(42);
    await letHeldCallsGo(rig.t.microsoft);
    // Graph finishes the create its dead caller asked for: the event exists, its id never reached the record.
    await waitFor("Graph to make the event", async () => ((await eventsTitled(title)).length === 1 ? true : undefined));
    const left = await rig.db.selectFrom("interviews").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(left).toMatchObject({ status: "booking", event_id: null, event_created: 0 });

    await rig.start();
    await expectSettledWithoutOrphans(id, title);
  }, 90_000);
});
