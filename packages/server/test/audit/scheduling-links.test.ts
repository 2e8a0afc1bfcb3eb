/**
 * An outsider's audit of scheduling links (issue 11, item 7) on the real app
 * with the fakes, SQLite and PostgreSQL: a link withdrawn while a pick is
 * being booked or after it was booked, the same pick and a withdrawal racing,
 * other organisations' link ids and roles that may not act, and the public
 * page fed tampered secrets, ids that are not secrets, posts without a slot
 * and the calendar of an unbooked link: every answer a 4xx, never a 500.
 */
import { describe, expect, it } from "vitest";
import { claimSlot, findLink, type SchedulingLink } from "../../src/scheduling-links/store.ts";
import type { Caller } from "../support/test-app.ts";
import { ken, org, useSchedulingLinks } from "../scheduling-links/support.ts";

const rig = useSchedulingLinks();
const { takeSlots, offer, page, pick, zoomMeetings } = rig;

const outsider: Caller = { sub: "u-ken", org: "other-org", role: "admin" };
const assistant: Caller = { sub: "u-aki", org, role: "assistant" };
const guest: Caller = { sub: "u-guest", org, role: "guest" };

async function json(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

function expectError(answer: { status: number; body: Record<string, any> }, status: number) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body.error?.code).toMatch(/^[a-z][a-z0-9_]*$/);
  expect(typeof answer.body.error?.message).toBe("string");
}

describe("withdrawing a link", () => {
  it("waits (409) while a pick is being booked, so the booking never lands on a withdrawn link", async () => {
    const [slot] = takeSlots(1);
    const { id, path } = await offer([slot!]);
    const link = (await findLink(rig.t.db, { hostId: "portal-a", orgId: org }, id)) as SchedulingLink;
    // A submit holds the claim and is checking the calendars / booking.
    expect((await claimSlot(rig.t.db, link, slot!.start, rig.t.clock.now())).claim).toBe("claimed");
    const withdrawn = await json(await rig.t.api(ken, "DELETE", `/v1/scheduling-links/${id}`));
    expectError(withdrawn, 409);
    expect(withdrawn.body.error.code).toBe("scheduling_link_busy");
    expect((await findLink(rig.t.db, { hostId: "portal-a", orgId: org }, id))?.revokedAt).toBeNull();
    expect((await page(path)).status).toBe(200);
  });

  it("refuses (409) for a booked link: the candidate's page keeps showing the interview", async () => {
    const [slot] = takeSlots(1);
    const { id, path } = await offer([slot!]);
    expect((await pick(path, slot!.start)).status).toBe(303);
    const withdrawn = await json(await rig.t.api(ken, "DELETE", `/v1/scheduling-links/${id}`));
    expectError(withdrawn, 409);
    expect(withdrawn.body.error.code).toBe("scheduling_link_booked");
    const shown = await page(path, { "accept-language": "en" });
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain("Your interview is booked");
    expect((await page(`${path}/calendar.ics`)).status).toBe(200);
    const view = await json(await rig.t.api(ken, "GET", `/v1/scheduling-links/${id}`));
    expect(view.body).toMatchObject({ status: "booked", revokedAt: null, interview: { status: "confirmed" } });
  });

  it("does not tell the recruiter to cancel an interview they cancelled already", async () => {
    const [slot] = takeSlots(1);
    const { id, path } = await offer([slot!]);
    expect((await pick(path, slot!.start)).status).toBe(303);
    const booked = await json(await rig.t.api(ken, "GET", `/v1/scheduling-links/${id}`));
    expect((await rig.t.api(ken, "DELETE", `/v1/interviews/${booked.body.interview.id}`)).status).toBe(200);
    const withdrawn = await json(await rig.t.api(ken, "DELETE", `/v1/scheduling-links/${id}`));
    expectError(withdrawn, 409);
    expect(withdrawn.body.error.code).toBe("scheduling_link_booked");
    expect(withdrawn.body.error.message).toContain("that interview is cancelled: the link books nothing more");
    expect(withdrawn.body.error.message).not.toContain("DELETE /v1/interviews");
    // The candidate's page says the interview was cancelled, and books nothing more.
    const shown = await page(path, { "accept-language": "en" });
    expect(await shown.text()).toContain("This interview was cancelled");
    expect((await pick(path, slot!.start)).status).toBe(303);
    expect((await zoomMeetings()).filter((meeting) => meeting.start === slot!.start)).toEqual([]);
  });

  it("a pick and a withdrawal at once: either withdrawn with nothing booked, or booked and shown", async () => {
    for (const round of [0, 1, 2, 3]) {
      const [slot] = takeSlots(1);
      const { id, path } = await offer([slot!]);
      const meetingsBefore = (await zoomMeetings()).length;
      const [picked, withdrawn] = await Promise.all([
        pick(path, slot!.start),
        rig.t.api(ken, "DELETE", `/v1/scheduling-links/${id}`),
      ]);
      const view = (await json(await rig.t.api(ken, "GET", `/v1/scheduling-links/${id}`))).body;
      const meetings = (await zoomMeetings()).length - meetingsBefore;
      const shown = await page(path);
      if (view.status === "revoked") {
        expect(withdrawn.status, `round ${round}`).toBe(200);
        expect([410]).toContain(picked.status);
        expect(meetings).toBe(0);
        expect(shown.status).toBe(410);
      } else {
        expect(view.status, `round ${round}`).toBe("booked");
        expect(withdrawn.status).toBe(409);
        expect(picked.status).toBe(303);
        expect(meetings).toBe(1);
        expect(shown.status).toBe(200);
      }
    }
  });
});

describe("a link that expires while its pick is being booked", () => {
  const expiringSoon = () => ({ expiresAt: new Date(rig.t.clock.now().getTime() + 60_000).toISOString() });

  it("shows the pick in progress, not the expiry, to the page and to its 'check again' form", async () => {
    const [slot] = takeSlots(1);
    const { id, path } = await offer([slot!], expiringSoon());
    const link = (await findLink(rig.t.db, { hostId: "portal-a", orgId: org }, id)) as SchedulingLink;
    // A submit made before the expiry holds the claim and is still checking the calendars when the link expires.
    expect((await claimSlot(rig.t.db, link, slot!.start, rig.t.clock.now())).claim).toBe("claimed");
    rig.t.clock.advance(120);
    const shown = await page(path);
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('data-notice="inProgress"');
    const again = await pick(path, slot!.start);
    expect(again.status).toBe(202);
    expect(await again.text()).toContain('data-notice="inProgress"');
  });

  it("shows the interview a pick booked before a process died, once the link has expired", async () => {
    const [slot] = takeSlots(1);
    const { id, path } = await offer([slot!], expiringSoon());
    expect((await pick(path, slot!.start)).status).toBe(303);
    // As the dead process left it: the booking settled, the link still claimed for it and not marked.
    await rig.t.db
      .updateTable("scheduling_links")
      .set({ interview: null, interview_id: null, booked_at: null, claimed_start: slot!.start })
      .set({ claimed_at: rig.t.clock.now().toISOString() })
      .where("id", "=", id)
      .execute();
    rig.t.clock.advance(6 * 60);
    const shown = await page(path, { "accept-language": "en" });
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain("Your interview is booked");
    expect((await page(`${path}/calendar.ics`)).status).toBe(200);
    const view = await json(await rig.t.api(ken, "GET", `/v1/scheduling-links/${id}`));
    expect(view.body).toMatchObject({ status: "booked", interview: { status: "confirmed", start: slot!.start } });
  });

  it("is expired (410) when its claim lapsed before any booking began, and books nothing", async () => {
    const [slot] = takeSlots(1);
    const { id, path } = await offer([slot!], expiringSoon());
    const link = (await findLink(rig.t.db, { hostId: "portal-a", orgId: org }, id)) as SchedulingLink;
    expect((await claimSlot(rig.t.db, link, slot!.start, rig.t.clock.now())).claim).toBe("claimed");
    const meetingsBefore = (await zoomMeetings()).length;
    rig.t.clock.advance(6 * 60);
    expect((await page(path)).status).toBe(410);
    expect((await pick(path, slot!.start)).status).toBe(410);
    expect((await zoomMeetings()).length).toBe(meetingsBefore);
  });
});

describe("tenancy and roles", () => {
  it("another organisation's link is a 404; assistants and guests cannot withdraw or offer", async () => {
    const { id, path } = await offer(takeSlots(1));
    for (const method of ["GET", "DELETE"] as const) {
      const answer = await json(await rig.t.api(outsider, method, `/v1/scheduling-links/${id}`));
      expectError(answer, 404);
      expect(JSON.stringify(answer.body)).not.toContain("山田");
    }
    expectError(await json(await rig.t.api(assistant, "DELETE", `/v1/scheduling-links/${id}`)), 403);
    expectError(await json(await rig.t.api(guest, "GET", `/v1/scheduling-links/${id}`)), 403);
    const slots = takeSlots(1);
    for (const caller of [assistant, guest])
      expectError(
        await json(
          await rig.t.api(caller, "POST", "/v1/scheduling-links", {
            title: "x",
            durationMinutes: 60,
            interviewers: ["u-ken"],
            slots,
            candidate: { name: "x", email: "x@example.com" },
          }),
        ),
        403,
      );
    expect((await page(path)).status).toBe(200);
  });

  it("answers 400 JSON for bad offers and 404 for ids that are not ids", async () => {
    const [slot] = takeSlots(1);
    const base = {
      title: "一次面接 🎉",
      durationMinutes: 60,
      interviewers: ["u-ken"],
      slots: [slot],
      candidate: { name: "x", email: "x@example.com" },
    };
    for (const body of [
      { ...base, slots: [] },
      { ...base, slots: "tomorrow" },
      { ...base, slots: [{ start: "tomorrow", end: "later" }] },
      { ...base, slots: [{ start: slot!.end, end: slot!.start }] },
      { ...base, durationMinutes: "60" },
      { ...base, interviewers: [] },
      { ...base, timeZone: "Asia/Atlantis" },
      { ...base, expiresAt: "2000-01-01T00:00:00Z" },
      { ...base, expiresAt: "2999-01-01T00:00:00Z" },
      { ...base, candidate: { name: "x", email: "nope" } },
      { ...base, zoom: {}, conference: "google_meet" },
      null,
      [],
    ])
      expectError(await json(await rig.t.api(ken, "POST", "/v1/scheduling-links", body)), 400);
    for (const id of ["%00", "x".repeat(5_000), "..%2F..", "%F0%9F%98%80"])
      for (const method of ["GET", "DELETE"] as const) {
        const answer = await json(await rig.t.api(ken, method, `/v1/scheduling-links/${id}`));
        expect([400, 404]).toContain(answer.status);
        expect(answer.body.error?.code).toMatch(/^[a-z_]+$/);
      }
  });
});

describe("the public page under attack", () => {
  it("answers tampered and foreign secrets, posts without a slot and an unbooked calendar with 4xx pages", async () => {
    const [slot] = takeSlots(1);
    const { path } = await offer([slot!]);
    const meetingsBefore = (await zoomMeetings()).length;
    for (const wrong of [
      `${path}x`,
      path.toUpperCase(),
      `/s/${"A".repeat(5_000)}`,
      "/s/%F0%9F%98%80",
      "/s/..%2F..%2Fv1%2Fme",
    ]) {
      expect((await page(wrong)).status).toBe(404);
      expect((await pick(wrong, slot!.start)).status).toBe(404);
    }
    expect((await page("/s/%00")).status).toBe(400);
    // Without a slot, with a slot not offered, with rubbish, with a huge field: the page again, 400.
    for (const fields of [
      { slot: "" },
      { slot: "tomorrow" },
      { slot: "2001-01-01T00:00:00Z" },
      { slot: "9".repeat(1e5) },
    ])
      expect((await pick(path, fields.slot)).status).toBe(400);
    const noForm = await rig.t.app.request(path, { method: "POST" });
    expect(noForm.status).toBe(400);
    const jsonPost = await rig.t.app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slot: slot!.start }),
    });
    expect(jsonPost.status).toBe(400);
    const broken = await rig.t.app.request(path, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: "--x\r\nnot a part",
    });
    expect(broken.status).toBe(400);
    // The calendar of a link nobody booked yet.
    expect((await page(`${path}/calendar.ics`)).status).toBe(404);
    expect((await zoomMeetings()).length).toBe(meetingsBefore);
  });
});
