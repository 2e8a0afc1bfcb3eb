/**
 * Zoom hosts for an interview (`GET /v1/zoom/hosts`, ARCHITECTURE.md's
 * fixed names): which linked Zoom users could host a meeting in a time range,
 * and the one the server picks when the recruiter does not choose. The
 * server's host picking fills these in; `<zoom-host-picker>` words them.
 */

/**
 * Why a Zoom user cannot host in the range asked about. A newer server may
 * answer a reason not listed here: readers treat it as "cannot host" with a
 * generic message, never as an error.
 */
export const zoomHostReasons = [
  /** It already hosts as many overlapping meetings as its limit allows (our holds and Zoom's own meetings). */
  "busy",
  /** Its linked account needs linking again, so no meeting can be made for it. */
  "needs_reauth",
  /** A Basic (free) Zoom user, and the meeting is longer than the 40 minutes Basic allows. */
  "basic_user_time_limit",
  /** Zoom could not list the user's meetings just now, so its load is unknown. */
  "zoom_unavailable",
] as const;
export type ZoomHostReason = (typeof zoomHostReasons)[number];

/** The server's order of precedence: the first reason that applies is the one given. */
export const cannotHostReasons = [
  "needs_reauth",
  "basic_user_time_limit",
  "zoom_unavailable",
  "busy",
] as const satisfies readonly ZoomHostReason[];
export type CannotHostReason = (typeof cannotHostReasons)[number];

/** One Zoom user that could host (`candidates[]`); several portal users linking one Zoom user appear once. */
export interface ZoomHostCandidate {
  zoomUserId: string;
  displayName: string;
  /** How many meetings it may host at once. */
  limit: number;
  /** How many meetings it already hosts that overlap the range. */
  load: number;
  canHost: boolean;
  /** Why it cannot host; absent when it can. */
  reason?: ZoomHostReason | (string & {});
}

/** The server's own choice and why, in one sentence in the caller's language. */
export interface ZoomHostPick {
  zoomUserId: string;
  reason: string;
}

/**
 * `GET /v1/zoom/hosts?start=ISO&end=ISO&participants=id,id[&interviewId=id]`: participants' own Zoom users first.
 * With `interviewId` (an interview of the caller's organisation being changed; else 404 `interview_not_found`), that
 * interview's own Zoom meeting and hold do not count against its host.
 */
export interface ZoomHostsAnswer {
  candidates: ZoomHostCandidate[];
  pick: ZoomHostPick | null;
}
