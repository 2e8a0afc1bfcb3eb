/**
 * `peopleBusy` on POST /v1/availability: a caller asks for less of each
 * person's busy time (only what falls within the question's working hours,
 * cut to them, or none), through the real app with calendars linked at the
 * Google and Microsoft fakes. The slots and everything else are the same as
 * without it, and without it the answer carries every busy block as before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AvailabilityAnswer } from "@tsunagu/contract";
import type { LinkingApp } from "../oauth/adapters/google-microsoft-links.ts";
import { appWithLinkedCalendars, recruiter } from "./linked-calendars.ts";

const day = 86_400_000;
const hour = 3_600_000;
const tokyo = 9 * hour;
let t: LinkingApp;
let question: Record<string, unknown>;
/** Tuesday to Saturday, 10:00–16:30 in Tokyo: not the seeded people's own hours, so the cut is the question's. */
const workingHours = { days: ["tue", "wed", "thu", "fri", "sat"], start: "10:00", end: "16:30" };

async function answer(body: Record<string, unknown>): Promise<AvailabilityAnswer> {
  const response = await t.api(recruiter, "POST", "/v1/availability", body);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as AvailabilityAnswer;
}

const instants = (intervals: Array<{ start: string; end: string }>) =>
  intervals.map((interval) => ({ start: Date.parse(interval.start), end: Date.parse(interval.end) }));

/** Each block cut to the question's hours, written out day by day (Tokyo keeps UTC+9 all year). */
function withinHours(busy: Array<{ start: number; end: number }>): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const block of busy) {
    for (let midnight = Math.floor((block.start + tokyo) / day) * day - tokyo; midnight < block.end; midnight += day) {
      const weekday = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][new Date(midnight + tokyo).getUTCDay()]!;
      if (!workingHours.days.includes(weekday)) continue;
      const start = Math.max(block.start, midnight + 10 * hour);
      const end = Math.min(block.end, midnight + 16.5 * hour);
      if (end > start) out.push({ start, end });
    }
  }
  return out;
}

beforeAll(async () => {
  ({ t } = await appWithLinkedCalendars([
    { key: "ken-google", sub: "u-ken", provider: "google", mailbox: "ken.sato" },
    { key: "sho-outlook", sub: "u-sho", provider: "microsoft", mailbox: "sho.takahashi" },
    { key: "ai-google", sub: "u-ai", provider: "google", mailbox: "ai.tanaka" },
    { key: "ai-outlook", sub: "u-ai", provider: "microsoft", mailbox: "yui.watanabe" },
  ]));
  const now = t.clock.now().getTime();
  const tokyoToday = Math.floor((now + tokyo) / day) * day - tokyo;
  const monday = tokyoToday + ((8 - new Date(tokyoToday + tokyo).getUTCDay()) % 7 || 7) * day;
  question = {
    participants: ["u-ken", "u-sho", "u-ai"],
    start: new Date(monday).toISOString(),
    end: new Date(monday + 14 * day).toISOString(),
    durationMinutes: 30,
    workingHours,
    timeZone: "Asia/Tokyo",
  };
}, 60_000);
afterAll(() => t.close());

describe("POST /v1/availability peopleBusy", () => {
  it("carries every busy block without it and with all", async () => {
    const plain = await answer(question);
    expect(await answer({ ...question, peopleBusy: "all" })).toEqual(plain);
    expect(plain.people.every((entry) => entry.busy.length > 0)).toBe(true);
  });

  it("with working_hours, carries only the busy time within the question's hours, cut to them", async () => {
    const all = await answer(question);
    const within = await answer({ ...question, peopleBusy: "working_hours" });
    expect(within.slots).toEqual(all.slots);
    expect(within.people.map(({ busy, ...rest }) => rest)).toEqual(all.people.map(({ busy, ...rest }) => rest));
    for (const [index, entry] of within.people.entries()) {
      const expected = withinHours(instants(all.people[index]!.busy));
      expect(instants(entry.busy)).toEqual(expected);
      expect(entry.busy.length).toBeGreaterThan(0);
      // The seed's calendars have busy time outside 10:00–16:30 and on Sundays and Mondays: some of it is left out.
      expect(expected.reduce((sum, block) => sum + block.end - block.start, 0)).toBeLessThan(
        instants(all.people[index]!.busy).reduce((sum, block) => sum + block.end - block.start, 0),
      );
      for (const block of entry.busy) expect(block.start).toMatch(/\+09:00$/);
    }
  });

  it("with none, carries no busy time and the same slots, statuses and calendars", async () => {
    const all = await answer(question);
    const none = await answer({ ...question, peopleBusy: "none" });
    expect(none.people.map((entry) => entry.busy)).toEqual([[], [], []]);
    expect(none).toEqual({ ...all, people: all.people.map((entry) => ({ ...entry, busy: [] })) });
  });

  it("refuses working_hours without workingHours, and an unknown scope: 400 invalid_body on peopleBusy", async () => {
    const { workingHours: _left, ...withoutHours } = question;
    for (const body of [
      { ...withoutHours, peopleBusy: "working_hours" },
      { ...question, peopleBusy: "some" },
    ]) {
      const response = await t.api(recruiter, "POST", "/v1/availability", body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: "invalid_body", details: { field: "peopleBusy" } },
      });
    }
  });
});
