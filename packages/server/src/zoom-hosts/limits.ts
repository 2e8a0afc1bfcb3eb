/**
 * How many meetings a Zoom user may run at once, and how long a Basic user's
 * meeting may last: Zoom's rules as data, each with its source.
 *
 * Zoom, "Hosting multiple meetings simultaneously"
 * (https://support.zoom.com/hc/en/article?id=zm_kb&sysparm_article=KB0068522):
 * "Each Basic user and Licensed user on a Pro account is limited to hosting
 * only 1 meeting at a time. Licensed users on Business, Education, and
 * Enterprise accounts can host up to 2 meetings at the same time." The limit
 * bites when a meeting starts, not when it is scheduled: Zoom accepts
 * overlapping schedules ("He can schedule as many meetings as he wants, but
 * can only have 1 meeting active at a time"), hence the holds.
 *
 * Zoom's API does not tell an app its account's plan, so the organisation's
 * admin states it (PUT /v1/zoom/settings); until then licensed users count as
 * on Pro, the lower limit. An admin may also set a Zoom user's limit outright.
 */
export const zoomPlans = ["basic", "pro", "business", "education", "enterprise"] as const;
export type ZoomPlan = (typeof zoomPlans)[number];

/** Zoom user types (GET /users/{userId} `type`): https://developers.zoom.us/docs/api/users/ */
export const zoomUserTypes = { basic: 1, licensed: 2 } as const;

export const zoomConcurrency = {
  /** A Basic user, on any plan. */
  basicUser: 1,
  /** A licensed user, by the account's plan. */
  licensedUser: { basic: 1, pro: 1, business: 2, education: 2, enterprise: 2 } satisfies Record<ZoomPlan, number>,
  /** The plan assumed until an admin says: the lower limit never overbooks. */
  assumedPlan: "pro" as ZoomPlan,
  /** Any other or unknown user type (99 None, a type this code does not know): the lowest limit. */
  otherUser: 1,
};

/**
 * "This change creates a uniform 40-minute meeting duration limit for all
 * meetings hosted by Basic (free) users on all account types", Zoom, July
 * 2022; "now all meetings hosted by free users are limited to 40 minutes"
 * (a Zoom employee, https://community.zoom.com/t5/Zoom-Meetings/Question-on-quot-free-quot-account/td-p/72092).
 */
export const basicUserMeetingMinutes = 40;

/** An admin may set a Zoom user's limit from 1 to this. */
export const maxLimitOverride = 10;

export interface LimitFacts {
  /** The Zoom user's `type`, when known. */
  userType: number | undefined;
  plan: ZoomPlan | null;
  override: number | undefined;
}

export function concurrencyLimit({ userType, plan, override }: LimitFacts): number {
  if (override !== undefined) return override;
  if (userType === zoomUserTypes.licensed) return zoomConcurrency.licensedUser[plan ?? zoomConcurrency.assumedPlan];
  if (userType === zoomUserTypes.basic) return zoomConcurrency.basicUser;
  return zoomConcurrency.otherUser;
}

/** True when a Basic user could not run a meeting this long. */
export function exceedsBasicTimeLimit(userType: number | undefined, durationMs: number): boolean {
  return userType === zoomUserTypes.basic && durationMs > basicUserMeetingMinutes * 60_000;
}
