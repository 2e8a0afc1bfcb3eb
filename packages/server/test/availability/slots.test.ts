/**
 * The slot computation on named days: DST changes in New York and London,
 * Tokyo's midnight, back-to-back meetings, buffers and unreadable calendars.
 * The property tests (./slots.property.test.ts) cover the rest.
 */
import { describe, expect, it } from "vitest";
import { computeAvailability, type PersonSchedule, type SlotQuestion } from "../../src/availability/slots.ts";
import { workingIntervals } from "../../src/availability/working-hours.ts";
import { formatInZone } from "../../src/availability/zone.ts";

const at = (iso: string) => Date.parse(iso);
const everyDay = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

function question(overrides: Partial<SlotQuestion> & Pick<SlotQuestion, "start" | "end">): SlotQuestion {
  return {
    durationMinutes: 60,
    stepMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    timeZone: "UTC",
    ...overrides,
  };
}

function person(overrides: Partial<PersonSchedule> = {}): PersonSchedule {
  return { id: "p", timeZone: "UTC", workingHours: null, busy: [], confirmed: true, ...overrides };
}

const starts = (zone: string, q: SlotQuestion, people: PersonSchedule[]) =>
  computeAvailability(q, people).slots.map((slot) => formatInZone(slot.start, zone));

describe("working hours across DST changes", () => {
  it("New York's 00:00–04:00 on the spring-forward day is three hours long", () => {
    const hours = workingIntervals(
      { days: [...everyDay], start: "00:00", end: "04:00" },
      "America/New_York",
      at("2026-03-08T00:00:00Z"),
      at("2026-03-09T00:00:00Z"),
    );
    expect(hours).toEqual([{ start: at("2026-03-08T05:00:00Z"), end: at("2026-03-08T08:00:00Z") }]);
  });

  it("New York's 00:00–04:00 on the fall-back day is five hours long, 01:00 coming twice", () => {
    const q = question({
      start: at("2026-11-01T00:00:00Z"),
      end: at("2026-11-02T00:00:00Z"),
      timeZone: "America/New_York",
    });
    const people = [
      person({ timeZone: "America/New_York", workingHours: { days: ["sun"], start: "00:00", end: "04:00" } }),
    ];
    expect(starts("America/New_York", q, people)).toEqual([
      "2026-11-01T00:00:00-04:00",
      "2026-11-01T01:00:00-04:00",
      "2026-11-01T01:00:00-05:00",
      "2026-11-01T02:00:00-05:00",
      "2026-11-01T03:00:00-05:00",
    ]);
  });

  it("London's 09:00–11:00 is 08:00–10:00 UTC from the day the clocks go forward", () => {
    const q = question({ start: at("2026-03-27T00:00:00Z"), end: at("2026-03-31T00:00:00Z") });
    const people = [
      person({ timeZone: "Europe/London", workingHours: { days: [...everyDay], start: "09:00", end: "11:00" } }),
    ];
    expect(starts("UTC", q, people)).toEqual([
      "2026-03-27T09:00:00Z",
      "2026-03-27T10:00:00Z",
      "2026-03-28T09:00:00Z",
      "2026-03-28T10:00:00Z",
      "2026-03-29T08:00:00Z",
      "2026-03-29T09:00:00Z",
      "2026-03-30T08:00:00Z",
      "2026-03-30T09:00:00Z",
    ]);
  });

  it("Tokyo's Monday starts on Sunday in UTC, and a New Yorker's Friday afternoon is a Tokyo Saturday morning", () => {
    const q = question({ start: at("2026-06-05T00:00:00Z"), end: at("2026-06-09T00:00:00Z"), timeZone: "Asia/Tokyo" });
    const tokyo = person({
      id: "tokyo",
      timeZone: "Asia/Tokyo",
      workingHours: { days: ["mon"], start: "09:00", end: "11:00" },
    });
    expect(starts("Asia/Tokyo", q, [tokyo])).toEqual(["2026-06-08T09:00:00+09:00", "2026-06-08T10:00:00+09:00"]);
    const newYork = person({
      id: "ny",
      timeZone: "America/New_York",
      workingHours: { days: ["fri"], start: "16:00", end: "18:00" },
    });
    expect(starts("Asia/Tokyo", q, [newYork])).toEqual(["2026-06-06T05:00:00+09:00", "2026-06-06T06:00:00+09:00"]);
  });
});

describe("busy times", () => {
  const day = { start: at("2026-06-01T09:00:00Z"), end: at("2026-06-01T13:00:00Z") };

  it("offers the hour that starts when a meeting ends: back to back is not an overlap", () => {
    const busy = [{ start: at("2026-06-01T10:00:00Z"), end: at("2026-06-01T11:00:00Z") }];
    expect(starts("UTC", question(day), [person({ busy })])).toEqual([
      "2026-06-01T09:00:00Z",
      "2026-06-01T11:00:00Z",
      "2026-06-01T12:00:00Z",
    ]);
  });

  it("keeps the buffers free: 15 minutes before a slot, 15 after", () => {
    const busy = [{ start: at("2026-06-01T10:00:00Z"), end: at("2026-06-01T11:00:00Z") }];
    const q = question({ ...day, stepMinutes: 15, bufferBeforeMinutes: 15, bufferAfterMinutes: 15 });
    expect(starts("UTC", q, [person({ busy })])).toEqual([
      "2026-06-01T11:15:00Z",
      "2026-06-01T11:30:00Z",
      "2026-06-01T11:45:00Z",
      "2026-06-01T12:00:00Z",
    ]);
  });

  it("joins everyone's busy time, and names the people whose calendars could not be read on every slot", () => {
    const first = person({ id: "a", busy: [{ start: at("2026-06-01T09:00:00Z"), end: at("2026-06-01T10:00:00Z") }] });
    const second = person({
      id: "b",
      confirmed: false,
      busy: [{ start: at("2026-06-01T11:00:00Z"), end: at("2026-06-01T12:00:00Z") }],
    });
    const { slots, busy } = computeAvailability(question(day), [first, second]);
    expect(slots).toEqual([
      { start: at("2026-06-01T10:00:00Z"), end: at("2026-06-01T11:00:00Z"), unconfirmedFor: ["b"] },
      { start: at("2026-06-01T12:00:00Z"), end: at("2026-06-01T13:00:00Z"), unconfirmedFor: ["b"] },
    ]);
    expect(busy.get("b")).toEqual([{ start: at("2026-06-01T11:00:00Z"), end: at("2026-06-01T12:00:00Z") }]);
  });
});
