/**
 * Issue 16 over HTTP: Japan's holidays excluded by default for Japanese
 * organisations (the portal's tokens say `locale: ja`), an admin's closures,
 * a person's own days off, and the labels the answer carries so a slot picked
 * by hand on such a day can be flagged, not refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LinkingApp, linkGoogle } from "../oauth/adapters/google-microsoft-links.ts";
import { type Caller, createTestApp } from "../support/test-app.ts";

const org = "sakura-days-off";
const admin: Caller = { sub: "u-hanako", org, role: "admin" };
const ken: Caller = { sub: "u-ken", org, role: "recruiter" };
// Monday 4 January to Monday 18 January 2027, Tokyo: 成人の日 is Monday 11 January.
const range = { start: "2027-01-04T00:00:00+09:00", end: "2027-01-18T00:00:00+09:00" };
let t: LinkingApp;

interface Answer {
  japaneseHolidays: boolean;
  slots: Array<{ start: string }>;
  people: Array<{ id: string; daysOff: Array<{ date: string; reason: string; name: string; label: string }> }>;
}

async function availability(): Promise<Answer> {
  const response = await t.api(ken, "POST", "/v1/availability", {
    participants: ["u-ken"],
    ...range,
    durationMinutes: 60,
    timeZone: "Asia/Tokyo",
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Answer;
}

const slotDates = (answer: Answer) => new Set(answer.slots.map((slot) => slot.start.slice(0, 10)));

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft"] });
  expect((await linkGoogle(t, admin, "org", "hanako.yamada@sakura-recruit.example")).outcome.status).toBe("linked");
  expect((await linkGoogle(t, ken, "personal", "ken.sato@sakura-recruit.example")).outcome.status).toBe("linked");
}, 60_000);
afterAll(() => t.close());

describe("days off", () => {
  it(
    "excludes Japan's national holidays by default for a " + "Japanese organisation, labelled for the recruiter",
    async () => {
      expect(await (await t.api(ken, "GET", "/v1/days-off")).json()).toEqual({
        // The admin who connected Google spoke Japanese: the organisation's language is theirs.
        organisation: { japaneseHolidays: null, closures: [], locale: "ja" },
        own: [],
      });
      const answer = await availability();
      expect(answer.japaneseHolidays).toBe(true);
      expect(slotDates(answer).has("2027-01-11")).toBe(false);
      expect(slotDates(answer).has("2027-01-12")).toBe(true);
      expect(answer.people[0]?.daysOff).toEqual([
        {
          date: "2027-01-11",
          reason: "holiday",
          name: "成人の日",
          nameEn: "Coming of Age Day",
          label: "祝日：成人の日",
        },
      ]);
    },
  );

  it("lets an admin add closures and turn the holiday rule off; nobody else", async () => {
    const setting = {
      japaneseHolidays: false,
      closures: [{ start: "2027-01-05", end: "2027-01-06", name: "創立記念日" }],
    };
    const refused = await t.api(ken, "PUT", "/v1/days-off", setting);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "admin_required" } });
    const set = await t.api(admin, "PUT", "/v1/days-off", setting);
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ organisation: { ...setting, locale: "ja" } });

    const answer = await availability();
    expect(answer.japaneseHolidays).toBe(false);
    const dates = slotDates(answer);
    expect(dates.has("2027-01-05")).toBe(false);
    expect(dates.has("2027-01-06")).toBe(false);
    expect(dates.has("2027-01-11")).toBe(true);
    expect(answer.people[0]?.daysOff.map((day) => [day.date, day.label])).toEqual([
      ["2027-01-05", "休業：創立記念日"],
      ["2027-01-06", "休業：創立記念日"],
    ]);
  });

  it("lets each person add their own days off", async () => {
    const set = await t.api(ken, "PUT", "/v1/days-off/me", { daysOff: [{ start: "2027-01-13", end: "2027-01-13" }] });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ own: [{ start: "2027-01-13", end: "2027-01-13", name: "" }] });
    const answer = await availability();
    expect(slotDates(answer).has("2027-01-13")).toBe(false);
    expect(answer.people[0]?.daysOff).toContainEqual({
      date: "2027-01-13",
      reason: "personal",
      name: "",
      label: "休暇",
    });
  });

  it("refuses malformed days off with 400 invalid_body", async () => {
    const bodies = [
      { japaneseHolidays: true, closures: [{ start: "2027-02-30", end: "2027-03-01", name: "x" }] },
      { japaneseHolidays: true, closures: [{ start: "2027-03-02", end: "2027-03-01", name: "x" }] },
      { japaneseHolidays: "yes", closures: [] },
      { closures: [] },
    ];
    for (const body of bodies) {
      const response = await t.api(admin, "PUT", "/v1/days-off", body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_body" } });
    }
    const own = await t.api(ken, "PUT", "/v1/days-off/me", { daysOff: [{ start: "tomorrow", end: "2027-01-13" }] });
    expect(own.status).toBe(400);
  });
});
