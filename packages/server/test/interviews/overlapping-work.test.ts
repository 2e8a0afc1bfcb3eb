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
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningFake } from "../support/fake-server.ts";
import { createTestApp } from "../support/test-app.ts";
import { waitFor } from "../support/wait.ts";
import {
  booking,
  call,
  googleEvents,
  hoursFromNow,
  type InterviewApp,
  ken,
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
