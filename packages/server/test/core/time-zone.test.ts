import { describe, expect, it } from "vitest";
import { canonicalTimeZone } from "../../src/time-zone.ts";

describe("canonicalTimeZone", () => {
  it("answers every zone the runtime lists as it is: the lookup that skips Intl gives Intl's own answer", () => {
    for (const zone of Intl.supportedValuesOf("timeZone")) {
      expect(canonicalTimeZone(zone)).toBe(
        new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone,
      );
    }
  });

  it("spells a zone written in any letter case as Intl does, the same each time it is asked", () => {
    for (const zone of ["asia/tokyo", "ASIA/TOKYO", "aSiA/tOkYo"]) {
      expect(canonicalTimeZone(zone)).toBe("Asia/Tokyo");
      expect(canonicalTimeZone(zone)).toBe("Asia/Tokyo");
    }
    expect(canonicalTimeZone("america/port-au-prince")).toBe("America/Port-au-Prince");
    expect(canonicalTimeZone("ANTARCTICA/DUMONTDURVILLE")).toBe("Antarctica/DumontDUrville");
    expect(canonicalTimeZone("utc")).toBe("UTC");
  });

  it("keeps an alias as the caller named it, rather than Intl's name for the zone", () => {
    for (const zone of ["Asia/Kolkata", "US/Pacific", "Etc/UTC", "Japan"]) expect(canonicalTimeZone(zone)).toBe(zone);
  });

  it("refuses what Intl refuses, and a name longer than any zone's", () => {
    for (const zone of ["", "Asia/Atlantis", "asia/atlantis", "Asia/Tokyo\u0000", `Asia/${"x".repeat(100)}`])
      expect(canonicalTimeZone(zone)).toBeUndefined();
  });
});
