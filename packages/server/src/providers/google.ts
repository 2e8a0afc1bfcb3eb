/**
 * Google: the OAuth 2.0 web-server flow and Calendar v3 for one signed-in
 * account. Calendar and userinfo calls go through the official googleapis
 * client, freeBusy and the token calls through `providerRequest` (google/oauth.ts says why).
 * Reference: ../../../../shared/providers.md §1 and the vendor docs linked in each file.
 */
import type { HttpDeps } from "./http.ts";
import type { GoogleEndpoints, OAuthApp } from "./settings.ts";
import { createGoogleApi, type GoogleApi } from "./google/api.ts";
import { createGoogleOAuth, type GoogleOAuthClient } from "./google/oauth.ts";

export { type GoogleApi, type GoogleCalendarEvent, type GoogleEventOptions, newGoogleEventId } from "./google/api.ts";
export { googleOAuthProfile, type GoogleIdentity, type GoogleOAuthClient } from "./google/oauth.ts";
export {
  freeBusyBatches,
  freeBusyLimits,
  type GoogleCalendarBusy,
  type GoogleFreeBusyError,
  mergeFreeBusy,
} from "./google/freebusy.ts";

/** Google answers scope `email` as this URL in the token response's `scope`. OAuth behaviour: googleOAuthProfile
 * (./google/oauth.ts). */
const scopeAliases: Readonly<Record<string, string>> = {
  email: "https://www.googleapis.com/auth/userinfo.email",
  profile: "https://www.googleapis.com/auth/userinfo.profile",
};

/**
 * What we ask for, and why each is the narrowest that works:
 * - `openid email`: who linked (sub, email, and `hd`, the Workspace domain the guards compare).
 * - `calendar.events`: insert, patch and delete events; unlike `calendar` it cannot touch calendars or their sharing.
 * - `calendar.freebusy`: busy times only, no event details. `calendar.events` does not cover freeBusy.
 * https://developers.google.com/workspace/calendar/api/v3/reference/freebusy/query#auth
 * https://developers.google.com/workspace/calendar/api/v3/reference/events/insert#auth
 */
export const googleScopes = [
  "openid",
  "email",
  "https://www.googleapis.com/auth/calendar.events",
  "https://www.googleapis.com/auth/calendar.freebusy",
] as const;

/** The scopes of `googleScopes` that a grant lacks (granular consent lets a person untick the calendar ones). */
export function missingGoogleScopes(granted: string[]): string[] {
  const have = new Set(granted);
  return googleScopes.filter((scope) => !have.has(scope) && !have.has(scopeAliases[scope] ?? scope));
}

export interface GoogleClient {
  oauth: GoogleOAuthClient;
  /** The calls made as one signed-in account. A 401 throws ProviderError `unauthorized`: refresh, then call again. */
  api(accessToken: string): GoogleApi;
}

export function createGoogleClient(app: OAuthApp<GoogleEndpoints>, deps: HttpDeps): GoogleClient {
  return { oauth: createGoogleOAuth(app, deps), api: (accessToken) => createGoogleApi(app, deps, accessToken) };
}
