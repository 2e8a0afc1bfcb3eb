/**
 * Issue 14, item 5: an interview's calls to Google and Zoom that do not
 * depend on each other go out together, so each operation waits for as few
 * provider round trips as the saga allows (bench/round-trips.bench.ts
 * measures them with latency added at the fakes). Pinned here without
 * timing, by the fakes' call counters (when one provider refuses, the call to
 * the other was still made, which it would not be if it waited for the first)
 * and by the order in which the server's provider calls start and answer
 * (`sequentialCalls`: the longest chain of calls each made only after the
 * one before answered; a latency at the fakes makes calls sent together
 * overlap, but no duration is asserted).
 *
 * - cancelling deletes the event and the Zoom meeting at once;
 * - a change reads the event and the meeting (the drift check) at once, and
 *   with them Zoom's meetings of the host that a new time is counted against;
 * - a booking reads Zoom's meetings of its host beside making the meeting, so
 *   it waits for two round trips whether or not a recent answer is cached,
 *   also when no host is named: the pick waits for no Zoom answer, and only
 *   a picked host Zoom shows full costs more (its meeting deleted, the next
 *   host tried).
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upcomingTtlMs } from "../../src/zoom-hosts/upcoming-cache.ts";
import { createTestApp } from "../support/test-app.ts";
import {
  accessTokenOf,
  booking,
  call,
  hoursFromNow,
  type InterviewApp,
  ken,
  kenZoomAccountId,
  liveHolds,
  setUpOrganisation,
  zoomMeetings,
} from "./support.ts";

let t: InterviewApp;
/** Every provider call the server made while recording: when each started and answered, in order. */
const callLog: Array<{ call: number; at: "start" | "end"; what: string }> = [];
let recording = false;
const realFetch = globalThis.fetch;

let calls = 0;
const httpCalls = new WeakMap<object, { call: number; what: string }>();
/** Calls of the one request path (providers/transport.ts), on node:http: noted from its diagnostics channels. */
const noteHttpStart = (message: unknown) => {
  const { request } = message as { request: ClientRequest };
  const path = request.path.split("?")[0]!;
  if (!recording || path.startsWith("/_control/")) return;
  const entry = { call: calls++, what: `${request.method} ${path}` };
  httpCalls.set(request, entry);
  callLog.push({ ...entry, at: "start" });
};
const noteHttpAnswer = (message: unknown) => {
  const entry = httpCalls.get((message as { request: ClientRequest }).request);
  if (entry) callLog.push({ ...entry, at: "end" });
};

beforeAll(async () => {
  subscribe("http.client.request.start", noteHttpStart);
  subscribe("http.client.response.finish", noteHttpAnswer);
  // Libraries with their own transport (googleapis) take `fetch` when the app is built: this one notes each call's
  // start and answer.
  globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!recording || url.pathname.startsWith("/_control/")) return realFetch(input, init);
    const call = calls++;
    const what = `${init?.method ?? (input instanceof Request ? input.method : "GET")} ${url.pathname}`;
    callLog.push({ call, at: "start", what });
    try {
      return await realFetch(input, init);
    } finally {
      callLog.push({ call, at: "end", what });
    }
  };
  try {
    t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  } finally {
    globalThis.fetch = realFetch;
  }
  await setUpOrganisation(t);
}, 60_000);
afterAll(async () => {
  unsubscribe("http.client.request.start", noteHttpStart);
  unsubscribe("http.client.response.finish", noteHttpAnswer);
  await t?.close();
});

/**
 * Runs `operation` with every call at the fakes answering `latencyMs` late, and answers how many provider calls it
 * waited for one after the other (and which): a call's depth is one more than the deepest call that had answered
 * before it started.
 */
async function sequentialCalls<T>(operation: () => Promise<T>): Promise<{ result: T; depth: number; calls: string[] }> {
  const latencyMs = 400;
  const fakes = [t.google.control, t.microsoft.control, t.zoom.running.control];
  for (const control of fakes) await control("/latency", { ms: latencyMs });
  callLog.length = 0;
  recording = true;
  let result: T;
  try {
    result = await operation();
  } finally {
    recording = false;
    for (const control of fakes) await control("/latency", { ms: 0 });
  }
  const depths = new Map<number, number>();
  let answered = 0;
  for (const entry of callLog) {
    if (entry.at === "start") depths.set(entry.call, answered + 1);
    else answered = Math.max(answered, depths.get(entry.call) ?? 0);
  }
  return {
    result,
    depth: Math.max(0, ...depths.values()),
    calls: callLog.filter((entry) => entry.at === "start").map((entry) => entry.what),
  };
}

/** Zoom's answers for the host kept by the server (30 s) are forgotten: the next count must ask Zoom. */
function forgetCachedMeetings() {
  t.clock.advance(upcomingTtlMs / 1000 + 1);
}

async function book(slot: number) {
  const answer = await call(t, ken, "POST", "/v1/interviews", booking(t, slot, { zoom: { hostZoomUserId: "zU_ken" } }));
  expect(answer.status).toBe(201);
  return answer.body as { id: string; event: { eventId: string }; zoom: { meetingId: string } };
}

describe("DELETE /v1/interviews/:id", () => {
  it("deletes the Zoom meeting without waiting for the event's deletion", async () => {
    const booked = await book(3);
    // Google refuses the deletion (every retry too): the meeting's deletion was already under way beside it.
    await t.google.control("/fail", {
      status: 503,
      path: `/calendar/v3/calendars/primary/events/${booked.event.eventId}`,
      method: "DELETE",
      count: 10,
    });
    const first = await call(t, ken, "DELETE", `/v1/interviews/${booked.id}`);
    expect(first.status).toBe(424);
    expect(await t.zoom.running.calls(`DELETE /v2/meetings/${booked.zoom.meetingId}`)).toBe(1);
    expect((await call(t, ken, "GET", `/v1/interviews/${booked.id}`)).body.status).toBe("cancelling");

    const second = await waitForCancel(booked.id);
    expect(second.status).toBe("cancelled");
  });
});

describe("PATCH /v1/interviews/:id", () => {
  it("reads the meeting for the drift check without waiting for the event", async () => {
    const booked = await book(5);
    await t.google.control("/fail", {
      status: 503,
      path: `/calendar/v3/calendars/primary/events/${booked.event.eventId}`,
      method: "GET",
      count: 10,
    });
    const refused = await call(t, ken, "PATCH", `/v1/interviews/${booked.id}`, { title: "二次面接" });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await t.zoom.running.calls(`GET /v2/meetings/${booked.zoom.meetingId}`)).toBe(1);
    const row = await call(t, ken, "GET", `/v1/interviews/${booked.id}`);
    expect(row.body.title).not.toBe("二次面接");
  });
});

describe("POST /v1/interviews with the host's meetings not cached", () => {
  it(
    "waits for two provider round trips: the Zoom meeting beside Zoom's list of the host's meetings, " +
      "then the event",
    async () => {
      forgetCachedMeetings();
      const { result, depth, calls } = await sequentialCalls(() =>
        call(t, ken, "POST", "/v1/interviews", booking(t, 7, { zoom: { hostZoomUserId: "zU_ken" } })),
      );
      expect(result.status).toBe(201);
      // The host's meetings were read (its limit counts them), without a round trip of their own.
      expect(calls).toEqual(
        expect.arrayContaining([
          "GET /v2/users/zU_ken/meetings",
          "POST /v2/users/zU_ken/meetings",
          "POST /calendar/v3/calendars/primary/events",
        ]),
      );
      expect(depth).toBe(2);
    },
  );

  it("refuses a host Zoom says is full then (409 zoom_host_busy) and leaves nothing behind", async () => {
    // A meeting ken made in Zoom himself fills him: his limit is one meeting at once (Pro assumed).
    const start = hoursFromNow(t, 9);
    await meetingMadeInZoom(9);
    forgetCachedMeetings();
    const meetingsBefore = (await zoomMeetings(t)).map((meeting) => meeting.id).sort();
    const answer = await call(t, ken, "POST", "/v1/interviews", booking(t, 9, { zoom: { hostZoomUserId: "zU_ken" } }));
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe("zoom_host_busy");
    expect((await zoomMeetings(t)).map((meeting) => meeting.id).sort()).toEqual(meetingsBefore);
    expect((await liveHolds(t)).filter((hold) => hold.starts_at === start)).toEqual([]);
    const failed = await call(t, ken, "GET", `/v1/interviews/${answer.body.error.details.interviewId}`);
    expect(failed.body).toMatchObject({ status: "failed", failure: { code: "zoom_host_busy" } });
  });

  it("lets one of two simultaneous bookings of the host at one time through, not both", async () => {
    forgetCachedMeetings();
    const body = booking(t, 11, { zoom: { hostZoomUserId: "zU_ken" } });
    const answers = await Promise.all([
      call(t, ken, "POST", "/v1/interviews", { ...body, title: "一次面接 A" }),
      call(t, ken, "POST", "/v1/interviews", { ...body, title: "一次面接 B" }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(answers.find((answer) => answer.status === 409)?.body.error.code).toBe("zoom_host_busy");
    const atThatTime = (await zoomMeetings(t)).filter(
      (meeting) => meeting.userId === "zU_ken" && Date.parse(meeting.start) === Date.parse(body.start),
    );
    expect(atThatTime).toHaveLength(1);
  });
});

/** A meeting ken made in Zoom himself at that slot: no hold of ours knows it. */
async function meetingMadeInZoom(slot: number) {
  const made = await fetch(`${t.zoom.running.baseUrl}/v2/users/zU_ken/meetings`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${await accessTokenOf(t, await kenZoomAccountId(t))}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({
      topic: "Made in Zoom",
      type: 2,
      start_time: hoursFromNow(t, slot).replace(/\.\d{3}Z$/, "Z"),
      duration: 60,
      timezone: "UTC",
    }),
  });
  expect(made.status).toBe(201);
}

describe("POST /v1/interviews with no host named and no host's meetings cached", () => {
  const meetingsAt = async (slot: number) =>
    (await zoomMeetings(t)).filter((meeting) => Date.parse(meeting.start) === Date.parse(hoursFromNow(t, slot)));

  it(
    "waits for two provider round trips: the picked host's meeting beside its meetings, then the event " +
      "(the pick waits for no Zoom answer)",
    async () => {
      forgetCachedMeetings();
      const { result, depth, calls } = await sequentialCalls(() =>
        call(t, ken, "POST", "/v1/interviews", booking(t, 17, { zoom: {} })),
      );
      expect(result.status).toBe(201);
      // ken's own Zoom user, the organiser's (a participant's) own, is picked.
      expect(result.body.zoom.hostZoomUserId).toBe("zU_ken");
      expect(calls).toEqual(
        expect.arrayContaining([
          "GET /v2/users/zU_ken/meetings",
          "POST /v2/users/zU_ken/meetings",
          "POST /calendar/v3/calendars/primary/events",
        ]),
      );
      expect(calls).not.toContain("GET /v2/users/zU_hanako/meetings");
      expect(depth).toBe(2);
    },
  );

  it("passes on to the next host when Zoom's fresh answer shows the picked one full, leaving nothing", async () => {
    await meetingMadeInZoom(19);
    forgetCachedMeetings();
    const { result, calls } = await sequentialCalls(() =>
      call(t, ken, "POST", "/v1/interviews", booking(t, 19, { zoom: {} })),
    );
    expect(result.status).toBe(201);
    expect(result.body.zoom.hostZoomUserId).toBe("zU_hanako");
    // The meeting made under ken's Zoom user first was deleted; only the one he made in Zoom is left at that time.
    expect(calls.filter((what) => what === "POST /v2/users/zU_ken/meetings")).toHaveLength(1);
    expect(calls.filter((what) => what.startsWith("DELETE /v2/meetings/"))).toHaveLength(1);
    const atThatTime = await meetingsAt(19);
    expect(atThatTime.map((meeting) => [meeting.userId, meeting.topic]).sort()).toEqual([
      ["zU_hanako", "一次面接 19"],
      ["zU_ken", "Made in Zoom"],
    ]);
    const holds = (await liveHolds(t)).filter((hold) => hold.starts_at === hoursFromNow(t, 19));
    expect(holds.map((hold) => [hold.zoom_user_id, hold.meeting_id, hold.expires_at])).toEqual([
      ["zU_hanako", result.body.zoom.meetingId, null],
    ]);
  });

  it("never overfills a host when two bookings pick automatically at once: the second passes on", async () => {
    forgetCachedMeetings();
    const body = booking(t, 21, { zoom: {} });
    const answers = await Promise.all([
      call(t, ken, "POST", "/v1/interviews", { ...body, title: "一次面接 A" }),
      call(t, ken, "POST", "/v1/interviews", { ...body, title: "一次面接 B" }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    expect(answers.map((answer) => answer.body.zoom.hostZoomUserId).sort()).toEqual(["zU_hanako", "zU_ken"]);
    // Each may run one meeting at once (Pro assumed): one each, and nothing left of a host passed over.
    const atThatTime = await meetingsAt(21);
    expect(atThatTime.map((meeting) => meeting.userId).sort()).toEqual(["zU_hanako", "zU_ken"]);
    const holds = (await liveHolds(t)).filter((hold) => hold.starts_at === body.start);
    expect(holds.map((hold) => hold.zoom_user_id).sort()).toEqual(["zU_hanako", "zU_ken"]);
  });
});

describe("PATCH /v1/interviews/:id with a new time", () => {
  it(
    "waits for three provider round trips: the drift check beside Zoom's list of the host's meetings, the meeting, " +
      "then the event",
    async () => {
      const booked = await book(13);
      forgetCachedMeetings();
      const { result, depth, calls } = await sequentialCalls(() =>
        call(t, ken, "PATCH", `/v1/interviews/${booked.id}`, {
          start: hoursFromNow(t, 15),
          end: new Date(Date.parse(hoursFromNow(t, 15)) + 45 * 60_000).toISOString(),
        }),
      );
      expect(result.status).toBe(200);
      expect(calls).toEqual(
        expect.arrayContaining([
          "GET /v2/users/zU_ken/meetings",
          `GET /v2/meetings/${booked.zoom.meetingId}`,
          `PATCH /v2/meetings/${booked.zoom.meetingId}`,
        ]),
      );
      expect(depth).toBe(3);
    },
  );
});

/** Cancels again until the injected failures are used up (each cancel uses some). */
async function waitForCancel(id: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const answer = await call(t, ken, "DELETE", `/v1/interviews/${id}`);
    if (answer.status === 200) return answer.body;
  }
  throw new Error("the interview was never cancelled");
}
