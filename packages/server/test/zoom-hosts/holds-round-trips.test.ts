/**
 * Issue 14, item 6: on PostgreSQL a hold's placement talks to the database as
 * few times as its guarantees allow, since every other placement for that
 * Zoom user (in any process) queues on the advisory lock while it does: the
 * read of the committed holds before the lock, then `begin` with the lock in
 * one message, the purge, insert and read as one statement, and `commit`.
 * Counted at pg's client (one `query` is one round trip), without timing.
 * The limit itself under concurrency is holds-race.test.ts's and
 * holds-lock.test.ts's; here the counted placements still keep it, and on
 * either database a placement purges the Zoom user's lapsed holds (on
 * PostgreSQL in the statement that inserts).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { liveHolds, placeHold } from "../../src/zoom-hosts/holds.ts";
import { createTestDatabase, type TestDatabase, testDatabaseUrl } from "../support/database.ts";

const tenant = { hostId: "portal-a", orgId: "sakura" };
const zoomUserId = "zU_recruiting";
const hour = 3600_000;

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

const interval = (hours: number) => {
  const start = new Date(Math.floor(Date.now() / hour) * hour + hours * hour);
  return { start, end: new Date(start.getTime() + hour) };
};

/** Places a hold and answers its outcome with the round trips it took (pg `query` calls while it ran). */
async function placeCounted(hours: number) {
  const query = pg.Client.prototype.query;
  let roundTrips = 0;
  pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
    roundTrips++;
    return (query as (...all: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    const outcome = await placeHold(database.db, systemClock, tenant, {
      zoomUserId,
      ...interval(hours),
      limit: 2,
      zoomMeetings: [],
      createdBy: "ken",
    });
    return { outcome, roundTrips };
  } finally {
    pg.Client.prototype.query = query;
  }
}

describe("placeHold", () => {
  it("purges the Zoom user's lapsed holds as it places, and does not count them", async () => {
    const placeAt = (now: Date) =>
      placeHold(database.db, { now: () => now }, tenant, {
        zoomUserId,
        ...interval(300),
        limit: 2,
        zoomMeetings: [],
        createdBy: "ken",
      });
    expect((await placeAt(new Date())).placed).toBe(true);
    expect((await placeAt(new Date())).placed).toBe(true);
    expect((await placeAt(new Date())).placed).toBe(false);
    // Ten minutes on, both have lapsed (five minutes): a third fits, and the lapsed ones are gone.
    const placed = await placeAt(new Date(Date.now() + 10 * 60_000));
    expect(placed.placed).toBe(true);
    const rows = await database.db
      .selectFrom("zoom_holds")
      .select("id")
      .where("zoom_user_id", "=", zoomUserId)
      .where("starts_at", "=", interval(300).start.toISOString())
      .execute();
    expect(rows.map((row) => row.id)).toEqual([placed.placed && placed.hold.id]);
  });
});

if (testDatabaseUrl) {
  describe("placeHold on PostgreSQL", () => {
    it("places a hold in four round trips: committed holds, begin with the lock, one statement, commit", async () => {
      // The pool's connections are opened first: connecting is not the placement's.
      await Promise.all(Array.from({ length: 4 }, () => liveHolds(database.db, tenant, [zoomUserId], ...range())));
      const first = await placeCounted(100);
      expect(first.outcome.placed).toBe(true);
      expect(first.roundTrips).toBe(4);
      const second = await placeCounted(100);
      expect(second.outcome.placed).toBe(true);
      expect(second.roundTrips).toBe(4);
    });

    it("refuses a hold the committed holds leave no room for in one round trip, and keeps the limit", async () => {
      const refused = await placeCounted(100);
      expect(refused).toEqual({ outcome: { placed: false, load: 2 }, roundTrips: 1 });
      const [start, end, now] = range(100);
      expect(await liveHolds(database.db, tenant, [zoomUserId], start, end, now)).toHaveLength(2);
    });
  });
}

function range(hours = 100): [Date, Date, Date] {
  const { start, end } = interval(hours);
  return [start, end, new Date()];
}
