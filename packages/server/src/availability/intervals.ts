/**
 * Half-open intervals of epoch milliseconds, [start, end): back-to-back
 * intervals do not overlap. The few operations the slot computation needs,
 * each a sort and a sweep.
 */

export interface Interval {
  start: number;
  end: number;
}

/** Sorted by start, overlapping and touching intervals joined, empty ones dropped. */
export function unionOf(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((interval) => interval.end > interval.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const interval of sorted) {
    const last = out.at(-1);
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else out.push({ start: interval.start, end: interval.end });
  }
  return out;
}

/** The parts of [from, to) that no interval of the sorted, disjoint `taken` covers. */
export function gapsIn(taken: Interval[], from: number, to: number): Interval[] {
  const out: Interval[] = [];
  let cursor = from;
  for (const interval of taken) {
    if (interval.end <= cursor) continue;
    if (interval.start >= to) break;
    if (interval.start > cursor) out.push({ start: cursor, end: interval.start });
    cursor = Math.max(cursor, interval.end);
  }
  if (cursor < to) out.push({ start: cursor, end: to });
  return out;
}

/** Each interval cut to [from, to); those left empty dropped. */
export function clipTo(intervals: Interval[], from: number, to: number): Interval[] {
  const out: Interval[] = [];
  for (const interval of intervals) {
    const start = Math.max(interval.start, from);
    const end = Math.min(interval.end, to);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/** The parts of the sorted, disjoint `intervals` that the sorted, disjoint `within` covers: one sweep of both. */
export function overlapOf(intervals: readonly Interval[], within: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let next = 0;
  for (const interval of intervals) {
    // Windows ending before this interval starts end before every later one starts too.
    while (next < within.length && (within[next] as Interval).end <= interval.start) next++;
    for (let index = next; index < within.length; index++) {
      const window = within[index] as Interval;
      if (window.start >= interval.end) break;
      out.push({ start: Math.max(interval.start, window.start), end: Math.min(interval.end, window.end) });
    }
  }
  return out;
}
