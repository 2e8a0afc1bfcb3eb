/**
 * Interviews (`POST /v1/interviews` and friends, ARCHITECTURE.md's fixed
 * names): what the server answers about one interview, and the codes its
 * refusals carry. The server's interview saga fills these in;
 * `<schedule-interview>` shows them.
 */

/**
 * Where an interview stands.
 * - `booking`: the saga is placing the hold, the meeting and the event.
 * - `confirmed`: all of it exists.
 * - `updating`: a reschedule or a change of participants or host is being carried out.
 * - `cancelling`: the meeting and the event are being removed.
 * - `cancelled`: removed everywhere.
 * - `failed`: booking could not finish; whatever had been made was undone (`failure` says why).
 */
export const interviewStatuses = ["booking", "confirmed", "updating", "cancelling", "cancelled", "failed"] as const;
export type InterviewStatus = (typeof interviewStatuses)[number];

/** The web interview's kind: a Zoom meeting under a Zoom host, or a conference created with the calendar event. */
export const conferenceKinds = ["zoom", "google_meet", "microsoft_teams"] as const;
export type ConferenceKind = (typeof conferenceKinds)[number];

export interface InterviewPerson {
  /** Portal user id. */
  userId: string;
  name: string | null;
  email: string | null;
}

export interface InterviewCandidate {
  name: string;
  email: string;
  /** IANA zone the candidate's messages are written in; the organiser's when not given. */
  timeZone?: string;
  /** Language of the candidate's messages. */
  language?: "ja" | "en";
}

export interface InterviewZoom {
  meetingId: string;
  joinUrl: string;
  passcode: string;
  hostZoomUserId: string;
}

export interface InterviewEvent {
  provider: "google" | "microsoft";
  accountId: string;
  eventId: string;
  /** The event's page in the provider's calendar, when the provider gave one. */
  webLink?: string;
}

/**
 * What changed at a provider outside Tsunagu since the interview was last written, found when it is read with
 * `?check=1` or changed: never overwritten blindly.
 */
export interface InterviewDrift {
  /** `event_deleted`, `event_moved`, `meeting_deleted`, `meeting_moved`. */
  kind: "event_deleted" | "event_moved" | "meeting_deleted" | "meeting_moved";
  /** For a move: where the provider now has it. */
  start?: string;
  end?: string;
  detectedAt: string;
}

/** One interview as every interview route answers it (times ISO 8601 UTC, half-open). */
export interface InterviewView {
  id: string;
  status: InterviewStatus;
  title: string;
  start: string;
  end: string;
  description: string | null;
  /** The portal user whose calendar holds the event. */
  organiser: InterviewPerson;
  interviewers: InterviewPerson[];
  candidate: InterviewCandidate;
  /** The organiser's IANA zone, in which the meeting and the event are created. */
  timeZone: string;
  /** Which web interview, if any. */
  conference: ConferenceKind | null;
  zoom?: InterviewZoom;
  /** The Meet or Teams join URL when `conference` is one of those. */
  joinUrl?: string;
  /** Absent until the event exists (and after a cancellation removed it). */
  event?: InterviewEvent;
  drift: InterviewDrift[];
  /** Why booking failed, or why the last change could not be carried out. */
  failure?: { code: string; message: string };
  createdAt: string;
  updatedAt: string;
}

/** The refusals of the interview routes (server: interviews/*.ts, routes/interviews.ts). */
export const interviewErrorCodes = [
  /** The same Idempotency-Key is still being carried out: retry shortly. */
  "idempotency_in_flight",
  /** The Idempotency-Key was used before with another body (POST /v1/notifications and /v1/zoom/holds too). */
  "idempotency_key_reused",
  /** No calendar account (Google or Outlook) is linked to the organiser, or the chosen one is not theirs. */
  "calendar_account_missing",
  /** The organiser's calendar account needs linking again. */
  "calendar_needs_reauth",
  /** Zoom was asked for but no linked Zoom user can host in that range. */
  "zoom_host_unavailable",
  /** The chosen Zoom host has no room in that range (the Zoom hosts route's `zoom_host_busy`). */
  "zoom_host_busy",
  /** A provider refused or failed; the interview was not booked (or not changed) and nothing was left behind. */
  "provider_failed",
  /**
   * The server lost its database part-way (the request answered 503 `database_unavailable`), not a crash: once the
   * database answered, the booking was undone (or the change put back) as a `failure`, nothing left behind.
   */
  "database_connection_lost",
  /** The interview was cancelled; it cannot be changed any more. */
  "interview_cancelled",
  /** Another change to the same interview is being carried out: reload and try again. */
  "interview_busy",
  "interview_not_found",
  /** An interviewer has never used the portal with Tsunagu, so their address is unknown. */
  "interviewer_unknown",
  /** The event or the meeting was changed outside Tsunagu: `GET ?check=1` shows how; the change was not made. */
  "interview_drifted",
  /** The start URL is only for portal users who linked the meeting's Zoom host. */
  "start_url_forbidden",
] as const;
export type InterviewErrorCode = (typeof interviewErrorCodes)[number];
