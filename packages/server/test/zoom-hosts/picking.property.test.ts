/**
 * Issue 10, item 7: the pure overlap and picking logic against a brute-force
 * check over random intervals and limits. Time is whole minutes, so the
 * brute force can look at every instant: minute m stands for [m, m + 1), and
 * an interval [start, end) runs at minute m when start <= m < end.
 * Random cases come from a seeded generator: a failure names its seed.
 */
import { describe, expect, it } from "vitest";
import { basicUserMeetingMinutes, concurrencyLimit, zoomPlans } from "../../src/zoom-hosts/limits.ts";
import { fitsWithin, type Interval, peakConcurrency } from "../../src/zoom-hosts/overlap.ts";
import { type HostFacts, pickHost, rankHosts } from "../../src/zoom-hosts/picking.ts";

const minute = 60_000;
const horizon = 48;

function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const interval = (): Interval => {
    const start = int(0, horizon - 1);
    return { start: start * minute, end: int(start + 1, horizon) * minute };
  };
  return { next, int, interval, intervals: (max: number) => Array.from({ length: int(0, max) }, interval) };
}

/** At every minute of the range: how many intervals run. */
function bruteForcePeak(intervals: Interval[], range: Interval): number {
  let peak = 0;
  for (let at = range.start; at < range.end; at += minute) {
    peak = Math.max(peak, intervals.filter((interval) => interval.start <= at && at < interval.end).length);
  }
  return peak;
}

const cases = 2_000;

describe("counting meetings that run at once", () => {
  it("finds the same peak as looking at every minute, for random intervals and ranges", () => {
    for (let seed = 1; seed <= cases; seed++) {
      const random = generator(seed);
      const intervals = random.intervals(8);
      const range = random.interval();
      expect(peakConcurrency(intervals, range), `seed ${seed}`).toBe(bruteForcePeak(intervals, range));
    }
  });

  it("lets one more interval in exactly when no minute of it would go over the limit", () => {
    for (let seed = 1; seed <= cases; seed++) {
      const random = generator(seed * 7919);
      const intervals = random.intervals(8);
      const range = random.interval();
      const limit = random.int(1, 3);
      // With `range` added, every minute of it stays within the limit (minutes outside it do not change).
      const bruteFits = bruteForcePeak([...intervals, range], range) <= limit;
      expect(fitsWithin(intervals, range, limit), `seed ${seed * 7919}`).toBe(bruteFits);
    }
  });

  it("never counts back-to-back meetings as running together", () => {
    expect(
      peakConcurrency(
        [
          { start: 0, end: 30 * minute },
          { start: 30 * minute, end: 60 * minute },
        ],
        { start: 0, end: 60 * minute },
      ),
    ).toBe(1);
    expect(fitsWithin([{ start: 0, end: 30 * minute }], { start: 30 * minute, end: 60 * minute }, 1)).toBe(true);
  });

  it("counts the most running at one instant, not the pairs that overlap", () => {
    // A overlaps B and B overlaps C, but A and C never meet: at most two run at once.
    const chain = [
      { start: 0, end: 20 * minute },
      { start: 10 * minute, end: 30 * minute },
      { start: 20 * minute, end: 40 * minute },
    ];
    expect(peakConcurrency(chain, { start: 0, end: 40 * minute })).toBe(2);
    expect(fitsWithin(chain, { start: 25 * minute, end: 35 * minute }, 2)).toBe(false);
    expect(fitsWithin(chain, { start: 30 * minute, end: 35 * minute }, 2)).toBe(true);
  });

  it(
    "places holds one at a time so that a sweep finds no minute over the limit, and refuses only holds that would " +
      "go over",
    () => {
      for (let seed = 1; seed <= 500; seed++) {
        const random = generator(seed * 104729);
        const limit = random.int(1, 3);
        const placed: Interval[] = [];
        const refused: Interval[] = [];
        for (const request of Array.from({ length: 30 }, random.interval))
          (fitsWithin(placed, request, limit) ? placed : refused).push(request);
        expect(
          bruteForcePeak(placed, { start: 0, end: horizon * minute }),
          `seed ${seed * 104729}`,
        ).toBeLessThanOrEqual(limit);
        for (const request of refused)
          expect(bruteForcePeak([...placed, request], request), `seed ${seed * 104729}`).toBeGreaterThan(limit);
      }
    },
  );
});

describe("picking a host", () => {
  const plans = [null, ...zoomPlans];

  function randomHosts(random: ReturnType<typeof generator>): HostFacts[] {
    return Array.from({ length: random.int(0, 6) }, (_, index) => ({
      zoomUserId: `zU_${index}`,
      displayName: `User ${index}`,
      participantOwned: random.next() < 0.4,
      userType: [1, 2, 99, undefined][random.int(0, 3)],
      needsReauth: random.next() < 0.15,
      busy: random.next() < 0.1 ? undefined : random.intervals(5),
      limitOverride: random.next() < 0.2 ? random.int(1, 3) : undefined,
    }));
  }

  /** Whether a host can host, worked out the long way. */
  function bruteCanHost(
    host: HostFacts,
    range: Interval,
    plan: (typeof plans)[number],
  ): { load: number; canHost: boolean; limit: number } {
    const limit =
      host.limitOverride ??
      (host.userType === 2 ? (plan === "business" || plan === "education" || plan === "enterprise" ? 2 : 1) : 1);
    const load = host.busy ? bruteForcePeak(host.busy, range) : 0;
    const tooLong = host.userType === 1 && range.end - range.start > basicUserMeetingMinutes * minute;
    return { load, limit, canHost: !host.needsReauth && !tooLong && host.busy !== undefined && load + 1 <= limit };
  }

  it(
    "picks the first participant-owned host that fits, else the least-loaded shared host, as a brute-force search " +
      "does",
    () => {
      for (let seed = 1; seed <= cases; seed++) {
        const random = generator(seed * 31337);
        const hosts = randomHosts(random);
        const range = random.interval();
        const plan = plans[random.int(0, plans.length - 1)]!;
        const brute = hosts.map((host) => ({ host, ...bruteCanHost(host, range, plan) }));
        const ownFit = brute.find((entry) => entry.host.participantOwned && entry.canHost);
        const sharedFits = brute.filter((entry) => !entry.host.participantOwned && entry.canHost);
        const leastLoad = Math.min(...sharedFits.map((entry) => entry.load));

        const candidates = rankHosts(hosts, range, plan);
        const pick = pickHost(candidates);
        const label = `seed ${seed * 31337}`;
        for (const candidate of candidates) {
          const entry = brute.find((item) => item.host.zoomUserId === candidate.zoomUserId)!;
          expect({ load: candidate.load, canHost: candidate.canHost, limit: candidate.limit }, label).toEqual({
            load: entry.load,
            canHost: entry.canHost,
            limit: entry.limit,
          });
          expect(candidate.limit, label).toBe(
            concurrencyLimit({ userType: entry.host.userType, plan, override: entry.host.limitOverride }),
          );
          expect(candidate.reason === undefined, label).toBe(candidate.canHost);
        }
        expect(candidates.map((candidate) => candidate.zoomUserId).sort(), label).toEqual(
          hosts.map((host) => host.zoomUserId).sort(),
        );
        // Participants' own first, in their given order.
        const ownOrder = hosts.filter((host) => host.participantOwned).map((host) => host.zoomUserId);
        expect(
          candidates.slice(0, ownOrder.length).map((candidate) => candidate.zoomUserId),
          label,
        ).toEqual(ownOrder);
        if (ownFit)
          expect(pick, label).toMatchObject({ zoomUserId: ownFit.host.zoomUserId, basis: "participant_free" });
        else if (sharedFits.length > 0) {
          expect(pick?.basis, label).toBe("shared_least_loaded");
          expect(
            sharedFits.filter((entry) => entry.load === leastLoad).map((entry) => entry.host.zoomUserId),
            label,
          ).toContain(pick?.zoomUserId);
        } else expect(pick, label).toBeNull();
      }
    },
  );

  it(
    "gives the reason a host cannot host: needs_reauth, then basic_user_time_limit, then zoom_unavailable, then " +
      "busy",
    () => {
      const range = { start: 0, end: 60 * minute };
      const host = (facts: Partial<HostFacts>): HostFacts => ({
        zoomUserId: "zU_a",
        displayName: "A",
        participantOwned: true,
        userType: 2,
        needsReauth: false,
        busy: [],
        limitOverride: undefined,
        ...facts,
      });
      const reasonOf = (facts: Partial<HostFacts>) => rankHosts([host(facts)], range, null)[0]?.reason;
      expect(reasonOf({ needsReauth: true, userType: 1, busy: undefined })).toBe("needs_reauth");
      expect(reasonOf({ userType: 1, busy: undefined })).toBe("basic_user_time_limit");
      expect(reasonOf({ busy: undefined })).toBe("zoom_unavailable");
      expect(reasonOf({ busy: [{ start: 30 * minute, end: 90 * minute }] })).toBe("busy");
      expect(reasonOf({ busy: [{ start: 60 * minute, end: 90 * minute }] })).toBeUndefined();
      expect(rankHosts([host({ userType: 1 })], { start: 0, end: 40 * minute }, null)[0]?.canHost).toBe(true);
    },
  );
});
