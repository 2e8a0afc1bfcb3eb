/**
 * The interval operations under the slot computation: `unionInPlace` (the blocking intervals, joined where they lie)
 * gives what `unionOf` gives, and `unionOf`, `clipTo` and `overlapOf`, which may hand back their input's own objects,
 * never change their input.
 */
import { describe, expect, it } from "vitest";
import { clipTo, type Interval, overlapOf, unionInPlace, unionOf } from "../../src/availability/intervals.ts";

/** Interval lists of every kind the operations meet: sorted or not, overlapping, touching, nested, empty, repeated. */
function lists(): Interval[][] {
  const out: Interval[][] = [[], [{ start: 5, end: 5 }], [{ start: 1, end: 4 }]];
  // A small deterministic generator (no Math.random: a failure must come back on the next run).
  let seed = 7;
  const next = (below: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % below;
  };
  for (let list = 0; list < 400; list++) {
    const count = 1 + next(12);
    const sorted = next(2) === 0;
    let cursor = 0;
    const intervals: Interval[] = [];
    for (let index = 0; index < count; index++) {
      const start = sorted ? cursor + next(4) : next(40);
      const end = start + next(6);
      cursor = sorted ? end + next(3) : cursor;
      intervals.push({ start, end });
    }
    out.push(intervals);
  }
  return out;
}

const copyOf = (intervals: Interval[]) => intervals.map((interval) => ({ ...interval }));

/** The union by brute force: every unit of time covered by some interval, joined into runs. */
function unitsUnion(intervals: Interval[]): Interval[] {
  const covered = new Set<number>();
  for (const { start, end } of intervals) for (let unit = start; unit < end; unit++) covered.add(unit);
  const out: Interval[] = [];
  for (const unit of [...covered].sort((a, b) => a - b)) {
    const last = out.at(-1);
    if (last && last.end === unit) last.end = unit + 1;
    else out.push({ start: unit, end: unit + 1 });
  }
  return out;
}

describe("interval operations", () => {
  it("unionOf joins overlapping and touching intervals, drops empty ones, and leaves its input as it was", () => {
    for (const intervals of lists()) {
      const before = copyOf(intervals);
      expect(unionOf(intervals)).toEqual(unitsUnion(intervals));
      expect(intervals).toEqual(before);
    }
  });

  it("unionInPlace gives what unionOf gives, in the array it was handed", () => {
    for (const intervals of lists()) {
      const owned = copyOf(intervals);
      const joined = unionInPlace(owned);
      expect(joined).toBe(owned);
      expect(joined).toEqual(unionOf(intervals));
    }
  });

  it("clipTo cuts each interval to the range, drops what is left empty, and leaves its input as it was", () => {
    for (const intervals of lists()) {
      const before = copyOf(intervals);
      const clipped = clipTo(intervals, 10, 20);
      expect(clipped).toEqual(
        intervals
          .map(({ start, end }) => ({ start: Math.max(start, 10), end: Math.min(end, 20) }))
          .filter(({ start, end }) => end > start),
      );
      expect(intervals).toEqual(before);
    }
  });

  it("overlapOf keeps the parts of joined intervals inside joined windows, and leaves both as they were", () => {
    const windows = [
      { start: 3, end: 9 },
      { start: 12, end: 13 },
      { start: 20, end: 31 },
    ];
    const inside = (unit: number) => windows.some(({ start, end }) => unit >= start && unit < end);
    for (const intervals of lists().map(unionOf)) {
      const before = copyOf(intervals);
      const units = intervals.flatMap(({ start, end }) => Array.from({ length: end - start }, (_, at) => start + at));
      // Runs of covered units, cut where a window or an interval ends (an interval's run is never joined to the next).
      const expected = unitsUnion(units.filter(inside).map((unit) => ({ start: unit, end: unit + 1 })));
      const overlap = overlapOf(intervals, windows);
      expect(unitsUnion(overlap)).toEqual(expected);
      expect(overlap.every(({ start, end }) => end > start)).toBe(true);
      expect(intervals).toEqual(before);
    }
  });
});
