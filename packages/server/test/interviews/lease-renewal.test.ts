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
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { letHeldCallsGo } from "../support/fake-server.ts";
import { lockRowFor } from "../support/row-lock.ts";
import { createTestApp } from "../support/test-app.ts";
import { waitFor } from "../support/wait.ts";
import { bookingHeldAtGoogle, type InterviewApp, setUpOrganisation } from "./support.ts";

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
