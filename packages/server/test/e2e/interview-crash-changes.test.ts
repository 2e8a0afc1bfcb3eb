/**
 * Issue 11, item 3 (saga-safe changes) under a real crash: a server process
 * (`src/main.ts`) is SIGKILLed in the middle of a reschedule (PATCH moving
 * the time and giving the meeting another host) or a cancel (DELETE),
 * between the Zoom change and the calendar change (and once in the middle
 * of the host change itself: Zoom made the meeting again under the new host
 * and is deleting the old one), and another process started on the same
 * database. Each kill is held deterministically at a
 * fake by injected latency (the process dies while its call waits there);
 * once the process is dead the test lets the held call go on
 * (`/_control/release`), and it goes through or is refused as a provider
 * would finish a request whose caller is gone. After the restart the interview, the Zoom
 * meeting and the event agree: the change rolled back everywhere and reported
 * (`failure`), or the interview cancelled everywhere; no orphan meeting,
 * event or hold. test/interviews/observers-settings.test.ts keeps the same
 * recovery's tests from dead-process state written into the database.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrashRig, createCrashRig } from "../interviews/crash-rig.ts";
import { accessTokenOf, booking, googleEvents, hoursFromNow, ken, zoomMeetings } from "../interviews/support.ts";
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

/** Held calls wait until the test releases them; this (the fake's longest latency) only bounds a failed test. */
const heldMs = 60_000;

/** An interview booked by `server` on ken's Google calendar with zU_ken hosting. */
async function bookOn(server: ServerProcess, slot: number): Promise<Record<string, any>> {
  const answer = await rig.request(
    server,
    ken,
    "POST",
    "/v1/interviews",
    booking(rig.t, slot, { interviewers: ["misaki"], zoom: { hostZoomUserId: "zU_ken" } }),
  );
  if (answer === "killed") throw new Error("the server died while booking");
  expect(answer.status).toBe(201);
  return (await answer.json()) as Record<string, any>;
}

const meetingsTitled = async (title: string) =>
  (await zoomMeetings(rig.t)).filter((meeting) => meeting.topic === title);
const eventsTitled = async (title: string) => (await googleEvents(rig.t)).filter((event) => event.summary === title);

async function googleEvent(eventId: string): Promise<Record<string, any>> {
  const response = await fetch(`${rig.t.google.baseUrl}/calendar/v3/calendars/primary/events/${eventId}`, {
    headers: { authorization: `Bearer ${await accessTokenOf(rig.t, rig.accounts.googleAccountId)}` },
  });
  return (await response.json()) as Record<string, any>;
}

/** Holds of a Zoom user that overlap [start, end) and have not lapsed. */
const liveHoldsOf = (zoomUserId: string, start: string, end: string) =>
  rig.db
    .selectFrom("zoom_holds")
    .selectAll()
    .where("zoom_user_id", "=", zoomUserId)
    .where("starts_at", "<", end)
    .where("ends_at", ">", start)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", new Date().toISOString())]))
    .execute();

describe("a server killed in the middle of a change", () => {
  it("reschedule with a new host, between the Zoom change and the event: rolled back, reported", async () => {
    const doomed = await rig.start();
    const booked = await bookOn(doomed, 50);
    const start = hoursFromNow(rig.t, 52);
    const end = new Date(Date.parse(start) + 45 * 60_000).toISOString();
    const eventPatch = `PATCH /calendar/v3/calendars/primary/events/${booked.event.eventId}`;
    const patches = await rig.t.google.calls(eventPatch);
    await rig.t.google.control("/latency", { ms: heldMs });
    const inFlight = rig.request(doomed, ken, "PATCH", `/v1/interviews/${booked.id}`, {
      start,
      end,
      zoom: { hostZoomUserId: "zU_hanako" },
    });
    // The meeting already has its new host and time when the event's change reaches Google.
    await holdAt(rig.t.google, eventPatch, "the Zoom change done and the event's change held at Google");
    expect(await rig.t.google.calls(eventPatch)).toBe(patches + 1);
    const moved = await meetingsTitled(booked.title);
    expect(moved).toEqual([expect.objectContaining({ userId: "zU_hanako", start })]);
    await doomed.kill();
    expect(await inFlight).toBe("killed");
    await letHeldCallsGo(rig.t.google);
    // Google finishes the change its dead caller asked for.
    await waitFor("Google to move the event", async () =>
      (await eventsTitled(booked.title))[0]?.start === start ? true : undefined,
    );
    expect(
      await rig.db.selectFrom("interviews").select("status").where("id", "=", booked.id).executeTakeFirst(),
    ).toEqual({
      status: "updating",
    });

    await rig.start();
    const settled = await rig.settled(booked.id, ["confirmed"]);
    expect(settled).toMatchObject({ starts_at: booked.start, ends_at: booked.end, zoom_host_user_id: "zU_ken" });
    expect(JSON.parse(settled.failure ?? "{}")).toMatchObject({ code: "provider_failed" });
    // The meeting is back under zU_ken at the old time (made again there: a new id and join URL the event carries).
    const meetings = await meetingsTitled(booked.title);
    expect(meetings).toEqual([
      expect.objectContaining({ id: settled.zoom_meeting_id, userId: "zU_ken", start: booked.start }),
    ]);
    const events = await eventsTitled(booked.title);
    expect(events).toEqual([expect.objectContaining({ id: booked.event.eventId, start: booked.start })]);
    expect((await googleEvent(booked.event.eventId)).location).toBe(settled.zoom_join_url);
    expect(await liveHoldsOf("zU_ken", booked.start, booked.end)).toEqual([
      expect.objectContaining({ id: settled.zoom_hold_id, meeting_id: settled.zoom_meeting_id }),
    ]);
    expect(await liveHoldsOf("zU_hanako", start, end)).toEqual([]);
    expect(await liveHoldsOf("zU_hanako", booked.start, booked.end)).toEqual([]);
  }, 240_000);

  it("host change, after Zoom made the new host's meeting and while it deletes the old one: rolled back", async () => {
    const doomed = await rig.start();
    const booked = await bookOn(doomed, 60);
    const oldDelete = `DELETE /v2/meetings/${booked.zoom.meetingId}`;
    const deletes = await rig.t.zoom.running.calls(oldDelete);
    await rig.t.zoom.running.control("/latency", { ms: heldMs });
    const inFlight = rig.request(doomed, ken, "PATCH", `/v1/interviews/${booked.id}`, {
      zoom: { hostZoomUserId: "zU_hanako" },
    });
    // Every Zoom call of the change waits there (the meeting read, the host's meetings, the move refused, the new
    // meeting made) and is let go on, until the old one's deletion comes and is held.
    await holdAt(rig.t.zoom.running, oldDelete, "the old meeting's deletion held at Zoom");
    expect(await rig.t.zoom.running.calls(oldDelete)).toBe(deletes + 1);
    await doomed.kill();
    expect(await inFlight).toBe("killed");
    await letHeldCallsGo(rig.t.zoom.running);
    // Zoom finishes the deletion: only the new host's meeting, which the record never heard of, is left.
    await waitFor("Zoom to delete the old meeting", async () =>
      (await meetingsTitled(booked.title)).every((meeting) => meeting.userId === "zU_hanako") ? true : undefined,
    );

    await rig.start();
    const settled = await rig.settled(booked.id, ["confirmed"]);
    expect(settled).toMatchObject({ starts_at: booked.start, zoom_host_user_id: "zU_ken" });
    expect(JSON.parse(settled.failure ?? "{}")).toMatchObject({ code: "provider_failed" });
    expect(await meetingsTitled(booked.title)).toEqual([
      expect.objectContaining({ id: settled.zoom_meeting_id, userId: "zU_ken", start: booked.start }),
    ]);
    expect((await googleEvent(booked.event.eventId)).location).toBe(settled.zoom_join_url);
    expect(await liveHoldsOf("zU_ken", booked.start, booked.end)).toEqual([
      expect.objectContaining({ id: settled.zoom_hold_id, meeting_id: settled.zoom_meeting_id }),
    ]);
    expect(await liveHoldsOf("zU_hanako", booked.start, booked.end)).toEqual([]);
  }, 240_000);

  it("cancel, between the event's deletion and the meeting's: the next process finishes it", async () => {
    const doomed = await rig.start();
    const booked = await bookOn(doomed, 56);
    const meetingDelete = `DELETE /v2/meetings/${booked.zoom.meetingId}`;
    const deletes = await rig.t.zoom.running.calls(meetingDelete);
    await rig.t.zoom.running.control("/latency", { ms: heldMs });
    // Zoom refuses the held deletion once its caller is gone: the meeting outlives the dead process.
    await rig.t.zoom.running.control("/fail", {
      status: 503,
      method: "DELETE",
      path: `/v2/meetings/${booked.zoom.meetingId}`,
    });
    const inFlight = rig.request(doomed, ken, "DELETE", `/v1/interviews/${booked.id}`);
    await holdAt(rig.t.zoom.running, meetingDelete, "the event deleted and the meeting's deletion held at Zoom");
    expect(await rig.t.zoom.running.calls(meetingDelete)).toBe(deletes + 1);
    // The event's deletion runs alongside the meeting's (one round trip): on a busy machine Google may still be
    // answering it when Zoom holds the meeting's.
    await waitFor("Google to delete the event", async () =>
      (await eventsTitled(booked.title)).length === 0 ? true : undefined,
    );
    await doomed.kill();
    expect(await inFlight).toBe("killed");
    // The release answers once the held deletion has met its injected 503.
    await letHeldCallsGo(rig.t.zoom.running);
    expect(await meetingsTitled(booked.title)).toHaveLength(1);
    expect(
      await rig.db.selectFrom("interviews").select("status").where("id", "=", booked.id).executeTakeFirst(),
    ).toEqual({
      status: "cancelling",
    });

    await rig.start();
    const settled = await rig.settled(booked.id, ["cancelled"]);
    expect(settled.failure).toBeNull();
    expect(await meetingsTitled(booked.title)).toEqual([]);
    expect(await eventsTitled(booked.title)).toEqual([]);
    expect(await liveHoldsOf("zU_ken", booked.start, booked.end)).toEqual([]);
  }, 120_000);
});
