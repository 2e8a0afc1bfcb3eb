/**
 * The lease a process holds on an interview while a booking waits for a
 * provider is renewed through a moment when the database refuses the
 * renewal: the interview's row locked by another connection past the app's
 * (short, here) statement or busy timeout, which the app takes for the
 * database being unavailable, as it takes a terminated connection or a
 * restart. Before, the first refused renewal stopped the renewals for good,
 * so a provider call longer than what was left of the lease let another
 * process's recovery pass take the booking over and undo it while this one
 * still made it: its request answered 500 and its late event stayed in the
 * calendar, the attendees invited, for an interview recorded failed.
 *
 * And a booking whose own write the database refuses (the lock held past the
 * timeout as Google answers): its request answers 503, and this process's
 * recovery pass, once the lease lapsed, undoes it saying the database was
 * out of reach, not that the server stopped (it never did); a change
 * likewise, put back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { letHeldCallsGo } from "../support/fake-server.ts";
import { lockRowFor } from "../support/row-lock.ts";
import { createTestApp } from "../support/test-app.ts";
import { waitFor } from "../support/wait.ts";
import { holdAt } from "../support/fake-server.ts";
import {
  booking,
  bookingHeldAtGoogle,
  call,
  googleEvents,
  type InterviewApp,
  ken,
  setUpOrganisation,
} from "./support.ts";

let t: InterviewApp;
const leaseMs = 1_500;
/** How long the app's queries wait for a lock before the database counts as unavailable. */
const lockWaitMs = 400;

beforeAll(async () => {
  t = await createTestApp({
    providers: ["google", "microsoft", "zoom"],
    interviewLeaseMs: leaseMs,
    pool: (options) => ({ ...options, statementTimeoutMs: lockWaitMs, busyTimeoutMs: lockWaitMs }),
  });
  await setUpOrganisation(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const leaseOf = async (id: string) =>
  (await t.db.selectFrom("interviews").select("lease_expires_at").where("id", "=", id).executeTakeFirstOrThrow())
    .lease_expires_at;

describe("a booking waiting for a provider while the database refuses its lease's renewal", () => {
  it("renews its lease again once the database answers, and books", async () => {
    const {
      answer: booked,
      row: { id },
    } = await bookingHeldAtGoogle(t, 1);

    // Renewals come every third of the lease: several meet the lock.
    await lockRowFor(t, "interviews", id, 3 * lockWaitMs + leaseMs);
    expect(t.logLines.some((line) => line.includes("an interview's lease could not be renewed"))).toBe(true);
    const leaseBefore = await leaseOf(id);
    t.clock.advance(10);
    await waitFor(
      "the lease to be renewed after the refused renewals",
      async () => ((await leaseOf(id)) !== leaseBefore ? true : undefined),
      5_000,
    );

    await letHeldCallsGo(t.google);
    const answer = await booked;
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ id, status: "confirmed" });
  });
});

describe("a booking whose write the database refuses as Google answers", () => {
  it("answers 503, and is undone by this process's recovery pass as cut off by the database", async () => {
    const body = booking(t, 3, { zoom: { hostZoomUserId: "zU_ken" } });
    const key = { "Idempotency-Key": "cut-off-by-the-database" };
    await t.google.control("/latency", { ms: 60_000 });
    const answer = call(t, ken, "POST", "/v1/interviews", body, key);
    const insert = "POST /calendar/v3/calendars/primary/events";
    await holdAt(t.google, insert, "the event's insert held at Google");
    const { id, event_id: eventId } = await t.db
      .selectFrom("interviews")
      .selectAll()
      .where("title", "=", body.title)
      .executeTakeFirstOrThrow();

    const renewalsRefused = t.logLines.length;
    const locked = lockRowFor(t, "interviews", id, 6 * lockWaitMs + leaseMs);
    // The lock is held once a renewal of the lease has waited for it in vain.
    await waitFor("a renewal refused under the lock", async () =>
      t.logLines.slice(renewalsRefused).some((line) => line.includes("lease could not be renewed")) ? true : undefined,
    );
    await letHeldCallsGo(t.google);
    const cutOff = await answer;
    expect(cutOff.status).toBe(503);
    // Named: a portal that sent no Idempotency-Key can still find the booking.
    expect(cutOff.body.error).toMatchObject({ code: "database_unavailable", details: { interviewId: id } });
    expect((await googleEvents(t)).filter((event) => event.id === eventId)).toHaveLength(1);
    await locked;

    t.clock.advance(10);
    await t.interviews.recovery.runOnce();
    const failed = await call(t, ken, "GET", `/v1/interviews/${id}`);
    expect(failed.body).toMatchObject({
      status: "failed",
      failure: {
        code: "database_connection_lost",
        message:
          "The server could not reach its database while booking; whatever had been made was removed. Book again.",
      },
    });
    expect((await googleEvents(t)).filter((event) => event.id === eventId)).toEqual([]);
    const again = await call(t, ken, "POST", "/v1/interviews", body, key);
    expect(again.status).toBe(424);
    expect(again.body.error.code).toBe("database_connection_lost");
  });
});

describe("a change whose write the database refuses as Google answers", () => {
  it("answers 503, and is put back by this process's recovery pass as cut off by the database", async () => {
    const booked = await call(t, ken, "POST", "/v1/interviews", booking(t, 5));
    expect(booked.status).toBe(201);
    const { id, start, end } = booked.body;
    await t.google.control("/latency", { ms: 60_000 });
    const moving = call(t, ken, "PATCH", `/v1/interviews/${id}`, {
      start: new Date(Date.parse(start) + 3600_000).toISOString(),
      end: new Date(Date.parse(end) + 3600_000).toISOString(),
    });
    const update = `PATCH /calendar/v3/calendars/primary/events/${booked.body.event.eventId}`;
    await holdAt(t.google, update, "the event's update held at Google");

    const linesBefore = t.logLines.length;
    const locked = lockRowFor(t, "interviews", id, 6 * lockWaitMs + leaseMs);
    await waitFor("a renewal refused under the lock", async () =>
      t.logLines.slice(linesBefore).some((line) => line.includes("lease could not be renewed")) ? true : undefined,
    );
    await letHeldCallsGo(t.google);
    const cutOff = await moving;
    expect(cutOff.status).toBe(503);
    expect(cutOff.body.error).toMatchObject({ code: "database_unavailable", details: { interviewId: id } });
    await locked;

    t.clock.advance(10);
    await t.interviews.recovery.runOnce();
    const putBack = await call(t, ken, "GET", `/v1/interviews/${id}`);
    expect(putBack.body).toMatchObject({
      status: "confirmed",
      start,
      end,
      failure: {
        code: "database_connection_lost",
        message: "The server could not reach its database during a change; the interview was left as it was.",
      },
    });
  });
});
