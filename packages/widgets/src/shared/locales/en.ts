import type { AvailabilityPersonStatus, CalendarUnreadableReason, DayOffReason } from "@tsunagu/contract";
import type { StatusReason, Translation, ZoomHostReason } from "../translation.ts";

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const providerNames = { google: "Google", microsoft: "Microsoft 365", zoom: "Zoom", slack: "Slack" } as const;
const accountStatuses = { active: "Connected", needs_reauth: "Needs reconnecting", revoked: "Revoked" } as const;
/** What a person links: a Zoom account is the organisation's (connectionKinds), and the people in it are Zoom users. */
const personalAccounts = {
  google: "Google account",
  microsoft: "Microsoft 365 account",
  zoom: "Zoom user",
  slack: "Slack account",
} as const;
const connectionKinds = {
  google: "Google Workspace",
  microsoft: "Microsoft 365 tenant",
  zoom: "Zoom account",
  slack: "Slack workspace",
} as const;
const accountHomes = { google: "Domain", microsoft: "Tenant", zoom: "Zoom account", slack: "Workspace" } as const;
const plural = new Intl.PluralRules("en");

const statusReasons: Record<StatusReason, string> = {
  invalid_grant: "The provider refused to renew the connection. Link the account again.",
  no_refresh_token: "The provider did not grant lasting access. Link the account again.",
  org_disconnected:
    "Your organisation was disconnected. Link the account again once an administrator has reconnected it.",
  unauthorized: "The provider no longer accepts this connection. Link the account again.",
  deauthorized: "The app's access was removed at the provider. Link the account again.",
  tokens_revoked: "The connection was revoked at the provider. Link the account again.",
  app_uninstalled:
    "The app was removed from the workspace. Link the account again once an administrator has reconnected it.",
};

const zoomHostReasons: Record<ZoomHostReason, (place: string) => string> = {
  busy: () => "Already hosting another meeting at this time.",
  needs_reauth: (place) => `Needs linking again: link this Zoom user again in ${place}.`,
  basic_user_time_limit: () => "A Basic (free) Zoom user can host meetings of up to 40 minutes.",
  zoom_unavailable: () => "Zoom could not tell us this user's meetings just now. Try again in a moment.",
};

const dayOffKinds: Record<DayOffReason, string> = { holiday: "Holiday", closure: "Closed", personal: "Day off" };
const personStatuses: Record<AvailabilityPersonStatus, string> = {
  ok: "Calendar checked",
  unconfirmed: "Some calendars could not be read",
  no_calendar: "No calendar linked: busy times unknown",
};
const unreadableReasons: Record<CalendarUnreadableReason, string> = {
  needs_reauth: "needs linking again",
  revoked: "access was revoked",
  provider_unavailable: "the calendar service did not answer",
  calendar_error: "the calendar service answered with an error",
  provider_not_configured: "this server cannot use that service",
};

/** "1 account", "2 accounts": English picks its form by CLDR plural category. */
function count(value: number, one: string, other: string): string {
  return `${value} ${plural.select(value) === "one" ? one : other}`;
}

/** What en-later.ts shares with this table. */
export type EnWords = {
  providerNames: typeof providerNames;
  personalAccounts: typeof personalAccounts;
  connectionKinds: typeof connectionKinds;
  count: typeof count;
};

export const en: Translation = {
  $language: "en",
  $name: "English",

  dayText: ({ year, month, day, weekday }) =>
    `${weekdays[weekday]}, ${months[month - 1]} ${day}${year ? `, ${year}` : ""}`,
  clockText: (hour, minute) => `${hour % 12 || 12}:${String(minute).padStart(2, "0")} ${hour < 12 ? "AM" : "PM"}`,
  momentText: (day, clock) => `${day}, ${clock}`,
  rangeText: (from, to) => `${from} – ${to}`,
  inZone: (text, zone) => `${text} (${zone})`,
  loading: "Loading…",
  retry: "Try again",
  close: "Close",
  cancel: "Cancel",
  disconnect: "Disconnect",
  reconnect: "Reconnect",
  errorHeading: "Something went wrong.",
  requestId: (id) => `Request ID: ${id}`,
  labelOf: (label) => `${label}: `,
  sentences: (parts) => parts.join(" "),

  providerName: (provider) => providerNames[provider],
  accountStatus: (status) => accountStatuses[status],
  accountCount: (value, provider) =>
    provider === "zoom" ? count(value, "Zoom user", "Zoom users") : count(value, "account", "accounts"),
  minutes: (value) => count(value, "minute", "minutes"),

  integrationsNoneOffered: "No integrations are available on this server.",
  organizationHeading: "Organisation connections",
  organizationIntro:
    "For administrators: connect your organisation to each service so that members can link their own accounts.",
  personalHeading: "Your accounts",
  personalIntro:
    "Link the accounts used for your interviews and notifications. You can link several accounts of the same service.",
  connectionKind: (provider) => connectionKinds[provider],
  notConnected: "Not connected",
  connectedOn: (date) => `Connected on ${date}`,
  connectOrganization: (provider) => `Connect the ${connectionKinds[provider]}`,
  actionOn: (action, provider, name) => `${action}: ${providerNames[provider]} ${name}`,
  accountHome: (provider) => accountHomes[provider],
  linkAccount: (provider) => `Link a ${personalAccounts[provider]}`,
  linkAnotherAccount: (provider) => `Link another ${personalAccounts[provider]}`,
  noAccounts: (provider) => `No ${personalAccounts[provider]} is linked yet.`,
  organizationMissing: (provider, viewerIsAdmin) =>
    viewerIsAdmin
      ? `Connect the organisation's ${connectionKinds[provider]} first, under Organisation connections.`
      : `Your organisation has not connected its ${connectionKinds[provider]} yet. Ask an administrator to connect it.`,
  organizationNeedsReauth: (provider, viewerIsAdmin) =>
    viewerIsAdmin
      ? `The organisation's ${connectionKinds[provider]} needs reconnecting, under Organisation connections.`
      : `The organisation's ${connectionKinds[provider]} needs reconnecting. Ask an administrator to reconnect it.`,
  organizationDisconnected: (provider, viewerIsAdmin) =>
    viewerIsAdmin
      ? `The organisation's ${connectionKinds[provider]} was disconnected. Connect it again under Organisation ` +
        `connections, then link the accounts again.`
      : `The organisation's ${connectionKinds[provider]} was disconnected. Once an administrator connects it again, ` +
        `you can link the accounts again.`,
  defaultAccount: "Default",
  makeDefault: "Make default",
  relink: "Link again",
  unlink: "Unlink",
  statusReason: (reason) => statusReasons[reason],
  statusReasonOther: "This account cannot be used right now. Link it again.",
  linkStarting: "Getting ready…",
  organizationLinksAdmin: (provider) =>
    `The ${personalAccounts[provider]} you connect with is also linked as one of your own accounts; you can ` +
    `unlink it there like any other.`,
  defaultMovedAfterReauth: (provider, from, to) =>
    `${from} needs linking again, so ${to} is now your default ${providerNames[provider]} account.`,
  working: "Working…",
  loadFailed: "Could not load the integrations.",
  dismiss: "Dismiss notification",

  zoomHostLabel: "Zoom host",
  zoomHostsLoading: "Checking which Zoom users can host…",
  zoomHostsNeedTime: "Choose the interview's date and time to see who can host it on Zoom.",
  zoomLinkPlace: "the integration settings",
  zoomHostsNone: (place) => `No Zoom user is linked in your organisation yet. Link one in ${place}.`,
  zoomHostsLoadFailed: "Could not load the Zoom hosts.",
  zoomHostAvailable: "Available",
  zoomHostUnavailable: "Cannot host",
  zoomHostReason: (reason, place) => zoomHostReasons[reason](place),
  zoomHostReasonOther: "Cannot host a meeting at this time.",
  zoomHostLoad: (load, limit) => `Meetings at this time: ${load} of ${limit}`,
  zoomHostSuggested: "Suggested",
  zoomHostPickedBecause: (reason) => `Chosen automatically: ${reason}`,
  zoomHostsNoPick: "No Zoom user can host at this time. Choose another time, or free one of the hosts in Zoom.",
  zoomHostsLoaded: (value, chosen) =>
    `${count(value, "Zoom host", "Zoom hosts")} listed.${chosen ? ` ${chosen} is chosen.` : " None is chosen."}`,
  zoomHostRequired: "Choose a Zoom host.",

  scheduleHeading: "Schedule an interview",
  editHeading: "Change the interview",
  interviewHeading: "Interview",
  titleLabel: "Title",
  defaultTitle: (candidate) => (candidate ? `Interview: ${candidate}` : "Interview"),
  candidateNameLabel: "Candidate's name",
  candidateEmailLabel: "Candidate's email",
  interviewersLabel: "Interviewers",
  noInterviewers: "No interviewers are given.",
  durationLabel: "Length",
  rangeStartLabel: "First day",
  rangeEndLabel: "Last day",
  hoursStartLabel: "Earliest time",
  hoursEndLabel: "Latest time",
  timeZoneNote: (zone) => `Times are shown in your time zone (${zone}).`,
  slotsHeading: "Free times",
  slotsLoading: "Checking free times…",
  slotsLoadFailed: "Could not load the free times.",
  slotsNeedInput: "Give the interviewers and the days to see the free times.",
  slotsNone: "Nobody is free together in these days. Widen the days or the hours.",
  slotsLoaded: (count, unconfirmed) =>
    `${count} ${plural.select(count) === "one" ? "time" : "times"} when everyone ` +
    `${unconfirmed ? "whose calendar could be read " : ""}is free.`,
  weekLabel: (from, to) => `Times from ${from} to ${to}`,
  previousWeek: "Previous week",
  nextWeek: "Next week",
  timeHeader: "Time",
  slotFree: "Free",
  busyWith: (names) => `Busy: ${names}`,
  unconfirmedFor: (names) => `Not confirmed: ${names}`,
  dayOff: (reason, name) => (name ? `${dayOffKinds[reason]}: ${name}` : dayOffKinds[reason]),
  personStatus: (status) => personStatuses[status],
  calendarUnreadable: (reason) => unreadableReasons[reason],
  calendarAccountLabel: "Calendar to add it to",
  calendarAccountsLoadFailed: "Could not load the calendars to add it to.",
  calendarAccountNone:
    "No calendar to add it to. Link a Google Calendar or an Outlook calendar in the integration settings.",
  webInterviewLabel: "Web interview (Zoom)",
  chooseSlotFirst: "Choose a time.",
  review: "Review",
  interviewLoading: "Loading the interview…",
  interviewLoadFailed: "Could not load the interview.",

  errors: async () => (await import("./en-errors.ts")).enErrors,
  later: async () =>
    (await import("./en-later.ts")).enLater({ providerNames, personalAccounts, connectionKinds, count }),
};
