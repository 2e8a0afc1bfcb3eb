/**
 * formatInZone puts instants on a whole minute together from remembered
 * pieces (date, clock time, offset): it must write exactly what the ISO
 * string of the wall clock plus the offset says, in every zone shape (whole,
 * half and quarter hours, negative, UTC, across DST changes) and for
 * instants off the minute.
 */
import { describe, expect, it } from "vitest";
import { formatInZone, offsetAt } from "../../src/availability/zone.ts";

function byIsoString(instant: number, zone: string): string {
  const offset = offsetAt(zone, instant);
  const wall = new Date(instant + offset).toISOString().slice(0, 19);
  if (offset === 0) return `${wall}Z`;
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  return `${wall}${offset < 0 ? "-" : "+"}${hhmm}`;
}

const zones = ["Asia/Tokyo", "UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe"];

describe("formatInZone", () => {
  it.each(zones)("writes %s's wall clock and offset as the ISO string does, minute by minute and off it", (zone) => {
    // A year in steps of 7 h 13 min (every minute of the day comes round), then instants with seconds and milliseconds.
    const start = Date.UTC(2026, 0, 1);
    for (let instant = start; instant < start + 366 * 86_400_000; instant += 433 * 60_000)
      expect(formatInZone(instant, zone)).toBe(byIsoString(instant, zone));
    for (const instant of [start + 1, start + 59_999, start + 90_500, Date.UTC(2026, 2, 8, 7, 0, 30)])
      expect(formatInZone(instant, zone)).toBe(byIsoString(instant, zone));
  });

  it("writes the instants either side of a DST change with their own offsets", () => {
    const change = Date.UTC(2026, 2, 8, 7); // New York springs forward at 02:00 local (07:00 UTC).
    expect(formatInZone(change - 60_000, "America/New_York")).toBe("2026-03-08T01:59:00-05:00");
    expect(formatInZone(change, "America/New_York")).toBe("2026-03-08T03:00:00-04:00");
    expect(formatInZone(Date.UTC(2026, 11, 7, 2), "Asia/Tokyo")).toBe("2026-12-07T11:00:00+09:00");
  });
});
