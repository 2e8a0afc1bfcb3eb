/**
 * The availability rules checked the slow, obvious way, minute by minute:
 * each minute of the range is blocked or not, by asking Intl what each
 * person's wall clock shows at that minute. Shares no code with
 * src/availability/ (not even its zone arithmetic), so the property tests
 * compare two independent readings of the same rules.
 *
 * Inputs must be on whole minutes, and the zones used must change offset
 * only on UTC quarter hours (true of every zone the tests use): the wall
 * clock is read once per quarter hour and counted on from there.
 */
import type { PersonSchedule, SlotQuestion } from "../../src/availability/slots.ts";
import type { WorkingHours } from "../../src/availability/working-hours.ts";

const minute = 60_000;
const quarter = 15 * minute;
const weekdayNames: Record<string, string> = {
  Sun: "sun",
  Mon: "mon",
  Tue: "tue",
  Wed: "wed",
  Thu: "thu",
  Fri: "fri",
  Sat: "sat",
};

interface Wall {
  weekday: string;
  /** YYYY-MM-DD on the wall calendar. */
  date: string;
  minuteOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const quarterWalls = new Map<string, Map<number, Wall>>();

/** Intl's reading of the wall clock of `zone` at a quarter-hour instant (remembered: the tests ask again and again). */
function wallAtQuarter(zone: string, instant: number): Wall {
  let known = quarterWalls.get(zone);
  if (!known) quarterWalls.set(zone, (known = new Map()));
  const wall = known.get(instant);
  if (wall) return wall;
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  const read = {
    weekday: weekdayNames[parts.weekday ?? ""] ?? "?",
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minuteOfDay: Number(parts.hour) * 60 + Number(parts.minute),
  };
  known.set(instant, read);
  return read;
}

/**
 * The wall clock of `zone` at each minute of [from, from + count minutes).
 * No offset changes within a quarter hour, and the tests' zones show a
 * quarter-hour mark at each quarter, so the clock runs on from the quarter's
 * reading without passing midnight.
 */
function wallClocks(zone: string, from: number, count: number): Wall[] {
  const walls: Wall[] = new Array(count);
  for (let index = 0; index < count; ) {
    const instant = from + index * minute;
    const block = Math.floor(instant / quarter) * quarter;
    const wall = wallAtQuarter(zone, block);
    for (let step = (instant - block) / minute; step < 15 && index < count; step++, index++)
      walls[index] = { weekday: wall.weekday, date: wall.date, minuteOfDay: wall.minuteOfDay + step };
  }
  return walls;
}

function toMinutes(text: string): number {
  const [hours, minutes] = text.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** Whether a wall clock reading falls in the hours: a listed weekday that is no day off, and a time in [start, end). */
function workingTest(hours: WorkingHours, daysOff: ReadonlySet<string> = new Set()): (wall: Wall) => boolean {
  const days = new Set<string>(hours.days);
  const start = toMinutes(hours.start);
  const end = toMinutes(hours.end);
  return (wall) =>
    days.has(wall.weekday) && !daysOff.has(wall.date) && wall.minuteOfDay >= start && wall.minuteOfDay < end;
}

export interface BruteSlot {
  start: number;
  end: number;
  unconfirmedFor: string[];
}

export function bruteForceSlots(question: SlotQuestion, people: PersonSchedule[]): BruteSlot[] {
  const count = Math.round((question.end - question.start) / minute);
  const blocked = new Uint8Array(count);
  const at = (index: number) => question.start + index * minute;
  const before = question.bufferBeforeMinutes * minute;
  const after = question.bufferAfterMinutes * minute;
  const clocks = new Map<string, Wall[]>();
  const clockOf = (zone: string) => {
    let walls = clocks.get(zone);
    if (!walls) clocks.set(zone, (walls = wallClocks(zone, question.start, count)));
    return walls;
  };
  for (const person of people) {
    for (const busy of person.busy) {
      // The minute [t, t + 1) cannot be in a slot when the slot's buffered span would reach into the busy time.
      const first = Math.max(0, Math.ceil((busy.start - after - question.start) / minute));
      const last = Math.min(count, Math.ceil((busy.end + before - question.start) / minute));
      for (let index = first; index < last; index++) blocked[index] = 1;
    }
    if (person.workingHours) {
      const walls = clockOf(person.timeZone);
      const isWorking = workingTest(person.workingHours, person.daysOff);
      for (let index = 0; index < count; index++) if (!isWorking(walls[index] as Wall)) blocked[index] = 1;
    }
  }
  if (question.window) {
    const walls = clockOf(question.timeZone);
    const isWorking = workingTest(question.window);
    for (let index = 0; index < count; index++) if (!isWorking(walls[index] as Wall)) blocked[index] = 1;
  }
  const unconfirmedFor = people.filter((person) => !person.confirmed).map((person) => person.id);
  const slots: BruteSlot[] = [];
  // blockedBefore[i]: how many of the first i minutes are blocked.
  const blockedBefore = new Uint32Array(count + 1);
  for (let index = 0; index < count; index++)
    blockedBefore[index + 1] = (blockedBefore[index] ?? 0) + (blocked[index] ?? 0);
  for (let index = 0; index + question.durationMinutes <= count; index++) {
    if ((clockOf(question.timeZone)[index] as Wall).minuteOfDay % question.stepMinutes !== 0) continue;
    const free = blockedBefore[index + question.durationMinutes] === blockedBefore[index];
    if (free) slots.push({ start: at(index), end: at(index) + question.durationMinutes * minute, unconfirmedFor });
  }
  return slots;
}
