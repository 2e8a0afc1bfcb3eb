/** Graph's dateTimeTimeZone pairs: wall-clock time with no offset, read in the named zone. */
import { describe, expect, it } from "vitest";
import { ProviderResponseError } from "../../src/providers/errors.ts";
import { fromGraphDateTime, toGraphDateTime } from "../../src/providers/microsoft/time.ts";

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
});
