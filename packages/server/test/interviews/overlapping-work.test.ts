/**
 * Two pieces of work on one interview at once, through the real app and the
 * fakes, with a provider call held at a fake (its latency, released by name)
 * so that the other piece runs inside it:
 *
 * - a change whose drift check is still reading the providers while another
 *   change of the same interview is made and settled: the late change must
 *   not write the interview as it read it over the one just made (a lost
 *   update: the title, the time or the people put back at Zoom, in the
 *   calendar, where the attendees are told, and in the record);
 * - a booking still waiting for a provider when its lease has lapsed (its
 *   renewals did not get through: the database was away a moment, the
 *   process stalled): the recovery pass of the same process must leave it to
 *   the request that runs it, not undo it under that request's feet (the
 *   request then answered 500 and its late event stayed in the calendar,
 *   attendees invited, for an interview recorded failed); a cancel meanwhile
 *   is busy;
 * - a booking another process took over while its event was being made (this
 *   one could not renew its lease: the database out of its reach): it
 *   answers 503 database_unavailable naming the interview, not 500, and
 *   removes the event it made after the other process may have undone the
 *   booking;
 * - a change another process took over and put back while this one's move
 *   of the event or the meeting was still on its way: the move lands after
 *   the putting back, so the provider shows the new time for an interview
 *   recorded at the old one; this process's recovery pass, once the
 *   interview is settled, moves back exactly what its late write moved.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdAt, letHeldCallsGo, type RunningFake } from "../support/fake-server.ts";
import { createTestApp } from "../support/test-app.ts";
import { waitFor } from "../support/wait.ts";
import {
  accessTokenOf,
  booking,
  bookingHeldAtGoogle,
  call,
  googleEvents,
  hoursFromNow,
  type InterviewApp,
  ken,
  kenZoomAccountId,
  liveHolds,
  setUpOrganisation,
  zoomMeetings,
} from "./support.ts";

let t: InterviewApp;

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  await setUpOrganisation(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** 45 minutes from `slot` hours after the fakes' now and two days, as a PATCH body moves an interview. */
const timeAt = (slot: number) => ({
  start: hoursFromNow(t, slot),
  end: new Date(Date.parse(hoursFromNow(t, slot)) + 45 * 60_000).toISOString(),
});

/**
 * With latency at `fake`: keeps the call `key` waiting there until `work` is done, letting every other call go on as
 * it comes; then lets everything go.
 */
async function holdingOnly<T>(fake: RunningFake, key: string, work: () => Promise<T>): Promise<T> {
  let done = false;
  const running = work().finally(() => {
    done = true;
  });
  while (!done) {
    const others = (await fake.held()).filter((held) => held !== key);
    if (others.length > 0) await fake.control("/release", { calls: others });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return running;
}

describe("a change made while another change of the interview still checks for drift", () => {
  it("is refused as busy, and the change made meanwhile stays everywhere", async () => {
    const booked = await call(t, ken, "POST", "/v1/interviews", booking(t, 1, { zoom: { hostZoomUserId: "zU_ken" } }));
    expect(booked.status).toBe(201);
    const zoom = t.zoom.running;
    // A new time reads Zoom's meetings of the host beside the drift check: that read is held.
    const hostMeetings = "GET /v2/users/zU_ken/meetings";
    await zoom.control("/latency", { ms: 60_000 });
    const late = call(t, ken, "PATCH", `/v1/interviews/${booked.body.id}`, timeAt(3));
    await waitFor("the late change's read of the host's meetings to be held at Zoom", async () => {
      const held = await zoom.held();
      const others = held.filter((key) => key !== hostMeetings);
      if (others.length > 0) await zoom.control("/release", { calls: others });
      return held.includes(hostMeetings) ? true : undefined;
    });

    const renamed = await holdingOnly(zoom, hostMeetings, () =>
      call(t, ken, "PATCH", `/v1/interviews/${booked.body.id}`, { title: "二次面接" }),
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body.title).toBe("二次面接");
    await zoom.control("/latency", { ms: 0 });
    await zoom.control("/release");

    const refused = await late;
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("interview_busy");
    const now = await call(t, ken, "GET", `/v1/interviews/${booked.body.id}`);
    expect(now.body).toMatchObject({ status: "confirmed", title: "二次面接", start: booked.body.start });
    const meeting = (await zoomMeetings(t)).find((one) => one.id === booked.body.zoom.meetingId);
    expect(meeting).toMatchObject({ topic: "二次面接", start: booked.body.start });
    const event = (await googleEvents(t)).find((one) => one.id === booked.body.event.eventId);
    expect(event).toMatchObject({ summary: "二次面接", start: booked.body.start });

    // Asked again, the move is made over the change that stands.
    const moved = await call(t, ken, "PATCH", `/v1/interviews/${booked.body.id}`, timeAt(3));
    expect(moved.body).toMatchObject({ status: "confirmed", title: "二次面接", start: timeAt(3).start });
  });
});

describe("a booking whose lease lapsed while this process still runs it", () => {
  it("is left to its request by the recovery pass, and books once", async () => {
    const meetingsBefore = (await zoomMeetings(t)).length;
    const eventsBefore = (await googleEvents(t)).length;
    const {
      answer: booking5,
      row: { id },
    } = await bookingHeldAtGoogle(t, 5);
    // Past the lease (30 s) and before its first renewal (every 10 s of real time): lapsed as after a missed renewal.
    t.clock.advance(60);

    const insert = "POST /calendar/v3/calendars/primary/events";
    expect(await holdingOnly(t.google, insert, () => t.interviews.recovery.runOnce())).toBe(0);
    const cancel = await holdingOnly(t.google, insert, () => call(t, ken, "DELETE", `/v1/interviews/${id}`));
    expect(cancel.status).toBe(409);
    expect(cancel.body.error.code).toBe("interview_busy");
    await letHeldCallsGo(t.google);

    const booked = await booking5;
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ id, status: "confirmed" });
    expect((await zoomMeetings(t)).length).toBe(meetingsBefore + 1);
    expect((await googleEvents(t)).length).toBe(eventsBefore + 1);
    expect((await liveHolds(t)).filter((hold) => hold.meeting_id === booked.body.zoom.meetingId)).toHaveLength(1);
  });
});

describe("a booking another process took over while its event was being made", () => {
  it("answers 503 database_unavailable with the interview, and removes the event it made late", async () => {
    const { answer: late, row } = await bookingHeldAtGoogle(t, 7);
    // Another process's recovery pass took the lapsed lease (and would undo the booking, from the record as it is).
    await t.db
      .updateTable("interviews")
      .set({
        lease_holder: "another process",
        lease_expires_at: new Date(t.clock.now().getTime() + 60_000).toISOString(),
      })
      .where("id", "=", row.id)
      .execute();
    await letHeldCallsGo(t.google);

    const answer = await late;
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatchObject({ code: "database_unavailable", details: { interviewId: row.id } });
    expect((await googleEvents(t)).filter((event) => event.id === row.event_id)).toEqual([]);
  });
});

describe("a change another process took over and put back while this one's write was on its way", () => {
  /** What the other process's recovery pass leaves: the interview put back as it was before the change, settled. */
  async function putBackElsewhere(id: string, before: { starts_at: string; ends_at: string; title: string }) {
    await t.db
      .updateTable("interviews")
      .set({ ...before, status: "confirmed", step: null, pending: null, lease_holder: null, lease_expires_at: null })
      .where("id", "=", id)
      .execute();
  }

  /** Takes the lease from this process, as another process's recovery pass does once it lapsed. */
  async function takeOver(id: string) {
    await t.db
      .updateTable("interviews")
      .set({
        lease_holder: "another process",
        lease_expires_at: new Date(t.clock.now().getTime() + 60_000).toISOString(),
      })
      .where("id", "=", id)
      .execute();
  }

  /**
   * Moves interview `id` to `slot` while `fake` holds the call `move`; meanwhile another process takes the interview
   * over and puts it back as it was (`before`); then the held move lands. The change answers 503.
   */
  async function moveLandingLate(
    fake: RunningFake,
    move: string,
    id: string,
    slot: number,
    before: { starts_at: string; ends_at: string; title: string },
  ) {
    await fake.control("/latency", { ms: 60_000 });
    const late = call(t, ken, "PATCH", `/v1/interviews/${id}`, timeAt(slot));
    await holdAt(fake, move, `${move} held`);
    await takeOver(id);
    await putBackElsewhere(id, before);
    await letHeldCallsGo(fake);
    expect((await late).status).toBe(503);
  }

  /** Ken changes his meeting in Zoom itself, outside Tsunagu. The status Zoom answers. */
  async function changeInZoom(meetingId: string, change: Record<string, unknown>) {
    const answer = await fetch(`${t.zoom.running.baseUrl}/v2/meetings/${meetingId}`, {
      method: "PATCH",
      headers: {
        authorization: `Bearer ${await accessTokenOf(t, await kenZoomAccountId(t))}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(change),
    });
    return answer.status;
  }

  it("moves the event its late write moved back to the record's time", async () => {
    const booked = await call(t, ken, "POST", "/v1/interviews", booking(t, 21));
    expect(booked.status).toBe(201);
    const { id } = booked.body;
    const before = { starts_at: booked.body.start, ends_at: booked.body.end, title: booked.body.title };
    const move = `PATCH /calendar/v3/calendars/primary/events/${booked.body.event.eventId}`;
    await moveLandingLate(t.google, move, id, 23, before);
    const event = () => googleEvents(t).then((events) => events.find((one) => one.id === booked.body.event.eventId));
    // The late write landed after the putting back: the attendees' calendars show the new time.
    expect(await event()).toMatchObject({ start: timeAt(23).start });

    expect(await t.interviews.recovery.runOnce()).toBe(1);
    expect(await event()).toMatchObject({ start: before.starts_at, end: before.ends_at });
    const checked = await call(t, ken, "GET", `/v1/interviews/${id}?check=1`);
    expect(checked.body).toMatchObject({ status: "confirmed", start: before.starts_at, drift: [] });
    // Looked at once: the next pass has nothing to do.
    expect(await t.interviews.recovery.runOnce()).toBe(0);
  });

  it("moves the Zoom meeting its late write moved back, and leaves a move made outside Tsunagu to drift", async () => {
    const booked = await call(t, ken, "POST", "/v1/interviews", booking(t, 25, { zoom: { hostZoomUserId: "zU_ken" } }));
    expect(booked.status).toBe(201);
    const { id } = booked.body;
    const meetingId = booked.body.zoom.meetingId;
    const before = { starts_at: booked.body.start, ends_at: booked.body.end, title: booked.body.title };
    const zoom = t.zoom.running;
    await moveLandingLate(zoom, `PATCH /v2/meetings/${meetingId}`, id, 27, before);
    const meeting = () => zoomMeetings(t).then((meetings) => meetings.find((one) => one.id === meetingId));
    expect(await meeting()).toMatchObject({ start: timeAt(27).start });

    expect(await t.interviews.recovery.runOnce()).toBe(1);
    expect(await meeting()).toMatchObject({ start: before.starts_at });
    expect((await call(t, ken, "GET", `/v1/interviews/${id}?check=1`)).body.drift).toEqual([]);

    // Another late write, but someone moved the meeting elsewhere in Zoom meanwhile: not this process's to undo.
    await moveLandingLate(zoom, `PATCH /v2/meetings/${meetingId}`, id, 27, before);
    const elsewhere = hoursFromNow(t, 29);
    expect(await changeInZoom(meetingId, { start_time: elsewhere.replace(/\.\d{3}Z$/, "Z") })).toBe(204);
    expect(await t.interviews.recovery.runOnce()).toBe(0);
    expect(await meeting()).toMatchObject({ start: elsewhere });
    const checked = await call(t, ken, "GET", `/v1/interviews/${id}?check=1`);
    expect(checked.body.drift).toEqual([
      { kind: "meeting_moved", start: elsewhere, end: expect.any(String), detectedAt: expect.any(String) },
    ]);
  });

  it("leaves a meeting whose length was changed outside Tsunagu at the late write's start to drift", async () => {
    const booked = await call(t, ken, "POST", "/v1/interviews", booking(t, 31, { zoom: { hostZoomUserId: "zU_ken" } }));
    expect(booked.status).toBe(201);
    const { id } = booked.body;
    const meetingId = booked.body.zoom.meetingId;
    const before = { starts_at: booked.body.start, ends_at: booked.body.end, title: booked.body.title };
    const zoom = t.zoom.running;
    await moveLandingLate(zoom, `PATCH /v2/meetings/${meetingId}`, id, 33, before);
    // Someone shortened the meeting in Zoom, at the start the late write moved it to: not this process's write.
    expect(await changeInZoom(meetingId, { duration: 15 })).toBe(204);
    expect(await t.interviews.recovery.runOnce()).toBe(0);
    const meeting = (await zoomMeetings(t)).find((one) => one.id === meetingId);
    const shortEnd = new Date(Date.parse(timeAt(33).start) + 15 * 60_000).toISOString();
    expect(meeting).toMatchObject({ start: timeAt(33).start, end: shortEnd });
    const checked = await call(t, ken, "GET", `/v1/interviews/${id}?check=1`);
    expect(checked.body.drift).toEqual([
      { kind: "meeting_moved", start: timeAt(33).start, end: shortEnd, detectedAt: expect.any(String) },
    ]);
  });
});
