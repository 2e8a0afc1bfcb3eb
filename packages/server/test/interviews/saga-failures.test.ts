/**
 * Issue 11, item 9 (saga): each provider step of a booking fails in turn at
 * the fakes (`/_control/fail`), and nothing is left behind: no Zoom meeting
 * at the Zoom fake, no event on the calendars, the hold released, the
 * interview `failed` with the code and a 4xx. An undo that cannot be done at
 * once is finished by the recovery pass. Ten simultaneous requests with one
 * Idempotency-Key make one meeting and one event.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { placeHold } from "../../src/zoom-hosts/holds.ts";
import { createTestApp } from "../support/test-app.ts";
import {
  booking,
  call,
  googleEvents,
  type InterviewApp,
  ken,
  liveHolds,
  org,
  outlookEvents,
  setUpOrganisation,
  sho,
  zoomMeetings,
} from "./support.ts";

let t: InterviewApp;
let slot = 0;

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  await setUpOrganisation(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  slot += 2;
});

async function fakesHold() {
  return {
    meetings: (await zoomMeetings(t)).length,
    googleEvents: (await googleEvents(t)).length,
    outlookEvents: (await outlookEvents(t)).length,
    holds: (await liveHolds(t)).filter((hold) => hold.meeting_id === null).length,
  };
}

/** What the fakes held before the case (the seed's own meetings, earlier cases' interviews). */
let nothing: Awaited<ReturnType<typeof fakesHold>>;

async function expectFailedAndClean(answer: { status: number; body: Record<string, any> }, code: string) {
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  expect(answer.body.error.code).toBe(code);
  expect(answer.body.error.message).toMatch(/\.$/);
  const interviewId = answer.body.error.details.interviewId;
  const stored = await call(t, ken, "GET", `/v1/interviews/${interviewId}`);
  expect(stored.body).toMatchObject({ status: "failed", failure: { code } });
  expect(stored.body.zoom).toBeUndefined();
  expect(stored.body.event).toBeUndefined();
}

describe("a booking whose provider step fails", () => {
  beforeEach(async () => {
    nothing = await fakesHold();
    // Zoom's list of the host's meetings read (and cached) first, so an injected failure meets the step under test.
    const start = encodeURIComponent(booking(t, slot).start);
    const end = encodeURIComponent(booking(t, slot).end);
    expect(
      (await call(t, ken, "GET", `/v1/zoom/hosts?start=${start}&end=${end}&participants=ken&refresh=1`)).status,
    ).toBe(200);
  });

  it("at the Zoom meeting: answers 424 provider_failed, the hold released", async () => {
    // The meeting's creation fails; the list of the host's meetings read beside it does not.
    await t.zoom.running.control("/fail", {
      status: 500,
      method: "POST",
      path: "/v2/users/zU_ken/meetings",
      count: 1,
    });
    const answer = await call(
      t,
      ken,
      "POST",
      "/v1/interviews",
      booking(t, slot, { zoom: { hostZoomUserId: "zU_ken" } }),
    );
    await expectFailedAndClean(answer, "provider_failed");
    expect(answer.body.error.message).toContain("Zoom");
    expect(await fakesHold()).toEqual(nothing);
  });

  it("at the Google event: the Zoom meeting is deleted and the hold released", async () => {
    await t.google.control("/fail", { status: 400, path: "/calendar/v3/calendars/primary/events", count: 1 });
    const answer = await call(
      t,
      ken,
      "POST",
      "/v1/interviews",
      booking(t, slot, { zoom: { hostZoomUserId: "zU_ken" } }),
    );
    await expectFailedAndClean(answer, "provider_failed");
    expect(answer.body.error.message).toContain("Google Calendar");
    expect(await t.zoom.running.calls("POST /v2/users/zU_ken/meetings")).toBeGreaterThan(0);
    expect(await fakesHold()).toEqual(nothing);
  });

  it("at the Outlook event: the Zoom meeting is deleted and the hold released", async () => {
    await t.microsoft.control("/fail", { status: 503, path: "/v1.0/me/events", count: 1 });
    const answer = await call(
      t,
      sho,
      "POST",
      "/v1/interviews",
      booking(t, slot, { zoom: { hostZoomUserId: "zU_hanako" } }),
    );
    await expectFailedAndClean(answer, "provider_failed");
    expect(answer.body.error.message).toContain("Outlook");
    expect(await fakesHold()).toEqual(nothing);
  });

  it("at the Google Meet event: nothing is made at all", async () => {
    await t.google.control("/fail", { status: 400, path: "/calendar/v3/calendars/primary/events", count: 1 });
    const answer = await call(t, ken, "POST", "/v1/interviews", booking(t, slot, { conference: "google_meet" }));
    await expectFailedAndClean(answer, "provider_failed");
    expect(await fakesHold()).toEqual(nothing);
  });

  it("when the undo itself fails (Zoom will not delete): the recovery pass deletes the meeting later", async () => {
    await t.google.control("/fail", { status: 400, path: "/calendar/v3/calendars/primary/events", count: 1 });
    // Every attempt of both grants that may act for zU_ken (ken's link, the organisation's app) fails.
    await t.zoom.running.control("/fail", { status: 500, path: "/v2/meetings/", count: 6 });
    const answer = await call(
      t,
      ken,
      "POST",
      "/v1/interviews",
      booking(t, slot, { zoom: { hostZoomUserId: "zU_ken" } }),
    );
    expect(answer.status).toBe(424);
    const interviewId = answer.body.error.details.interviewId;
    expect((await call(t, ken, "GET", `/v1/interviews/${interviewId}`)).body).toMatchObject({
      status: "booking",
      failure: { code: "provider_failed" },
    });
    expect((await zoomMeetings(t)).length).toBe(nothing.meetings + 1);

    expect(await t.interviews.recovery.runOnce()).toBe(1);
    expect((await call(t, ken, "GET", `/v1/interviews/${interviewId}`)).body).toMatchObject({ status: "failed" });
    expect(await fakesHold()).toEqual(nothing);
  });
});

describe("a booking whose process died at the hold", () => {
  it("between placing the hold and recording it: the recovery pass releases it by the key stored first", async () => {
    nothing = await fakesHold();
    const booked = await call(
      t,
      ken,
      "POST",
      "/v1/interviews",
      booking(t, slot, { zoom: { hostZoomUserId: "zU_ken" } }),
    );
    expect(booked.status).toBe(201);
    const row = await t.db
      .selectFrom("interviews")
      .selectAll()
      .where("id", "=", booked.body.id)
      .executeTakeFirstOrThrow();
    const next = booking(t, slot + 1);
    // A second booking as the dead process left it: its hold's id stored, the hold placed, neither recorded further.
    const holdId = randomUUID();
    const id = randomUUID();
    await t.db
      .insertInto("interviews")
      .values({
        ...row,
        id,
        title: next.title,
        starts_at: next.start,
        ends_at: next.end,
        status: "booking",
        step: "zoom_hold",
        event_id: null,
        event_created: 0,
        event_web_link: null,
        zoom_hold_id: null,
        zoom_meeting_id: null,
        zoom_join_url: null,
        zoom_passcode: null,
        pending: JSON.stringify({ holdId }),
        lease_holder: "a process that died",
        lease_expires_at: new Date(t.clock.now().getTime() - 1000).toISOString(),
      })
      .execute();
    const placed = await placeHold(
      t.db,
      t.clock,
      { hostId: "portal-a", orgId: org },
      {
        id: holdId,
        zoomUserId: "zU_ken",
        start: new Date(next.start),
        end: new Date(next.end),
        limit: 1,
        zoomMeetings: [],
        createdBy: "ken",
      },
    );
    expect(placed.placed).toBe(true);
    expect((await fakesHold()).holds).toBe(nothing.holds + 1);

    expect(await t.interviews.recovery.runOnce()).toBe(1);
    expect((await call(t, ken, "GET", `/v1/interviews/${id}`)).body).toMatchObject({
      status: "failed",
      failure: { code: "provider_failed" },
    });
    // Released now, not when it would have lapsed five minutes later.
    expect(await t.db.selectFrom("zoom_holds").selectAll().where("id", "=", holdId).execute()).toEqual([]);
    // Only the first booking's meeting and event remain.
    expect(await fakesHold()).toEqual({
      ...nothing,
      meetings: nothing.meetings + 1,
      googleEvents: nothing.googleEvents + 1,
    });
  });
});

describe("Idempotency-Key", () => {
  afterAll(async () => {
    for (const { id } of (await call(t, ken, "GET", "/v1/interviews?status=confirmed")).body.interviews)
      await call(t, ken, "DELETE", `/v1/interviews/${id}`);
  });

  it(
    "ten simultaneous requests with one key make one meeting and one event; each answers the interview or 409 " +
      "idempotency_in_flight",
    async () => {
      const before = await fakesHold();
      const body = booking(t, 40, { zoom: { hostZoomUserId: "zU_ken" } });
      const headers = { "Idempotency-Key": "booking-40" };
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => call(t, ken, "POST", "/v1/interviews", body, headers)),
      );
      const created = answers.filter((answer) => answer.status === 201);
      const inFlight = answers.filter((answer) => answer.status === 409);
      expect(created.length + inFlight.length).toBe(10);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((answer) => answer.body.id)).size).toBe(1);
      for (const answer of inFlight) expect(answer.body.error.code).toBe("idempotency_in_flight");
      expect((await zoomMeetings(t)).length).toBe(before.meetings + 1);
      expect((await googleEvents(t)).length).toBe(before.googleEvents + 1);

      const again = await call(t, ken, "POST", "/v1/interviews", body, headers);
      expect(again).toEqual({ status: 201, body: created[0]?.body });
      expect((await zoomMeetings(t)).length).toBe(before.meetings + 1);
    },
  );

  it("refuses the same key with another body (422 idempotency_key_reused)", async () => {
    const headers = { "Idempotency-Key": "booking-42" };
    expect((await call(t, ken, "POST", "/v1/interviews", booking(t, 42), headers)).status).toBe(201);
    const reused = await call(t, ken, "POST", "/v1/interviews", booking(t, 43), headers);
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe("idempotency_key_reused");
  });

  it("answers a failed booking's retry with the same failure, making nothing again", async () => {
    const headers = { "Idempotency-Key": "booking-44" };
    await t.zoom.running.control("/fail", {
      status: 500,
      method: "POST",
      path: "/v2/users/zU_ken/meetings",
      count: 1,
    });
    const body = booking(t, 44, { zoom: { hostZoomUserId: "zU_ken" } });
    const first = await call(t, ken, "POST", "/v1/interviews", body, headers);
    expect(first.status).toBe(424);
    const calls = await t.zoom.running.calls("POST /v2/users/zU_ken/meetings");
    const retry = await call(t, ken, "POST", "/v1/interviews", body, headers);
    expect(retry).toEqual(first);
    expect(await t.zoom.running.calls("POST /v2/users/zU_ken/meetings")).toBe(calls);
  });
});
