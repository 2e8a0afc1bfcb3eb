/**
 * Candidate scheduling links (`/v1/scheduling-links`, issue 11 item 7): the
 * recruiter offers slots and gets a public, expiring link; the candidate picks
 * one on the server's own page and the interview is booked as
 * `POST /v1/interviews` books it.
 */
import type { InterviewCandidate, InterviewView } from "./interviews.ts";

/**
 * Where a link stands.
 * - `open`: the candidate can still pick a slot.
 * - `booked`: the candidate picked one; `interview` is what was booked.
 * - `expired`: past `expiresAt` without a pick.
 * - `revoked`: withdrawn by the portal (`DELETE`).
 */
export const schedulingLinkStatuses = ["open", "booked", "expired", "revoked"] as const;
export type SchedulingLinkStatus = (typeof schedulingLinkStatuses)[number];

/** One offered slot, ISO 8601 UTC, half-open. */
export interface OfferedSlot {
  start: string;
  end: string;
}

/** A link as `GET /v1/scheduling-links/:id` answers it. The URL itself is only in the creation's answer. */
export interface SchedulingLinkView {
  id: string;
  status: SchedulingLinkStatus;
  title: string;
  durationMinutes: number;
  /** Portal user ids. */
  interviewers: string[];
  slots: OfferedSlot[];
  candidate: InterviewCandidate;
  description: string | null;
  /** The portal user who offered it: the booking's organiser. */
  createdBy: string;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  /** The interview the candidate booked, as it was when booked. */
  interview: InterviewView | null;
  /**
   * Why the candidate cannot book through an `open` link, as its page last found: null while nothing blocks it (and
   * once the link is booked, expired or withdrawn). Absent from servers before this field.
   */
  blocked?: SchedulingLinkBlocked | null;
}

/**
 * The candidate's page offers no slot because it cannot read these interviewers' calendars (a link to make again,
 * the provider not answering), first found at `since`; it says "try again" (`calendar_unavailable`). Cleared when
 * the page next reads every calendar. Noted by the page as it is visited, never checked from the recruiter's view.
 */
export interface SchedulingLinkBlocked {
  code: "calendar_unavailable";
  /** ISO 8601 UTC: when the page first found them unreadable, since it last read them all. */
  since: string;
  /** Portal user ids of the interviewers whose calendars could not be read. */
  interviewers: string[];
}

/** `POST /v1/scheduling-links` → 201: the URL is shown once (only a hash of its secret is stored). */
export interface SchedulingLinkCreated {
  id: string;
  url: string;
  expiresAt: string;
  slots: OfferedSlot[];
}

/**
 * The refusals of the scheduling-link routes (server: routes/scheduling-links.ts) and of the candidate's page
 * (routes/scheduling-link-page.ts, shown on the page as `data-error-code`).
 */
export const schedulingLinkErrorCodes = [
  /** No such link in the organisation, or (on the page) an unknown or altered link. */
  "scheduling_link_not_found",
  "scheduling_link_expired",
  "scheduling_link_revoked",
  /** The picked slot is no longer free: the page lists the remaining ones. */
  "scheduling_slot_taken",
  "scheduling_slot_not_offered",
  /** The booking failed at a provider and was undone: the candidate may try again. */
  "scheduling_booking_failed",
  /** Withdrawing: a candidate's pick is being booked right now; retry in a moment. */
  "scheduling_link_busy",
  /** Withdrawing: the candidate booked already; cancel the interview instead. */
  "scheduling_link_booked",
] as const;
export type SchedulingLinkErrorCode = (typeof schedulingLinkErrorCodes)[number];
