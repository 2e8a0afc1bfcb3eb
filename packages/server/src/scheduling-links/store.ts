/**
 * Scheduling links in the database (migration 0013). The candidate's pick is
 * a compare-and-swap on the row: one slot is claimed at a time, so two
 * submits of different slots cannot both book, and a claim left by a process
 * that died is taken over once it is older than `claimLapseMs`.
 */
import { randomUUID } from "node:crypto";
import type { InterviewCandidate, InterviewView, OfferedSlot, SchedulingLinkStatus } from "@tsunagu/contract";
import type { Selectable } from "kysely";
import { findInterview, interviewView } from "../interviews/records.ts";
import type { DB } from "../store/database.ts";
import type { SchedulingLinksTable } from "../store/schema.ts";
import type { OrgScope } from "../store/tenancy.ts";

/** A claim older than this is taken to be from a process that died half-way (a booking takes seconds). */
export const claimLapseMs = 5 * 60_000;

/** What the booking is made of, fixed when the link is offered. */
export interface Offer {
  title: string;
  durationMinutes: number;
  /** ISO 8601 UTC, sorted, without repeats. */
  slots: OfferedSlot[];
  candidate: InterviewCandidate;
  description: string | null;
  calendarAccountId?: string | undefined;
  zoom?: { hostZoomUserId?: string | undefined } | undefined;
  conference?: "google_meet" | "microsoft_teams" | undefined;
  /** The organiser's IANA zone and language when they offered it: the booking's. */
  timeZone: string;
  locale?: string | undefined;
}

export interface SchedulingLink {
  id: string;
  tenant: OrgScope;
  createdBy: string;
  offer: Offer;
  interviewers: string[];
  expiresAt: string;
  revokedAt: string | null;
  claimedStart: string | null;
  claimedAt: string | null;
  /** Picks whose booking failed and was undone: each try books under a key of its own. */
  failedPicks: number;
  interview: InterviewView | null;
  createdAt: string;
  /** Since when, and by whose calendars, the candidate's page has been unable to offer slots; null when it can. */
  blocked: LinkBlocked | null;
}

/** The candidate's page found these interviewers' calendars unreadable, first at `since`, and offered no slot. */
export interface LinkBlocked {
  since: string;
  /** Portal user ids. */
  interviewers: string[];
}

/** Whether the link's claim is old enough to be from a process that died. */
export function claimLapsed(link: SchedulingLink, now: Date): boolean {
  return link.claimedAt !== null && Date.parse(link.claimedAt) < now.getTime() - claimLapseMs;
}

export function linkStatus(link: SchedulingLink, now: Date): SchedulingLinkStatus {
  if (link.revokedAt) return "revoked";
  if (link.interview) return "booked";
  if (Date.parse(link.expiresAt) <= now.getTime()) return "expired";
  return "open";
}

export async function insertLink(
  db: DB,
  link: Omit<
    SchedulingLink,
    "id" | "revokedAt" | "claimedStart" | "claimedAt" | "failedPicks" | "interview" | "blocked"
  >,
  secretHash: string,
): Promise<SchedulingLink> {
  const id = randomUUID();
  const slots = link.offer.slots;
  await db
    .insertInto("scheduling_links")
    .values({
      id,
      host_id: link.tenant.hostId,
      org_id: link.tenant.orgId,
      created_by: link.createdBy,
      secret_hash: secretHash,
      offer: JSON.stringify(link.offer),
      interviewers: JSON.stringify(link.interviewers),
      first_start: slots[0]?.start ?? link.createdAt,
      last_end: slots.at(-1)?.end ?? link.createdAt,
      expires_at: link.expiresAt,
      revoked_at: null,
      claimed_start: null,
      claimed_at: null,
      interview_id: null,
      interview: null,
      booked_at: null,
      created_at: link.createdAt,
      blocked_since: null,
      blocked_interviewers: null,
    })
    .execute();
  return {
    ...link,
    id,
    revokedAt: null,
    claimedStart: null,
    claimedAt: null,
    failedPicks: 0,
    interview: null,
    blocked: null,
  };
}

export async function findLink(db: DB, tenant: OrgScope, id: string): Promise<SchedulingLink | undefined> {
  const row = await db
    .selectFrom("scheduling_links")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function findLinkBySecretHash(db: DB, secretHash: string): Promise<SchedulingLink | undefined> {
  const row = await db
    .selectFrom("scheduling_links")
    .selectAll()
    .where("secret_hash", "=", secretHash)
    .executeTakeFirst();
  return row && fromRow(row);
}

/** Withdraws the link; a second revocation keeps the first time. */
/**
 * Withdraws the link unless a candidate got there first: `booked` when an interview was booked through it (the page
 * must keep showing it), `busy` while a pick holds a live claim (its booking would otherwise land on a withdrawn
 * link). One conditional update against claimSlot's, so a pick and a withdrawal never both win.
 */
export async function revokeLink(
  db: DB,
  tenant: OrgScope,
  id: string,
  now: Date,
): Promise<"revoked" | "busy" | "booked"> {
  const lapsedBefore = new Date(now.getTime() - claimLapseMs).toISOString();
  const result = await db
    .updateTable("scheduling_links")
    .set({ revoked_at: now.toISOString() })
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .where("interview", "is", null)
    .where((where) => where.or([where("claimed_start", "is", null), where("claimed_at", "<", lapsedBefore)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) return "revoked";
  const link = await findLink(db, tenant, id);
  if (!link || link.revokedAt) return "revoked";
  return link.interview ? "booked" : "busy";
}

/**
 * Claims `start` for booking. `claimed`: this submit holds the claim (the link was unclaimed, or its claim so old
 * that its process must have died); `joined`: another submit already holds it for the same slot (a repeat, which
 * books under the same idempotency key); `refused`: the link is booked, withdrawn, or being booked for another slot.
 * `failedPicks` is the row's count as the claim stands: with the slot, it makes the booking's idempotency key.
 */
export async function claimSlot(
  db: DB,
  link: SchedulingLink,
  start: string,
  now: Date,
): Promise<{ claim: "claimed" | "joined" | "refused"; failedPicks: number }> {
  const lapsedBefore = new Date(now.getTime() - claimLapseMs).toISOString();
  const result = await db
    .updateTable("scheduling_links")
    .set({ claimed_start: start, claimed_at: now.toISOString() })
    .where("id", "=", link.id)
    .where("interview", "is", null)
    .where("revoked_at", "is", null)
    .where((where) => where.or([where("claimed_start", "is", null), where("claimed_at", "<", lapsedBefore)]))
    .executeTakeFirst();
  const row = await db
    .selectFrom("scheduling_links")
    .select(["claimed_start", "interview", "revoked_at", "failed_picks"])
    .where("id", "=", link.id)
    .executeTakeFirstOrThrow();
  const failedPicks = Number(row.failed_picks);
  if (Number(result.numUpdatedRows) === 1) return { claim: "claimed", failedPicks };
  const joined = row.interview === null && row.revoked_at === null && row.claimed_start === start;
  return { claim: joined ? "joined" : "refused", failedPicks };
}

/**
 * Gives the slot up after a booking that did not happen, so the candidate can pick again under a new key. Only the
 * try that holds the claim (`failedPicks` unchanged since) gives it up: a late answer of an older try does nothing.
 */
export async function releaseClaim(db: DB, linkId: string, start: string, failedPicks: number): Promise<void> {
  await db
    .updateTable("scheduling_links")
    .set({ claimed_start: null, claimed_at: null, failed_picks: failedPicks + 1 })
    .where("id", "=", linkId)
    .where("claimed_start", "=", start)
    .where("failed_picks", "=", failedPicks)
    .where("interview", "is", null)
    .execute();
}

export async function markBooked(db: DB, linkId: string, interview: InterviewView, now: string): Promise<void> {
  await db
    .updateTable("scheduling_links")
    .set({ interview_id: interview.id, interview: JSON.stringify(interview), booked_at: now })
    .where("id", "=", linkId)
    .execute();
}

/**
 * Notes on the link that its page found `interviewers`' calendars unreadable at `now`, for the recruiter's view: the
 * first time it did stays (`since`), the interviewers are those of this time.
 */
export async function markBlocked(db: DB, linkId: string, interviewers: string[], now: Date): Promise<void> {
  await db
    .updateTable("scheduling_links")
    .set((update) => ({
      blocked_since: update.fn.coalesce("blocked_since", update.val(now.toISOString())),
      blocked_interviewers: JSON.stringify(interviewers),
    }))
    .where("id", "=", linkId)
    .execute();
}

/** Clears what markBlocked noted, once the page has read every interviewer's calendar. */
export async function clearBlocked(db: DB, linkId: string): Promise<void> {
  await db
    .updateTable("scheduling_links")
    .set({ blocked_since: null, blocked_interviewers: null })
    .where("id", "=", linkId)
    .where("blocked_since", "is not", null)
    .execute();
}

/** Where a pick stands among simultaneous ones: by the time of its claim, then by its link's id. */
export interface PickOrder {
  claimedAt: string;
  linkId: string;
}

export function pickedBefore(pick: PickOrder, other: PickOrder): boolean {
  return pick.claimedAt < other.claimedAt || (pick.claimedAt === other.claimedAt && pick.linkId < other.linkId);
}

/**
 * Slots that other links of the organisation have taken or are booking between `from` and `to`, with their
 * interviewers: the candidate page counts them busy before the calendars show the event. A slot being booked carries
 * its pick's order (`pick`): a pick claimed after another gives way to it.
 */
export async function otherLinksPicks(
  db: DB,
  tenant: OrgScope,
  exceptId: string,
  from: string,
  to: string,
  now: Date,
): Promise<Array<{ start: number; end: number; interviewers: string[]; pick?: PickOrder }>> {
  const lapsedBefore = new Date(now.getTime() - claimLapseMs).toISOString();
  const rows = await db
    .selectFrom("scheduling_links")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("id", "!=", exceptId)
    .where("first_start", "<", to)
    .where("last_end", ">", from)
    .where((where) => where.or([where("interview", "is not", null), where("claimed_at", ">=", lapsedBefore)]))
    .execute();
  return rows.flatMap((row) => {
    const link = fromRow(row);
    if (link.interview) {
      const { status, start, end } = link.interview;
      if (status === "cancelled" || status === "failed") return [];
      return [{ start: Date.parse(start), end: Date.parse(end), interviewers: link.interviewers }];
    }
    const slot = link.offer.slots.find((offered) => offered.start === link.claimedStart);
    if (!slot) return [];
    const pick = { claimedAt: link.claimedAt as string, linkId: link.id };
    return [{ start: Date.parse(slot.start), end: Date.parse(slot.end), interviewers: link.interviewers, pick }];
  });
}

/** Whether the saga took a booking under `key` for the link's organiser (its Idempotency-Key row, migration 0012). */
export async function bookingBegun(db: DB, link: SchedulingLink, key: string): Promise<boolean> {
  const row = await db
    .selectFrom("interview_idempotency_keys")
    .select("interview_id")
    .where("host_id", "=", link.tenant.hostId)
    .where("org_id", "=", link.tenant.orgId)
    .where("user_id", "=", link.createdBy)
    .where("key", "=", key)
    .executeTakeFirst();
  return row !== undefined;
}

/** The link's interview as it is now (rescheduled or cancelled since, perhaps); as booked if no longer stored. */
export async function currentInterview(db: DB, link: SchedulingLink): Promise<InterviewView | null> {
  if (!link.interview) return null;
  const row = await findInterview(db, link.tenant, link.interview.id);
  return row ? interviewView(db, row) : link.interview;
}

function fromRow(row: Selectable<SchedulingLinksTable>): SchedulingLink {
  return {
    id: row.id,
    tenant: { hostId: row.host_id, orgId: row.org_id },
    createdBy: row.created_by,
    offer: JSON.parse(row.offer) as Offer,
    interviewers: JSON.parse(row.interviewers) as string[],
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    claimedStart: row.claimed_start,
    claimedAt: row.claimed_at,
    failedPicks: Number(row.failed_picks),
    interview: row.interview === null ? null : (JSON.parse(row.interview) as InterviewView),
    createdAt: row.created_at,
    blocked:
      row.blocked_since === null
        ? null
        : { since: row.blocked_since, interviewers: JSON.parse(row.blocked_interviewers ?? "[]") as string[] },
  };
}
