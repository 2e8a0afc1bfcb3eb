/**
 * POST /v1/zoom/meetings/:id/host for an interview's meeting: the host is changed through the interview, as
 * PATCH /v1/interviews/:id {zoom:{hostZoomUserId}} would, so the record, the hold and the calendar event follow the
 * meeting (made again under the new host, a new id and join URL) instead of keeping the deleted one. Who may is who
 * may change the interview; an interview still being booked answers that it is busy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdAt, letHeldCallsGo } from "../support/fake-server.ts";
import { createTestApp } from "../support/test-app.ts";
import {
  accessTokenOf,
  booking,
  bookingHeldAtGoogle,
  call,
  hanako,
  type InterviewApp,
  ken,
  linkZoom,
  misaki,
  setUpOrganisation,
  sho,
  zoomMeetings,
} from "../interviews/support.ts";

let t: InterviewApp;
let accounts: { googleAccountId: string; outlookAccountId: string };

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  accounts = await setUpOrganisation(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function book(slot: number) {
  const answer = await call(t, ken, "POST", "/v1/interviews", booking(t, slot, { zoom: { hostZoomUserId: "zU_ken" } }));
  expect(answer.status).toBe(201);
  return answer.body;
}

async function googleEvent(eventId: string): Promise<Record<string, any>> {
  const response = await fetch(`${t.google.baseUrl}/calendar/v3/calendars/primary/events/${eventId}`, {
    headers: { authorization: `Bearer ${await accessTokenOf(t, accounts.googleAccountId)}` },
  });
  return (await response.json()) as Record<string, any>;
}

const meetingOf = async (id: string) => (await zoomMeetings(t)).find((meeting) => meeting.id === id);

describe("POST /v1/zoom/meetings/:id/host for an interview's meeting", () => {
  it("changes the interview's host: the record, the hold and the Google event follow the new meeting", async () => {
    const booked = await book(1);
    const oldMeetingId: string = booked.zoom.meetingId;
    // Sho linked no Zoom user: a recruiter may change any interview's host, as with PATCH.
    const answer = await call(t, sho, "POST", `/v1/zoom/meetings/${oldMeetingId}/host`, { zoomUserId: "zU_hanako" });
    expect(answer).toEqual({
      status: 200,
      body: {
        outcome: "recreated",
        meeting: {
          id: expect.any(String),
          hostZoomUserId: "zU_hanako",
          joinUrl: expect.any(String),
          start: booked.start,
          end: booked.end,
          topic: booked.title,
        },
        previousMeetingId: oldMeetingId,
        holdId: expect.any(String),
      },
    });
    const { meeting, holdId } = answer.body;
    expect(meeting.id).not.toBe(oldMeetingId);
    expect(await meetingOf(oldMeetingId)).toBeUndefined();
    expect(await meetingOf(meeting.id)).toMatchObject({ userId: "zU_hanako", start: booked.start });

    const checked = await call(t, ken, "GET", `/v1/interviews/${booked.id}?check=1`);
    expect(checked.status).toBe(200);
    expect(checked.body).toMatchObject({
      status: "confirmed",
      zoom: { meetingId: meeting.id, joinUrl: meeting.joinUrl, hostZoomUserId: "zU_hanako" },
      drift: [],
    });
    const event = await googleEvent(booked.event.eventId);
    expect(event.location).toBe(meeting.joinUrl);
    expect(event.description).toContain(meeting.joinUrl);
    expect(event.description).not.toContain(booked.zoom.joinUrl);
    // The new host's hold stands on the new meeting; the old host's was released.
    const holds = await t.db.selectFrom("zoom_holds").selectAll().where("org_id", "=", "sakura").execute();
    expect(holds.find((hold) => hold.id === holdId)).toMatchObject({
      zoom_user_id: "zU_hanako",
      meeting_id: meeting.id,
      expires_at: null,
    });
    expect(holds.filter((hold) => hold.meeting_id === oldMeetingId)).toEqual([]);
  });

  it("refuses an assistant with 403 forbidden_role, as changing the interview would, and changes nothing", async () => {
    const booked = await book(3);
    const meetingsBefore = await zoomMeetings(t);
    const refused = await call(t, misaki, "POST", `/v1/zoom/meetings/${booked.zoom.meetingId}/host`, {
      zoomUserId: "zU_hanako",
    });
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden_role", message: expect.stringContaining(booked.id) } },
    });
    expect(await zoomMeetings(t)).toEqual(meetingsBefore);
    const after = await call(t, ken, "GET", `/v1/interviews/${booked.id}?check=1`);
    expect(after.body).toMatchObject({ zoom: booked.zoom, drift: [] });
  });

  it("answers 409 interview_busy for the meeting of an interview still being booked, and leaves it be", async () => {
    const { answer: booking5, row } = await bookingHeldAtGoogle(t, 5);
    expect(row.zoom_meeting_id).toEqual(expect.any(String));
    const refused = await call(t, ken, "POST", `/v1/zoom/meetings/${row.zoom_meeting_id}/host`, {
      zoomUserId: "zU_hanako",
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("interview_busy");
    await letHeldCallsGo(t.google);
    const booked = await booking5;
    expect(booked.status).toBe(201);
    expect(booked.body.zoom).toMatchObject({ meetingId: row.zoom_meeting_id, hostZoomUserId: "zU_ken" });
    expect(await meetingOf(row.zoom_meeting_id as string)).toMatchObject({ userId: "zU_ken" });
  });

  it("answers 409 interview_busy for the new meeting of a host change not recorded yet, and leaves it be", async () => {
    const booked = await book(7);
    // A third host, free at that time: moved there as anyone's meeting, the new one would be made again and deleted.
    await linkZoom(t, sho, "zU_sho", "personal");
    await t.zoom.running.control("/latency", { ms: 60_000 });
    const changing = call(t, ken, "PATCH", `/v1/interviews/${booked.id}`, { zoom: { hostZoomUserId: "zU_hanako" } });
    // Made again under the new host, the old meeting's delete held: the record still names the old one.
    const deleting = `DELETE /v2/meetings/${booked.zoom.meetingId}`;
    await holdAt(t.zoom.running, deleting, "the old meeting's delete held at Zoom");
    await t.zoom.running.control("/latency", { ms: 0 });
    const made = (await zoomMeetings(t)).find(
      (meeting) => meeting.userId === "zU_hanako" && meeting.topic === booked.title,
    );
    expect(made).toBeDefined();
    const meetingsBefore = await zoomMeetings(t);
    const refused = await call(t, hanako, "POST", `/v1/zoom/meetings/${made?.id}/host`, { zoomUserId: "zU_sho" });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "interview_busy", message: expect.stringContaining(booked.id) });
    expect(await zoomMeetings(t)).toEqual(meetingsBefore);
    await t.zoom.running.control("/release", { calls: [deleting] });
    const changed = await changing;
    expect(changed.status).toBe(200);
    expect(changed.body.zoom).toMatchObject({ meetingId: made?.id, hostZoomUserId: "zU_hanako" });
    const checked = await call(t, ken, "GET", `/v1/interviews/${booked.id}?check=1`);
    expect(checked.body.drift).toEqual([]);
  });
});
