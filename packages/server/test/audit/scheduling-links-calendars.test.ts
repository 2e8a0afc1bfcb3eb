/**
 * The candidate's page while an interviewer's calendar cannot be read, on the
 * real app with the fakes (SQLite and PostgreSQL): found by the outsider pass
 * on a sandbox server, where Google's freeBusy failing left every offered
 * slot shown as free and bookable. Never silently free, as the availability
 * answer: the page and a pick answer 503 with a page saying to try again, and
 * nothing is booked or left claimed. The recruiter's view of the link says
 * why (`blocked`), as the page last found, until the calendars read again.
 */
import { describe, expect, it } from "vitest";
import { ken, org, sho, useSchedulingLinks } from "../scheduling-links/support.ts";

const rig = useSchedulingLinks();
const { takeSlots, offer, page, pick, zoomMeetings } = rig;

/** Sho's Google account, as the link's availability check reads it. */
const setShosCalendar = (status: "active" | "needs_reauth") =>
  rig.t.db
    .updateTable("accounts")
    .set({ status })
    .where("org_id", "=", org)
    .where("user_id", "=", sho.sub)
    .where("provider", "=", "google")
    .execute();

/** The link as the recruiter's GET /v1/scheduling-links/:id answers it. */
async function recruitersView(id: string) {
  const response = await rig.t.api(ken, "GET", `/v1/scheduling-links/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()) as any;
}

async function expectTryAgain(response: Response) {
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("30");
  expect(response.headers.get("cache-control")).toBe("no-store");
  const html = await response.text();
  expect(html).toContain('data-error-code="calendar_unavailable"');
  expect(html).not.toContain('name="slot"');
}

describe("an interviewer's calendar that cannot be read", () => {
  it("offers no slot as free while a link must be made again, and books once it is", async () => {
    const slots = takeSlots(2);
    const { id, path } = await offer(slots);
    const meetingsBefore = (await zoomMeetings()).length;
    await setShosCalendar("needs_reauth");
    try {
      await expectTryAgain(await page(path, { "accept-language": "en" }));
      await expectTryAgain(await pick(path, slots[0]!.start));
      expect((await zoomMeetings()).length).toBe(meetingsBefore);
      const link = await rig.t.db
        .selectFrom("scheduling_links")
        .select(["claimed_start", "interview_id"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(link).toEqual({ claimed_start: null, interview_id: null });
    } finally {
      await setShosCalendar("active");
    }
    expect((await page(path)).status).toBe(200);
    expect((await pick(path, slots[0]!.start)).status).toBe(303);
    const view = (await (await rig.t.api(ken, "GET", `/v1/scheduling-links/${id}`)).json()) as any;
    expect(view).toMatchObject({ status: "booked", interview: { status: "confirmed", start: slots[0]!.start } });
  });

  it("tells the recruiter the candidate is blocked, whose calendar and since when, until it reads", async () => {
    const slots = takeSlots(2);
    const { id, path } = await offer(slots);
    expect(await recruitersView(id)).toMatchObject({ status: "open", blocked: null });
    await setShosCalendar("needs_reauth");
    const since = rig.t.clock.now().toISOString();
    try {
      // The recruiter's view reads no calendar: nothing is known until the candidate's page meets it.
      expect((await recruitersView(id)).blocked).toBeNull();
      await expectTryAgain(await page(path, { "accept-language": "en" }));
      const blocked = { code: "calendar_unavailable", since, interviewers: ["u-sho"] };
      expect(await recruitersView(id)).toMatchObject({ status: "open", blocked });
      // A later visit and a pick keep the first time.
      rig.t.clock.advance(60);
      await expectTryAgain(await pick(path, slots[0]!.start));
      await expectTryAgain(await page(path));
      expect(await recruitersView(id)).toMatchObject({ status: "open", blocked });
    } finally {
      await setShosCalendar("active");
    }
    // Still noted until the page reads the calendars again: the recruiter's view asks no provider.
    expect((await recruitersView(id)).blocked).toMatchObject({ since });
    expect((await page(path)).status).toBe(200);
    expect(await recruitersView(id)).toMatchObject({ status: "open", blocked: null });
    const stored = await rig.t.db
      .selectFrom("scheduling_links")
      .select(["blocked_since", "blocked_interviewers"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ blocked_since: null, blocked_interviewers: null });
    expect((await pick(path, slots[0]!.start)).status).toBe(303);
    expect(await recruitersView(id)).toMatchObject({ status: "booked", blocked: null });
  });

  it("offers no slot as free while Google cannot answer freeBusy, in the candidate's language", async () => {
    const [slot] = takeSlots(1);
    const { id, path } = await offer([slot!]);
    const meetingsBefore = (await zoomMeetings()).length;
    // Every freeBusy call fails from here on (the file's last test: the fake is not reset).
    await rig.t.google.control("/fail", { count: 1000, status: 500, path: "/calendar/v3/freeBusy" });
    const shown = await page(path, { "accept-language": "ja" });
    expect(shown.status).toBe(503);
    expect(await shown.clone().text()).toContain('lang="ja"');
    await expectTryAgain(shown);
    await expectTryAgain(await pick(path, slot!.start));
    expect((await zoomMeetings()).length).toBe(meetingsBefore);
    const { blocked } = await recruitersView(id);
    expect(blocked).toMatchObject({ code: "calendar_unavailable" });
    expect([...blocked.interviewers].sort()).toEqual(["u-ken", "u-sho"]);
  });
});
