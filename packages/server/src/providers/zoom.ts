/**
 * Zoom: OAuth (authorization code + PKCE, HTTP Basic client auth, rotating
 * refresh tokens) and the REST API v2 calls behind meetings. Plain fetch
 * through `providerRequest`: Zoom has no official Node API client, and this
 * way the calls share our retry policy, injected clock and sleep, and typed errors.
 * Reference: ../../../../shared/providers.md §3 and the vendor docs linked below.
 * Webhook verification lives in ./zoom-webhook.ts.
 */
import type { HttpDeps } from "./http.ts";
import { createOAuth2Client } from "./oauth2.ts";
import type { OAuthApp, ZoomEndpoints } from "./settings.ts";
import type { OAuthClient } from "./types.ts";
import { createZoomApi, type ZoomApi, type ZoomApiQuirks } from "./zoom/api.ts";
import { zoomOAuthProfile } from "./zoom/oauth.ts";

export type { UpcomingMeeting, ZoomApi, ZoomMeeting, ZoomUser } from "./zoom/api.ts";
export { zoomOAuthProfile } from "./zoom/oauth.ts";

/** Everything else that sets Zoom's API apart, in one place. */
export const zoomQuirks: ZoomApiQuirks = {
  // GET /users and GET /users/{userId}/meetings allow up to 300 a page.
  pageSize: 300,
  // 404 {"code":3001,"message":"Meeting does not exist: …"}: https://developers.zoom.us/docs/api/errors
  meetingGoneCode: "3001",
  // PATCH /meetings/{id} {schedule_for} answers 400 {"code":3000,"message":"You cannot schedule a meeting for …"}
  // unless the caller has scheduling privilege for that user: https://devforum.zoom.us/t/changing-meeting-hosts/88501
  cannotScheduleForCode: "3000",
  // People type passcodes from invitations: no look-alikes (0/O, 1/l/I).
  passcode: { length: 10, alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789" },
  // Interviews: the candidate waits until the interviewer lets them in.
  meetingSettings: { join_before_host: false, waiting_room: true },
};

/**
 * Granular scopes. A user-managed app gets the plain ones; an admin-managed
 * app, installed by an account owner or admin for the whole account, gets the
 * `:admin` variants. Zoom lets no app mix the two.
 * https://developers.zoom.us/docs/integrations/oauth-scopes-granular/ ·
 * https://developers.zoom.us/docs/build-flow/basic-info/app-mgmt/
 */
export const zoomScopes = {
  /** Personal link: the person's own Zoom user. */
  user: [
    "user:read:user",
    "meeting:read:meeting",
    "meeting:read:list_meetings",
    "meeting:write:meeting",
    "meeting:update:meeting",
    "meeting:delete:meeting",
  ],
  /** Organisation connection: every user of the Zoom account (host picking, the shared recruiting user). */
  admin: [
    "user:read:user:admin",
    "user:read:list_users:admin",
    "meeting:read:meeting:admin",
    "meeting:read:list_meetings:admin",
    "meeting:write:meeting:admin",
    "meeting:update:meeting:admin",
    "meeting:delete:meeting:admin",
  ],
} as const;

export interface ZoomClientOptions {
  /** Page size for the paginated lists (1–300); smaller pages only cost more calls. */
  pageSize?: number | undefined;
}

export interface ZoomClient {
  oauth: OAuthClient;
  api(accessToken: string): ZoomApi;
}

export function createZoomClient(
  app: OAuthApp<ZoomEndpoints>,
  deps: HttpDeps,
  options: ZoomClientOptions = {},
): ZoomClient {
  const quirks: ZoomApiQuirks = { ...zoomQuirks, pageSize: options.pageSize ?? zoomQuirks.pageSize };
  return {
    oauth: createOAuth2Client(zoomOAuthProfile, app, app.endpoints, deps),
    api: (accessToken) => createZoomApi(deps, app.endpoints.apiBaseUrl, accessToken, quirks),
  };
}
