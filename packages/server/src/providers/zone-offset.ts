/**
 * A zone's UTC offset at an instant, read from the runtime's IANA database
 * through one `Intl.DateTimeFormat` per zone, kept for the process: building
 * a formatter costs about a hundred times more than asking one, and calendar
 * answers carry a time per event (Graph's wall-clock times, Google's
 * offsets), so a formatter built per time made reading 10 calendars cost
 * milliseconds of CPU per request. Shared by the availability engine, the
 * Microsoft client and the sandbox's calendar fakes.
 */

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** The zone's formatter; null when the runtime does not know the zone. */
function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      formatter = null;
    }
    // Zone names come from callers and providers: only known zones are kept, so the map stays as small as the
    // IANA database.
    if (formatter) formatters.set(zone, formatter);
  }
  return formatter;
}

/** True when the runtime knows `zone` as an IANA time zone (or an alias of one). */
export function isKnownZone(zone: string): boolean {
  return formatterFor(zone) !== null;
}

/** The offset of `zone` at `instant` (ms since the epoch), wall clock minus UTC, to the second. Throws a RangeError
 * for a zone the runtime does not know. */
export function offsetAt(zone: string, instant: number): number {
  const formatter = formatterFor(zone);
  if (!formatter) throw new RangeError(`Invalid time zone specified: ${zone}`);
  const values: Record<string, number> = {};
  for (const part of formatter.formatToParts(instant))
    if (part.type !== "literal") values[part.type] = Number(part.value);
  // The wall clock against UTC by day of the month and time of day, not by year: Date.UTC reads the years 0-99 as
  // 1900-1999, and the formatter writes 1 BC (the ISO year 0000) as year 1. An offset is under a day, so the two days
  // differ by one at most (across a month's end when they seem far apart).
  const utc = new Date(instant);
  let days = (values.day ?? 1) - utc.getUTCDate();
  if (days > 1) days = -1;
  else if (days < -1) days = 1;
  const wallSeconds = days * 86_400 + (values.hour ?? 0) * 3_600 + (values.minute ?? 0) * 60 + (values.second ?? 0);
  const utcSeconds = utc.getUTCHours() * 3_600 + utc.getUTCMinutes() * 60 + utc.getUTCSeconds();
  return (wallSeconds - utcSeconds) * 1000;
}
