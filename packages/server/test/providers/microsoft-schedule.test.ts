/**
 * Contract: free/busy through getSchedule. Our client splits calls to the
 * documented limits (20 schedules, under 42 days) and merges the answers; the
 * fake enforces the server's real limits (100 schedules, 62 days), answers in
 * wall-clock time without offsets, and marks unknown addresses per schedule.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGraphClient, createMicrosoftClient, microsoftQuirks } from "../../src/providers/microsoft.ts";
import type { TokenSet } from "../../src/providers/types.ts";
import { microsoftSandboxEndpoints } from "../../src/sandbox/microsoft/index.ts";
import { busyTimesFor, people } from "../../src/sandbox/seed.ts";
import { hanako, ken, link, type MicrosoftTestEnv, startMicrosoft, taro } from "./microsoft-helpers.ts";

let env: MicrosoftTestEnv;
let tokens: TokenSet;
beforeAll(async () => {
  env = await startMicrosoft();
});
afterAll(() => env.running.close());
beforeEach(async () => {
  await env.running.control("/reset");
  tokens = await link(env);
});

const schedulePath = "POST /v1.0/me/calendar/getSchedule";
const week = { start: new Date("2026-12-07T00:00:00Z"), end: new Date("2026-12-12T00:00:00Z") };
const api = () => env.client.api(tokens.accessToken);
const raw = () => createGraphClient(`${env.running.baseUrl}/`, tokens.accessToken, env.deps);
const utc = (dateTime: string) => ({ dateTime, timeZone: "UTC" });

describe("freeBusy", () => {
  it("returns the seeded meetings as busy instants, tentative and working-elsewhere included", async () => {
    const [busy] = await api().freeBusy([ken], week, "Asia/Tokyo");
    const seeded = busyTimesFor(ken, week.start, 6).filter((item) => item.start < week.end && item.end > week.start);
    expect(seeded.some((item) => item.summary === "ランチ会" || item.summary === "顧客打ち合わせ")).toBe(true);
    // Our answer is the seed with touching meetings joined.
    expect(busy?.busy.length).toBeGreaterThan(0);
    for (const item of seeded) {
      expect(
        busy?.busy.some((interval) => interval.start <= item.start.getTime() && interval.end >= item.end.getTime()),
      ).toBe(true);
    }
    expect(busy?.busy.reduce((sum, interval) => sum + interval.end - interval.start, 0)).toBe(
      seeded.reduce((sum, item) => sum + item.end.getTime() - item.start.getTime(), 0),
    );
  });

  it("ignores `free` items and counts out-of-office as busy", async () => {
    const free = { start: utc("2026-12-12T01:00:00"), end: utc("2026-12-12T02:00:00") };
    const oof = { start: utc("2026-12-12T03:00:00"), end: utc("2026-12-12T04:00:00") };
    await raw()
      .api("/me/events")
      .post({ subject: "Focus (free)", showAs: "free", ...free });
    await raw()
      .api("/me/events")
      .post({ subject: "休暇", showAs: "oof", ...oof });
    const saturday = { start: new Date("2026-12-12T00:00:00Z"), end: new Date("2026-12-13T00:00:00Z") };
    const [busy] = await api().freeBusy([hanako], saturday, "Asia/Tokyo");
    expect(busy).toEqual({
      calendarId: hanako,
      busy: [{ start: Date.parse("2026-12-12T03:00:00Z"), end: Date.parse("2026-12-12T04:00:00Z") }],
    });
  });

  it("asks for a day per availabilityView digit (not read): a shorter answer, the same busy time", async () => {
    const sent: unknown[] = [];
    const answered: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith("/getSchedule")) {
        sent.push(JSON.parse(String(init?.body)));
        answered.push(await response.clone().text());
      }
      return response;
    };
    const config = {
      clientId: env.running.context.clientId,
      clientSecret: env.running.context.clientSecret,
      endpoints: microsoftSandboxEndpoints(env.running.baseUrl),
    };
    const recorded = createMicrosoftClient(config, { ...env.deps, fetch: recording });
    const [busy] = await recorded.api(tokens.accessToken).freeBusy([ken], week, "Asia/Tokyo");
    expect(sent).toEqual([expect.objectContaining({ availabilityViewInterval: 1440 })]);
    // Five days, five digits (at the default 30 minutes it would be 240).
    const answer = JSON.parse(answered[0]!) as { value: Array<{ availabilityView: string }> };
    expect(answer.value[0]?.availabilityView).toMatch(/^[0-4]{5}$/);
    const seeded = busyTimesFor(ken, week.start, 6).filter((item) => item.start < week.end && item.end > week.start);
    expect(busy?.busy.reduce((sum, interval) => sum + interval.end - interval.start, 0)).toBe(
      seeded.reduce((sum, item) => sum + item.end.getTime() - item.start.getTime(), 0),
    );
  });

  it("reports per-schedule errors: an unknown address, and a person of another tenant", async () => {
    const answer = await api().freeBusy([hanako, "nobody@sakura-recruit.example", taro], week, "Asia/Tokyo");
    expect(answer[0]?.error).toBeUndefined();
    expect(answer[1]).toEqual({
      calendarId: "nobody@sakura-recruit.example",
      busy: [],
      error: expect.stringContaining("5009"),
    });
    expect(answer[2]).toMatchObject({
      calendarId: taro,
      busy: [],
      error: expect.stringContaining("Unable to resolve"),
    });
  });

  it("batches 45 schedules into calls of 20 and merges them in the order asked", async () => {
    const ids = [
      ...people.map((person) => person.email),
      ...Array.from({ length: 35 }, (_, index) => `guest${index}@sakura-recruit.example`),
    ];
    const answer = await api().freeBusy(ids, week, "Asia/Tokyo");
    expect(await env.running.calls(schedulePath)).toBe(3);
    expect(answer.map((entry) => entry.calendarId)).toEqual(ids);
    expect(answer.slice(0, people.length).every((entry) => entry.error === undefined && entry.busy.length > 0)).toBe(
      true,
    );
    expect(answer.slice(people.length).every((entry) => entry.error !== undefined)).toBe(true);
  });

  it("splits a 60-day range into windows under 42 days and joins a meeting that straddles them", async () => {
    // From a Sunday, so the first window ends on a Saturday, when the seeded calendars are empty.
    const range = { start: new Date("2026-11-29T00:00:00Z"), end: new Date("2027-01-28T00:00:00Z") };
    const boundary = new Date(range.start.getTime() + microsoftQuirks.graph.maxScheduleWindowMs);
    await raw()
      .api("/me/events")
      .post({
        subject: "跨ぎ",
        start: utc(new Date(boundary.getTime() - 3600_000).toISOString().slice(0, 19)),
        end: utc(new Date(boundary.getTime() + 3600_000).toISOString().slice(0, 19)),
      });
    const [busy] = await api().freeBusy([hanako], range, "Asia/Tokyo");
    expect(await env.running.calls(schedulePath)).toBe(2);
    expect(busy?.busy).toContainEqual({ start: boundary.getTime() - 3600_000, end: boundary.getTime() + 3600_000 });
    expect(
      busy?.busy.every((interval) => interval.start >= range.start.getTime() && interval.end <= range.end.getTime()),
    ).toBe(true);
  });

  it("reads dateTime+timeZone pairs correctly in whatever zone the answer uses", async () => {
    const answer = await raw()
      .api("/me/calendar/getSchedule")
      .header("Prefer", 'outlook.timezone="Tokyo Standard Time"')
      .post({
        schedules: [ken],
        startTime: { dateTime: "2026-12-07T09:00:00", timeZone: "Tokyo Standard Time" },
        endTime: { dateTime: "2026-12-07T18:00:00", timeZone: "Tokyo Standard Time" },
      });
    const item = answer.value[0].scheduleItems[0];
    expect(item.start.timeZone).toBe("Tokyo Standard Time");
    expect(item.start.dateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}$/);
    const first = busyTimesFor(ken, new Date("2026-12-07T00:00:00Z"), 1)[0];
    const tokyoWall = new Date((first?.start.getTime() ?? 0) + 9 * 3600_000).toISOString().slice(0, 19);
    expect(item.start.dateTime).toBe(`${tokyoWall}.0000000`);
    expect(answer.value[0].availabilityView).toMatch(/^[0-4]{18}$/);
  });
});

describe("the fake's getSchedule limits", () => {
  const window = (days: number) => ({
    startTime: utc("2026-12-01T00:00:00"),
    endTime: utc(new Date(Date.UTC(2026, 11, 1) + days * 86_400_000).toISOString().slice(0, 19)),
  });

  it("accepts 100 schedules and refuses 101 with ErrorMailboxDataArrayTooBig", async () => {
    const addresses = (count: number) =>
      Array.from({ length: count }, (_, index) => `person${index}@sakura-recruit.example`);
    const hundred = await raw()
      .api("/me/calendar/getSchedule")
      .post({ schedules: addresses(100), ...window(1) });
    expect(hundred.value).toHaveLength(100);
    await expect(
      raw()
        .api("/me/calendar/getSchedule")
        .post({ schedules: addresses(101), ...window(1) }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "ErrorMailboxDataArrayTooBig",
      message: expect.stringContaining("The allowed size = 100; the actual size = 101"),
    });
  });

  it("accepts 62 days and refuses 63 with ErrorTimeIntervalTooBig", async () => {
    await expect(
      raw()
        .api("/me/calendar/getSchedule")
        .post({ schedules: [hanako], ...window(62) }),
    ).resolves.toMatchObject({ value: [{ scheduleId: hanako }] });
    await expect(
      raw()
        .api("/me/calendar/getSchedule")
        .post({ schedules: [hanako], ...window(63) }),
    ).rejects.toMatchObject({ statusCode: 400, code: "ErrorTimeIntervalTooBig" });
  });

  it("refuses a time zone it does not know", async () => {
    const body = {
      schedules: [hanako],
      startTime: { dateTime: "2026-12-01T00:00:00", timeZone: "Mars/Olympus" },
      endTime: utc("2026-12-02T00:00:00"),
    };
    await expect(raw().api("/me/calendar/getSchedule").post(body)).rejects.toMatchObject({
      statusCode: 400,
      code: "TimeZoneNotSupportedException",
    });
  });

  it("needs a calendar permission", async () => {
    const narrow = await link(env, hanako, ["openid", "https://graph.microsoft.com/User.Read"]);
    await expect(env.client.api(narrow.accessToken).freeBusy([hanako], week, "Asia/Tokyo")).rejects.toMatchObject({
      status: 403,
      code: "ErrorAccessDenied",
    });
  });
});
