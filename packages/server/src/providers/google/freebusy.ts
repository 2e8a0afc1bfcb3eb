/**
 * freeBusy in batches. One call covers at most 50 calendars
 * (`calendarExpansionMax` "Maximum value is 50"; past it Google still answers
 * 200 but gives the extra calendars a per-calendar `tooManyCalendarsRequested`
 * error, so they would come back unreadable) and at most 90 days (longer
 * ranges fail with "The requested time range is too long.", as cal.com found:
 * https://github.com/calcom/cal.diy/pull/11962), so a larger question is cut
 * into calendar chunks × time windows and the answers are merged back.
 * https://developers.google.com/workspace/calendar/api/v3/reference/freebusy/query
 */
import { z } from "zod";
import { answerCheck, isObject, mismatch, optionalString, ShapeMismatch } from "../answer-check.ts";
import { joinedBusy } from "../busy-intervals.ts";
import { digitsAt, wallClockMs } from "../civil-date.ts";
import type { CalendarRead, CalendarUnreadable, TimeRange } from "../types.ts";

export const freeBusyLimits = { calendarsPerCall: 50, maxRangeMs: 90 * 86_400_000, parallelCalls: 4 };

/**
 * Why Google could not read a calendar: the reasons the reference lists for
 * `calendars.<id>.errors[].reason` ("Additional error types may be added in
 * the future"), `notReturned` when the answer has no entry for an asked id,
 * and `unknown` for an error that gives no reason.
 */
export type GoogleFreeBusyError =
  | "groupTooBig"
  | "tooManyCalendarsRequested"
  | "notFound"
  | "internalError"
  | "notReturned"
  | "unknown"
  | (string & {});

/** A Google calendar's answer; an unreadable one carries Google's reason. */
export type GoogleCalendarBusy = CalendarRead | (CalendarUnreadable & { error: GoogleFreeBusyError });

export interface FreeBusyBatch {
  calendarIds: string[];
  range: TimeRange;
}

/** Every (≤ 50 calendars, ≤ 90 days) pair covering the question. */
export function freeBusyBatches(calendarIds: string[], range: TimeRange, limits = freeBusyLimits): FreeBusyBatch[] {
  const chunks: string[][] = [];
  for (let index = 0; index < calendarIds.length; index += limits.calendarsPerCall)
    chunks.push(calendarIds.slice(index, index + limits.calendarsPerCall));
  const windows: TimeRange[] = [];
  for (let start = range.start.getTime(); start < range.end.getTime(); start += limits.maxRangeMs) {
    windows.push({ start: new Date(start), end: new Date(Math.min(start + limits.maxRangeMs, range.end.getTime())) });
  }
  return windows.flatMap((window) => chunks.map((chunk) => ({ calendarIds: chunk, range: window })));
}

/**
 * A freeBusy answer as read by `freeBusyAnswer`: each calendar's busy times as flat epoch-millisecond pairs
 * ([start, end, start, end, …]) and its errors as Google gave them.
 */
export interface FreeBusyAnswer {
  calendars: Map<string, FreeBusyCalendarAnswer>;
}

export interface FreeBusyCalendarAnswer {
  busy: number[];
  errors: Array<{ domain?: string; reason?: string }> | undefined;
}

const rfc3339 = z.regexes.datetime({ offset: true });

/**
 * The freeBusy answer's exact shape, checked by hand: it refuses what `freeBusyResponseSchema` (./schemas.ts, the
 * reference) refuses, without a zod pass and two Dates per busy interval (../answer-check.ts says why).
 */
export const freeBusyAnswer = answerCheck((body): FreeBusyAnswer => {
  if (!isObject(body)) mismatch([], "an object", body);
  instant(body.timeMin, () => ["timeMin"]);
  instant(body.timeMax, () => ["timeMax"]);
  const calendars = body.calendars;
  if (!isObject(calendars)) mismatch(["calendars"], "an object", calendars);
  const read = new Map<string, FreeBusyCalendarAnswer>();
  for (const calendarId of Object.keys(calendars)) {
    const entry = calendars[calendarId];
    if (!isObject(entry)) mismatch(["calendars", calendarId], "an object", entry);
    const busy: number[] = [];
    const intervals = entry.busy;
    if (intervals !== undefined) {
      if (!Array.isArray(intervals)) mismatch(["calendars", calendarId, "busy"], "an array", intervals);
      for (let index = 0; index < intervals.length; index++) {
        const interval: unknown = intervals[index];
        if (!isObject(interval)) mismatch(["calendars", calendarId, "busy", index], "an object", interval);
        busy.push(
          instant(interval.start, () => ["calendars", calendarId, "busy", index, "start"]),
          instant(interval.end, () => ["calendars", calendarId, "busy", index, "end"]),
        );
      }
    }
    read.set(calendarId, { busy, errors: calendarErrors(entry.errors, calendarId) });
  }
  return { calendars: read };
});

function calendarErrors(errors: unknown, calendarId: string): FreeBusyCalendarAnswer["errors"] {
  if (errors === undefined) return undefined;
  if (!Array.isArray(errors)) mismatch(["calendars", calendarId, "errors"], "an array", errors);
  return errors.map((error: unknown, index) => {
    const path = (field: string) => () => ["calendars", calendarId, "errors", index, field];
    if (!isObject(error)) mismatch(["calendars", calendarId, "errors", index], "an object", error);
    const domain = optionalString(error.domain, path("domain"), "optional") ?? undefined;
    const reason = optionalString(error.reason, path("reason"), "optional") ?? undefined;
    return { ...(domain !== undefined && { domain }), ...(reason !== undefined && { reason }) };
  });
}

/** An RFC 3339 date-time with an offset (zod's `z.iso.datetime({ offset: true })`), as epoch milliseconds. */
function instant(value: unknown, path: () => PropertyKey[]): number {
  if (typeof value !== "string") return mismatch(path(), "an RFC 3339 date-time", value);
  if (!rfc3339.test(value)) throw new ShapeMismatch(path(), `expected an RFC 3339 date-time, received "${value}"`);
  return rfc3339Ms(value);
}

/**
 * What Date.parse reads a text `rfc3339` matched as, by arithmetic on its fields (Date.parse cost about 160 ns an
 * instant, five times the pattern, over ~9,000 instants a 50-people × 60-days question): the pattern already holds
 * every field to its digits and range, so only their places vary, with the fraction's length. Like Date.parse, the
 * fraction is cut to milliseconds, not rounded.
 */
export function rfc3339Ms(text: string): number {
  let at = 19;
  let millis = 0;
  if (text[at] === ".") {
    // Hundreds, tens and units of a millisecond; digits past the third are passed over.
    let scale = 100;
    for (at++; at < text.length && text[at] !== "Z" && text[at] !== "+" && text[at] !== "-"; at++) {
      millis += (text.charCodeAt(at) - 48) * scale;
      scale = scale === 1 ? 0 : scale / 10;
    }
  }
  const offsetMinutes =
    text[at] === "Z" ? 0 : (text[at] === "-" ? -1 : 1) * (digitsAt(text, at + 1, 2) * 60 + digitsAt(text, at + 4, 2));
  const wall = wallClockMs(
    digitsAt(text, 0, 4),
    digitsAt(text, 5, 2),
    digitsAt(text, 8, 2),
    digitsAt(text, 11, 2),
    digitsAt(text, 14, 2),
    digitsAt(text, 17, 2),
    millis,
  );
  return wall - offsetMinutes * 60_000;
}

/**
 * One answer per asked calendar, in the order asked. A calendar that reported
 * `errors` in any batch (even beside busy times), or that an answer left out,
 * is unreadable with the first reason and no busy times, never free; busy
 * times cut at a window boundary are joined again.
 */
export function mergeFreeBusy(
  calendarIds: string[],
  answers: Array<{ batch: FreeBusyBatch; response: FreeBusyAnswer }>,
): GoogleCalendarBusy[] {
  const busy = new Map<string, number[]>(calendarIds.map((id) => [id, []]));
  const errors = new Map<string, GoogleFreeBusyError>();
  for (const { batch, response } of answers) {
    for (const calendarId of batch.calendarIds) {
      // A Map holds the answer's own keys only: an id like "constructor" finds nothing and reads as left out.
      const entry = response.calendars.get(calendarId);
      const reason = !entry ? "notReturned" : entry.errors?.length ? (entry.errors[0]?.reason ?? "unknown") : undefined;
      if (reason !== undefined) {
        if (!errors.has(calendarId)) errors.set(calendarId, reason);
        continue;
      }
      const joined = busy.get(calendarId);
      if (joined && entry) for (const instant of entry.busy) joined.push(instant);
    }
  }
  return calendarIds.map((calendarId) => {
    const error = errors.get(calendarId);
    return error === undefined
      ? { calendarId, busy: joinedBusy(busy.get(calendarId) ?? []) }
      : { calendarId, busy: [], error };
  });
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order. */
export async function mapLimited<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
