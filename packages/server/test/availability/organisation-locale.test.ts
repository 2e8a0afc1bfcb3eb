/**
 * Issue 16: Japan's holidays are days off by default "for organisations whose
 * locale is Japanese", whatever language the recruiter asking speaks. The
 * organisation's language is what an admin set through PUT /v1/days-off, or
 * else the locale of the first admin token seen; an admin's explicit holiday
 * rule wins over both.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, createTestApp, originA, type TestApp } from "../support/test-app.ts";

// Monday 4 January to Monday 18 January 2027, Tokyo: 成人の日 is Monday 11 January.
const range = { start: "2027-01-04T00:00:00+09:00", end: "2027-01-18T00:00:00+09:00" };
const holiday = "2027-01-11";
let t: TestApp;

interface Answer {
  japaneseHolidays: boolean;
  slots: Array<{ start: string }>;
}

/** The people of one organisation: its first admin speaks `adminLocale`; Emily, a recruiter, English; Ken Japanese. */
function organisation(org: string, adminLocale: "ja" | "en") {
  return {
    admin: { sub: "u-admin", org, role: "admin", locale: adminLocale } satisfies Caller,
    emily: { sub: "u-emily", org, role: "recruiter", locale: "en" } satisfies Caller,
    ken: { sub: "u-ken", org, role: "recruiter", locale: "ja" } satisfies Caller,
  };
}

async function availability(caller: Caller): Promise<Answer> {
  const response = await t.api(caller, "POST", "/v1/availability", {
    participants: [caller.sub],
    ...range,
    durationMinutes: 60,
    timeZone: "Asia/Tokyo",
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Answer;
}

const holidayHasSlots = (answer: Answer) => answer.slots.some((slot) => slot.start.startsWith(holiday));

async function daysOff(caller: Caller) {
  const response = await t.api(caller, "GET", "/v1/days-off");
  expect(response.status).toBe(200);
  return ((await response.json()) as { organisation: Record<string, unknown> }).organisation;
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("the organisation's language", () => {
  it("is the first admin token's, and decides the holidays for an English-speaking recruiter", async () => {
    const { admin, emily } = organisation("locale-ja", "ja");
    expect(await daysOff(admin)).toEqual({ japaneseHolidays: null, closures: [], locale: "ja" });
    const answer = await availability(emily);
    expect(answer.japaneseHolidays).toBe(true);
    expect(holidayHasSlots(answer)).toBe(false);
    expect(answer.slots.some((slot) => slot.start.startsWith("2027-01-12"))).toBe(true);
  });

  it("keeps the first admin's language when a later admin's token speaks another", async () => {
    const { emily } = organisation("locale-ja", "ja");
    const otherAdmin: Caller = { sub: "u-admin-2", org: "locale-ja", role: "admin", locale: "en" };
    expect(await daysOff(otherAdmin)).toMatchObject({ locale: "ja" });
    expect((await availability(emily)).japaneseHolidays).toBe(true);
  });

  it("leaves holidays as working days in an English organisation, even for a Japanese-speaking recruiter", async () => {
    const { admin, ken } = organisation("locale-en", "en");
    expect(await daysOff(admin)).toMatchObject({ locale: "en", japaneseHolidays: null });
    const answer = await availability(ken);
    expect(answer.japaneseHolidays).toBe(false);
    expect(holidayHasSlots(answer)).toBe(true);
  });

  it("gives way to the holiday rule an admin turns on or off", async () => {
    const english = organisation("locale-en", "en");
    const on = await t.api(english.admin, "PUT", "/v1/days-off", { japaneseHolidays: true, closures: [] });
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({ organisation: { japaneseHolidays: true, closures: [], locale: "en" } });
    expect(holidayHasSlots(await availability(english.ken))).toBe(false);
    expect((await availability(english.emily)).japaneseHolidays).toBe(true);

    const japanese = organisation("locale-ja", "ja");
    const off = await t.api(japanese.admin, "PUT", "/v1/days-off", { japaneseHolidays: false, closures: [] });
    expect(off.status).toBe(200);
    const answer = await availability(japanese.emily);
    expect(answer.japaneseHolidays).toBe(false);
    expect(holidayHasSlots(answer)).toBe(true);
  });

  it("is set by an admin through PUT /v1/days-off, and an absent locale keeps the stored one", async () => {
    const { admin, emily } = organisation("locale-set", "en");
    const set = await t.api(admin, "PUT", "/v1/days-off", { japaneseHolidays: null, closures: [], locale: "ja" });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ organisation: { japaneseHolidays: null, closures: [], locale: "ja" } });
    expect(holidayHasSlots(await availability(emily))).toBe(false);

    const kept = await t.api(admin, "PUT", "/v1/days-off", { japaneseHolidays: null, closures: [] });
    expect(await kept.json()).toMatchObject({ organisation: { locale: "ja" } });
    const back = await t.api(admin, "PUT", "/v1/days-off", { japaneseHolidays: null, closures: [], locale: "en" });
    expect(await back.json()).toMatchObject({ organisation: { locale: "en" } });
    expect(holidayHasSlots(await availability(emily))).toBe(true);
  });

  it("follows the asking person's language while no admin has given the organisation one", async () => {
    const org = "locale-unknown";
    const noLocale = async (caller: Caller, method: string, path: string, body?: unknown) =>
      t.app.request(path, {
        method,
        headers: {
          Authorization: `Bearer ${await t.token(caller, { locale: undefined })}`,
          Origin: originA,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const admin: Caller = { sub: "u-admin", org, role: "admin" };
    expect(
      ((await (await noLocale(admin, "GET", "/v1/days-off")).json()) as { organisation: object }).organisation,
    ).toMatchObject({ locale: null });
    expect((await availability({ sub: "u-emily", org, role: "recruiter", locale: "en" })).japaneseHolidays).toBe(false);
    expect((await availability({ sub: "u-ken", org, role: "recruiter", locale: "ja" })).japaneseHolidays).toBe(true);
  });

  it("is refused from a recruiter (403) and when it is not ja or en (400 invalid_body)", async () => {
    const { admin, ken } = organisation("locale-refused", "ja");
    const refused = await t.api(ken, "PUT", "/v1/days-off", { japaneseHolidays: null, closures: [], locale: "en" });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "admin_required" } });
    for (const locale of ["fr", "", null, 1]) {
      const response = await t.api(admin, "PUT", "/v1/days-off", { japaneseHolidays: null, closures: [], locale });
      expect(response.status, JSON.stringify(locale)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_body", details: { field: "locale" } } });
    }
    expect(await daysOff(admin)).toMatchObject({ locale: "ja" });
  });
});
