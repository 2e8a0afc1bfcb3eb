/**
 * The answer's times are formatted with remembered offsets (src/availability/zone.ts, `rememberedOffsetAt`) instead
 * of an Intl call each: they must be the runtime's own offsets at every instant, DST changes, half-hour changes and
 * odd historical offsets included.
 */
import { describe, expect, it } from "vitest";
import { formatInZone, offsetAt, rememberedOffsetAt } from "../../src/availability/zone.ts";

const hourMs = 3_600_000;

/** Instants every `stepMs` from `from` for `count` steps, plus each ± 1 ms (a change lands on one of them). */
function instants(from: string, stepMs: number, count: number): number[] {
  const start = Date.parse(from);
  return Array.from({ length: count }, (_, index) => start + index * stepMs).flatMap((at) => [at - 1, at, at + 1]);
}

describe("remembered zone offsets", () => {
  const cases: Array<[zone: string, from: string]> = [
    ["America/New_York", "2026-03-07T00:00:00Z"],
    ["America/New_York", "2026-10-31T00:00:00Z"],
    ["Australia/Lord_Howe", "2026-04-04T00:00:00Z"],
    ["Australia/Lord_Howe", "2026-10-03T00:00:00Z"],
    ["Europe/London", "2026-03-28T00:00:00Z"],
    ["Asia/Kathmandu", "1985-12-31T00:00:00Z"],
    ["Asia/Tokyo", "2026-11-30T00:00:00Z"],
    ["Africa/Monrovia", "1972-01-01T00:00:00Z"],
  ];

  it.each(cases)("in %s from %s agree with the runtime's every five minutes for two days", (zone, from) => {
    for (const at of instants(from, 300_000, 48 * 12)) expect(rememberedOffsetAt(zone, at)).toBe(offsetAt(zone, at));
  });

  it("agree at the exact instant of each change, whatever was asked before", () => {
    // New York springs forward at 2026-03-08 07:00 UTC, falls back at 2026-11-01 06:00 UTC.
    for (const change of [Date.parse("2026-03-08T07:00:00Z"), Date.parse("2026-11-01T06:00:00Z")]) {
      for (const at of [change + 1, change, change - 1, change + hourMs, change - hourMs])
        expect(rememberedOffsetAt("America/New_York", at)).toBe(offsetAt("America/New_York", at));
    }
  });

  it("format the answer's times with the zone's offset on both sides of a change", () => {
    expect(formatInZone(Date.parse("2026-03-08T06:59:00Z"), "America/New_York")).toBe("2026-03-08T01:59:00-05:00");
    expect(formatInZone(Date.parse("2026-03-08T07:00:00Z"), "America/New_York")).toBe("2026-03-08T03:00:00-04:00");
    expect(formatInZone(Date.parse("2026-11-30T00:00:00Z"), "Asia/Tokyo")).toBe("2026-11-30T09:00:00+09:00");
    expect(formatInZone(Date.parse("2026-11-30T00:00:00Z"), "UTC")).toBe("2026-11-30T00:00:00Z");
  });

  it("read the years 0000-0099 as those years, not as 1900-1999", () => {
    // Tokyo kept its local mean time, +09:18:59, until 1888; UTC is UTC in any year.
    const tokyoMeanTime = (9 * 3600 + 18 * 60 + 59) * 1000;
    for (const at of ["0000-01-01T10:00:00Z", "0050-03-01T20:00:00Z", "0099-12-31T23:00:00Z", "1800-06-01T00:00:00Z"])
      expect({ at, offset: offsetAt("Asia/Tokyo", Date.parse(at)) }).toEqual({ at, offset: tokyoMeanTime });
    expect(offsetAt("UTC", Date.parse("0050-03-01T20:00:00Z"))).toBe(0);
    expect(formatInZone(Date.parse("0050-01-04T00:00:00Z"), "UTC")).toBe("0050-01-04T00:00:00Z");
    expect(formatInZone(Date.parse("0050-01-04T00:00:00Z"), "Asia/Tokyo")).toBe("0050-01-04T09:18:59+09:19");
  });
});
