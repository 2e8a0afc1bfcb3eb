/**
 * Issue 14, item 6: a hold that cannot fit is refused from the committed
 * holds, without queueing for the per-Zoom-user lock that placements take
 * (PostgreSQL: an advisory lock; SQLite: the write lock). Under a burst of
 * holds for one Zoom user, every refusal used to wait its turn behind every
 * placement. Here another placement holds the lock (a second connection, as
 * another server process would), and the refusal still answers; a hold that
 * may fit still waits for the lock, so the limit is never exceeded
 * (holds-race.test.ts checks that under 50 concurrent requests).
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { type DB, openDatabase } from "../../src/store/database.ts";
import { isPostgres } from "../../src/store/dialect.ts";
import { type HoldOutcome, placeHold } from "../../src/zoom-hosts/holds.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const tenant = { hostId: "portal-a", orgId: "sakura" };
const zoomUserId = "zU_recruiting";
const hour = 3600_000;

let database: TestDatabase;
let other: DB;

beforeAll(async () => {
  database = await createTestDatabase();
  other = openDatabase(database.options);
});
afterAll(async () => {
  await other?.destroy();
  await database?.close();
});

const interval = (hours: number) => {
  const start = new Date(Math.floor(Date.now() / hour) * hour + hours * hour);
  return { start, end: new Date(start.getTime() + hour) };
};

const place = (hours: number) =>
  placeHold(database.db, systemClock, tenant, {
    zoomUserId,
    ...interval(hours),
    limit: 2,
    zoomMeetings: [],
    createdBy: "ken",
  });

/** Takes the lock a placement for the Zoom user takes, on the other connection, until `release` is called. */
async function holdTheLock(): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const taken = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const transaction = other.transaction().execute(async (trx) => {
    const key = JSON.stringify(["zoom-host", tenant.hostId, tenant.orgId, zoomUserId]);
    if (isPostgres(trx as never)) await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
    else await sql`update zoom_holds set id = id where 0 = 1`.execute(trx);
    locked();
    await released;
  });
  await taken;
  return {
    async release() {
      release();
      await transaction;
    },
  };
}

/** The outcome if it comes within `ms`, else "still waiting". */
async function within(ms: number, outcome: Promise<HoldOutcome>): Promise<HoldOutcome | "still waiting"> {
  let timer: NodeJS.Timeout | undefined;
  const waiting = new Promise<"still waiting">((resolve) => {
    timer = setTimeout(() => resolve("still waiting"), ms);
  });
  try {
    return await Promise.race([outcome, waiting]);
  } finally {
    clearTimeout(timer);
  }
}

describe("placeHold while another placement for the Zoom user holds the lock", () => {
  it("refuses a hold that cannot fit without waiting for the lock", async () => {
    expect((await place(100)).placed).toBe(true);
    expect((await place(100)).placed).toBe(true);
    const lock = await holdTheLock();
    const refused = place(100);
    try {
      expect(await within(3_000, refused)).toEqual({ placed: false, load: 2 });
    } finally {
      await lock.release();
      await refused.catch(() => undefined);
    }
  });

  it("places a hold that fits once the lock is free, and the limit still holds after", async () => {
    const lock = await holdTheLock();
    const placing = place(200);
    await lock.release();
    expect((await placing).placed).toBe(true);
    expect((await place(200)).placed).toBe(true);
    expect(await place(200)).toEqual({ placed: false, load: 2 });
  });
});
