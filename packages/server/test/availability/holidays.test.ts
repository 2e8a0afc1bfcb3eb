/**
 * Issue 16, item 4: Japan's national holidays come from the holiday data
 * package, cover the years ahead, and every holiday of the Cabinet Office's
 * list for the current year is excluded from availability.
 */
import { describe, expect, it } from "vitest";
import { holidayYears, japaneseHolidays } from "../../src/availability/days-off.ts";
import { computeAvailability } from "../../src/availability/slots.ts";
import { formatInZone } from "../../src/availability/zone.ts";

/**
 * 内閣府「国民の祝日について」(https://www8.cao.go.jp/chosei/shukujitsu/gaiyou.html), typed here
 * from the Cabinet Office's published lists to check the package against; the server itself reads only the package.
 */
const cabinetOfficeList: Record<number, string[]> = {
  2026: [
    "01-01",
    "01-12",
    "02-11",
    "02-23",
    "03-20",
    "04-29",
    "05-03",
    "05-04",
    "05-05",
    "05-06",
    "07-20",
    "08-11",
    "09-21",
    "09-22",
    "09-23",
    "10-12",
    "11-03",
    "11-23",
  ],
  2027: [
    "01-01",
    "01-11",
    "02-11",
    "02-23",
    "03-21",
    "03-22",
    "04-29",
    "05-03",
    "05-04",
    "05-05",
    "07-19",
    "08-11",
    "09-20",
    "09-23",
    "10-11",
    "11-03",
    "11-23",
  ],
};

const year = new Date().getUTCFullYear();

describe("Japanese national holidays", () => {
  it("come from a package that covers this year and the next ones", () => {
    expect(holidayYears.first).toBeLessThanOrEqual(year);
    expect(holidayYears.last).toBeGreaterThanOrEqual(year + 10);
    expect(japaneseHolidays(`${holidayYears.last}-01-01`, `${holidayYears.last}-12-31`).length).toBeGreaterThan(10);
  });

  it("are exactly the Cabinet Office's list for the current year, substitute and citizens' holidays included", () => {
    const listed = cabinetOfficeList[year];
    expect(listed, `add the Cabinet Office's list for ${year} to this test`).toBeDefined();
    expect(japaneseHolidays(`${year}-01-01`, `${year}-12-31`).map((day) => day.date)).toEqual(
      listed!.map((date) => `${year}-${date}`),
    );
  });

  it("leave no slot on any of them for the whole of the current year, and slots on every other day", () => {
    const holidays = japaneseHolidays(`${year}-01-01`, `${year}-12-31`);
    const start = Date.parse(`${year}-01-01T00:00:00+09:00`);
    const end = Date.parse(`${year + 1}-01-01T00:00:00+09:00`);
    const { slots } = computeAvailability(
      {
        start,
        end,
        durationMinutes: 60,
        stepMinutes: 60,
        bufferBeforeMinutes: 0,
        bufferAfterMinutes: 0,
        timeZone: "Asia/Tokyo",
      },
      [
        {
          id: "tokyo",
          timeZone: "Asia/Tokyo",
          workingHours: { days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], start: "09:00", end: "18:00" },
          busy: [],
          confirmed: true,
          daysOff: new Set(holidays.map((day) => day.date)),
        },
      ],
    );
    const datesWithSlots = new Set(slots.map((slot) => formatInZone(slot.start, "Asia/Tokyo").slice(0, 10)));
    for (const holiday of holidays)
      expect(datesWithSlots.has(holiday.date), `${holiday.date} ${holiday.name}`).toBe(false);
    const daysInYear = Math.round((end - start) / 86_400_000);
    expect(datesWithSlots.size).toBe(daysInYear - holidays.length);
  });

  it("label each holiday the way a recruiter sees it next to a slot", () => {
    expect(japaneseHolidays(`2026-11-23`, `2026-11-23`)).toEqual([
      {
        date: "2026-11-23",
        reason: "holiday",
        name: "勤労感謝の日",
        nameEn: "Labor Thanksgiving Day",
        label: "祝日：勤労感謝の日",
      },
    ]);
    expect(japaneseHolidays(`2026-09-22`, `2026-09-22`)[0]).toMatchObject({
      name: "休日",
      nameEn: "Citizen's Holiday",
    });
  });
});
