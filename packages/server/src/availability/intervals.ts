/**
 * Half-open intervals of epoch milliseconds, [start, end): back-to-back
 * intervals do not overlap. The few operations the slot computation needs,
 * each a sort and a sweep.
 */

export interface Interval {
  start: number;
  end: number;
}

/**
 * Sorted by start, overlapping and touching intervals joined, empty ones dropped. The input is not changed; intervals
 * that come out as they went in may be the same objects (read-only here: nothing changes an interval once made).
 */
export function unionOf(intervals: Interval[]): Interval[] {
  // A calendar's busy time mostly arrives already so (providers/busy-intervals.ts): kept as it is, no object per
  // interval made again (50 people × 60 days: ~5,000 of them).
  if (isJoined(intervals)) return intervals.slice();
  // Else joined in place over copies, so that the input's objects stay as they were.
  return unionInPlace(intervals.map(({ start, end }) => ({ start, end })));
}

/** Sorted, each non-empty and apart from the one before (touching ones are not: they would be joined). */
function isJoined(intervals: readonly Interval[]): boolean {
  let previousEnd = -Infinity;
  for (const interval of intervals) {
    if (interval.end <= interval.start || interval.start <= previousEnd) return false;
    previousEnd = interval.end;
  }
  return true;
}

/**
 * `unionOf` for intervals the caller made for this and hands over (the slot computation's blocking intervals): the
 * array is sorted and joined in place and its objects changed, rather than each copied.
 */
export function unionInPlace(intervals: Interval[]): Interval[] {
  intervals.sort((a, b) => a.start - b.start);
  let kept = 0;
  for (const interval of intervals) {
    if (interval.end <= interval.start) continue;
    const last = kept > 0 ? (intervals[kept - 1] as Interval) : undefined;
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else intervals[kept++] = interval;
  }
  intervals.length = kept;
  return intervals;
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

/** Each interval cut to [from, to); those left empty dropped; those already within are the same objects. */
export function clipTo(intervals: Interval[], from: number, to: number): Interval[] {
  const out: Interval[] = [];
  for (const interval of intervals) {
    if (interval.start >= from && interval.end <= to && interval.end > interval.start) {
      out.push(interval);
      continue;
    }
    const start = Math.max(interval.start, from);
    const end = Math.min(interval.end, to);
    if (end > start) out.push({ start, end });
  }
  return out;
}

/**
 * The parts of the sorted, disjoint `intervals` that the sorted, disjoint `within` covers: one sweep of both. An
 * interval wholly inside one window comes out as the same object.
 */
export function overlapOf(intervals: readonly Interval[], within: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let next = 0;
  for (const interval of intervals) {
    // Windows ending before this interval starts end before every later one starts too.
    while (next < within.length && (within[next] as Interval).end <= interval.start) next++;
    for (let index = next; index < within.length; index++) {
      const window = within[index] as Interval;
      if (window.start >= interval.end) break;
      if (window.start <= interval.start && interval.end <= window.end) out.push(interval);
      else out.push({ start: Math.max(interval.start, window.start), end: Math.min(interval.end, window.end) });
    }
  }
  return out;
}
