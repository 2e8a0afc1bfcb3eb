/**
 * Busy times as a provider answer gives them, joined: flat pairs of epoch
 * milliseconds ([start, end, start, end, …], no object per interval while
 * reading) in, sorted disjoint intervals out. Both calendar clients join
 * what their batches answered with it (an interval cut at a batch window's
 * edge comes back in two answers).
 */
import type { BusyInterval } from "./types.ts";

/**
 * Sorted by start, overlapping and touching intervals joined, each cut to [from, to) and dropped when that leaves it
 * empty (an interval that ends where it starts blocks nothing).
 */
export function joinedBusy(flat: readonly number[], from = -Infinity, to = Infinity): BusyInterval[] {
  const count = flat.length / 2;
  // Providers answer in start order, so the sort is usually skipped.
  let order: number[] | undefined;
  for (let index = 1; index < count; index++) {
    if ((flat[2 * index] as number) < (flat[2 * index - 2] as number)) {
      order = Array.from({ length: count }, (_, each) => each).sort(
        (a, b) => (flat[2 * a] as number) - (flat[2 * b] as number),
      );
      break;
    }
  }
  const out: BusyInterval[] = [];
  let openStart = 0;
  let openEnd = -Infinity;
  let open = false;
  for (let position = 0; position < count; position++) {
    const index = order ? (order[position] as number) : position;
    const start = Math.max(flat[2 * index] as number, from);
    const end = Math.min(flat[2 * index + 1] as number, to);
    if (end <= start) continue;
    if (open && start <= openEnd) {
      if (end > openEnd) openEnd = end;
      continue;
    }
    if (open) out.push({ start: openStart, end: openEnd });
    openStart = start;
    openEnd = end;
    open = true;
  }
  if (open) out.push({ start: openStart, end: openEnd });
  return out;
}
