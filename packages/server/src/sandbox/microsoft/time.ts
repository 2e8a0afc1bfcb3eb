/**
 * Graph's dateTimeTimeZone as the fake reads and writes it: wall-clock
 * "2026-11-24T09:00:00.0000000" with no offset, in a zone named by Windows
 * name ("Tokyo Standard Time"), IANA name or UTC.
 * https://learn.microsoft.com/graph/api/resources/datetimetimezone
 */
import { offsetAt } from "../../providers/zone-offset.ts";

/** The Windows names a Japanese HR customer's Outlook is likely to send; others are refused like unknown names. */
const windowsZones: Record<string, string> = {
  "Tokyo Standard Time": "Asia/Tokyo",
  "Korea Standard Time": "Asia/Seoul",
  "China Standard Time": "Asia/Shanghai",
  "Singapore Standard Time": "Asia/Singapore",
  "India Standard Time": "Asia/Kolkata",
  "AUS Eastern Standard Time": "Australia/Sydney",
  "GMT Standard Time": "Europe/London",
  "W. Europe Standard Time": "Europe/Berlin",
  "Eastern Standard Time": "America/New_York",
  "Pacific Standard Time": "America/Los_Angeles",
};

/** An IANA zone for a name Graph accepts, or undefined. */
export function resolveZone(name: string): string | undefined {
  if (/^(utc|etc\/utc|coordinated universal time)$/i.test(name)) return "UTC";
  // Own keys only: a zone named "constructor" is unknown, not Object.
  const windows = Object.hasOwn(windowsZones, name) ? windowsZones[name] : undefined;
  if (windows) return windows;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** A wall-clock dateTime in an IANA zone → the instant, or undefined when it is not a Graph dateTime. */
export function parseWallClock(dateTime: string, zone: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?$/.exec(dateTime);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const asIfUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const guess = asIfUtc - offsetAt(zone, asIfUtc);
  return new Date(asIfUtc - offsetAt(zone, guess));
}

/** An instant as Graph writes it in a zone: seven fractional digits, no offset. */
export function formatWallClock(instant: Date, zone: string): string {
  const wall = new Date(instant.getTime() + offsetAt(zone, instant.getTime()));
  return `${wall.toISOString().slice(0, 19)}.0000000`;
}

/** The zone named by `Prefer: outlook.timezone="…"`, else UTC (Graph's default). */
export function preferredZone(prefer: string | undefined): { zone: string; name: string } {
  const name = /outlook\.timezone\s*=\s*"([^"]+)"/i.exec(prefer ?? "")?.[1];
  const zone = name ? resolveZone(name) : undefined;
  return zone && name ? { zone, name } : { zone: "UTC", name: "UTC" };
}
