/**
 * Issue 11, item 2 through the real app (`app.request()`) with the Google,
 * Microsoft and Zoom fakes: booking with a Zoom meeting on Google and on
 * Outlook, with Google Meet or Teams instead, who may book, and the
 * refusals. What the fakes hold afterwards is read from their control APIs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTokens } from "../../src/accounts/tokens.ts";
import { maxDaysAhead } from "../../src/routes/availability.ts";
import { createTestApp } from "../support/test-app.ts";
import {
  accessTokenOf,
  booking,
  call,
  emily,
  googleEvents,
  guest,
  hanako,
  type InterviewApp,
  ken,
  kenZoomAccountId,
  liveHolds,
  misaki,
  outlookEvents,
  outsider,
  setUpOrganisation,
  sho,
  zoomMeetings,
} from "./support.ts";

let t: InterviewApp;
let accounts: { googleAccountId: string; outlookAccountId: string };

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  accounts = await setUpOrganisation(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("POST /v1/interviews with Zoom", () => {
  it(
    "books on Google: the hold, a Zoom meeting named after the interview with a passcode, and the event with the " +
      "interviewers and the candidate, the join URL in its location and description",
    async () => {
      const answer = await call(
        t,
        ken,
        "POST",
        "/v1/interviews",
        booking(t, 1, { zoom: { hostZoomUserId: "zU_ken" } }),
      );
      expect(answer.status).toBe(201);
      const view = answer.body;
      expect(view).toMatchObject({
        status: "confirmed",
        title: "一次面接 1",
        conference: "zoom",
        organiser: { userId: "ken" },
        interviewers: [
          { userId: "misaki", email: "misaki@sakura.example" },
          { userId: "emily", email: "emily@sakura.example" },
        ],
        zoom: { meetingId: expect.any(String), joinUrl: expect.any(String), hostZoomUserId: "zU_ken" },
        event: { provider: "google", accountId: accounts.googleAccountId, eventId: expect.any(String) },
        drift: [],
      });
      expect(view.zoom.passcode).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{10}$/);

      const meeting = (await zoomMeetings(t)).find((entry) => entry.id === view.zoom.meetingId);
      expect(meeting).toMatchObject({ userId: "zU_ken", topic: "一次面接 1", start: view.start, end: view.end });

      const event = (await googleEvents(t)).find((entry) => entry.id === view.event.eventId);
      expect(event).toMatchObject({ status: "confirmed", summary: "一次面接 1", start: view.start, end: view.end });
      const stored = await readGoogleEvent(view.event.eventId);
      expect(stored.location).toBe(view.zoom.joinUrl);
      expect(stored.description).toContain(view.zoom.joinUrl);
      expect(stored.description).toContain(view.zoom.passcode);
      expect(stored.description).toContain("Please join five minutes early.");
      // No language named for the candidate: the organisation's (its admin's token said en).
      expect(stored.description).toContain(`Meeting ID: ${view.zoom.meetingId}\nPasscode: ${view.zoom.passcode}`);
      expect(stored.attendees.map((attendee: { email: string }) => attendee.email).sort()).toEqual([
        "emily@sakura.example",
        "misaki@sakura.example",
        "taro.candidate@example.com",
      ]);

      const hold = (await liveHolds(t)).find((entry) => entry.meeting_id === view.zoom.meetingId);
      expect(hold).toMatchObject({ zoom_user_id: "zU_ken", expires_at: null });
      expect((await call(t, misaki, "GET", `/v1/interviews/${view.id}`)).body).toEqual(view);
    },
  );

  it("labels the Zoom lines of the event in the candidate's language when the booking names it", async () => {
    const candidate = { name: "山田 太郎", email: "taro.candidate@example.com", language: "ja" };
    const answer = await call(t, ken, "POST", "/v1/interviews", booking(t, 2, { zoom: {}, candidate }));
    expect(answer.status).toBe(201);
    const { joinUrl, meetingId, passcode } = answer.body.zoom;
    const stored = await readGoogleEvent(answer.body.event.eventId);
    expect(stored.description).toBe(
      `Please join five minutes early.\n\nZoom：${joinUrl}\nミーティング ID：${meetingId}\nパスコード：${passcode}`,
    );
  });

  it("picks the host itself for zoom: {} (the organiser's own Zoom user when free)", async () => {
    const answer = await call(t, ken, "POST", "/v1/interviews", booking(t, 3, { zoom: {} }));
    expect(answer.status).toBe(201);
    expect(answer.body.zoom.hostZoomUserId).toBe("zU_ken");
  });

  it("books on Outlook: the join URL in the event's location and body, attendees invited", async () => {
    const answer = await call(
      t,
      sho,
      "POST",
      "/v1/interviews",
      booking(t, 5, { zoom: { hostZoomUserId: "zU_hanako" } }),
    );
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      status: "confirmed",
      zoom: { hostZoomUserId: "zU_hanako" },
      event: { provider: "microsoft", accountId: accounts.outlookAccountId },
    });
    const event = (await outlookEvents(t)).find((entry) => entry.id === answer.body.event.eventId);
    expect(event).toMatchObject({ subject: "一次面接 5", start: answer.body.start, isOnlineMeeting: false });
  });

  it("refuses a host that already runs a meeting then (409 zoom_host_busy) and leaves nothing behind", async () => {
    const before = { meetings: (await zoomMeetings(t)).length, events: (await googleEvents(t)).length };
    const answer = await call(t, ken, "POST", "/v1/interviews", booking(t, 1, { zoom: { hostZoomUserId: "zU_ken" } }));
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe("zoom_host_busy");
    expect(answer.body.error.message).toMatch(/Choose another time or host/);
    expect({ meetings: (await zoomMeetings(t)).length, events: (await googleEvents(t)).length }).toEqual(before);
    const failed = await call(t, ken, "GET", `/v1/interviews/${answer.body.error.details.interviewId}`);
    expect(failed.body).toMatchObject({ status: "failed", failure: { code: "zoom_host_busy" } });
  });
});

describe("POST /v1/interviews with Google Meet or Teams instead of Zoom", () => {
  it("makes a Google Meet with the event (conferenceData) and answers its join URL", async () => {
    const answer = await call(t, ken, "POST", "/v1/interviews", booking(t, 7, { conference: "google_meet" }));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ conference: "google_meet", joinUrl: expect.stringContaining("/meet/") });
    expect(answer.body.zoom).toBeUndefined();
    const stored = await readGoogleEvent(answer.body.event.eventId);
    expect(stored.hangoutLink).toBe(answer.body.joinUrl);
  });

  it("makes a Teams meeting with the Outlook event (isOnlineMeeting) and answers its join URL", async () => {
    const answer = await call(t, sho, "POST", "/v1/interviews", booking(t, 8, { conference: "microsoft_teams" }));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      conference: "microsoft_teams",
      joinUrl: expect.stringContaining("meetup-join"),
    });
    const event = (await outlookEvents(t)).find((entry) => entry.id === answer.body.event.eventId);
    expect(event?.isOnlineMeeting).toBe(true);
  });

  it("books with no web interview at all when neither is asked for", async () => {
    const answer = await call(t, ken, "POST", "/v1/interviews", booking(t, 9));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ conference: null, status: "confirmed" });
    expect(answer.body.joinUrl).toBeUndefined();
  });
});

describe("who may book, and the refusals", () => {
  it("lets assistants and guests not book (403), and hides other organisations' interviews (404)", async () => {
    expect((await call(t, misaki, "POST", "/v1/interviews", booking(t, 10))).body.error.code).toBe("forbidden_role");
    expect((await call(t, guest, "GET", "/v1/interviews")).status).toBe(403);
    const mine = await call(t, ken, "POST", "/v1/interviews", booking(t, 10));
    const theirs = await call(t, outsider, "GET", `/v1/interviews/${mine.body.id}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe("interview_not_found");
    expect((await call(t, outsider, "DELETE", `/v1/interviews/${mine.body.id}`)).status).toBe(404);
  });

  it("answers 400 with what was wrong for a malformed body, and names an interviewer never seen", async () => {
    const bad = await call(t, ken, "POST", "/v1/interviews", { ...booking(t, 11), end: booking(t, 10).start });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "invalid_body", message: expect.stringContaining("end") });
    const unknown = await call(t, ken, "POST", "/v1/interviews", booking(t, 11, { interviewers: ["nobody"] }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      code: "interviewer_unknown",
      message: expect.stringContaining("nobody"),
    });
  });

  it("refuses a start over 730 days ahead, year 9999 too, recording nothing, and books one just within", async () => {
    const limit = t.clock.now().getTime() + maxDaysAhead * 24 * 3600_000;
    const at = (start: number, title: string) =>
      booking(t, 0, {
        title,
        start: new Date(start).toISOString(),
        end: new Date(start + 45 * 60_000).toISOString(),
      });
    for (const body of [at(limit + 3600_000, "遠すぎる面接"), at(Date.parse("9999-12-31T01:00:00Z"), "遠すぎる面接")]) {
      const refused = await call(t, ken, "POST", "/v1/interviews", body);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toEqual({
        code: "invalid_body",
        message: "The interview is too far ahead: start must be at most 730 days from now.",
      });
    }
    const recorded = await t.db.selectFrom("interviews").select("id").where("title", "=", "遠すぎる面接").execute();
    expect(recorded).toEqual([]);
    const within = await call(t, ken, "POST", "/v1/interviews", at(limit - 3600_000, "二年先の面接"));
    expect(within.status).toBe(201);
  });

  it(
    "takes zones in any letter case and stores, answers and sends Google and Zoom their canonical spelling, and " +
      "still refuses an unknown zone",
    async () => {
      const candidate = { name: "山田 太郎", email: "taro.candidate@example.com", timeZone: "ASIA/TOKYO" };
      const zoom = { hostZoomUserId: "zU_ken" };
      const answer = await call(
        t,
        ken,
        "POST",
        "/v1/interviews",
        booking(t, 15, { timeZone: "asia/tokyo", candidate, zoom }),
      );
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ timeZone: "Asia/Tokyo", candidate: { timeZone: "Asia/Tokyo" } });
      const row = await t.db
        .selectFrom("interviews")
        .select("time_zone")
        .where("id", "=", answer.body.id)
        .executeTakeFirstOrThrow();
      expect(row.time_zone).toBe("Asia/Tokyo");
      const event = await readGoogleEvent(answer.body.event.eventId);
      expect(event.start).toMatchObject({ timeZone: "Asia/Tokyo", dateTime: expect.stringMatching(/\+09:00$/) });
      expect(event.end).toMatchObject({ timeZone: "Asia/Tokyo" });
      const meeting = await fetch(`${t.zoom.running.baseUrl}/v2/meetings/${answer.body.zoom.meetingId}`, {
        headers: { authorization: `Bearer ${await accessTokenOf(t, await kenZoomAccountId(t))}` },
      });
      expect(((await meeting.json()) as { timezone: string }).timezone).toBe("Asia/Tokyo");

      const changed = await call(t, ken, "PATCH", `/v1/interviews/${answer.body.id}`, {
        candidate: { ...candidate, timeZone: "europe/london" },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.candidate.timeZone).toBe("Europe/London");

      for (const body of [
        booking(t, 16, { timeZone: "asia/atlantis" }),
        booking(t, 16, { candidate: { ...candidate, timeZone: "asia/atlantis" } }),
      ]) {
        const refused = await call(t, ken, "POST", "/v1/interviews", body);
        expect(refused.status).toBe(400);
        expect(refused.body.error).toMatchObject({
          code: "invalid_body",
          message: expect.stringContaining("timeZone"),
        });
      }
    },
  );

  it("refuses an organiser with no calendar (409 calendar_account_missing), and Meet on Outlook (400)", async () => {
    const none = await call(t, emily, "POST", "/v1/interviews", booking(t, 12));
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe("calendar_account_missing");
    const meetOnOutlook = await call(t, sho, "POST", "/v1/interviews", booking(t, 12, { conference: "google_meet" }));
    expect(meetOnOutlook.status).toBe(400);
  });

  it("refuses a chosen host not linked or unusable (409 zoom_host_unavailable), no record made", async () => {
    const interviews = async () => (await t.db.selectFrom("interviews").select("id").execute()).length;
    const before = { interviews: await interviews(), meetings: (await zoomMeetings(t)).length };
    const unlinked = await call(
      t,
      ken,
      "POST",
      "/v1/interviews",
      booking(t, 13, { zoom: { hostZoomUserId: "zU_nobody" } }),
    );
    expect(unlinked.status).toBe(409);
    expect(unlinked.body.error).toMatchObject({
      code: "zoom_host_unavailable",
      message: expect.stringContaining("zU_nobody is not linked"),
    });
    expect(unlinked.body.error.details?.interviewId).toBeUndefined();
    // Every link to zU_ken must be linked again: no grant could hold it or make its meeting.
    const kenZoom = t.db
      .updateTable("accounts")
      .where("provider", "=", "zoom")
      .where("external_user_id", "=", "zU_ken");
    await kenZoom.set({ status: "needs_reauth" }).execute();
    try {
      const stale = await call(
        t,
        ken,
        "POST",
        "/v1/interviews",
        booking(t, 13, { zoom: { hostZoomUserId: "zU_ken" } }),
      );
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({
        code: "zoom_host_unavailable",
        message: expect.stringContaining("linked again"),
      });
    } finally {
      await kenZoom.set({ status: "active" }).execute();
    }
    expect({ interviews: await interviews(), meetings: (await zoomMeetings(t)).length }).toEqual(before);
  });

  it("lists the organisation's interviews by status and time", async () => {
    const listed = await call(
      t,
      hanako,
      "GET",
      `/v1/interviews?status=confirmed&from=${encodeURIComponent(booking(t, 5).start)}` +
        `&to=${encodeURIComponent(booking(t, 8).end)}`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.interviews.map((entry: { title: string }) => entry.title)).toEqual([
      "一次面接 5",
      "一次面接 7",
      "一次面接 8",
    ]);
    expect((await call(t, hanako, "GET", "/v1/interviews?status=nope")).body.error.code).toBe("invalid_request");
  });
});

/** The event as the Google fake stores it, read through the Calendar API with ken's token. */
async function readGoogleEvent(eventId: string): Promise<Record<string, any>> {
  const row = await t.db
    .selectFrom("accounts")
    .select("credential_id")
    .where("id", "=", accounts.googleAccountId)
    .executeTakeFirstOrThrow();
  const stored = await readTokens(
    { db: t.db, vault: t.vault, clock: t.clock },
    { hostId: "portal-a", orgId: "sakura" },
    row.credential_id,
  );
  const response = await fetch(`${t.google.baseUrl}/calendar/v3/calendars/primary/events/${eventId}`, {
    headers: { authorization: `Bearer ${stored?.tokens.accessToken}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, any>;
}
