/**
 * The interview's durable record: rows in and out of `interviews`, the view
 * every route answers, and the saga's lease. Each process works on an
 * interview only while it holds the lease (renewed by a heartbeat while it
 * works); every write of progress is conditional on still holding it, so a
 * process that lost it (paused past its lease, say) can never overwrite the
 * one that took over. Settling writes the final state, tells the observers
 * and stores the Idempotency-Key's answer in one transaction.
 */
import { randomUUID } from "node:crypto";
import type { InterviewCandidate, InterviewDrift, InterviewPerson, InterviewView } from "@tsunagu/contract";
import type { Selectable, Transaction, Updateable } from "kysely";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { databaseRetryAfterSeconds, isDatabaseBusy } from "../store/availability.ts";
import type { DB } from "../store/database.ts";
import { heartbeat } from "../store/heartbeat.ts";
import type { Database, InterviewsTable } from "../store/schema.ts";
import type { OrgScope } from "../store/tenancy.ts";
import type { InterviewChange, InterviewObserver } from "./ports.ts";

export type InterviewRow = Selectable<InterviewsTable>;
export type InterviewUpdate = Updateable<InterviewsTable>;

/** This process, as a lease holder. */
export const processHolder = `${process.pid}:${randomUUID()}`;

export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor(readonly interviewId: string) {
    super(`another process took over interview ${interviewId}`);
  }
}

/**
 * What a request answers when another process took its interview over: this process could not renew the lease for
 * a whole lease (the database out of its reach, while another process reached it), and that process settles it.
 */
export function takenOver(error: LeaseLostError): ApiError {
  return new ApiError(
    503,
    "database_unavailable",
    "This server could not reach the database for a while, and another server process is finishing this " +
      "interview: read it with GET /v1/interviews/:id (a booking sent again with its Idempotency-Key answers how " +
      "it ended).",
    {
      cause: error,
      details: { interviewId: error.interviewId },
      headers: { "Retry-After": String(databaseRetryAfterSeconds) },
    },
  );
}

/**
 * What a booking or change answers when its own write could not reach the database: the interview is left as it
 * stood, and this process's recovery pass finishes or undoes it once the database answers (README, database
 * outages). Named, so that a portal that sent no Idempotency-Key can still find the booking.
 */
export function cutOffByDatabase(interviewId: string, error: unknown): ApiError {
  const busy = isDatabaseBusy(error);
  return new ApiError(
    503,
    busy ? "server_busy" : "database_unavailable",
    `${busy ? "Every database connection was in use" : "The database stopped answering"} while this interview was ` +
      "being booked or changed: it is finished or put back once the database answers; read it with " +
      "GET /v1/interviews/:id (a booking sent again with its Idempotency-Key answers how it ended).",
    {
      cause: error,
      details: { interviewId },
      headers: { "Retry-After": String(databaseRetryAfterSeconds) },
    },
  );
}

export async function findInterview(db: DB, tenant: OrgScope, id: string): Promise<InterviewRow | undefined> {
  return db
    .selectFrom("interviews")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export interface ListQuery {
  status?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
}

/** The organisation's interviews by start time; `from`/`to` keep those overlapping [from, to). */
export async function listInterviews(db: DB, tenant: OrgScope, query: ListQuery): Promise<InterviewRow[]> {
  let select = db
    .selectFrom("interviews")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId);
  if (query.status) select = select.where("status", "=", query.status);
  if (query.from) select = select.where("ends_at", ">", query.from.toISOString());
  if (query.to) select = select.where("starts_at", "<", query.to.toISOString());
  return select.orderBy("starts_at").orderBy("id").limit(query.limit).execute();
}

export interface Leases {
  /**
   * Takes the lease when it is free or lapsed (and `status` is one of `statuses`), setting `changes` with it; with
   * `unchanged`, only while those columns still hold those values (the interview as the caller read it).
   */
  claim(
    id: string,
    statuses: readonly string[],
    changes?: InterviewUpdate,
    unchanged?: Partial<InterviewRow>,
  ): Promise<InterviewRow | undefined>;
  /** Writes progress while holding the lease; LeaseLostError when another process took it. */
  save(id: string, changes: InterviewUpdate): Promise<InterviewRow>;
  /**
   * Renews the lease every third of its length until stopped, through renewals the database refused (it answers
   * again), until another process took it; meanwhile this process claims the interview for nothing else, lapsed or not.
   */
  keep(id: string): { stop(): void };
  /**
   * This process's work on the interview ended because the database could not be reached: the record stays as it
   * stood (it could not be written), for the recovery pass of this process, which tells that from a crash by it.
   */
  cutOff(id: string): void;
  /** Whether this process's work on the interview was cut off by the database (until `forgetCutOff`). */
  wasCutOff(id: string): boolean;
  /** The recovery pass recorded why: the cut-off is no longer needed. */
  forgetCutOff(id: string): void;
  /**
   * This process's change of the interview (to `moved`'s times) ended without settling, taken over or cut off while its
   * provider writes were under way: one of them may have landed after another process put the interview back. The
   * recovery pass of this process looks at the providers once the interview is settled again (`lateWrites`).
   */
  wroteLate(id: string, moved: LateWrite): void;
  /** The interviews `wroteLate` named and the pass has not yet looked at, oldest first. */
  lateWrites(): Array<[id: string, moved: LateWrite]>;
  forgetLateWrite(id: string): void;
  /** The lease ends without settling (a change left for the recovery pass to finish). */
  release(id: string, changes?: InterviewUpdate): Promise<void>;
  /** The final state, the observers' records and the Idempotency-Key's answer, in one transaction. */
  settle(
    id: string,
    changes: InterviewUpdate,
    change: Omit<InterviewChange, "interview"> | undefined,
    answer: (row: InterviewRow, view: InterviewView) => { status: number; body: unknown },
  ): Promise<InterviewView>;
  expiry(): string;
}

/** Where a change that may have landed late moved the interview to. */
export interface LateWrite {
  starts_at: string;
  ends_at: string;
}

export interface LeaseDeps {
  db: DB;
  clock: Clock;
  logger: Logger;
  leaseMs: number;
  observers: readonly InterviewObserver[];
}

export function createLeases(deps: LeaseDeps): Leases {
  const { db, clock } = deps;
  const expiry = () => new Date(clock.now().getTime() + deps.leaseMs).toISOString();
  /** The interviews this process works on now (kept), and how many times each is kept. */
  const working = new Map<string, number>();
  /**
   * The interviews whose work in this process ended on the database being out of reach, for the recovery pass. Only
   * this process knows it did not crash; another process that takes one over tells a crash (README, Interviews).
   */
  const cutOff = new Set<string>();
  const maxCutOff = 1_000;
  const late = new Map<string, LateWrite>();
  const now = () => clock.now().toISOString();

  async function save(id: string, changes: InterviewUpdate): Promise<InterviewRow> {
    const row = await db
      .updateTable("interviews")
      .set({ ...changes, lease_expires_at: expiry(), updated_at: now() })
      .where("id", "=", id)
      .where("lease_holder", "=", processHolder)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new LeaseLostError(id);
    return row;
  }

  return {
    expiry,
    async claim(id, statuses, changes = {}, unchanged = {}) {
      // A lease this process's own work lets lapse (a renewal the database did not take in time) is still that
      // work's: taking it over here would undo or redo it under its feet, with the same holder, so both would write.
      if (working.has(id)) return undefined;
      const at = now();
      let claiming = db
        .updateTable("interviews")
        .set({ ...changes, lease_holder: processHolder, lease_expires_at: expiry(), updated_at: at })
        .where("id", "=", id)
        .where("status", "in", [...statuses])
        // Not re-entrant: every request of this process shares `processHolder`, so a lease this process already
        // holds is another request's (a PATCH racing a DELETE), and taking it would run both sagas at once.
        .where((eb) => eb.or([eb("lease_holder", "is", null), eb("lease_expires_at", "<=", at)]));
      for (const [column, value] of Object.entries(unchanged) as Array<[keyof InterviewRow, unknown]>)
        claiming = claiming.where(column, value === null ? "is" : "=", value as never);
      return claiming.returningAll().executeTakeFirst();
    },
    save,
    keep(id) {
      working.set(id, (working.get(id) ?? 0) + 1);
      const renewal = heartbeat(Math.max(50, Math.floor(deps.leaseMs / 3)), () =>
        save(id, {}).then(
          () => undefined,
          (error: unknown) => {
            // Lost: another process took over. Anything else (the database away a moment) is tried again.
            if (error instanceof LeaseLostError) return "lost" as const;
            deps.logger.warn("an interview's lease could not be renewed; trying again", { interviewId: id, error });
            return undefined;
          },
        ),
      );
      let stopped = false;
      return {
        stop() {
          void renewal.stop();
          if (stopped) return;
          stopped = true;
          const count = (working.get(id) ?? 1) - 1;
          if (count > 0) working.set(id, count);
          else working.delete(id);
        },
      };
    },
    cutOff(id) {
      cutOff.add(id);
      // One another process settled is never forgotten here (this pass no longer sees it): the oldest make room.
      if (cutOff.size > maxCutOff) cutOff.delete(cutOff.values().next().value as string);
    },
    wasCutOff: (id) => cutOff.has(id),
    forgetCutOff: (id) => void cutOff.delete(id),
    wroteLate(id, moved) {
      late.delete(id);
      late.set(id, moved);
      if (late.size > maxCutOff) late.delete(late.keys().next().value as string);
    },
    lateWrites: () => [...late],
    forgetLateWrite: (id) => void late.delete(id),
    async release(id, changes = {}) {
      await db
        .updateTable("interviews")
        .set({ ...changes, lease_holder: null, lease_expires_at: null, updated_at: now() })
        .where("id", "=", id)
        .where("lease_holder", "=", processHolder)
        .execute();
    },
    async settle(id, changes, change, answer) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable("interviews")
          .set({ ...changes, step: null, lease_holder: null, lease_expires_at: null, updated_at: now() })
          .where("id", "=", id)
          .where("lease_holder", "=", processHolder)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw new LeaseLostError(id);
        const view = await interviewView(trx, row);
        if (change) for (const observer of deps.observers) await observer.record(trx, { ...change, interview: view });
        const response = answer(row, view);
        await trx
          .updateTable("interview_idempotency_keys")
          .set({ response_status: response.status, response_body: JSON.stringify(response.body) })
          .where("interview_id", "=", id)
          .where("response_status", "is", null)
          .execute();
        return view;
      });
    },
  };
}

/** The view every interview route answers. */
export async function interviewView(db: DB | Transaction<Database>, row: InterviewRow): Promise<InterviewView> {
  const organiser = await db
    .selectFrom("users")
    .select(["name", "email"])
    .where("host_id", "=", row.host_id)
    .where("org_id", "=", row.org_id)
    .where("user_id", "=", row.organiser_user_id)
    .executeTakeFirst();
  return viewOf(row, {
    userId: row.organiser_user_id,
    name: organiser?.name ?? null,
    email: organiser?.email ?? null,
  });
}

export function viewOf(row: InterviewRow, organiser: InterviewPerson): InterviewView {
  const removed = row.status === "cancelled" || row.status === "failed";
  const view: InterviewView = {
    id: row.id,
    status: row.status as InterviewView["status"],
    title: row.title,
    start: row.starts_at,
    end: row.ends_at,
    description: row.description,
    organiser,
    interviewers: JSON.parse(row.interviewers) as InterviewPerson[],
    candidate: JSON.parse(row.candidate) as InterviewCandidate,
    timeZone: row.time_zone,
    conference: (row.conference as InterviewView["conference"]) ?? null,
    drift: JSON.parse(row.drift) as InterviewDrift[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (!removed && row.zoom_meeting_id && row.zoom_join_url && row.zoom_host_user_id)
    view.zoom = {
      meetingId: row.zoom_meeting_id,
      joinUrl: row.zoom_join_url,
      passcode: row.zoom_passcode ?? "",
      hostZoomUserId: row.zoom_host_user_id,
    };
  if (!removed && row.join_url) view.joinUrl = row.join_url;
  if (!removed && row.event_id && row.event_created === 1)
    view.event = {
      provider: row.calendar_provider as "google" | "microsoft",
      accountId: row.calendar_account_id,
      eventId: row.event_id,
      ...(row.event_web_link && { webLink: row.event_web_link }),
    };
  if (row.failure) view.failure = JSON.parse(row.failure) as { code: string; message: string };
  return view;
}
