/**
 * Leaving out of the busy time the event of the interview being changed
 * (`interviewId` on `POST /v1/availability`), so that its own slot is not
 * busy because of itself.
 *
 * Free/busy has no event ids: Google's freeBusy answers each calendar's busy
 * intervals, overlapping events already merged, and Graph's getSchedule
 * answers items with a status and times but no id
 * (https://developers.google.com/workspace/calendar/api/v3/reference/freebusy/query,
 * https://learn.microsoft.com/graph/api/resources/scheduleinformation). So
 * the event is left out by where and when it is: on each calendar that holds
 * it (the organiser's calendar account it was made in, and the calendars of
 * the interviewers it invited, by their address), the interview's own
 * interval is taken out of the busy time; the organisation's other
 * interviews on that calendar overlapping that interval are put back, since
 * we know them exactly. What stays inexact: an event made outside Tsunagu on
 * the same calendar that overlaps the interview's own interval is left out
 * with it, for that interval only; nothing outside the interval changes, and
 * no other calendar changes.
 */
import type { CalendarReading } from "./busy-times.ts";
import { type Interval, unionOf } from "./intervals.ts";

/** An interview's event as the calendars hold it: its time, the account it was made in, its invited addresses. */
export interface EventOnCalendars extends Interval {
  /** The organiser's calendar account the event was made in. */
  accountId: string;
  /** The interviewers' addresses the event invited, lower-cased: their calendars hold it too. */
  attendeeEmails: ReadonlySet<string>;
}

/** The event of the interview being changed, and the organisation's other interviews' events overlapping it. */
export interface EventsLeftOut {
  own: EventOnCalendars;
  others: readonly EventOnCalendars[];
}

/** Whether the calendar `reading` reads holds `event`. */
function holds(event: EventOnCalendars, reading: Pick<CalendarReading, "accountId" | "email">): boolean {
  return (
    reading.accountId === event.accountId ||
    (reading.email !== null && event.attendeeEmails.has(calendarAddress(reading.email)))
  );
}

/** Each person's readings with the own event's interval left out of the calendars that hold it (see above). */
export function withoutEvent(
  readings: ReadonlyMap<string, CalendarReading[]>,
  { own, others }: EventsLeftOut,
): Map<string, CalendarReading[]> {
  const out = new Map<string, CalendarReading[]>();
  for (const [person, calendars] of readings)
    out.set(
      person,
      calendars.map((reading) => {
        if (reading.status !== "read" || !holds(own, reading)) return reading;
        const outside = reading.busy.flatMap((block) => [
          ...(block.start < own.start ? [{ start: block.start, end: Math.min(block.end, own.start) }] : []),
          ...(block.end > own.end ? [{ start: Math.max(block.start, own.end), end: block.end }] : []),
        ]);
        const putBack = others
          .filter((other) => holds(other, reading))
          .map((other) => ({ start: Math.max(other.start, own.start), end: Math.min(other.end, own.end) }));
        return { ...reading, busy: unionOf([...outside, ...putBack]) };
      }),
    );
  return out;
}

/** An address as `attendeeEmails` holds it, so that a calendar's and an invitation's compare alike. */
export function calendarAddress(address: string): string {
  return address.trim().toLowerCase();
}
