/**
 * An interview opened for a change does not count against itself: with its
 * `interviewId`, `POST /v1/availability` leaves its own calendar event out of
 * its organiser's busy time and `GET /v1/zoom/hosts` leaves its own Zoom
 * meeting and hold out of its host's load, through the real app with the
 * Google and Zoom fakes. Another interview still counts, and an interview of
 * another organisation (or none) is refused as unknown.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../support/test-app.ts";
import { call, type InterviewApp, ken, outsider, setUpOrganisation } from "./support.ts";

let t: InterviewApp;

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  await setUpOrganisation(t);
  // Every hour of every day is ken's working time, so a slot is offered whenever his calendar is free.
  const days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const hours = await t.api(ken, "PUT", "/v1/working-hours/me", {
    days,
    start: "00:00",
    end: "23:00",
    timeZone: "UTC",
  });
  expect(hours.status).toBe(200);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

/** 10:00 UTC plus `hours`, three days after the fakes' now. */
function at(hours: number): string {
  const day = Math.floor(t.clock.now().getTime() / 86_400_000) * 86_400_000 + 3 * 86_400_000;
  return new Date(day + (10 + hours) * 3_600_000).toISOString();
}

/** ken books an hour at `at(hours)` with himself as the interviewer (the event goes into his Google calendar). */
async function book(hours: number, zoom?: { hostZoomUserId: string }) {
  const answer = await call(t, ken, "POST", "/v1/interviews", {
    title: `一次面接 ${hours}`,
    start: at(hours),
    end: at(hours + 1),
    interviewers: ["ken"],
    candidate: { name: "山田 太郎", email: "taro.candidate@example.com" },
    ...(zoom && { zoom }),
  });
  expect(answer.status).toBe(201);
  return answer.body as { id: string; event: { accountId: string }; zoom?: { meetingId: string } };
}

/** ken's free hour-long slots and busy time within `at(hours)`–`at(hours + 1)`. */
async function kenAt(hours: number, interviewId?: string) {
  const answer = await call(t, ken, "POST", "/v1/availability", {
    participants: ["ken"],
    start: at(hours),
    end: at(hours + 1),
    durationMinutes: 60,
    timeZone: "UTC",
    ...(interviewId && { interviewId }),
  });
  expect(answer.status).toBe(200);
  const slots = (answer.body.slots as Array<{ start: string }>).map((slot) => new Date(slot.start).toISOString());
  const [person] = answer.body.people as Array<{ status: string; busy: Array<{ start: string; end: string }> }>;
  expect(person?.status).toBe("ok");
  return { slots, busy: person?.busy.map((block) => [block.start, block.end].map((x) => new Date(x).toISOString())) };
}

async function zoomHostAt(hours: number, interviewId?: string) {
  const path =
    `/v1/zoom/hosts?start=${encodeURIComponent(at(hours))}&end=${encodeURIComponent(at(hours + 1))}` +
    `&participants=ken${interviewId ? `&interviewId=${encodeURIComponent(interviewId)}` : ""}`;
  const answer = await call(t, ken, "GET", path);
  expect(answer.status).toBe(200);
  return (answer.body.candidates as Array<Record<string, unknown>>).find((entry) => entry.zoomUserId === "zU_ken");
}

describe("POST /v1/availability with the interview being changed", () => {
  it("offers the interview's own time: its own event no longer makes its organiser busy", async () => {
    const interview = await book(0);
    expect(await kenAt(0)).toEqual({ slots: [], busy: [[at(0), at(1)]] });
    expect(await kenAt(0, interview.id)).toEqual({ slots: [at(0)], busy: [] });
  });

  it("still counts another interview: the one at another time, and one at the very same time", async () => {
    const early = await book(3);
    const late = await book(5);
    // Changing the later one leaves the earlier one where it was.
    expect(await kenAt(3, late.id)).toEqual({ slots: [], busy: [[at(3), at(4)]] });
    // Two interviews at one time: changing one, the other still makes ken busy then.
    const twin = await book(5);
    expect(await kenAt(5, late.id)).toEqual({ slots: [], busy: [[at(5), at(6)]] });
    expect(await kenAt(5, twin.id)).toEqual({ slots: [], busy: [[at(5), at(6)]] });
    expect(await kenAt(3, early.id)).toEqual({ slots: [at(3)], busy: [] });
  });

  it("refuses an interview of another organisation, or of none, as unknown", async () => {
    const interview = await book(8);
    const question = { participants: ["ken"], start: at(8), end: at(9), durationMinutes: 60 };
    for (const [caller, interviewId] of [
      [outsider, interview.id],
      [ken, "iv_none"],
    ] as const) {
      const answer = await call(t, caller, "POST", "/v1/availability", { ...question, interviewId });
      expect(answer.status).toBe(404);
      expect(answer.body.error).toEqual({ code: "interview_not_found", message: expect.any(String) });
    }
    const blank = await call(t, ken, "POST", "/v1/availability", { ...question, interviewId: "" });
    expect(blank.status).toBe(400);
    expect(blank.body.error.code).toBe("invalid_body");
  });
});

describe("GET /v1/zoom/hosts with the interview being changed", () => {
  it("does not count the interview's own meeting and hold against its host, and still counts another's", async () => {
    const interview = await book(11, { hostZoomUserId: "zU_ken" });
    const other = await book(13, { hostZoomUserId: "zU_ken" });
    expect(await zoomHostAt(11)).toMatchObject({ canHost: false, reason: "busy", load: 1 });
    const own = await zoomHostAt(11, interview.id);
    expect(own).toMatchObject({ canHost: true, load: 0 });
    expect(own?.reason).toBeUndefined();
    // Changing the one at 11:00, the one at 13:00 still keeps its host busy then.
    expect(await zoomHostAt(13, interview.id)).toMatchObject({ canHost: false, reason: "busy", load: 1 });
    expect(await zoomHostAt(13, other.id)).toMatchObject({ canHost: true, load: 0 });
  });

  it("refuses an interview of another organisation, or of none, as unknown", async () => {
    const interview = await book(18, { hostZoomUserId: "zU_ken" });
    const path = (id: string) =>
      `/v1/zoom/hosts?start=${encodeURIComponent(at(18))}&end=${encodeURIComponent(at(19))}&interviewId=${id}`;
    for (const [caller, id] of [
      [outsider, interview.id],
      [ken, "iv_none"],
    ] as const) {
      const answer = await call(t, caller, "GET", path(id));
      expect(answer.status).toBe(404);
      expect(answer.body.error).toEqual({ code: "interview_not_found", message: expect.any(String) });
    }
  });
});
