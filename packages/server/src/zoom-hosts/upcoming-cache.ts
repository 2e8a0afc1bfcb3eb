/**
 * Zoom's upcoming meetings per Zoom user, asked at most once per user per
 * `ttlMs` in this process (candidates and holds of a busy scheduling screen
 * ask again and again), and again on demand. Concurrent askers share one
 * request; a failed request is not kept.
 */
import type { Clock } from "../clock.ts";
import type { ZoomMeetingInterval } from "./holds.ts";

/** What the cache keeps per Zoom user: the meetings, or that no working grant could list them. */
export type UpcomingAnswer = { kind: "meetings"; meetings: ZoomMeetingInterval[] } | { kind: "needs_reauth" };

export const upcomingTtlMs = 30_000;

export class UpcomingMeetingsCache {
  private readonly entries = new Map<
    string,
    { fetchedAt: number; answer: Promise<UpcomingAnswer>; settled?: UpcomingAnswer }
  >();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = upcomingTtlMs,
  ) {}

  get(key: string, fetch: () => Promise<UpcomingAnswer>, options: { refresh?: boolean } = {}): Promise<UpcomingAnswer> {
    const now = this.clock.now().getTime();
    const entry = this.entries.get(key);
    if (entry && !options.refresh && now - entry.fetchedAt < this.ttlMs) return entry.answer;
    const answer = fetch();
    const fresh: { fetchedAt: number; answer: Promise<UpcomingAnswer>; settled?: UpcomingAnswer } = {
      fetchedAt: now,
      answer,
    };
    this.entries.set(key, fresh);
    answer.then(
      (settled) => {
        fresh.settled = settled;
      },
      () => {
        if (this.entries.get(key) === fresh) this.entries.delete(key);
      },
    );
    this.forgetStale(now);
    return answer;
  }

  /** A recent answer already in hand, without asking Zoom nor waiting for a request under way. */
  peek(key: string): UpcomingAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry || this.clock.now().getTime() - entry.fetchedAt >= this.ttlMs) return undefined;
    return entry.settled;
  }

  private forgetStale(now: number): void {
    for (const [key, entry] of this.entries) if (now - entry.fetchedAt >= this.ttlMs) this.entries.delete(key);
  }
}
