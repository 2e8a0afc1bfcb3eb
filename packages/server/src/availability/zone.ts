/**
 * Time-zone arithmetic for availability, on Intl alone (no Temporal, no zone
 * data of our own): the runtime's IANA database says what a wall clock shows
 * at an instant; everything else is integer milliseconds.
 *
 * A zone is cut into segments of constant UTC offset. Inside one segment the
 * wall clock is the instant plus the offset, a straight line, so "09:00–18:00
 * on weekdays" becomes exact instants there with no guessing about DST: a
 * wall time skipped by a spring-forward gap simply has no instant, and one
 * repeated by a fall-back overlap has two.
 */

export const minuteMs = 60_000;
export const dayMs = 86_400_000;

/** A stretch of time during which `zone` keeps one UTC offset. Half-open: [start, end). */
export interface OffsetSegment {
  start: number;
  end: number;
  /** Wall clock minus UTC, in milliseconds (Tokyo: +9 h). */
  offsetMs: number;
}

import { offsetAt } from "../providers/zone-offset.ts";

export { offsetAt };

/**
 * Offsets are read on a grid of six-hour marks (no zone has changed its
 * offset twice within six hours), and a change between two marks is found
 * to the millisecond by bisection. Marks and changes are remembered per zone,
 * so after the first question about a stretch of time the segments cost map
 * look-ups, not Intl calls (an Intl call takes tens of microseconds).
 */
const probeMs = 6 * 3_600_000;
/** Remembered marks per zone before the memory is dropped and rebuilt: about 16 years of marks. */
const maxRemembered = 24_000;

interface ZoneMemory {
  marks: Map<number, number>;
  changes: Map<number, number>;
}
const memories = new Map<string, ZoneMemory>();

function memoryOf(zone: string): ZoneMemory {
  let memory = memories.get(zone);
  if (!memory || memory.marks.size > maxRemembered) {
    memory = { marks: new Map(), changes: new Map() };
    memories.set(zone, memory);
  }
  return memory;
}

/** The offset at mark `index` (the instant index × six hours). */
function offsetAtMark(zone: string, memory: ZoneMemory, index: number): number {
  let offset = memory.marks.get(index);
  if (offset === undefined) {
    offset = offsetAt(zone, index * probeMs);
    memory.marks.set(index, offset);
  }
  return offset;
}

/** The first instant after mark `index` with the next mark's offset, or undefined when the two marks agree. */
function changeAfterMark(zone: string, memory: ZoneMemory, index: number): number | undefined {
  const before = offsetAtMark(zone, memory, index);
  if (offsetAtMark(zone, memory, index + 1) === before) return undefined;
  let change = memory.changes.get(index);
  if (change === undefined) {
    let low = index * probeMs;
    let high = (index + 1) * probeMs;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (offsetAt(zone, middle) === before) low = middle;
      else high = middle;
    }
    change = high;
    memory.changes.set(index, change);
  }
  return change;
}

/** The constant-offset segments of `zone` covering [from, to), in order. */
export function offsetSegments(zone: string, from: number, to: number): OffsetSegment[] {
  const memory = memoryOf(zone);
  const first = Math.floor(from / probeMs);
  const firstChange = changeAfterMark(zone, memory, first);
  let offset =
    firstChange !== undefined && firstChange <= from
      ? offsetAtMark(zone, memory, first + 1)
      : offsetAtMark(zone, memory, first);
  let start = from;
  const segments: OffsetSegment[] = [];
  for (let index = first; index * probeMs < to; index++) {
    const change = changeAfterMark(zone, memory, index);
    if (change === undefined || change <= start || change >= to) continue;
    segments.push({ start, end: change, offsetMs: offset });
    start = change;
    offset = offsetAtMark(zone, memory, index + 1);
  }
  segments.push({ start, end: to, offsetMs: offset });
  return segments;
}

/**
 * The offset of `zone` at `instant`, from the remembered marks and changes
 * above: after the first question about a stretch of time, two map look-ups
 * instead of an Intl call. The answer's slot and busy times are formatted
 * with it (a thousand and more a request), where an Intl call each was the
 * largest single cost of formatting the answer.
 */
export function rememberedOffsetAt(zone: string, instant: number): number {
  const memory = memoryOf(zone);
  const index = Math.floor(instant / probeMs);
  const change = changeAfterMark(zone, memory, index);
  return change !== undefined && instant >= change
    ? offsetAtMark(zone, memory, index + 1)
    : offsetAtMark(zone, memory, index);
}

/** The calendar date (YYYY-MM-DD) of epoch day `day`, counted in days since 1970-01-01. */
export function dateOfEpochDay(day: number): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

/** The date (YYYY-MM-DD) the wall calendar of `zone` shows at `instant`. */
export function dateInZone(instant: number, zone: string): string {
  return dateOfEpochDay(Math.floor((instant + rememberedOffsetAt(zone, instant)) / dayMs));
}

/**
 * ISO 8601 with the zone's offset at that instant: `2026-03-08T03:00:00-04:00`. An answer writes a few thousand of
 * these (every slot and every person's busy time), nearly all on a whole minute: those are put together from
 * remembered pieces (the date, the clock time, the offset), not a Date and its ISO string each.
 */
export function formatInZone(instant: number, zone: string): string {
  const offset = rememberedOffsetAt(zone, instant);
  const wall = instant + offset;
  const day = Math.floor(wall / dayMs);
  const ofDay = wall - day * dayMs;
  const clock = ofDay % minuteMs === 0 ? clockTime(ofDay / minuteMs) : new Date(wall).toISOString().slice(11, 19);
  return `${datePrefix(day)}${clock}${offsetSuffix(offset)}`;
}

/** "YYYY-MM-DDT" per epoch day, remembered (a bounded number: the memory is dropped when it grows past it). */
const datePrefixes = new Map<number, string>();
function datePrefix(day: number): string {
  let prefix = datePrefixes.get(day);
  if (prefix === undefined) {
    if (datePrefixes.size > 20_000) datePrefixes.clear();
    prefix = `${dateOfEpochDay(day)}T`;
    datePrefixes.set(day, prefix);
  }
  return prefix;
}

/** "HH:MM:00" per minute of the day. */
const clockTimes: string[] = [];
function clockTime(minute: number): string {
  let text = clockTimes[minute];
  if (text === undefined) {
    text = `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}:00`;
    clockTimes[minute] = text;
  }
  return text;
}

/** "Z", "+09:00", "-04:00" per offset. */
const offsetSuffixes = new Map<number, string>();
function offsetSuffix(offset: number): string {
  let suffix = offsetSuffixes.get(offset);
  if (suffix === undefined) {
    const sign = offset < 0 ? "-" : "+";
    const minutes = Math.round(Math.abs(offset) / minuteMs);
    suffix =
      offset === 0
        ? "Z"
        : `${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
    offsetSuffixes.set(offset, suffix);
  }
  return suffix;
}
