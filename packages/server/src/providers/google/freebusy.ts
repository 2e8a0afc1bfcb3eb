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
import type { BusyInterval, CalendarRead, CalendarUnreadable, TimeRange } from "../types.ts";
import type { FreeBusyResponse } from "./schemas.ts";

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
 * One answer per asked calendar, in the order asked. A calendar that reported
 * `errors` in any batch (even beside busy times), or that an answer left out,
 * is unreadable with the first reason and no busy times, never free; busy
 * times cut at a window boundary are joined again.
 */
export function mergeFreeBusy(
  calendarIds: string[],
  answers: Array<{ batch: FreeBusyBatch; response: FreeBusyResponse }>,
): GoogleCalendarBusy[] {
  const busy = new Map<string, BusyInterval[]>(calendarIds.map((id) => [id, []]));
  const errors = new Map<string, GoogleFreeBusyError>();
  for (const { batch, response } of answers) {
    for (const calendarId of batch.calendarIds) {
      // Own keys only: an id like "constructor" must not find the object's prototype and read as free.
      const entry = Object.hasOwn(response.calendars, calendarId) ? response.calendars[calendarId] : undefined;
      const reason = !entry ? "notReturned" : entry.errors?.length ? (entry.errors[0]?.reason ?? "unknown") : undefined;
      if (reason !== undefined) {
        if (!errors.has(calendarId)) errors.set(calendarId, reason);
        continue;
      }
      for (const interval of entry?.busy ?? [])
        busy.get(calendarId)?.push({ start: new Date(interval.start), end: new Date(interval.end) });
    }
  }
  return calendarIds.map((calendarId) => {
    const error = errors.get(calendarId);
    return error === undefined
      ? { calendarId, busy: mergeIntervals(busy.get(calendarId) ?? []) }
      : { calendarId, busy: [], error };
  });
}

/** Sorted, with overlapping or touching intervals joined. */
export function mergeIntervals(intervals: BusyInterval[]): BusyInterval[] {
  const sorted = [...intervals].sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: BusyInterval[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.start.getTime() <= last.end.getTime()) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      merged.push({ start: interval.start, end: interval.end });
    }
  }
  return merged;
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
