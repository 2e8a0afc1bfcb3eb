/** Graph's dateTimeTimeZone pairs: wall-clock time with no offset, read in the named zone. */
import { describe, expect, it } from "vitest";
import { ProviderResponseError } from "../../src/providers/errors.ts";
import { fromGraphDateTime, graphDateTimeMs, toGraphDateTime } from "../../src/providers/microsoft/time.ts";

describe("Graph dateTimeTimeZone", () => {
  it.each([
    ["2026-12-08T10:00:00.0000000", "Asia/Tokyo", "2026-12-08T01:00:00.000Z"],
    ["2026-12-08T01:00:00.0000000", "UTC", "2026-12-08T01:00:00.000Z"],
    ["2026-12-08T01:00:00.1234567", "UTC", "2026-12-08T01:00:00.123Z"],
    ["2026-03-08T01:30:00", "America/New_York", "2026-03-08T06:30:00.000Z"],
    ["2026-03-08T03:30:00", "America/New_York", "2026-03-08T07:30:00.000Z"],
    ["2026-11-01T12:00:00", "America/New_York", "2026-11-01T17:00:00.000Z"],
  ])("reads %s in %s as %s", (dateTime, timeZone, instant) => {
    expect(fromGraphDateTime({ dateTime, timeZone }).toISOString()).toBe(instant);
  });

  it("writes an instant as wall-clock time in the organiser's zone", () => {
    expect(toGraphDateTime(new Date("2026-12-08T01:00:00Z"), "Asia/Tokyo")).toEqual({
      dateTime: "2026-12-08T10:00:00",
      timeZone: "Asia/Tokyo",
    });
    expect(toGraphDateTime(new Date("2026-07-01T16:00:00Z"), "America/Los_Angeles")).toEqual({
      dateTime: "2026-07-01T09:00:00",
      timeZone: "America/Los_Angeles",
    });
    // getSchedule's windows go in UTC, to the second.
    expect(toGraphDateTime(new Date("2026-12-07T15:00:00.750Z"), "UTC")).toEqual({
      dateTime: "2026-12-07T15:00:00",
      timeZone: "UTC",
    });
  });

  it("refuses what it cannot read rather than guessing", () => {
    expect(() => fromGraphDateTime({ dateTime: "2026-12-08T10:00:00+09:00", timeZone: "UTC" })).toThrow(
      ProviderResponseError,
    );
    expect(() => fromGraphDateTime({ dateTime: "2026-12-08T10:00:00", timeZone: "Tokyo Standard Time" })).toThrow(
      ProviderResponseError,
    );
  });

  it("reads every wall clock the pattern it replaced reads, to the same instant, and refuses the rest", () => {
    // The reader before it: a pattern and Date.UTC over the matched digits; the hand reader must agree on every text.
    const pattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;
    const byPattern = (text: string): number | "refused" => {
      const match = pattern.exec(text);
      if (!match) return "refused";
      const millis = match[7] === undefined ? 0 : Math.floor(Number(`0.${match[7]}`) * 1000);
      const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      return Date.UTC(year, month - 1, day, hour, minute, match[6] === undefined ? 0 : Number(match[6]), millis);
    };
    const byHand = (text: string): number | "refused" => {
      try {
        return graphDateTimeMs(text, "UTC");
      } catch (error) {
        expect(error).toBeInstanceOf(ProviderResponseError);
        return "refused";
      }
    };
    const seeds = [
      "2026-12-08T10:00:00.0000000",
      "2026-12-08T10:00:00.1234567",
      "2026-02-28T23:59:59.999",
      "2024-02-29T00:00:00.5",
      "2026-13-32T25:61:61.05",
      "0050-01-01T00:00:00",
      "0100-03-01T00:00:00",
      "2100-02-29T12:00:00",
      "2000-02-29T12:00:00",
      "1969-12-31T23:59:59.9999999",
      "2026-04-31T00:00:00",
      "2026-00-15T00:00:00",
      "2026-12-08T10:00",
      "9999-12-31T23:59",
    ];
    // Each seed, and each with one character replaced by another that could confuse a reader, removed, or doubled.
    const replacements = ["0", "9", "-", "T", ":", ".", "Z", " ", "/", "a", "\u0663", "+"];
    const texts = new Set<string>(["", "2026-12-08T10:00:00.12345678", "2026-12-08T10:00:00.", "2026-12-08T10:00:"]);
    for (const seed of seeds) {
      texts.add(seed);
      for (let at = 0; at <= seed.length; at++) {
        for (const character of replacements) texts.add(seed.slice(0, at) + character + seed.slice(at + 1));
        texts.add(seed.slice(0, at) + seed.slice(at + 1));
        texts.add(seed.slice(0, at) + seed.slice(at, at + 1).repeat(2) + seed.slice(at + 1));
      }
    }
    let read = 0;
    for (const text of texts) {
      const expected = byPattern(text);
      if (expected !== "refused") read++;
      expect([text, byHand(text)]).toEqual([text, expected]);
    }
    // The generated texts hold both kinds in numbers: neither side of the comparison is empty.
    expect(read).toBeGreaterThan(100);
    expect(texts.size - read).toBeGreaterThan(500);
  });
});
