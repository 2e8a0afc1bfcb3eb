/**
 * Counting meetings that run at once. Intervals are half-open [start, end):
 * a meeting ending at 10:00 and one starting at 10:00 never run together.
 * What counts is the most meetings running at any one instant, not how many
 * pairs overlap: three meetings may each overlap the next without all three
 * ever running together.
 */
export interface Interval {
  /** Milliseconds since the epoch. */
  start: number;
  end: number;
}

/** The most intervals running at one instant inside `range` (only the parts inside it count). */
export function peakConcurrency(intervals: readonly Interval[], range: Interval): number {
  const edges: Array<[at: number, change: 1 | -1]> = [];
  for (const interval of intervals) {
    const start = Math.max(interval.start, range.start);
    const end = Math.min(interval.end, range.end);
    if (start < end) edges.push([start, 1], [end, -1]);
  }
  // At one instant, ends before starts: back-to-back is not an overlap.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let peak = 0;
  for (const [, change] of edges) {
    running += change;
    if (running > peak) peak = running;
  }
  return peak;
}

/** True when one more interval over `range` keeps every instant within `limit`. */
export function fitsWithin(intervals: readonly Interval[], range: Interval, limit: number): boolean {
  return range.start < range.end && peakConcurrency(intervals, range) + 1 <= limit;
}
