/**
 * Everything about Microsoft identity platform v2 + Graph that differs from
 * the other providers beyond OAuth 2.0 (that is microsoftOAuthProfile, in
 * ./oauth.ts), in one typed table. The code reads these values
 * instead of branching on them. Endpoints live in providers/settings.ts.
 *
 * Sources, cited below by key:
 * [M-AC] https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 * [M-RT] https://learn.microsoft.com/entra/identity-platform/refresh-tokens
 * [M-ADM] https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
 * [M-REV] https://learn.microsoft.com/graph/api/user-revokesigninsessions
 * [M-GS] https://learn.microsoft.com/graph/api/calendar-getschedule
 * [M-FB] https://learn.microsoft.com/graph/outlook-get-free-busy-schedule
 * [M-7047] https://github.com/microsoftgraph/microsoft-graph-docs/issues/7047 (100 schedules)
 * [M-62] https://github.com/microsoftgraph/microsoft-graph-docs/pull/19703 (62 days)
 * [M-THRL] https://learn.microsoft.com/graph/throttling-limits
 * [M-GAC] https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent#prerequisites
 * [M-ROLES] https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
 * [M-WIDS] https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference#payload-claims
 */

export interface MicrosoftQuirks {
  /**
   * Authority segment for people linking their own calendar. `organizations`
   * admits work/school accounts only: getSchedule does not serve personal
   * Microsoft accounts [M-GS], and `common` would let them sign in.
   */
  signInTenant: string;
  /** Admin consent refuses `common`; it needs `organizations` or a tenant id [M-ADM]. */
  adminConsentTenant: string;
  forbiddenAdminConsentTenants: readonly string[];
  /**
   * Directory roles (template ids, as the id_token's `wids` lists them
   * [M-WIDS]) that may grant tenant-wide admin consent to delegated
   * permissions, all that we ask for: Global Administrator, Privileged Role
   * Administrator, Application Administrator, Cloud Application Administrator
   * [M-GAC][M-ROLES]. The admin-consent redirect can be forged, so the
   * organisation connection needs the signed-in person to hold one of these.
   */
  adminConsentRoleIds: readonly string[];
  /** `offline_access` is what yields a refresh token; `openid` an id_token [M-AC]. */
  scopes: readonly string[];
  graph: {
    version: string;
    /** getSchedule: the docs allow 20 schedules and a window under 42 days per call [M-FB]; the server is laxer (100
     * [M-7047], 62 days [M-62]). */
    maxSchedulesPerCall: number;
    maxScheduleWindowMs: number;
    /** Outlook allows 4 concurrent requests per app and mailbox [M-THRL]. */
    maxConcurrentCalls: number;
    /** Ask Graph to answer in UTC, so no answer depends on Windows time-zone names [M-GS]. */
    answerTimeZone: string;
    /**
     * scheduleItem statuses that make a person unavailable. Only `free` does not:
     * a tentative hold, an out-of-office block and a "working elsewhere" block are
     * all times the person marked on purpose, and Outlook's own scheduling
     * assistant shows them as not free. Booking an interviewer over any of them is
     * worse than offering one slot fewer. Unknown future statuses count as busy too.
     */
    freeStatuses: readonly string[];
  };
}

const day = 86_400_000;

export const microsoftQuirks = {
  signInTenant: "organizations",
  adminConsentTenant: "organizations",
  forbiddenAdminConsentTenants: ["common", "consumers"],
  adminConsentRoleIds: [
    "62e90394-69f5-4237-9190-012177145e10", // Global Administrator
    "e8611ab8-c189-46e8-94e1-60213ab1f814", // Privileged Role Administrator
    "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", // Application Administrator
    "158c047a-c907-4556-b7ef-446551a6b5f7", // Cloud Application Administrator
  ],
  scopes: [
    "openid",
    "profile",
    "email",
    "offline_access",
    "https://graph.microsoft.com/Calendars.ReadWrite",
    "https://graph.microsoft.com/User.Read",
  ],
  graph: {
    version: "v1.0",
    maxSchedulesPerCall: 20,
    maxScheduleWindowMs: 41 * day,
    maxConcurrentCalls: 4,
    answerTimeZone: "UTC",
    freeStatuses: ["free"],
  },
} as const satisfies MicrosoftQuirks;
