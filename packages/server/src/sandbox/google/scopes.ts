/**
 * The scopes the fake knows, as Google names them in a token's `scope`
 * (`email` and `profile` come back as their userinfo URLs), with the wording
 * of the consent screen. Sign-in scopes cannot be unticked; every other scope
 * is a checkbox (granular consent).
 * https://developers.google.com/identity/protocols/oauth2/scopes
 * https://developers.google.com/identity/protocols/oauth2/resources/granular-permissions
 */
const calendar = "https://www.googleapis.com/auth/calendar";

export const googleScopeAliases: Record<string, string> = {
  email: "https://www.googleapis.com/auth/userinfo.email",
  profile: "https://www.googleapis.com/auth/userinfo.profile",
};

const known: Record<string, { label: string; signIn?: true }> = {
  openid: { label: "Associate you with your personal info on Google", signIn: true },
  "https://www.googleapis.com/auth/userinfo.email": {
    label: "See your primary Google Account email address",
    signIn: true,
  },
  "https://www.googleapis.com/auth/userinfo.profile": {
    label: "See your personal info, including any personal info you've made publicly available",
    signIn: true,
  },
  [`${calendar}.events`]: { label: "View and edit events on all your calendars" },
  [`${calendar}.freebusy`]: { label: "View your availability in your calendars" },
  [`${calendar}.events.freebusy`]: { label: "See the availability on Google Calendars you have access to" },
  [`${calendar}.readonly`]: { label: "See and download any calendar you can access using your Google Calendar" },
  [calendar]: {
    label: "See, edit, share, and permanently delete all the calendars you can access using Google Calendar",
  },
};

/** Scopes any one of which allows the call ([G-FB], [G-EV] in providers.md). */
export const scopesFor = {
  freeBusy: [`${calendar}.freebusy`, `${calendar}.events.freebusy`, `${calendar}.readonly`, calendar],
  events: [`${calendar}.events`, calendar],
  userinfo: ["openid", googleScopeAliases.email, googleScopeAliases.profile],
} as const;

export function canonicalScope(scope: string): string {
  return googleScopeAliases[scope] ?? scope;
}

export function isKnownScope(scope: string): boolean {
  return canonicalScope(scope) in known;
}

export function isSignInScope(scope: string): boolean {
  return known[canonicalScope(scope)]?.signIn === true;
}

export function scopeLabel(scope: string): string {
  return known[canonicalScope(scope)]?.label ?? scope;
}

export function allows(granted: readonly string[], anyOf: readonly (string | undefined)[]): boolean {
  return anyOf.some((scope) => scope !== undefined && granted.includes(scope));
}
