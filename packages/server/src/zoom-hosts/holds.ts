/**
 * Holds as database facts. Placing one reads the Zoom user's live holds and
 * writes the new one in one transaction that first takes a per-Zoom-user lock
 * (PostgreSQL: a transaction-scoped advisory lock, held by whichever server
 * process got it until it commits; SQLite: the database's write lock, taken
 * by a first statement that writes), so two placements for one Zoom user
 * never both read the state before the other's insert. The count is the most
 * holds and Zoom meetings running at one instant (overlap.ts), so partial
 * overlaps count and back-to-back ones do not.
 *
 * A hold not confirmed by a meeting lapses at `expires_at` by itself:
 * readers skip lapsed rows, and the next placement for that Zoom user
 * that may fit deletes them.
 *
 * A placement that cannot fit is refused before the lock, from the
 * committed holds: holds are only added under the lock, so such a refusal
 * is one a locked read would have given a moment earlier.
 *
 * A hold may be placed before Zoom's meetings are known (a booking reads
 * them beside making its meeting rather than before it): `settleHold` then
 * counts Zoom's answer against it under the same lock, and the caller undoes
 * the booking when it no longer fits.
 */
import { randomUUID } from "node:crypto";
import { type Expression, type ExpressionBuilder, type Selectable, type SqlBool, sql } from "kysely";
import pg from "pg";
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import { isPostgres } from "../store/dialect.ts";
import { preparedRead } from "../store/prepared-read.ts";
import { coalescedOnPostgres, keyRows } from "../store/read-coalescer.ts";
import type { Database, ZoomHoldsTable } from "../store/schema.ts";
import { type OrgScope, orgScopeColumns } from "../store/tenancy.ts";
import { fitsWithin, type Interval, peakConcurrency } from "./overlap.ts";

export type HoldRow = Selectable<ZoomHoldsTable>;

/** How long a hold waits for its meeting before it lapses. */
export const holdLifetimeMs = 5 * 60_000;

/** A meeting Zoom reports for the Zoom user (made by us or anyone else). */
export interface ZoomMeetingInterval extends Interval {
  meetingId: string;
}

export interface HoldRequest {
  zoomUserId: string;
  start: Date;
  end: Date;
  limit: number;
  /** Zoom's upcoming meetings of this user; those that confirm one of our holds are counted once. */
  zoomMeetings: readonly ZoomMeetingInterval[];
  createdBy: string;
  /** The hold's id, chosen by the caller and stored before placing it, so a crash cannot lose it (fresh if absent). */
  id?: string;
}

/** A hold row's condition in a query, given the instant as an ISO string. */
type HoldCondition = (eb: ExpressionBuilder<Database, "zoom_holds">) => Expression<SqlBool>;

/** The hold has not lapsed at `at`: confirmed by a meeting (no expiry) or not yet expired. */
function notLapsedAt(at: string | Expression<string>): HoldCondition {
  return (eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", at)]);
}

/**
 * `notLapsedAt` for a row in hand, the same comparison of ISO texts: both are `toISOString`'s, of one width with their
 * separators in the same places, so their order is their instants' in JavaScript as in any collation of the database.
 */
function liveAt(hold: Pick<HoldRow, "expires_at">, at: string): boolean {
  return hold.expires_at === null || hold.expires_at > at;
}

/** The hold no longer counts at `at`: it lapsed, or its time is over (what a purge deletes). */
function noLongerCountsAt(at: string): HoldCondition {
  return (eb) => eb.or([eb("expires_at", "<=", at), eb("ends_at", "<=", at)]);
}

export type HoldOutcome = { placed: true; hold: HoldRow } | { placed: false; load: number };

export async function placeHold(db: DB, clock: Clock, tenant: OrgScope, request: HoldRequest): Promise<HoldOutcome> {
  const range = { start: request.start.getTime(), end: request.end.getTime() };
  // Holds are only added under the lock, so when the committed ones already leave no room the request is refused
  // here, as a locked read a moment earlier would have refused it: under a burst for one Zoom user only requests
  // that may fit queue for the lock (issue 14: 50 concurrent holds on PostgreSQL with two processes queued every
  // request behind the lock, refusals included). A read, so it waits for no writer on SQLite either (WAL).
  const committed = await liveHolds(db, tenant, [request.zoomUserId], request.start, request.end, clock.now());
  const seen = busyIntervals(committed, request.zoomMeetings);
  if (!fitsWithin(seen, range, request.limit)) return { placed: false, load: peakConcurrency(seen, range) };
  if (isPostgres(db as never)) return placeOnPostgres(db, clock, tenant, request);
  return db.transaction().execute(async (trx) => {
    await lockZoomUser(trx, tenant, request.zoomUserId);
    const now = clock.now();
    await purgeLapsedHolds(trx, tenant, request.zoomUserId, now);
    const holds = await liveHolds(trx, tenant, [request.zoomUserId], request.start, request.end, now);
    const busy = busyIntervals(holds, request.zoomMeetings);
    if (!fitsWithin(busy, range, request.limit)) return { placed: false, load: peakConcurrency(busy, range) };
    const hold = newHold(tenant, request, now);
    await trx.insertInto("zoom_holds").values(hold).execute();
    return { placed: true, hold };
  });
}

/**
 * The locked part of a placement on PostgreSQL in three round trips instead of six: `begin` with the lock in one
 * message, then the purge, the insert and the read of the live holds as one statement (their CTEs share one
 * snapshot, taken after the lock was granted, so the read sees every hold committed before; it does not see the row
 * inserted beside it nor the rows purged beside it, which the read's own filter leaves out), then `commit`, or
 * `rollback` when the new hold does not fit after all (nobody else ever saw it: the lock is held until then).
 */
async function placeOnPostgres(db: DB, clock: Clock, tenant: OrgScope, request: HoldRequest): Promise<HoldOutcome> {
  const range = { start: request.start.getTime(), end: request.end.getTime() };
  return lockedOnPostgres<HoldOutcome>(db, tenant, request.zoomUserId, async (trx) => {
    const now = clock.now();
    const at = now.toISOString();
    const hold = newHold(tenant, request, now);
    const holds = await trx
      .with("purged", (cte) =>
        cte
          .deleteFrom("zoom_holds")
          .where("host_id", "=", tenant.hostId)
          .where("org_id", "=", tenant.orgId)
          .where("zoom_user_id", "=", request.zoomUserId)
          .where(noLongerCountsAt(at)),
      )
      .with("inserted", (cte) => cte.insertInto("zoom_holds").values(hold))
      .selectFrom("zoom_holds")
      .selectAll()
      .where("host_id", "=", tenant.hostId)
      .where("org_id", "=", tenant.orgId)
      .where("zoom_user_id", "=", request.zoomUserId)
      .where("starts_at", "<", request.end.toISOString())
      .where("ends_at", ">", request.start.toISOString())
      // What the purge beside it deletes does not count either.
      .where("ends_at", ">", at)
      .where(notLapsedAt(at))
      .execute();
    const busy = busyIntervals(holds, request.zoomMeetings);
    if (!fitsWithin(busy, range, request.limit))
      return { keep: false, outcome: { placed: false, load: peakConcurrency(busy, range) } };
    return { keep: true, outcome: { placed: true, hold } };
  });
}

/**
 * Runs `work` in a transaction holding the Zoom user's advisory lock (as `lockZoomUser`), with `begin` and the lock
 * sent as one message (the simple query protocol runs both in order, one round trip); commits when `work` keeps its
 * writes, else rolls them back. PostgreSQL only.
 */
async function lockedOnPostgres<T>(
  db: DB,
  tenant: OrgScope,
  zoomUserId: string,
  work: (trx: DB) => Promise<{ keep: boolean; outcome: T }>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    // No bound values, so pg sends it as a simple query; the key is a quoted literal.
    await sql
      .raw(`begin; select pg_advisory_xact_lock(hashtextextended(${pg.escapeLiteral(lockKey(tenant, zoomUserId))}, 0))`)
      .execute(connection);
    let result: { keep: boolean; outcome: T };
    try {
      result = await work(connection);
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => undefined);
      throw error;
    }
    await sql.raw(result.keep ? "commit" : "rollback").execute(connection);
    return result.outcome;
  });
}

/** Runs `work` in a transaction holding the Zoom user's lock, committing what it wrote (on PostgreSQL `begin` and the
 * lock in one round trip). */
async function underZoomUserLock<T>(
  db: DB,
  tenant: OrgScope,
  zoomUserId: string,
  work: (trx: DB) => Promise<T>,
): Promise<T> {
  if (isPostgres(db as never))
    return lockedOnPostgres(db, tenant, zoomUserId, async (trx) => ({ keep: true, outcome: await work(trx) }));
  return db.transaction().execute(async (trx) => {
    await lockZoomUser(trx, tenant, zoomUserId);
    return work(trx);
  });
}

function newHold(tenant: OrgScope, request: HoldRequest, now: Date): HoldRow {
  return {
    id: request.id ?? randomUUID(),
    host_id: tenant.hostId,
    org_id: tenant.orgId,
    zoom_user_id: request.zoomUserId,
    starts_at: request.start.toISOString(),
    ends_at: request.end.toISOString(),
    expires_at: new Date(now.getTime() + holdLifetimeMs).toISOString(),
    meeting_id: null,
    created_by: request.createdBy,
    created_at: now.toISOString(),
  };
}

/**
 * Moves a hold to another interval (an interview rescheduled), under the same lock and limit as a placement; the
 * hold itself, and the meeting that confirms it, are not counted against the move.
 */
export async function moveHold(
  db: DB,
  clock: Clock,
  tenant: OrgScope,
  id: string,
  request: Omit<HoldRequest, "createdBy" | "id">,
): Promise<HoldOutcome> {
  const range = { start: request.start.getTime(), end: request.end.getTime() };
  return underZoomUserLock(db, tenant, request.zoomUserId, async (trx) => {
    const now = clock.now();
    const current = await findHold(trx, tenant, id);
    if (!current) return { placed: false, load: 0 };
    const holds = (await liveHolds(trx, tenant, [request.zoomUserId], request.start, request.end, now)).filter(
      (hold) => hold.id !== id,
    );
    const own = current.meeting_id;
    const meetings = request.zoomMeetings.filter((meeting) => meeting.meetingId !== own);
    const busy = busyIntervals(holds, meetings);
    if (!fitsWithin(busy, range, request.limit)) return { placed: false, load: peakConcurrency(busy, range) };
    const moved = { ...current, starts_at: request.start.toISOString(), ends_at: request.end.toISOString() };
    await trx
      .updateTable("zoom_holds")
      .set({ starts_at: moved.starts_at, ends_at: moved.ends_at })
      .where("id", "=", id)
      .execute();
    return { placed: true, hold: moved };
  });
}

export interface SettleRequest {
  zoomUserId: string;
  /** The meeting made on the hold; left out of Zoom's answer, which may or may not list it yet. */
  meetingId: string;
  limit: number;
  /** Zoom's upcoming meetings of this user, read afresh. */
  zoomMeetings: readonly ZoomMeetingInterval[];
}

/**
 * Counts Zoom's meetings against a hold placed without them: under the Zoom user's lock, the hold must still fit
 * beside the user's other live holds and Zoom's meetings (those confirming a hold counted once, its own meeting left
 * out). When it does, the hold names its meeting from then on, so every later count takes the two for one; it still
 * lapses until `confirmHold` (the booking done). Refused (load 0) when the hold is gone or lapsed.
 */
export async function settleHold(
  db: DB,
  clock: Clock,
  tenant: OrgScope,
  id: string,
  request: SettleRequest,
): Promise<HoldOutcome> {
  return underZoomUserLock(db, tenant, request.zoomUserId, async (trx) => {
    const now = clock.now();
    const current = await findHold(trx, tenant, id);
    if (!current || !liveAt(current, now.toISOString()) || current.zoom_user_id !== request.zoomUserId)
      return { placed: false, load: 0 };
    const start = new Date(current.starts_at);
    const end = new Date(current.ends_at);
    const range = { start: start.getTime(), end: end.getTime() };
    const holds = (await liveHolds(trx, tenant, [request.zoomUserId], start, end, now)).filter(
      (hold) => hold.id !== id,
    );
    const meetings = request.zoomMeetings.filter((meeting) => meeting.meetingId !== request.meetingId);
    const busy = busyIntervals(holds, meetings);
    if (!fitsWithin(busy, range, request.limit)) return { placed: false, load: peakConcurrency(busy, range) };
    await trx.updateTable("zoom_holds").set({ meeting_id: request.meetingId }).where("id", "=", id).execute();
    return { placed: true, hold: { ...current, meeting_id: request.meetingId } };
  });
}

const orgHoldRows = preparedRead(["hostId", "orgId", "start", "end", "now"], (db, values) =>
  db
    .selectFrom("zoom_holds")
    .selectAll()
    .where("host_id", "=", values.hostId)
    .where("org_id", "=", values.orgId)
    .where("starts_at", "<", values.end)
    .where("ends_at", ">", values.start)
    .where(notLapsedAt(values.now)),
);

/**
 * PostgreSQL: the holds of several organisations' intervals in one query, each row with the interval it answers (a
 * hold in two of them comes once for each), live at the clock each key carries.
 */
const orgHoldRowsAmong = preparedRead(["hostIds", "orgIds", "starts", "ends", "nows"], (db, keys) =>
  db
    .selectFrom("zoom_holds")
    .innerJoin(
      keyRows<{ host_id: string; org_id: string; range_start: string; range_end: string; now: string }>([
        keys.hostIds,
        keys.orgIds,
        keys.starts,
        keys.ends,
        keys.nows,
      ]).as<"asked">(sql`asked(host_id, org_id, range_start, range_end, now)`),
      (join) =>
        join
          .onRef("zoom_holds.host_id", "=", "asked.host_id")
          .onRef("zoom_holds.org_id", "=", "asked.org_id")
          .onRef("zoom_holds.starts_at", "<", "asked.range_end")
          .onRef("zoom_holds.ends_at", ">", "asked.range_start"),
    )
    .selectAll("zoom_holds")
    .select(["asked.range_start", "asked.range_end"])
    .where(notLapsedAt(sql.ref("asked.now"))),
);

/** A hosts query's read of its organisation's holds: the interval asked about and the request's clock, as ISO text. */
interface OrgHoldsKey extends OrgScope {
  start: string;
  end: string;
  now: string;
}

const orgHoldsIdentity = (hostId: string, orgId: string, start: string, end: string) =>
  JSON.stringify([hostId, orgId, start, end]);

/**
 * On PostgreSQL the hosts queries of one turn read their holds in one query, as their Zoom links and settings
 * (zoom-users.ts): fifty pickers opened at once sent fifty, each waking a PostgreSQL backend. A read is keyed by its
 * organisation and interval, not its clock, which differs between requests by microseconds: the batch reads at the
 * earliest clock of its reads of a key, the holds live then are all that may be live at a later one, and each read
 * leaves out those lapsed at its own (`liveAt`), so answering the rows its own query would have.
 */
const coalescedOrgHolds = coalescedOnPostgres<OrgHoldsKey, { identity: string; hold: HoldRow }>({
  identify: (key) => orgHoldsIdentity(key.hostId, key.orgId, key.start, key.end),
  identifyRow: (row) => row.identity,
  // ISO texts of one width: the earlier text is the earlier instant.
  joinKey: (pending, joining) => (joining.now < pending.now ? joining : pending),
  readMany: async (db, keys) => {
    const rows = await orgHoldRowsAmong(db, {
      ...orgScopeColumns(keys),
      starts: keys.map((key) => key.start),
      ends: keys.map((key) => key.end),
      nows: keys.map((key) => key.now),
    });
    return rows.map(({ range_start, range_end, ...hold }) => ({
      identity: orgHoldsIdentity(hold.host_id, hold.org_id, range_start, range_end),
      hold,
    }));
  },
  readOne: async (db, key) => {
    const identity = orgHoldsIdentity(key.hostId, key.orgId, key.start, key.end);
    return (await orgHoldRows(db, key)).map((hold) => ({ identity, hold }));
  },
});

/**
 * Every Zoom user's holds in the organisation that overlap [start, end) and have not lapsed at `now`: read without
 * knowing which Zoom users are linked, so beside reading them (the hosts query's one round of reads); compiled once,
 * and on PostgreSQL read with the turn's other hosts queries' holds. In no particular order (as the query's).
 */
export async function liveHoldsOfOrg(db: DB, tenant: OrgScope, start: Date, end: Date, now: Date): Promise<HoldRow[]> {
  const key = {
    hostId: tenant.hostId,
    orgId: tenant.orgId,
    start: start.toISOString(),
    end: end.toISOString(),
    now: now.toISOString(),
  };
  const coalesced = coalescedOrgHolds(db);
  if (!coalesced) return orgHoldRows(db, key);
  return (await coalesced(key)).flatMap(({ hold }) => (liveAt(hold, key.now) ? [hold] : []));
}

/** Holds of these Zoom users that overlap [start, end) and have not lapsed at `now`. */
export async function liveHolds(
  db: DB,
  tenant: OrgScope,
  zoomUserIds: readonly string[],
  start: Date,
  end: Date,
  now: Date,
): Promise<HoldRow[]> {
  if (zoomUserIds.length === 0) return [];
  const at = now.toISOString();
  return db
    .selectFrom("zoom_holds")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("zoom_user_id", "in", [...zoomUserIds])
    .where("starts_at", "<", end.toISOString())
    .where("ends_at", ">", start.toISOString())
    .where(notLapsedAt(at))
    .execute();
}

/** Our holds plus Zoom's meetings, a meeting that confirms one of the holds counted once. */
export function busyIntervals(holds: readonly HoldRow[], zoomMeetings: readonly ZoomMeetingInterval[]): Interval[] {
  const confirmed = new Set(holds.flatMap((hold) => (hold.meeting_id ? [hold.meeting_id] : [])));
  return [
    ...holds.map((hold) => ({ start: Date.parse(hold.starts_at), end: Date.parse(hold.ends_at) })),
    ...zoomMeetings.filter((meeting) => !confirmed.has(meeting.meetingId)).map(({ start, end }) => ({ start, end })),
  ];
}

export async function findHold(db: DB, tenant: OrgScope, id: string): Promise<HoldRow | undefined> {
  return db
    .selectFrom("zoom_holds")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Releases a hold; false when there was none. */
export async function releaseHold(db: DB, tenant: OrgScope, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("zoom_holds")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A meeting now stands on the hold: it no longer lapses. False when the hold is gone or had lapsed. */
export async function confirmHold(
  db: DB,
  clock: Clock,
  tenant: OrgScope,
  id: string,
  meetingId: string,
): Promise<boolean> {
  const result = await db
    .updateTable("zoom_holds")
    .set({ expires_at: null, meeting_id: meetingId })
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("id", "=", id)
    .where(notLapsedAt(clock.now().toISOString()))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Tidies one Zoom user's rows that no longer count: lapsed holds and holds whose time is over. Correctness never
 * depends on it. */
async function purgeLapsedHolds(db: DB, tenant: OrgScope, zoomUserId: string, now: Date): Promise<void> {
  const at = now.toISOString();
  await db
    .deleteFrom("zoom_holds")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("zoom_user_id", "=", zoomUserId)
    .where(noLongerCountsAt(at))
    .execute();
}

/**
 * Serialises hold placements of one Zoom user in the tenant until the
 * transaction ends. The first statement of the transaction: on SQLite a
 * transaction that has read cannot take the write lock once another process
 * wrote (SQLITE_BUSY without waiting), so it starts with a write that changes
 * nothing, which waits on the busy timeout instead (as BEGIN IMMEDIATE would).
 */
async function lockZoomUser(db: DB, tenant: OrgScope, zoomUserId: string): Promise<void> {
  const key = lockKey(tenant, zoomUserId);
  if (isPostgres(db as never)) await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(db);
  else await sql`update zoom_holds set id = id where 0 = 1`.execute(db);
}

/** The advisory lock's key text for one Zoom user of the tenant. */
function lockKey(tenant: OrgScope, zoomUserId: string): string {
  return JSON.stringify(["zoom-host", tenant.hostId, tenant.orgId, zoomUserId]);
}
