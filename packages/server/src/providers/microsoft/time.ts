/**
 * Graph's dateTimeTimeZone: a wall-clock `dateTime` with no offset
 * ("2026-11-24T09:00:00.0000000") plus the zone it is read in.
 * https://learn.microsoft.com/graph/api/resources/datetimetimezone
 *
 * We send event times as wall-clock time in the organiser's IANA zone (Graph
 * accepts IANA names) so Outlook shows and recurs them in that zone, and we
 * read answers in UTC or any IANA zone. A Windows zone name in an answer is
 * refused rather than guessed: we ask for UTC answers, so one means Graph
 * ignored us.
 */
import { ProviderResponseError } from "../errors.ts";
import { digitsAt, wallClockMs } from "../civil-date.ts";
import { isKnownZone, offsetAt } from "../zone-offset.ts";

export interface GraphDateTime {
  dateTime: string;
  timeZone: string;
}

const utcNames = new Set(["utc", "etc/utc", "coordinated universal time"]);

/** An instant as wall-clock time in `timeZone` (IANA), to the second. UTC, which every getSchedule window is sent
 * in, needs no Intl call (one cost as much as the rest of building the request). */
export function toGraphDateTime(instant: Date, timeZone: string): GraphDateTime {
  const offset = utcNames.has(timeZone.toLowerCase()) ? 0 : offsetAt(timeZone, instant.getTime());
  const wall = new Date(instant.getTime() + offset);
  return { dateTime: wall.toISOString().slice(0, 19), timeZone };
}

/** The instant a Graph dateTimeTimeZone names. */
export function fromGraphDateTime(value: GraphDateTime): Date {
  return new Date(graphDateTimeMs(value.dateTime, value.timeZone));
}

/**
 * The same instant as epoch milliseconds, from the two fields as they arrive: what the free/busy answer's reader
 * uses, a few thousand times per availability question, so it makes no object on the way.
 */
export function graphDateTimeMs(dateTime: string, timeZone: string): number {
  const asIfUtc = wallClockAsIfUtc(dateTime);
  if (asIfUtc === undefined)
    throw new ProviderResponseError("microsoft", 200, `Graph sent a dateTime we cannot read: ${dateTime}`);
  if (timeZone === "UTC" || utcNames.has(timeZone.toLowerCase())) return asIfUtc;
  if (!isKnownZone(timeZone))
    throw new ProviderResponseError("microsoft", 200, `Graph answered in a time zone we did not ask for: ${timeZone}`);
  // The zone's offset at the guessed instant, corrected once for a DST change between guess and answer.
  const firstGuess = asIfUtc - offsetAt(timeZone, asIfUtc);
  return asIfUtc - offsetAt(timeZone, firstGuess);
}

/**
 * A wall clock `YYYY-MM-DDTHH:MM[:SS[.fraction of 1 to 7 digits]]` read as if it were UTC, or undefined for any
 * other text. Read from the characters, with no match array and seven substrings per time: matched by a pattern, this
 * was our largest own function in the profile of a 50 people × 60 days question (about 2 of ~50 ms sampled,
 * bench/profile-availability.ts; Graph's answers carry two times per busy item).
 * Fields out of range (month 13, hour 25) roll over in Date.UTC as the pattern's digits did; the milliseconds are
 * the fraction's first three digits, which is what Math.floor(Number(`0.${fraction}`) * 1000) gave for every
 * fraction of 1 to 7 digits.
 */
function wallClockAsIfUtc(text: string): number | undefined {
  const length = text.length;
  if (length !== 16 && length !== 19 && (length < 21 || length > 27)) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0) return undefined;
  if (text[4] !== "-" || text[7] !== "-" || text[10] !== "T" || text[13] !== ":") return undefined;
  let second = 0;
  let millis = 0;
  if (length > 16) {
    second = digitsAt(text, 17, 2);
    if (second < 0 || text[16] !== ":") return undefined;
    if (length > 19) {
      const fraction = digitsAt(text, 20, length - 20);
      if (fraction < 0 || text[19] !== ".") return undefined;
      const places = length - 20;
      millis = places <= 3 ? fraction * 10 ** (3 - places) : Math.floor(fraction / 10 ** (places - 3));
    }
  }
  // Date.UTC costs several times the arithmetic below; it stays for what only it reads as it does: months out of
  // range roll over into years, and years 0-99 are read as 1900-1999.
  if (month < 1 || month > 12 || year < 100) return Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return wallClockMs(year, month, day, hour, minute, second, millis);
}
