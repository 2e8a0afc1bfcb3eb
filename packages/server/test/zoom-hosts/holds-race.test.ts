/**
 * Issue 10, item 7: holds under concurrency through the public API of real
 * server processes (`src/main.ts`) on one database and one Zoom fake: two
 * processes on PostgreSQL, one on SQLite (the SQLite project). The shared
 * recruiting Zoom user is licensed on a Business plan, so it may run two
 * meetings at once. A sweep over the stored holds then looks at every
 * instant where a hold starts (the count can only rise there) and finds none
 * over the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Person, startZoomServers, tenant, type ZoomServers } from "../e2e/zoom-servers.ts";
import { testDatabaseUrl } from "../support/database.ts";

const processCount = testDatabaseUrl ? 2 : 1;
const limit = 2;
const admin: Person = { sub: "hanako", role: "admin" };
const recruiter: Person = { sub: "ken", role: "recruiter" };
const hour = 3600_000;

let t: ZoomServers;

beforeAll(async () => {
  t = await startZoomServers(processCount);
  const [first] = t.processes;
  await t.link(first!, admin, "zU_hanako", "org");
  await t.link(first!, recruiter, "zU_recruiting", "personal");
  const settings = await t.call(first!, admin, "PUT", "/v1/zoom/settings", { plan: "business", limits: {} });
  expect(settings.status).toBe(200);
}, 90_000);

afterAll(async () => {
  await t?.close();
});

interface Attempt {
  start: string;
  end: string;
  status: number;
  body: Record<string, any>;
}

async function holdConcurrently(intervals: Array<{ start: Date; end: Date }>): Promise<Attempt[]> {
  return Promise.all(
    intervals.map(async ({ start, end }, index) => {
      const server = t.processes[index % t.processes.length]!;
      const response = await t.call(server, recruiter, "POST", "/v1/zoom/holds", {
        zoomUserId: "zU_recruiting",
        start: start.toISOString(),
        end: end.toISOString(),
      });
      return {
        start: start.toISOString(),
        end: end.toISOString(),
        status: response.status,
        body: (await response.json()) as Record<string, any>,
      };
    }),
  );
}

/** The most stored, unlapsed holds of the recruiting user running at one instant, found by checking every instant a
 * hold starts. */
async function sweepPeak(): Promise<number> {
  const now = new Date().toISOString();
  const holds = await t.db
    .selectFrom("zoom_holds")
    .select(["starts_at", "ends_at", "expires_at"])
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("zoom_user_id", "=", "zU_recruiting")
    .execute();
  const live = holds
    .filter((hold) => hold.expires_at === null || hold.expires_at > now)
    .map((hold) => ({ start: Date.parse(hold.starts_at), end: Date.parse(hold.ends_at) }));
  let peak = 0;
  for (const { start: instant } of live)
    peak = Math.max(peak, live.filter((hold) => hold.start <= instant && instant < hold.end).length);
  return peak;
}

const base = () => Math.floor(Date.now() / hour) * hour + 48 * hour;

describe(`50 concurrent holds of one Zoom user through ${processCount} server process(es)`, () => {
  it("for the same interval: exactly the limit succeed, the rest answer 409 zoom_host_busy", async () => {
    const start = new Date(base());
    const attempts = await holdConcurrently(
      Array.from({ length: 50 }, () => ({ start, end: new Date(start.getTime() + hour) })),
    );
    const placed = attempts.filter((attempt) => attempt.status === 201);
    const refused = attempts.filter((attempt) => attempt.status !== 201);
    expect(placed).toHaveLength(limit);
    expect(new Set(refused.map((attempt) => `${attempt.status} ${attempt.body.error?.code}`))).toEqual(
      new Set(["409 zoom_host_busy"]),
    );
    for (const attempt of placed)
      expect(attempt.body).toMatchObject({
        zoomUserId: "zU_recruiting",
        start: attempt.start,
        end: attempt.end,
        expiresAt: expect.any(String),
      });
    expect(await sweepPeak()).toBeLessThanOrEqual(limit);
  }, 60_000);

  it("for partially overlapping intervals: no instant over the limit, " +
    "and every refused hold would have gone over it", async () => {
    // Hour-long holds starting every 15 minutes: each overlaps the three before and the three after it, partly.
    const first = base() + 24 * hour;
    const intervals = Array.from({ length: 50 }, (_, index) => ({
      start: new Date(first + index * 15 * 60_000),
      end: new Date(first + index * 15 * 60_000 + hour),
    }));
    const attempts = await holdConcurrently(intervals);
    const placed = attempts.filter((attempt) => attempt.status === 201);
    const refused = attempts.filter((attempt) => attempt.status !== 201);
    expect(new Set(refused.map((attempt) => `${attempt.status} ${attempt.body.error?.code}`))).toEqual(
      new Set(["409 zoom_host_busy"]),
    );
    expect(await sweepPeak()).toBeLessThanOrEqual(limit);
    // Holds are never removed here, so what refused a hold is still stored: with it added, some instant would exceed
    // the limit.
    const placedIntervals = placed.map((attempt) => ({
      start: Date.parse(attempt.start),
      end: Date.parse(attempt.end),
    }));
    for (const attempt of refused) {
      const wanted = { start: Date.parse(attempt.start), end: Date.parse(attempt.end) };
      const instants = [
        wanted.start,
        ...placedIntervals
          .map((interval) => interval.start)
          .filter((instant) => wanted.start <= instant && instant < wanted.end),
      ];
      const worst = Math.max(
        ...instants.map(
          (instant) => placedIntervals.filter((interval) => interval.start <= instant && instant < interval.end).length,
        ),
      );
      expect(worst + 1, `${attempt.start}–${attempt.end}`).toBeGreaterThan(limit);
    }
    // At least every other quarter-hour start fits two at a time: far more than the limit alone.
    expect(placed.length).toBeGreaterThanOrEqual(12);
  }, 60_000);
});
