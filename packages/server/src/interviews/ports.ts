/**
 * The seams between the interview saga and its neighbours. The saga
 * (interviews/*.ts) books, changes and cancels interviews; the notices
 * (Slack messages to interviewers, the portal's webhooks) and the candidate
 * scheduling links sit on either side of it and know it only through these
 * types, so each can change without the others.
 */
import type { InterviewCandidate, InterviewStatus, InterviewView } from "@tsunagu/contract";
import type { Transaction } from "kysely";
import type { Database } from "../store/schema.ts";
import type { OrgScope } from "../store/tenancy.ts";

/** What `POST /v1/interviews` asks for, validated. */
export interface BookingInput {
  title: string;
  start: Date;
  end: Date;
  /** Portal user ids. */
  interviewers: string[];
  candidate: InterviewCandidate;
  description?: string | undefined;
  /** The organiser's calendar account; their default calendar account when absent. */
  calendarAccountId?: string | undefined;
  /** Absent: no web interview. `{}`: a Zoom host picked automatically. */
  zoom?: { hostZoomUserId?: string | undefined } | undefined;
  /** A conference created with the event itself instead of Zoom (organisations without Zoom). */
  conference?: "google_meet" | "microsoft_teams" | undefined;
}

/** Who asks: the organiser of a booking made through the API, or the recruiter who offered a scheduling link. */
export interface BookingActor extends OrgScope {
  userId: string;
  /** The IANA zone the meeting and the event are created in. */
  timeZone: string;
  locale?: string | undefined;
}

export interface BookingOptions {
  /** The `Idempotency-Key`: a retry with the same key and body answers the first result. */
  idempotencyKey?: string | undefined;
}

/** Books an interview everywhere (hold → Zoom meeting → calendar event → confirm), or fails leaving nothing behind.
 * Throws ApiError with an InterviewErrorCode. */
export interface InterviewBooker {
  book(actor: BookingActor, input: BookingInput, options?: BookingOptions): Promise<InterviewView>;
  /** Refuses, with the ApiError `book` would throw, what no booking of `input` could get past at any time: the
   * organiser's calendar account, the conference it can make, the interviewers' addresses and a Zoom user able to
   * host (the one chosen, else any linked one). Whether the time is free is left to the booking. */
  check(actor: BookingActor, input: BookingInput): Promise<void>;
}

/** What happened to an interview, told once it is settled in the database. */
export type InterviewChangeKind = "scheduled" | "updated" | "cancelled" | "failed";

export interface InterviewChange {
  kind: InterviewChangeKind;
  tenant: OrgScope;
  /** The portal user who asked for it. */
  actorUserId: string;
  interview: InterviewView;
  /** For `updated`: the interview as it was before. */
  before?: InterviewView | undefined;
}

/**
 * Told of every settled change inside the transaction that settles it, so a notice is queued if and only if the
 * change is stored (a crash loses neither). Implementations only write rows (an outbox); delivery happens later.
 */
export interface InterviewObserver {
  record(trx: Transaction<Database>, change: InterviewChange): Promise<void>;
}

/** The statuses in which an interview is settled (no saga running). */
export const settledStatuses: readonly InterviewStatus[] = ["confirmed", "cancelled", "failed"];
