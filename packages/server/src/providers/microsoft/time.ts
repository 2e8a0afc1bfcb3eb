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
import { isKnownZone, offsetAt } from "../zone-offset.ts";

export interface GraphDateTime {
  dateTime: string;
  timeZone: string;
}

const utcNames = new Set(["utc", "etc/utc", "coordinated universal time"]);
const wallClock = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

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
  const match = wallClock.exec(dateTime);
  if (!match) throw new ProviderResponseError("microsoft", 200, `Graph sent a dateTime we cannot read: ${dateTime}`);
  const fraction = match[7];
  const millis = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const asIfUtc = Date.UTC(
    Number(match[1]),
    Number(match[2]) - 1,
    Number(match[3]),
    Number(match[4]),
    Number(match[5]),
    match[6] === undefined ? 0 : Number(match[6]),
    millis,
  );
  if (timeZone === "UTC" || utcNames.has(timeZone.toLowerCase())) return asIfUtc;
  if (!isKnownZone(timeZone))
    throw new ProviderResponseError("microsoft", 200, `Graph answered in a time zone we did not ask for: ${timeZone}`);
  // The zone's offset at the guessed instant, corrected once for a DST change between guess and answer.
  const firstGuess = asIfUtc - offsetAt(timeZone, asIfUtc);
  return asIfUtc - offsetAt(timeZone, firstGuess);
}
