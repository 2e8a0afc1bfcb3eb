/**
 * Issue 14, item 5: an interview's calls to Google and Zoom that do not
 * depend on each other go out together, so each operation waits for as few
 * provider round trips as the saga allows (bench/round-trips.bench.ts
 * measures them with latency added at the fakes). Pinned here by the fakes'
 * call counters, without timing: when one provider refuses, the call to the
 * other was still made, which it would not be if it waited for the first.
 *
 * - cancelling deletes the event and the Zoom meeting at once;
 * - a change reads the event and the meeting (the drift check) at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../support/test-app.ts";
import { booking, call, type InterviewApp, ken, setUpOrganisation } from "./support.ts";

let t: InterviewApp;

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  await setUpOrganisation(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

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

/** Cancels again until the injected failures are used up (each cancel uses some). */
async function waitForCancel(id: string): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const answer = await call(t, ken, "DELETE", `/v1/interviews/${id}`);
    if (answer.status === 200) return answer.body;
  }
  throw new Error("the interview was never cancelled");
}
