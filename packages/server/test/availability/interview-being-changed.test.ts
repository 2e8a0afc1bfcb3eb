/**
 * The pure part of leaving out the event of the interview being changed
 * (src/availability/interview-being-changed.ts): free/busy has no event ids,
 * so the interview's interval is taken out of exactly the calendars that hold
 * its event, and the organisation's other interviews there are put back.
 */
import { describe, expect, it } from "vitest";
import type { CalendarReading } from "../../src/availability/busy-times.ts";
import { type EventOnCalendars, withoutEvent } from "../../src/availability/interview-being-changed.ts";

const hour = 3_600_000;
const own: EventOnCalendars = {
  start: 10 * hour,
  end: 11 * hour,
  accountId: "acc_organiser",
  attendeeEmails: new Set(["aiko@sakura.example"]),
};
const read = (accountId: string, email: string | null, busy: Array<[number, number]>): CalendarReading => ({
  accountId,
  provider: "google",
  email,
  status: "read",
  busy: busy.map(([start, end]) => ({ start: start * hour, end: end * hour })),
});
const busyOf = (readings: Map<string, CalendarReading[]>, person: string) =>
  (readings.get(person) ?? []).map((reading) =>
    reading.status === "read" ? reading.busy.map((block) => [block.start / hour, block.end / hour]) : reading.reason,
  );

describe("leaving out the event of the interview being changed", () => {
  it("takes its interval out of the organiser's account and the invited addresses' calendars, and nowhere else", () => {
    const readings = new Map([
      ["organiser", [read("acc_organiser", "rec@sakura.example", [[9.5, 11.5]]), read("acc_other", null, [[10, 11]])]],
      [
        "aiko",
        [
          read("acc_aiko", "Aiko@Sakura.example", [
            [10, 11],
            [12, 13],
          ]),
        ],
      ],
      ["ken", [read("acc_ken", "ken@sakura.example", [[10, 11]])]],
    ]);
    const out = withoutEvent(readings, { own, others: [] });
    // Around the interview, the organiser's own busy time stays; their other account does not hold the event.
    expect(busyOf(out, "organiser")).toEqual([
      [
        [9.5, 10],
        [11, 11.5],
      ],
      [[10, 11]],
    ]);
    expect(busyOf(out, "aiko")).toEqual([[[12, 13]]]);
    // Ken was not invited: his busy time at that hour is his own.
    expect(busyOf(out, "ken")).toEqual([[[10, 11]]]);
  });

  it("puts back another interview on the same calendar within that interval; unread calendars stay as they are", () => {
    const other: EventOnCalendars = {
      start: 10.5 * hour,
      end: 12 * hour,
      accountId: "acc_elsewhere",
      attendeeEmails: new Set(["aiko@sakura.example"]),
    };
    const unreadable: CalendarReading = {
      accountId: "acc_organiser",
      provider: "microsoft",
      email: null,
      status: "unreadable",
      reason: "needs_reauth",
      detail: "refused",
    };
    const readings = new Map([["aiko", [read("acc_aiko", "aiko@sakura.example", [[10, 12]]), unreadable]]]);
    expect(busyOf(withoutEvent(readings, { own, others: [other] }), "aiko")).toEqual([[[10.5, 12]], "needs_reauth"]);
  });
});
