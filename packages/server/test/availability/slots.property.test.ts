/**
 * Issue 11, item 9: the slot computation against the minute-grid brute force
 * (./brute-force.ts), over random people, busy times, buffers, working hours
 * and viewer zones, with ranges placed on the DST changes of New York,
 * London and Lord Howe Island (a 30-minute change) as well as Tokyo and
 * Kolkata (no DST, a half-hour offset), and days off (issue 16: holidays,
 * closures, a person's own days) on their own calendars. Any mismatch fails with the
 * smallest case fast-check can shrink it to.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeAvailability, type PersonSchedule, type SlotQuestion } from "../../src/availability/slots.ts";
import { weekdays, type WorkingHours } from "../../src/availability/working-hours.ts";
import { bruteForceSlots } from "./brute-force.ts";

const minute = 60_000;
const zones = ["America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"];

/** Instants of offset changes in 2026, and two plain days. */
const anchors = [
  "2026-03-08T07:00:00Z", // New York springs forward (02:00 → 03:00)
  "2026-11-01T06:00:00Z", // New York falls back (02:00 → 01:00)
  "2026-03-29T01:00:00Z", // London springs forward (01:00 → 02:00)
  "2026-10-25T01:00:00Z", // London falls back (02:00 → 01:00)
  "2026-04-04T15:00:00Z", // Lord Howe falls back 30 minutes
  "2026-10-03T15:30:00Z", // Lord Howe springs forward 30 minutes
  "2026-06-15T00:00:00Z",
  "2026-12-31T15:00:00Z", // midnight of New Year in Tokyo
].map((iso) => Date.parse(iso));

/** Quarter-hour marks, often in the small hours where DST changes happen. */
const clockMinutes = fc.oneof(
  fc.integer({ min: 0, max: 16 }).map((q) => q * 15),
  fc.integer({ min: 0, max: 95 }).map((q) => q * 15),
);
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const workingHoursArb: fc.Arbitrary<WorkingHours> = fc
  .record({
    days: fc.subarray([...weekdays], { minLength: 1 }),
    a: clockMinutes,
    b: fc.integer({ min: 15, max: 24 * 60 }),
  })
  .map(({ days, a, b }) => {
    const start = Math.min(a, 24 * 60 - 15);
    const end = Math.min(24 * 60, start + Math.ceil(b / 15) * 15);
    return { days, start: hhmm(start), end: hhmm(end) };
  });

interface Case {
  question: SlotQuestion;
  people: PersonSchedule[];
}

function caseArb(options: {
  maxPeople: number;
  maxBusyPerPerson: number;
  maxRangeMinutes: number;
}): fc.Arbitrary<Case> {
  return fc
    .record({
      anchor: fc.constantFrom(...anchors),
      startShift: fc.integer({ min: -36 * 60, max: 36 * 60 }),
      rangeMinutes: fc.integer({ min: 30, max: options.maxRangeMinutes }),
      durationMinutes: fc.oneof(fc.constantFrom(15, 30, 45, 60, 90), fc.integer({ min: 1, max: 180 })),
      stepMinutes: fc.constantFrom(5, 10, 15, 20, 30, 45, 60, 7, 90),
      bufferBeforeMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })),
      bufferAfterMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 60 })),
      timeZone: fc.constantFrom(...zones),
      window: fc.option(workingHoursArb, { freq: 4 }),
      people: fc.array(
        fc.record({
          timeZone: fc.constantFrom(...zones),
          workingHours: fc.option(workingHoursArb, { freq: 5 }),
          confirmed: fc.oneof(fc.constant(true), fc.boolean()),
          // Days off (holidays, closures, their own) near the anchor, as dates of their own calendar.
          daysOff: fc.array(fc.integer({ min: -3, max: 6 }), { maxLength: 3 }),
          busy: fc.array(
            fc.record({
              at: fc.integer({ min: -6 * 60, max: 6 * 60 }),
              fraction: fc.double({ min: 0, max: 1, noNaN: true }),
              length: fc.integer({ min: 1, max: 240 }),
            }),
            {
              maxLength: options.maxBusyPerPerson,
            },
          ),
        }),
        { minLength: 1, maxLength: options.maxPeople },
      ),
    })
    .map((drawn) => {
      const start = drawn.anchor + drawn.startShift * minute;
      const end = start + drawn.rangeMinutes * minute;
      const people: PersonSchedule[] = drawn.people.map((person, index) => ({
        id: `p${index}`,
        timeZone: person.timeZone,
        workingHours: person.workingHours,
        confirmed: person.confirmed,
        daysOff: new Set(
          person.daysOff.map((offset) => new Date(drawn.anchor + offset * 86_400_000).toISOString().slice(0, 10)),
        ),
        // Busy times anywhere in the range, or up to six hours either side of it (buffers reach out).
        busy: person.busy.map(({ at, fraction, length }) => {
          const busyStart = start + at * minute + Math.floor(fraction * drawn.rangeMinutes) * minute;
          return { start: busyStart, end: busyStart + length * minute };
        }),
      }));
      const question: SlotQuestion = {
        start,
        end,
        durationMinutes: drawn.durationMinutes,
        stepMinutes: drawn.stepMinutes,
        bufferBeforeMinutes: drawn.bufferBeforeMinutes,
        bufferAfterMinutes: drawn.bufferAfterMinutes,
        timeZone: drawn.timeZone,
        window: drawn.window ?? undefined,
      };
      return { question, people };
    });
}

function agrees({ question, people }: Case): void {
  const fast = computeAvailability(question, people).slots;
  const slow = bruteForceSlots(question, people);
  expect(fast).toEqual(slow);
}

describe("the slot computation agrees with a minute-by-minute brute force", () => {
  // Bounded waits, not timings: the machine running the suite may be busy with other work.
  it("for 1 to 8 people over up to two days around DST changes (2,000 cases)", { timeout: 180_000 }, () => {
    fc.assert(fc.property(caseArb({ maxPeople: 8, maxBusyPerPerson: 25, maxRangeMinutes: 2 * 24 * 60 }), agrees), {
      numRuns: 2000,
    });
  });

  it("for up to 50 people with up to 5,000 busy intervals between them (100 cases)", { timeout: 180_000 }, () => {
    fc.assert(fc.property(caseArb({ maxPeople: 50, maxBusyPerPerson: 100, maxRangeMinutes: 5 * 24 * 60 }), agrees), {
      numRuns: 100,
    });
  });
});
