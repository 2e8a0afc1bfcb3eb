/**
 * A candidate's pick whose booking ended with no request left to tell the
 * page, over HTTP on the real app (SQLite and PostgreSQL) with the fakes:
 *
 * - the process booking it lost the database for longer than its lease and
 *   another process took the booking over (its request answered "under
 *   way"), whose recovery pass undid it;
 * - the process died after the booking settled and before the link was
 *   marked booked.
 *
 * The page showed "being booked" until the claim lapsed, five minutes
 * later, although the booking had ended: now it shows how it ended (the
 * choices with the failure, or the booked interview) once it has.
 */
import { describe, expect, it } from "vitest";
import { holdAt, letHeldCallsGo } from "../support/fake-server.ts";
import { ken, useSchedulingLinks, type Slot } from "./support.ts";

const rig = useSchedulingLinks();
const { takeSlots, offer, page, pick, zoomMeetings, googleEvents } = rig;

/** The slot starts the page offers as forms. */
function offered(html: string): string[] {
  return [...html.matchAll(/name="slot" value="([^"]+)"/g)].map((match) => match[1] as string);
}

const liveEventsAt = async (start: string) =>
  (await googleEvents()).filter((event) => event.start === start && event.status !== "cancelled");

describe("a pick whose booking another process undid", () => {
  it("shows the choices with the failure once it is undone, and books on the next pick", async () => {
    const slots = takeSlots(2);
    const { id, path } = await offer(slots);
    const [chosen] = slots as [Slot, Slot];
    const t = rig.t;
    await t.google.control("/latency", { ms: 60_000 });
    const picked = pick(path, chosen.start);
    await holdAt(t.google, "POST /calendar/v3/calendars/primary/events", "the event's insert held at Google");
    const link = await t.db
      .selectFrom("scheduling_links")
      .select("claimed_start")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(link.claimed_start).toBe(chosen.start);
    // This process lost its lease meanwhile: another one's recovery pass took the booking (and left it, lapsed).
    await t.db
      .updateTable("interviews")
      .set({ lease_holder: "another process", lease_expires_at: new Date(t.clock.now().getTime() - 1).toISOString() })
      .where("title", "=", "一次面接")
      .where("starts_at", "=", chosen.start)
      .execute();
    await letHeldCallsGo(t.google);
    const answered = await picked;
    expect(answered.status).toBe(202);
    expect(await answered.text()).toContain('data-notice="inProgress"');

    expect(await t.interviews.recovery.runOnce()).toBe(1);
    const shown = await page(path);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('data-notice="failed"');
    expect(offered(html)).toEqual(slots.map((slot) => slot.start));
    expect((await zoomMeetings()).filter((meeting) => meeting.start === chosen.start)).toEqual([]);
    expect(await liveEventsAt(chosen.start)).toEqual([]);

    expect((await pick(path, chosen.start)).status).toBe(303);
    const view = (await (await t.api(ken, "GET", `/v1/scheduling-links/${id}`)).json()) as any;
    expect(view).toMatchObject({ status: "booked", interview: { status: "confirmed", start: chosen.start } });
    expect(await liveEventsAt(chosen.start)).toHaveLength(1);
  });
});

describe("a pick booked by a process that died before marking the link", () => {
  it("shows the booked interview, and the link is booked", async () => {
    const slots = takeSlots(2);
    const { id, path } = await offer(slots);
    const [chosen] = slots as [Slot, Slot];
    expect((await pick(path, chosen.start)).status).toBe(303);
    // As the dead process left it: the booking settled, the link still claimed for it and not marked.
    await rig.t.db
      .updateTable("scheduling_links")
      .set({ interview: null, interview_id: null, booked_at: null, claimed_start: chosen.start })
      .set({ claimed_at: rig.t.clock.now().toISOString() })
      .where("id", "=", id)
      .execute();

    const html = await (await page(path)).text();
    expect(html).toContain("data-interview=");
    expect(html).not.toContain('data-notice="inProgress"');
    const view = (await (await rig.t.api(ken, "GET", `/v1/scheduling-links/${id}`)).json()) as any;
    expect(view).toMatchObject({ status: "booked", interview: { status: "confirmed", start: chosen.start } });
    expect((await zoomMeetings()).filter((meeting) => meeting.start === chosen.start)).toHaveLength(1);
  });
});
