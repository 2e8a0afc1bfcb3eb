/**
 * The week view's model, as plain functions of the availability answer and
 * the controls: days (YYYY-MM-DD on the viewer's clock) as columns, start
 * times every `rowMinutes` within the hours as rows, and for each cell
 * whether a common free slot starts there, who is busy then, whose calendars
 * could not confirm it, and the days off it falls on. Any cell inside the
 * range can be chosen: a free one, or another by hand (its flags say why it
 * is not free). Dates and times are the viewer's zone's, through `Intl`.
 */
import type { AvailabilityAnswer, AvailabilityBusyScope, DayOffView } from "@tsunagu/contract";

export const rowMinutes = 30;
const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

export interface WeekCell {
  /** ISO instant the interview would start and end at. */
  start: string;
  end: string;
  /** YYYY-MM-DD on the viewer's clock. */
  date: string;
  /** A slot every interviewer is free for starts here. */
  free: boolean;
  /** Interviewers busy within the cell's row (what the view shows beside the slots). */
  busyInRow: string[];
  /** Interviewers busy at some point of [start, end) (what choosing it by hand runs into). */
  busy: string[];
  /** Interviewers whose calendars could not all be read, so the slot is not confirmed for them. */
  unconfirmed: string[];
  /** Days off of any interviewer on this date. */
  daysOff: DayOffView[];
}

export interface WeekModel {
  days: string[];
  /** Minutes after midnight of each row. */
  rows: number[];
  /** `cells[row][day]`. */
  cells: WeekCell[][];
  /** The days off on each day, one per label. */
  daysOff: Map<string, DayOffView[]>;
}

export interface WeekInput {
  answer: AvailabilityAnswer | undefined;
  /** The interviewers in the order the portal gave them. */
  people: string[];
  days: string[];
  /** "HH:MM". */
  hoursStart: string;
  hoursEnd: string;
  durationMinutes: number;
  timeZone: string;
}

export function buildWeek(input: WeekInput): WeekModel {
  const first = minutesOf(input.hoursStart);
  const last = minutesOf(input.hoursEnd) - input.durationMinutes;
  const rows: number[] = [];
  for (let minutes = first; minutes <= last; minutes += rowMinutes) rows.push(minutes);
  const answer = input.answer;
  const free = new Map((answer?.slots ?? []).map((slot) => [Date.parse(slot.start), slot.unconfirmedFor]));
  const busyOf = new Map(
    (answer?.people ?? []).map((person) => [
      person.id,
      person.busy.map((block) => [Date.parse(block.start), Date.parse(block.end)] as const),
    ]),
  );
  const busyDuring = (from: number, to: number) =>
    input.people.filter((id) => (busyOf.get(id) ?? []).some(([start, end]) => start < to && from < end));
  const daysOff = new Map<string, DayOffView[]>();
  for (const day of input.days) {
    const labels = new Map<string, DayOffView>();
    for (const person of answer?.people ?? [])
      for (const off of person.daysOff) if (off.date === day && !labels.has(off.label)) labels.set(off.label, off);
    daysOff.set(day, [...labels.values()]);
  }
  const cells = rows.map((minutes) =>
    input.days.map((date): WeekCell => {
      const start = instantAt(date, minutes, input.timeZone);
      const end = start + input.durationMinutes * minuteMs;
      const unconfirmed = free.get(start);
      return {
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        date,
        free: unconfirmed !== undefined,
        busyInRow: busyDuring(start, start + rowMinutes * minuteMs),
        busy: busyDuring(start, end),
        unconfirmed: unconfirmed ?? [],
        daysOff: daysOff.get(date) ?? [],
      };
    }),
  );
  return { days: input.days, rows, cells, daysOff };
}

/**
 * Which busy time the question asks for (its `peopleBusy`): the view reads busy time only within its rows and at
 * the chosen time. A time chosen in the grid lies within the hours, and so do the rows unless the last one (of an
 * interview shorter than a row) runs past their end; a time loaded from an interview booked outside them does not
 * either. Then every busy block is asked for.
 */
export function busyScope(input: {
  hoursStart: string;
  hoursEnd: string;
  durationMinutes: number;
  timeZone: string;
  chosen: { start: string; end: string } | undefined;
}): Extract<AvailabilityBusyScope, "working_hours" | "all"> {
  const first = minutesOf(input.hoursStart);
  const end = minutesOf(input.hoursEnd);
  const lastRow = first + Math.floor((end - input.durationMinutes - first) / rowMinutes) * rowMinutes;
  if (lastRow + rowMinutes > end) return "all";
  if (!input.chosen) return "working_hours";
  const start = Date.parse(input.chosen.start);
  const date = dateIn(start, input.timeZone);
  const within =
    start >= instantAt(date, first, input.timeZone) &&
    Date.parse(input.chosen.end) <= instantAt(date, end, input.timeZone);
  return within ? "working_hours" : "all";
}

/** "09:30" → 570; "24:00" → 1440. */
export function minutesOf(time: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
}

/** 570 → "09:30". */
export function timeOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The date (YYYY-MM-DD) an instant falls on in `zone`. */
export function dateIn(instant: number, zone: string): string {
  const { year, month, day } = wallClock(instant, zone);
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** Minutes after midnight an instant shows in `zone`. */
export function minutesIn(instant: number, zone: string): number {
  const { hour, minute } = wallClock(instant, zone);
  return hour * 60 + minute;
}

/** The instant `zone`'s clock shows `minutes` after midnight on `date` (the later one across a DST gap). */
export function instantAt(date: string, minutes: number, zone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * minuteMs;
  const guess = wall - offsetOf(wall, zone);
  return wall - offsetOf(guess, zone);
}

/** `count` days on from `date`. */
export function addDays(date: string, count: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + count * dayMs).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (0 when the same). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

/** A date at noon UTC: formats as that calendar day in any zone. */
export function dateOnly(date: string): Date {
  return new Date(`${date}T12:00:00Z`);
}

function offsetOf(instant: number, zone: string): number {
  const { year, month, day, hour, minute } = wallClock(instant, zone);
  return Date.UTC(year, month - 1, day, hour, minute) - Math.floor(instant / minuteMs) * minuteMs;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: number, zone: string) {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
