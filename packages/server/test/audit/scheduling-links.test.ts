/**
 * An outsider's audit of scheduling links (issue 11, item 7) on the real app
 * with the fakes, SQLite and PostgreSQL: a link withdrawn while a pick is
 * being booked or after it was booked, the same pick and a withdrawal racing,
 * other organisations' link ids and roles that may not act, and the public
 * page fed tampered secrets, ids that are not secrets, posts without a slot
 * and the calendar of an unbooked link: every answer a 4xx, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkGoogle } from "../oauth/adapters/google-microsoft-links.ts";
import { link as linkZoom } from "../oauth/zoom-links.ts";
import { claimSlot, findLink, type SchedulingLink } from "../../src/scheduling-links/store.ts";
import { postedMessage } from "../support/round-trip.ts";
import { type Caller, createTestApp, type TestApp } from "../support/test-app.ts";

const org = "sakura";
const hanako: Caller = { sub: "u-hanako", org, role: "admin" };
const ken: Caller = { sub: "u-ken", org, role: "recruiter" };
const sho: Caller = { sub: "u-sho", org, role: "recruiter" };
const address = (name: string) => `${name}@sakura-recruit.example`;

type Slot = { start: string; end: string };
let t: TestApp<"google" | "microsoft" | "zoom">;
/** Free slots of Ken and Sho next week, from POST /v1/availability, as ISO UTC. */
let free: Slot[];
let nextSlot = 0;

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  const linked = async (outcome: Promise<{ outcome: { status: string } }>) =>
    expect((await outcome).outcome.status).toBe("linked");
  await linked(linkGoogle(t, hanako, "org", address("hanako.yamada")));
  await linked(linkGoogle(t, ken, "personal", address("ken.sato")));
  await linked(linkGoogle(t, sho, "personal", address("sho.takahashi")));
  for (const [caller, zoomUser, purpose] of [
    [hanako, "zU_hanako", "org"],
    [ken, "zU_ken", "personal"],
  ] as const) {
    const { response } = await linkZoom(t, caller, zoomUser, { purpose, returnMode: "popup" });
    expect(postedMessage(await response.text())?.message?.status).toBe("linked");
  }
  const now = t.clock.now().getTime();
  const answer = await t.api(ken, "POST", "/v1/availability", {
    participants: ["u-ken", "u-sho"],
    start: new Date(now + 2 * 86_400_000).toISOString(),
    end: new Date(now + 16 * 86_400_000).toISOString(),
    durationMinutes: 60,
    stepMinutes: 60,
    timeZone: "Asia/Tokyo",
  });
  expect(answer.status).toBe(200);
  const slots = ((await answer.json()) as { slots: Slot[] }).slots;
  // Slots an hour apart at least, so that booking one leaves the next free.
  free = slots
    .map((slot) => ({ start: new Date(slot.start).toISOString(), end: new Date(slot.end).toISOString() }))
    .filter((slot, index, all) => index === 0 || Date.parse(slot.start) >= Date.parse(all[index - 1]!.end));
  expect(free.length).toBeGreaterThan(25);
}, 60_000);
afterAll(() => t.close());

/** The next `count` free slots no other test has offered. */
function takeSlots(count: number): Slot[] {
  const taken = free.slice(nextSlot, nextSlot + count);
  nextSlot += count;
  return taken;
}

async function offer(slots: Slot[], overrides: Record<string, unknown> = {}) {
  const response = await t.api(ken, "POST", "/v1/scheduling-links", {
    title: "一次面接",
    durationMinutes: 60,
    interviewers: ["u-ken", "u-sho"],
    slots,
    candidate: { name: "山田 花子", email: "hanako@candidate.example", timeZone: "Asia/Tokyo" },
    zoom: {},
    ...overrides,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const created = (await response.json()) as { id: string; url: string };
  return { id: created.id, path: new URL(created.url).pathname };
}

function page(path: string, headers: Record<string, string> = {}) {
  return t.app.request(path, { headers });
}

function pick(path: string, slot: string, fields: Record<string, string> = {}) {
  return t.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ slot, lang: "ja", tz: "Asia/Tokyo", ...fields }).toString(),
  });
}

async function zoomMeetings(): Promise<Array<{ id: string; userId: string; start: string; topic: string }>> {
  const response = await fetch(`${t.zoom.running.baseUrl}/_control/meetings`);
  return ((await response.json()) as { meetings: Array<{ id: string; userId: string; start: string; topic: string }> })
    .meetings;
}

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
    const link = (await findLink(t.db, { hostId: "portal-a", orgId: org }, id)) as SchedulingLink;
    // A submit holds the claim and is checking the calendars / booking.
    expect((await claimSlot(t.db, link, slot!.start, t.clock.now())).claim).toBe("claimed");
    const withdrawn = await json(await t.api(ken, "DELETE", `/v1/scheduling-links/${id}`));
    expectError(withdrawn, 409);
    expect(withdrawn.body.error.code).toBe("scheduling_link_busy");
    expect((await findLink(t.db, { hostId: "portal-a", orgId: org }, id))?.revokedAt).toBeNull();
    expect((await page(path)).status).toBe(200);
  });

  it("refuses (409) for a booked link: the candidate's page keeps showing the interview", async () => {
    const [slot] = takeSlots(1);
    const { id, path } = await offer([slot!]);
    expect((await pick(path, slot!.start)).status).toBe(303);
    const withdrawn = await json(await t.api(ken, "DELETE", `/v1/scheduling-links/${id}`));
    expectError(withdrawn, 409);
    expect(withdrawn.body.error.code).toBe("scheduling_link_booked");
    const shown = await page(path, { "accept-language": "en" });
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain("Your interview is booked");
    expect((await page(`${path}/calendar.ics`)).status).toBe(200);
    const view = await json(await t.api(ken, "GET", `/v1/scheduling-links/${id}`));
    expect(view.body).toMatchObject({ status: "booked", revokedAt: null, interview: { status: "confirmed" } });
  });

  it("a pick and a withdrawal at once: either withdrawn with nothing booked, or booked and shown", async () => {
    for (const round of [0, 1, 2, 3]) {
      const [slot] = takeSlots(1);
      const { id, path } = await offer([slot!]);
      const meetingsBefore = (await zoomMeetings()).length;
      const [picked, withdrawn] = await Promise.all([
        pick(path, slot!.start),
        t.api(ken, "DELETE", `/v1/scheduling-links/${id}`),
      ]);
      const view = (await json(await t.api(ken, "GET", `/v1/scheduling-links/${id}`))).body;
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

describe("tenancy and roles", () => {
  it("another organisation's link is a 404; assistants and guests cannot withdraw or offer", async () => {
    const { id, path } = await offer(takeSlots(1));
    for (const method of ["GET", "DELETE"] as const) {
      const answer = await json(await t.api(outsider, method, `/v1/scheduling-links/${id}`));
      expectError(answer, 404);
      expect(JSON.stringify(answer.body)).not.toContain("山田");
    }
    expectError(await json(await t.api(assistant, "DELETE", `/v1/scheduling-links/${id}`)), 403);
    expectError(await json(await t.api(guest, "GET", `/v1/scheduling-links/${id}`)), 403);
    const slots = takeSlots(1);
    for (const caller of [assistant, guest])
      expectError(
        await json(
          await t.api(caller, "POST", "/v1/scheduling-links", {
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
      expectError(await json(await t.api(ken, "POST", "/v1/scheduling-links", body)), 400);
    for (const id of ["%00", "x".repeat(5_000), "..%2F..", "%F0%9F%98%80"])
      for (const method of ["GET", "DELETE"] as const) {
        const answer = await json(await t.api(ken, method, `/v1/scheduling-links/${id}`));
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
    const noForm = await t.app.request(path, { method: "POST" });
    expect(noForm.status).toBe(400);
    const jsonPost = await t.app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slot: slot!.start }),
    });
    expect(jsonPost.status).toBe(400);
    const broken = await t.app.request(path, {
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
