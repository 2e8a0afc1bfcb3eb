/**
 * Working hours: days of the week and a start and end wall-clock time, read
 * in one IANA zone. Turned into exact instants segment by segment of the
 * zone's offset (./zone.ts), so the hours are right on every DST day: on the
 * spring-forward day a 01:00–03:00 window in New York is one hour long, on
 * the fall-back day three.
 */
import { dateOfEpochDay, dayMs, minuteMs, offsetSegments } from "./zone.ts";
import type { Interval } from "./intervals.ts";

export const weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof weekdays)[number];

export interface WorkingHours {
  days: Weekday[];
  /** "HH:MM", 00:00–23:59. */
  start: string;
  /** "HH:MM", after `start`; "24:00" is the end of the day. */
  end: string;
}

/** Monday to Friday, 09:00–18:00: what an organisation gets until an admin sets its own. */
export const defaultWorkingHours: WorkingHours = {
  days: ["mon", "tue", "wed", "thu", "fri"],
  start: "09:00",
  end: "18:00",
};

const clockTime = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Minutes after midnight, or undefined when `text` is not an HH:MM time. */
export function minutesOf(text: string): number | undefined {
  const match = clockTime.exec(text);
  if (!match) return undefined;
  return match[1] === undefined ? 24 * 60 : Number(match[1]) * 60 + Number(match[2]);
}

/** What is wrong with `hours`, in words a person can act on; undefined when nothing is. */
export function workingHoursProblem(hours: WorkingHours): string | undefined {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  if (start === undefined || start === 24 * 60) return `start must be a time from 00:00 to 23:59, not "${hours.start}"`;
  if (end === undefined) return `end must be a time from 00:01 to 24:00, not "${hours.end}"`;
  if (end <= start) return `end (${hours.end}) must be after start (${hours.start})`;
  const unknown = hours.days.filter((day) => !weekdays.includes(day));
  if (unknown.length > 0) return `days must be among ${weekdays.join(", ")}`;
  return undefined;
}

/** 1970-01-01 was a Thursday. */
const weekdayOfEpochDay = (day: number) => (((day + 4) % 7) + 7) % 7;

/**
 * The instants within [from, to) at which the wall clock of `zone` shows a
 * listed weekday and a time in [start, end), on no date of `daysOff`
 * (YYYY-MM-DD on that wall calendar): sorted, disjoint intervals.
 */
export function workingIntervals(
  hours: WorkingHours,
  zone: string,
  from: number,
  to: number,
  daysOff?: ReadonlySet<string>,
): Interval[] {
  const start = minutesOf(hours.start) ?? 0;
  const end = minutesOf(hours.end) ?? 0;
  const days = new Set(hours.days.map((day) => weekdays.indexOf(day)));
  const out: Interval[] = [];
  for (const segment of offsetSegments(zone, from, to)) {
    const wallFrom = segment.start + segment.offsetMs;
    const wallTo = segment.end + segment.offsetMs;
    for (let day = Math.floor(wallFrom / dayMs); day * dayMs < wallTo; day++) {
      if (!days.has(weekdayOfEpochDay(day))) continue;
      if (daysOff?.has(dateOfEpochDay(day))) continue;
      const intervalStart = Math.max(day * dayMs + start * minuteMs - segment.offsetMs, segment.start);
      const intervalEnd = Math.min(day * dayMs + end * minuteMs - segment.offsetMs, segment.end);
      if (intervalEnd <= intervalStart) continue;
      const last = out.at(-1);
      // A working day cut by a change of offset continues in the next segment: one interval again.
      if (last && last.end >= intervalStart) last.end = Math.max(last.end, intervalEnd);
      else out.push({ start: intervalStart, end: intervalEnd });
    }
  }
  return out;
}
