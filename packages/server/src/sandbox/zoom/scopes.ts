/**
 * Which scopes the fake's app is configured with, and which ones each API
 * call accepts: the granular scope, its `:admin` variant, and the classic
 * names older apps still hold. Kept apart from the production client's list
 * on purpose, so a wrong scope there shows up as a 400 here.
 * https://developers.zoom.us/docs/integrations/oauth-scopes-granular/
 */

/** What a user-managed install gets when the authorize URL names no scopes. */
export const userManagedAppScopes = [
  "user:read:user",
  "meeting:read:meeting",
  "meeting:read:list_meetings",
  "meeting:write:meeting",
  "meeting:update:meeting",
  "meeting:delete:meeting",
];

/** Per call: the granular scopes named in the 4711 message, then the classic names also accepted. */
export const requiredScopes = {
  readUser: { granular: ["user:read:user", "user:read:user:admin"], classic: ["user:read", "user:read:admin"] },
  listUsers: { granular: ["user:read:list_users:admin"], classic: ["user:read:admin"] },
  readMeeting: {
    granular: ["meeting:read:meeting", "meeting:read:meeting:admin"],
    classic: ["meeting:read", "meeting:read:admin"],
  },
  listMeetings: {
    granular: ["meeting:read:list_meetings", "meeting:read:list_meetings:admin"],
    classic: ["meeting:read", "meeting:read:admin"],
  },
  createMeeting: {
    granular: ["meeting:write:meeting", "meeting:write:meeting:admin"],
    classic: ["meeting:write", "meeting:write:admin"],
  },
  updateMeeting: {
    granular: ["meeting:update:meeting", "meeting:update:meeting:admin"],
    classic: ["meeting:write", "meeting:write:admin"],
  },
  deleteMeeting: {
    granular: ["meeting:delete:meeting", "meeting:delete:meeting:admin"],
    classic: ["meeting:write", "meeting:write:admin"],
  },
} satisfies Record<string, { granular: string[]; classic: string[] }>;

export type ScopedCall = keyof typeof requiredScopes;

export function hasScopeFor(call: ScopedCall, granted: string[]): boolean {
  const { granular, classic } = requiredScopes[call];
  return [...granular, ...classic].some((scope) => granted.includes(scope));
}
