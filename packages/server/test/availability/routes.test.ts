/**
 * POST /v1/availability and the working-hours settings over HTTP, through
 * the real app, with calendars linked at the Google and Microsoft fakes: the
 * busy time each person shows is the union of every calendar they linked,
 * read from the fakes' seeded calendars; an unreadable calendar and a person
 * with no calendar are named, and the slots say so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRetryPolicy } from "../../src/providers/http.ts";
import { maxDaysAhead } from "../../src/routes/availability.ts";
import { busyTimesFor } from "../../src/sandbox/seed.ts";
import type { LinkingApp } from "../oauth/adapters/google-microsoft-links.ts";
import type { Caller } from "../support/test-app.ts";
import { address, admin, appWithLinkedCalendars, org, person, recruiter } from "./linked-calendars.ts";

const guest: Caller = { sub: "u-guest", org, role: "guest" };

const day = 86_400_000;
let t: LinkingApp;
/** Next Monday, 00:00 in Tokyo, and two weeks from then. */
let range: { start: string; end: string };

interface Answer {
  timeZone: string;
  slots: Array<{ start: string; end: string; unconfirmedFor: string[] }>;
  people: Array<{
    id: string;
    status: string;
    timeZone: string;
    workingHours: { days: string[]; start: string; end: string };
    calendars: Array<{
      accountId: string;
      provider: string;
      email: string;
      status: string;
      reason?: string;
      detail?: string;
    }>;
    busy: Array<{ start: string; end: string }>;
  }>;
}

async function ask(caller: Caller, body: Record<string, unknown>): Promise<Response> {
  return t.api(caller, "POST", "/v1/availability", body);
}

async function answer(body: Record<string, unknown>): Promise<Answer> {
  const response = await ask(recruiter, body);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Answer;
}

/** What the fakes' seed puts on these calendars over the range, joined. */
function seededBusy(emails: string[], from: number, to: number): Array<{ start: number; end: number }> {
  const all = emails
    .flatMap((email) => busyTimesFor(email, new Date(from), Math.ceil((to - from) / day) + 1))
    .map((busy) => ({ start: busy.start.getTime(), end: busy.end.getTime() }));
  const sorted = all
    .filter((busy) => busy.end > from && busy.start < to)
    .map((busy) => ({ start: Math.max(busy.start, from), end: Math.min(busy.end, to) }))
    .sort((a, b) => a.start - b.start);
  const joined: Array<{ start: number; end: number }> = [];
  for (const busy of sorted) {
    const last = joined.at(-1);
    if (last && busy.start <= last.end) last.end = Math.max(last.end, busy.end);
    else joined.push({ ...busy });
  }
  return joined;
}

const instants = (intervals: Array<{ start: string; end: string }>) =>
  intervals.map((interval) => ({ start: Date.parse(interval.start), end: Date.parse(interval.end) }));

beforeAll(async () => {
  // Ai uses two calendars: a Google one and an Outlook one (another mailbox of hers, here Yui's seeded calendar).
  ({ t } = await appWithLinkedCalendars([
    { key: "ken-google", sub: "u-ken", provider: "google", mailbox: "ken.sato" },
    { key: "sho-outlook", sub: "u-sho", provider: "microsoft", mailbox: "sho.takahashi" },
    { key: "ai-google", sub: "u-ai", provider: "google", mailbox: "ai.tanaka" },
    { key: "ai-outlook", sub: "u-ai", provider: "microsoft", mailbox: "yui.watanabe" },
    { key: "emily-google", sub: "u-emily", provider: "google", mailbox: "emily.carter" },
    { key: "james-outlook", sub: "u-james", provider: "microsoft", mailbox: "james.wilson" },
  ]));

  const tokyo = 9 * 3_600_000;
  const now = t.clock.now().getTime();
  const tokyoToday = Math.floor((now + tokyo) / day) * day - tokyo;
  const weekday = new Date(tokyoToday + tokyo).getUTCDay();
  const monday = tokyoToday + ((8 - weekday) % 7 || 7) * day;
  range = { start: new Date(monday).toISOString(), end: new Date(monday + 14 * day).toISOString() };
}, 60_000);
afterAll(() => t.close());

describe("POST /v1/availability", () => {
  it("shows each person's busy time as the union of all their Google and Outlook calendars", async () => {
    const result = await answer({
      participants: ["u-ken", "u-sho", "u-ai"],
      ...range,
      durationMinutes: 60,
      timeZone: "Asia/Tokyo",
    });
    const from = Date.parse(range.start);
    const to = Date.parse(range.end);
    const byId = Object.fromEntries(result.people.map((entry) => [entry.id, entry]));
    expect(instants(byId["u-ken"]!.busy)).toEqual(seededBusy([address("ken.sato")], from, to));
    expect(instants(byId["u-sho"]!.busy)).toEqual(seededBusy([address("sho.takahashi")], from, to));
    expect(instants(byId["u-ai"]!.busy)).toEqual(seededBusy([address("ai.tanaka"), address("yui.watanabe")], from, to));
    expect(byId["u-ai"]!.calendars.map((calendar) => [calendar.provider, calendar.status])).toEqual([
      ["google", "read"],
      ["microsoft", "read"],
    ]);
    expect(result.people.map((entry) => entry.status)).toEqual(["ok", "ok", "ok"]);
    expect(result.people.map((entry) => entry.timeZone)).toEqual(["Asia/Tokyo", "Asia/Tokyo", "Asia/Tokyo"]);
  });

  it(
    "offers only slots that overlap nobody's busy time and lie " + "in everyone's working hours, in the viewer's zone",
    async () => {
      const result = await answer({
        participants: ["u-ken", "u-sho", "u-ai"],
        ...range,
        durationMinutes: 60,
        stepMinutes: 30,
        timeZone: "Asia/Tokyo",
      });
      expect(result.timeZone).toBe("Asia/Tokyo");
      expect(result.slots.length).toBeGreaterThan(0);
      const busy = result.people.flatMap((entry) => instants(entry.busy));
      for (const slot of result.slots) {
        expect(slot.start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:(00|30):00\+09:00$/);
        expect(slot.unconfirmedFor).toEqual([]);
        const [start, end] = [Date.parse(slot.start), Date.parse(slot.end)];
        expect(end - start).toBe(3_600_000);
        expect(busy.some((interval) => interval.start < end && interval.end > start)).toBe(false);
        // The organisation's default hours: Monday to Friday, 09:00–18:00 in Tokyo.
        const local = new Date(start + 9 * 3_600_000);
        expect([1, 2, 3, 4, 5]).toContain(local.getUTCDay());
        expect(local.getUTCHours()).toBeGreaterThanOrEqual(9);
        expect(local.getUTCHours() * 60 + local.getUTCMinutes() + 60).toBeLessThanOrEqual(18 * 60);
      }
      // Back to back is not an overlap: a slot may start the minute someone's meeting ends.
      const ends = new Set(busy.map((interval) => interval.end));
      expect(result.slots.some((slot) => ends.has(Date.parse(slot.start)))).toBe(true);
    },
  );

  it(
    "asks each Google account once and each Outlook account once per window for 60 days (Graph's window is under 42 " +
      "days)",
    async () => {
      const start = Date.parse(range.start);
      const [google, microsoft] = [
        await t.google.calls("POST /calendar/v3/freeBusy"),
        await t.microsoft.calls("POST /v1.0/me/calendar/getSchedule"),
      ];
      await answer({
        participants: ["u-ken", "u-sho", "u-ai"],
        start: range.start,
        end: new Date(start + 60 * day).toISOString(),
        durationMinutes: 30,
      });
      expect((await t.google.calls("POST /calendar/v3/freeBusy")) - google).toBe(2);
      expect((await t.microsoft.calls("POST /v1.0/me/calendar/getSchedule")) - microsoft).toBe(4);
    },
  );

  it(
    "names a person whose account must be linked again, and " + "every slot is unconfirmed for them instead of free",
    async () => {
      await t.google.control("/revoke", { subject: address("emily.carter") });
      await t.google.control("/expire-tokens");
      const result = await answer({ participants: ["u-ken", "u-emily"], ...range, durationMinutes: 60 });
      const emily = result.people.find((entry) => entry.id === "u-emily")!;
      expect(emily.status).toBe("unconfirmed");
      expect(emily.calendars).toEqual([
        expect.objectContaining({ provider: "google", status: "unreadable", reason: "needs_reauth" }),
      ]);
      expect(emily.busy).toEqual([]);
      expect(result.slots.length).toBeGreaterThan(0);
      for (const slot of result.slots) expect(slot.unconfirmedFor).toEqual(["u-emily"]);
      // The account now shows it must be linked again.
      const row = await t.db
        .selectFrom("accounts")
        .select("status")
        .where("user_id", "=", "u-emily")
        .executeTakeFirstOrThrow();
      expect(row.status).toBe("needs_reauth");
      // Asked again, it is not asked at the provider at all: still unreadable, with the same reason.
      const again = await answer({ participants: ["u-emily"], ...range, durationMinutes: 60 });
      expect(again.people[0]?.calendars[0]).toMatchObject({ status: "unreadable", reason: "needs_reauth" });
    },
  );

  it(
    "names a calendar the provider fails to answer for as unreadable, keeping the busy time of the person's other " +
      "calendars",
    async () => {
      // Every attempt the one retry policy makes fails (and no more: later tests read Outlook normally).
      await t.microsoft.control("/fail", {
        status: 503,
        count: defaultRetryPolicy.maxAttempts,
        path: "/v1.0/me/calendar/getSchedule",
      });
      const result = await answer({ participants: ["u-ken", "u-ai"], ...range, durationMinutes: 60 });
      const ai = result.people.find((entry) => entry.id === "u-ai")!;
      expect(ai.status).toBe("unconfirmed");
      expect(ai.calendars.map((calendar) => [calendar.provider, calendar.status, calendar.reason])).toEqual([
        ["google", "read", undefined],
        ["microsoft", "unreadable", "provider_unavailable"],
      ]);
      expect(instants(ai.busy)).toEqual(
        seededBusy([address("ai.tanaka")], Date.parse(range.start), Date.parse(range.end)),
      );
      for (const slot of result.slots) expect(slot.unconfirmedFor).toEqual(["u-ai"]);
    },
  );

  it("names a calendar the provider answers with an error for (an address Graph does not know)", async () => {
    const row = await t.db
      .selectFrom("accounts")
      .select(["id", "email"])
      .where("user_id", "=", "u-james")
      .executeTakeFirstOrThrow();
    await t.db
      .updateTable("accounts")
      .set({ email: address("nobody") })
      .where("id", "=", row.id)
      .execute();
    try {
      const result = await answer({ participants: ["u-james"], ...range, durationMinutes: 60 });
      expect(result.people[0]?.calendars[0]).toMatchObject({
        status: "unreadable",
        reason: "calendar_error",
        detail: expect.stringContaining("5009"),
      });
      expect(result.slots.every((slot) => slot.unconfirmedFor.includes("u-james"))).toBe(true);
    } finally {
      await t.db.updateTable("accounts").set({ email: row.email }).where("id", "=", row.id).execute();
    }
  });

  it("flags a person who linked no calendar, and never counts them free", async () => {
    // They have used the portal (so their zone, Tokyo, is known) but linked nothing.
    expect((await t.api(person("u-nobody"), "GET", "/v1/working-hours")).status).toBe(200);
    const result = await answer({ participants: ["u-ken", "u-nobody"], ...range, durationMinutes: 60 });
    expect(result.people.find((entry) => entry.id === "u-nobody")).toMatchObject({
      status: "no_calendar",
      calendars: [],
      busy: [],
    });
    expect(result.slots.length).toBeGreaterThan(0);
    for (const slot of result.slots) expect(slot.unconfirmedFor).toEqual(["u-nobody"]);
  });

  it("puts a person of unknown zone on the viewer's clock while the organisation set no hours", async () => {
    // u-unseen never used the portal, so no zone of theirs is known; the organisation set no hours (UTC by default).
    const result = await answer({ participants: ["u-unseen"], ...range, durationMinutes: 60, timeZone: "Asia/Tokyo" });
    expect(result.people[0]).toMatchObject({ id: "u-unseen", timeZone: "Asia/Tokyo", status: "no_calendar" });
    expect(result.slots.length).toBeGreaterThan(0);
    for (const slot of result.slots) expect(slot.start).toMatch(/T(09|1[0-7]):[0-5]\d:00\+09:00$/);
  });

  it("answers a question about the first century with times of that century, well formed", async () => {
    const result = await answer({
      participants: ["u-unseen"],
      start: "0050-01-04T00:00:00Z",
      end: "0050-01-06T00:00:00Z",
      durationMinutes: 60,
      timeZone: "UTC",
    });
    expect(result.slots.length).toBeGreaterThan(0);
    for (const slot of result.slots) {
      expect(slot.start).toMatch(/^0050-01-0[45]T\d\d:[03]0:00Z$/);
      expect(Date.parse(slot.end) - Date.parse(slot.start)).toBe(3_600_000);
    }
  });

  it("keeps buffers free before and after each slot", async () => {
    const result = await answer({
      participants: ["u-ken"],
      ...range,
      durationMinutes: 30,
      stepMinutes: 15,
      bufferBeforeMinutes: 15,
      bufferAfterMinutes: 10,
    });
    const busy = instants(result.people[0]!.busy);
    for (const slot of result.slots) {
      const [start, end] = [Date.parse(slot.start) - 15 * 60_000, Date.parse(slot.end) + 10 * 60_000];
      expect(busy.some((interval) => interval.start < end && interval.end > start)).toBe(false);
    }
    expect(result.slots.length).toBeGreaterThan(0);
  });

  it("answers in the viewer's zone and applies the question's own hours on the viewer's clock", async () => {
    const result = await answer({
      participants: ["u-ken"],
      ...range,
      durationMinutes: 60,
      stepMinutes: 60,
      timeZone: "Europe/London",
      workingHours: { days: ["mon", "tue", "wed", "thu", "fri"], start: "02:00", end: "04:00" },
    });
    expect(result.timeZone).toBe("Europe/London");
    expect(result.slots.length).toBeGreaterThan(0);
    // 02:00–04:00 in London (GMT or BST) lies within 09:00–18:00 in Tokyo.
    for (const slot of result.slots) expect(slot.start).toMatch(/T0[23]:00:00(Z|\+01:00)$/);
  });

  it("takes a zone in any letter case and answers it in its canonical spelling", async () => {
    const result = await answer({ participants: ["u-ken"], ...range, durationMinutes: 60, timeZone: "asia/tokyo" });
    expect(result.timeZone).toBe("Asia/Tokyo");
    expect(result.slots.length).toBeGreaterThan(0);
    for (const slot of result.slots) expect(slot.start).toMatch(/\+09:00$/);
  });

  it("refuses malformed questions with 400 invalid_body naming the field", async () => {
    const base = { participants: ["u-ken"], ...range, durationMinutes: 60 };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, participants: [] }, "participants"],
      [{ ...base, participants: Array.from({ length: 51 }, (_, index) => `u-${index}`) }, "participants"],
      [{ ...base, end: range.start }, "end"],
      [{ ...base, end: new Date(Date.parse(range.start) + 63 * day).toISOString() }, "end"],
      [{ ...base, start: "next monday" }, "start"],
      [{ ...base, durationMinutes: 0 }, "durationMinutes"],
      [{ ...base, stepMinutes: 2.5 }, "stepMinutes"],
      [{ ...base, bufferBeforeMinutes: -5 }, "bufferBeforeMinutes"],
      [{ ...base, timeZone: "Mars/Olympus_Mons" }, "timeZone"],
      [{ ...base, workingHours: { days: ["mon"], start: "18:00", end: "09:00" } }, "workingHours"],
      [{ ...base, workingHours: { days: ["monday"], start: "09:00", end: "18:00" } }, "workingHours.days.0"],
      [{ ...base, colour: "blue" }, "body"],
    ];
    for (const [body, field] of cases) {
      const response = await ask(recruiter, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = (
        (await response.json()) as { error: { code: string; message: string; details: { field: string } } }
      ).error;
      expect(error.code).toBe("invalid_body");
      expect(error.details.field).toBe(field);
    }
    const notJson = await t.app.request("/v1/availability", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(notJson.status).toBe(401);
  });

  it("refuses a question starting more than 730 days ahead, year 9999 too, naming start and the limit", async () => {
    const limit = t.clock.now().getTime() + maxDaysAhead * day;
    const from = (start: number) => ({
      start: new Date(start).toISOString(),
      end: new Date(start + day).toISOString(),
    });
    for (const far of [from(limit + 60_000), { start: "9999-12-31T00:00:00Z", end: "9999-12-31T23:00:00Z" }]) {
      const response = await ask(recruiter, { participants: ["u-unseen"], ...far, durationMinutes: 60 });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: unknown }).error).toMatchObject({
        code: "invalid_body",
        message: expect.stringContaining(": start must be at most 730 days from now."),
        details: { field: "start" },
      });
    }
    const lastDays = { start: new Date(limit - 4 * day).toISOString(), end: new Date(limit).toISOString() };
    const within = await answer({ participants: ["u-unseen"], ...lastDays, durationMinutes: 60 });
    expect(within.slots.length).toBeGreaterThan(0);
  });

  it("offers no slot starting more than 730 days ahead in a question that starts before and ends after", async () => {
    // A week across the limit (the elements ask a week at a time): its slots up to the limit, none a booking refuses.
    const limit = t.clock.now().getTime() + maxDaysAhead * day;
    const across = { start: new Date(limit - 7 * day).toISOString(), end: new Date(limit + 7 * day).toISOString() };
    const { slots } = await answer({ participants: ["u-unseen"], ...across, durationMinutes: 60, stepMinutes: 60 });
    const starts = slots.map((slot) => Date.parse(slot.start));
    expect(starts.filter((start) => start < limit).length).toBeGreaterThan(0);
    expect(starts.filter((start) => start > limit)).toEqual([]);
  });

  it("refuses guests: they may not read other people's calendars", async () => {
    const response = await ask(guest, { participants: ["u-ken"], ...range, durationMinutes: 60 });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "forbidden_role" } });
  });
});

describe("working hours", () => {
  it("starts from Monday to Friday, 09:00–18:00 on the caller's clock until set, and no override", async () => {
    // The recruiter's token says Asia/Tokyo: the default hours are read on that clock, as availability reads them.
    const response = await t.api(recruiter, "GET", "/v1/working-hours");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      organisation: { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "18:00", timeZone: "Asia/Tokyo" },
      own: null,
    });
    // A token without a zone: UTC.
    const token = await t.token(recruiter, { tz: undefined });
    const zoneless = await t.api(recruiter, "GET", "/v1/working-hours", undefined, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(((await zoneless.json()) as { organisation: { timeZone: string } }).organisation.timeZone).toBe("UTC");
  });

  it("lets only an admin set the organisation's hours", async () => {
    const hours = { days: ["mon", "tue", "wed", "thu", "fri"], start: "10:00", end: "17:00", timeZone: "Asia/Tokyo" };
    const refused = await t.api(recruiter, "PUT", "/v1/working-hours", hours);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "admin_required" } });
    const set = await t.api(admin, "PUT", "/v1/working-hours", hours);
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ organisation: hours });
    const bad = await t.api(admin, "PUT", "/v1/working-hours", { ...hours, end: "25:00" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "invalid_body" } });

    const result = await answer({ participants: ["u-ken"], ...range, durationMinutes: 60 });
    expect(result.people[0]?.workingHours).toEqual({ days: hours.days, start: "10:00", end: "17:00" });
    for (const slot of result.slots) {
      const local = new Date(Date.parse(slot.start) + 9 * 3_600_000);
      expect(local.getUTCHours()).toBeGreaterThanOrEqual(10);
      expect(local.getUTCHours()).toBeLessThan(17);
    }
    await t.api(admin, "PUT", "/v1/working-hours", {
      days: ["mon", "tue", "wed", "thu", "fri"],
      start: "09:00",
      end: "18:00",
      timeZone: "UTC",
    });
  });

  it("keeps a zone in any letter case in its canonical spelling, and refuses an unknown one", async () => {
    const hours = { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "18:00" };
    const organisation = await t.api(admin, "PUT", "/v1/working-hours", { ...hours, timeZone: "asia/tokyo" });
    expect(organisation.status).toBe(200);
    expect(await organisation.json()).toEqual({ organisation: { ...hours, timeZone: "Asia/Tokyo" } });
    const ken = person("u-ken");
    const own = await t.api(ken, "PUT", "/v1/working-hours/me", { ...hours, timeZone: "ASIA/TOKYO" });
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ own: { ...hours, timeZone: "Asia/Tokyo" } });
    expect(await (await t.api(ken, "GET", "/v1/working-hours")).json()).toEqual({
      organisation: { ...hours, timeZone: "Asia/Tokyo" },
      own: { ...hours, timeZone: "Asia/Tokyo" },
    });

    for (const [caller, path] of [
      [admin, "/v1/working-hours"],
      [ken, "/v1/working-hours/me"],
    ] as const) {
      const refused = await t.api(caller, "PUT", path, { ...hours, timeZone: "asia/atlantis" });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { code: "invalid_body", details: { field: "timeZone" } } });
    }
    await t.api(ken, "DELETE", "/v1/working-hours/me");
    await t.api(admin, "PUT", "/v1/working-hours", { ...hours, timeZone: "UTC" });
  });

  it("lets each person override them with their own hours in their own zone, and drop the override", async () => {
    const ken = person("u-ken");
    const own = { days: ["tue"], start: "09:00", end: "12:00", timeZone: "America/New_York" };
    const set = await t.api(ken, "PUT", "/v1/working-hours/me", own);
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ own });
    const result = await answer({
      participants: ["u-ken"],
      ...range,
      durationMinutes: 60,
      stepMinutes: 60,
      timeZone: "America/New_York",
    });
    expect(result.people[0]).toMatchObject({
      timeZone: "America/New_York",
      workingHours: { days: ["tue"], start: "09:00", end: "12:00" },
    });
    expect(result.slots.length).toBeGreaterThan(0);
    for (const slot of result.slots) expect(slot.start).toMatch(/T(09|10|11):00:00-0[45]:00$/);
    for (const slot of result.slots) expect(new Date(Date.parse(slot.start) - 5 * 3_600_000).getUTCDay()).toBe(2);

    const dropped = await t.api(ken, "DELETE", "/v1/working-hours/me");
    expect(await dropped.json()).toEqual({ own: null });
    expect(await (await t.api(ken, "GET", "/v1/working-hours")).json()).toMatchObject({ own: null });
  });
});
