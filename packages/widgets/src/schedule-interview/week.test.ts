import { expect } from "@open-wc/testing";
import type { AvailabilityAnswer } from "@tsunagu/contract";
import { gridKey } from "./grid-keys.ts";
import { addDays, buildWeek, dateIn, daysBetween, instantAt, minutesIn, minutesOf, timeOf } from "./week.ts";

const key = (name: string, init: KeyboardEventInit = {}) => new KeyboardEvent("keydown", { key: name, ...init });

describe("the week model", () => {
  it("finds the instant a zone's clock shows, across offsets and a daylight-saving change", () => {
    expect(new Date(instantAt("2027-01-12", 9 * 60, "Asia/Tokyo")).toISOString()).to.equal("2027-01-12T00:00:00.000Z");
    expect(new Date(instantAt("2027-03-13", 10 * 60, "America/New_York")).toISOString()).to.equal(
      "2027-03-13T15:00:00.000Z",
    );
    // The day after clocks went forward, 10:00 is an hour earlier in UTC.
    expect(new Date(instantAt("2027-03-15", 10 * 60, "America/New_York")).toISOString()).to.equal(
      "2027-03-15T14:00:00.000Z",
    );
    expect(dateIn(Date.parse("2027-01-11T15:30:00Z"), "Asia/Tokyo")).to.equal("2027-01-12");
    expect(minutesIn(Date.parse("2027-01-11T15:30:00Z"), "Asia/Tokyo")).to.equal(30);
  });

  it("counts days and reads clock times", () => {
    expect(addDays("2027-12-30", 3)).to.equal("2028-01-02");
    expect(daysBetween("2027-01-11", "2027-03-13")).to.equal(61);
    expect(minutesOf("09:30")).to.equal(570);
    expect(minutesOf("24:00")).to.equal(1440);
    expect(Number.isNaN(minutesOf("9"))).to.equal(true);
    expect(timeOf(570)).to.equal("09:30");
  });

  it("makes a row every 30 minutes that leaves room for the interview before the hours end", () => {
    const answer: AvailabilityAnswer = {
      timeZone: "Asia/Tokyo",
      japaneseHolidays: true,
      slots: [{ start: "2027-01-12T09:00:00+09:00", end: "2027-01-12T10:00:00+09:00", unconfirmedFor: ["u_aiko"] }],
      people: [
        {
          id: "u_ken",
          status: "ok",
          timeZone: "Asia/Tokyo",
          workingHours: { days: ["mon"], start: "09:00", end: "18:00" },
          calendars: [],
          busy: [{ start: "2027-01-12T10:15:00+09:00", end: "2027-01-12T10:45:00+09:00" }],
          daysOff: [],
        },
      ],
    };
    const week = buildWeek({
      answer,
      people: ["u_ken", "u_aiko"],
      days: ["2027-01-12"],
      hoursStart: "09:00",
      hoursEnd: "11:00",
      durationMinutes: 60,
      timeZone: "Asia/Tokyo",
    });
    expect(week.rows).to.deep.equal([540, 570, 600]);
    const [nine, half, ten] = week.cells.map((row) => row[0]);
    expect(nine).to.deep.include({ free: true, unconfirmed: ["u_aiko"], busy: [], busyInRow: [] });
    // Half past nine to half past ten runs into the busy block, though not within its own half hour.
    expect(half).to.deep.include({ free: false, busy: ["u_ken"], busyInRow: [] });
    expect(ten).to.deep.include({ free: false, busy: ["u_ken"], busyInRow: ["u_ken"] });
  });
});

describe("the grid's keys", () => {
  const at = { row: 1, column: 1 };

  it("moves one cell with the arrows, and stops at the edges", () => {
    expect(gridKey(key("ArrowUp"), at, 3, 3)).to.deep.equal({ row: 0, column: 1 });
    expect(gridKey(key("ArrowDown"), at, 3, 3)).to.deep.equal({ row: 2, column: 1 });
    expect(gridKey(key("ArrowLeft"), at, 3, 3)).to.deep.equal({ row: 1, column: 0 });
    expect(gridKey(key("ArrowRight"), { row: 1, column: 2 }, 3, 3)).to.deep.equal({ row: 1, column: 2 });
  });

  it("goes to the row's ends with Home and End, the grid's with Ctrl, and chooses with Enter and Space", () => {
    expect(gridKey(key("Home"), at, 3, 7)).to.deep.equal({ row: 1, column: 0 });
    expect(gridKey(key("End"), at, 3, 7)).to.deep.equal({ row: 1, column: 6 });
    expect(gridKey(key("Home", { ctrlKey: true }), at, 3, 7)).to.deep.equal({ row: 0, column: 0 });
    expect(gridKey(key("End", { ctrlKey: true }), at, 3, 7)).to.deep.equal({ row: 2, column: 6 });
    expect(gridKey(key("Enter"), at, 3, 7)).to.equal("choose");
    expect(gridKey(key(" "), at, 3, 7)).to.equal("choose");
    expect(gridKey(key("a"), at, 3, 7)).to.equal(undefined);
    expect(gridKey(key("ArrowUp", { altKey: true }), at, 3, 7)).to.equal(undefined);
  });
});
