/**
 * Issue 11, item 9 (crash): a real server process (`src/main.ts`) is
 * SIGKILLed in the middle of a booking, and another one started on the same
 * database: its recovery pass must end the interview confirmed or cleanly
 * failed, with no orphan at the fakes. Two places to die:
 *
 * - between the Zoom meeting and the calendar event (the event's insert is
 *   held at the Google fake by injected latency, and goes through once the
 *   process died and the test lets it go on, as a provider finishes a request
 *   whose caller is gone);
 * - while Zoom is creating the meeting (its id never reached the record: the
 *   meeting is found by the interview id in its agenda, among the host's
 *   meetings at the interview's start to the second, as Zoom keeps it: an
 *   interview booked with milliseconds too).
 *
 * The processes run on the crash rig (test/interviews/crash-rig.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrashRig, createCrashRig } from "../interviews/crash-rig.ts";
import { booking, googleEvents, ken, zoomMeetings } from "../interviews/support.ts";
import { holdAt, letHeldCallsGo } from "../support/fake-server.ts";
import type { ServerProcess } from "../support/server-process.ts";
import { waitFor } from "../support/wait.ts";

let rig: CrashRig;

/** Held calls wait until the test releases them; this (the fake's longest latency) only bounds a failed test. */
const heldMs = 60_000;

beforeAll(async () => {
  rig = await createCrashRig();
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

const book = (server: ServerProcess, slot: number, extra: Record<string, unknown> = {}) =>
  rig.request(
    server,
    ken,
    "POST",
    "/v1/interviews",
    booking(rig.t, slot, { interviewers: ["misaki"], zoom: { hostZoomUserId: "zU_ken" }, ...extra }),
  );

const liveEvents = async () => (await googleEvents(rig.t)).length;

/** Waits for the one interview of `title` to settle, and checks the fakes hold exactly what it says exists. */
async function expectSettledWithoutOrphans(title: string, meetingsBefore: number, eventsBefore: number) {
  const settled = await rig.settled(await rig.idOf(title), ["confirmed", "failed"]);
  const meetings = await zoomMeetings(rig.t);
  if (settled.status === "confirmed") {
    expect(meetings.length).toBe(meetingsBefore + 1);
    expect(await liveEvents()).toBe(eventsBefore + 1);
  } else {
    expect(meetings.filter((meeting) => meeting.topic === title)).toEqual([]);
    expect(meetings.length).toBe(meetingsBefore);
    expect(await liveEvents()).toBe(eventsBefore);
    const holds = await rig.db
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
    const meetingsBefore = (await zoomMeetings(rig.t)).length;
    const eventsBefore = await liveEvents();
    const doomed = await rig.start();
    await rig.t.google.control("/latency", { ms: heldMs });
    const inFlight = book(doomed, 1);
    await holdAt(rig.t.google, "POST /calendar/v3/calendars/primary/events", "the event's insert held at Google");
    expect((await zoomMeetings(rig.t)).length).toBeGreaterThan(meetingsBefore);
    await doomed.kill();
    expect(await inFlight).toBe("killed");
    await letHeldCallsGo(rig.t.google);
    // Google finishes the insert its dead caller asked for.
    await waitFor("Google to finish the event", async () => ((await liveEvents()) > eventsBefore ? true : undefined));

    await rig.start();
    const settled = await expectSettledWithoutOrphans(booking(rig.t, 1).title, meetingsBefore, eventsBefore);
    expect(settled.status).toBe("failed");
    // A crash, as the next process sees it (not the database lost, test/interviews/lease-renewal.test.ts).
    expect(JSON.parse(settled.failure ?? "{}")).toEqual({
      code: "provider_failed",
      message: "The server stopped while booking; whatever had been made was removed. Book again.",
    });
  }, 90_000);

  it.each([
    { slot: 3, at: "a whole minute", extra: () => ({}) },
    {
      slot: 5,
      at: "a time with milliseconds",
      extra: () => ({
        start: new Date(Date.parse(booking(rig.t, 5).start) + 250).toISOString(),
        end: new Date(Date.parse(booking(rig.t, 5).end) + 250).toISOString(),
      }),
    },
  ])(
    "while Zoom creates the meeting, booked at $at: the meeting is found by its agenda and deleted",
    async ({ slot, extra }) => {
      const meetingsBefore = (await zoomMeetings(rig.t)).length;
      const eventsBefore = await liveEvents();
      const doomed = await rig.start();
      const createCalls = await rig.t.zoom.running.calls("POST /v2/users/zU_ken/meetings");
      await rig.t.zoom.running.control("/latency", { ms: heldMs });
      const inFlight = book(doomed, slot, extra());
      await holdAt(rig.t.zoom.running, "POST /v2/users/zU_ken/meetings", "the meeting's creation held at Zoom");
      expect(await rig.t.zoom.running.calls("POST /v2/users/zU_ken/meetings")).toBe(createCalls + 1);
      await doomed.kill();
      expect(await inFlight).toBe("killed");
      await letHeldCallsGo(rig.t.zoom.running);
      await waitFor("Zoom to finish the meeting", async () =>
        (await zoomMeetings(rig.t)).length > meetingsBefore ? true : undefined,
      );
      const row = await rig.db
        .selectFrom("interviews")
        .selectAll()
        .where("id", "=", await rig.idOf(booking(rig.t, slot).title))
        .executeTakeFirst();
      expect(row).toMatchObject({ status: "booking", zoom_meeting_id: null });

      await rig.start();
      await expectSettledWithoutOrphans(booking(rig.t, slot).title, meetingsBefore, eventsBefore);
    },
    90_000,
  );
});
