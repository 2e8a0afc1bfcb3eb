/**
 * The slot computation (issue 11, item 1): a pure function of each person's
 * busy intervals and working hours and of the question. No clock, no I/O.
 *
 * A slot [s, s + duration) is offered when, for every person:
 * - it lies inside their working hours, read in their own zone, on none of
 *   their days off;
 * - [s − bufferBefore, s + duration + bufferAfter) overlaps none of their
 *   busy intervals (half-open: a meeting ending at 10:00 leaves 10:00 free);
 * and it lies inside the question's own window (`window`, in the viewer's
 * zone) and range. Starts fall where the viewer's wall clock shows a
 * multiple of `step` minutes after midnight, so a 30-minute step gives :00
 * and :30 whatever the range's start.
 *
 * A person whose calendars could not all be read (or who has none) is not
 * taken as free: the busy times that were read still count, and every slot
 * names them in `unconfirmedFor`.
 *
 * Cost: every blocking interval (busy ones widened by the buffers, the gaps
 * between working hours) is sorted once and swept once, then the candidate
 * starts are walked beside the free gaps: O(n log n) in the intervals, plus
 * the candidates.
 */
import { clipTo, gapsIn, type Interval, unionInPlace, unionOf } from "./intervals.ts";
import { type WorkingHours, workingIntervals } from "./working-hours.ts";
import { dayMs, minuteMs, offsetSegments } from "./zone.ts";

export interface PersonSchedule {
  id: string;
  /** IANA zone their working hours are read in. */
  timeZone: string;
  /** Null: any time of any day. */
  workingHours: WorkingHours | null;
  /** Dates (YYYY-MM-DD, on their own calendar) they do not work at all: holidays, closures, their days off. */
  daysOff?: ReadonlySet<string> | undefined;
  /** Busy times from every calendar of theirs that could be read; any order, overlaps allowed. */
  busy: Interval[];
  /** False when some calendar of theirs could not be read, or they have none. */
  confirmed: boolean;
}

export interface SlotQuestion {
  /** Epoch milliseconds; half-open. */
  start: number;
  end: number;
  durationMinutes: number;
  stepMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** The viewer's IANA zone: where step marks fall, and what `window` is read in. */
  timeZone: string;
  /** Hours every slot must also fit in, on the viewer's clock. */
  window?: WorkingHours | undefined;
}

export interface Slot {
  start: number;
  end: number;
  /** Ids of the people whose calendars could not be read: the slot may not suit them. */
  unconfirmedFor: string[];
}

export interface Availability {
  slots: Slot[];
  /** Each person's busy time within the range, joined and sorted (without buffers). */
  busy: Map<string, Interval[]>;
}

export function computeAvailability(question: SlotQuestion, people: PersonSchedule[]): Availability {
  const { start, end } = question;
  const durationMs = question.durationMinutes * minuteMs;
  const before = question.bufferBeforeMinutes * minuteMs;
  const after = question.bufferAfterMinutes * minuteMs;

  const blocking: Interval[] = [];
  const busy = new Map<string, Interval[]>();
  // People of one team mostly share hours and a zone: their time off work is the same intervals, added once.
  const offHoursAdded = new Set<string>();
  const addOffHours = (hours: WorkingHours, zone: string, daysOff: ReadonlySet<string> | undefined) => {
    const key = `${zone} ${hours.days.join()} ${hours.start} ${hours.end} ${daysOff ? [...daysOff].sort().join() : ""}`;
    if (offHoursAdded.has(key)) return;
    offHoursAdded.add(key);
    for (const gap of gapsIn(workingIntervals(hours, zone, start, end, daysOff), start, end)) blocking.push(gap);
  };
  for (const person of people) {
    const joined = unionOf(person.busy);
    busy.set(person.id, clipTo(joined, start, end));
    // A slot [s, e) meets busy [b, c) with its buffers when s − before < c and e + after > b: s ∈ (b − after −
    // duration, c + before).
    for (const interval of joined) blocking.push({ start: interval.start - after, end: interval.end + before });
    if (person.workingHours) addOffHours(person.workingHours, person.timeZone, person.daysOff);
  }
  if (question.window) addOffHours(question.window, question.timeZone, undefined);

  // The blocking intervals are this computation's own: joined where they lie.
  const free = gapsIn(unionInPlace(blocking), start, end);
  const unconfirmedFor = people.filter((person) => !person.confirmed).map((person) => person.id);
  const slots: Slot[] = [];
  let gap = 0;
  for (const slotStart of alignedStarts(question.timeZone, start, end - durationMs, question.stepMinutes * minuteMs)) {
    const slotEnd = slotStart + durationMs;
    // Gaps ending before this slot does cannot hold any later one either.
    while (gap < free.length && (free[gap] as Interval).end < slotEnd) gap++;
    const current = free[gap];
    if (!current) break;
    if (current.start <= slotStart) slots.push({ start: slotStart, end: slotEnd, unconfirmedFor: [...unconfirmedFor] });
  }
  return { slots, busy };
}

/** Instants in [from, to] at which the wall clock of `zone` shows a multiple of `stepMs` after midnight, in order. */
function alignedStarts(zone: string, from: number, to: number, stepMs: number): number[] {
  const out: number[] = [];
  if (to < from) return out;
  for (const segment of offsetSegments(zone, from, to + 1)) {
    const wallFrom = segment.start + segment.offsetMs;
    const wallTo = segment.end + segment.offsetMs;
    for (let day = Math.floor(wallFrom / dayMs); day * dayMs < wallTo; day++) {
      const midnight = day * dayMs;
      const first = Math.max(0, Math.ceil((wallFrom - midnight) / stepMs));
      for (let wall = midnight + first * stepMs; wall < midnight + dayMs && wall < wallTo; wall += stepMs)
        out.push(wall - segment.offsetMs);
    }
  }
  return out;
}
