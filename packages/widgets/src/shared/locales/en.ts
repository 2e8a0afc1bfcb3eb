import type { ProviderId } from "../provider-id.ts";
import type {
  AvailabilityPersonStatus,
  CalendarUnreadableReason,
  DayOffReason,
  InterviewStatus,
} from "@tsunagu/contract";
import type { LostFeature, StatusReason, Translation, ZoomHostReason } from "../translation.ts";

const providerNames = { google: "Google", microsoft: "Microsoft 365", zoom: "Zoom", slack: "Slack" } as const;
const accountStatuses = { active: "Connected", needs_reauth: "Needs reconnecting", revoked: "Revoked" } as const;
const connectionKinds = {
  google: "Google Workspace",
  microsoft: "Microsoft 365 tenant",
  zoom: "Zoom account",
  slack: "Slack workspace",
} as const;
const accountHomes = { google: "Domain", microsoft: "Tenant", zoom: "Zoom account", slack: "Workspace" } as const;
/** The button that grants access on each provider's own consent page. */
const consentButtons = { google: "Continue", microsoft: "Accept", zoom: "Allow", slack: "Allow" } as const;
/** What a personal account must belong to: the organisation's connection, in each provider's words. */
const organizationWords = {
  google: "Google Workspace domain",
  microsoft: "Microsoft 365 organisation",
  zoom: "Zoom account",
  slack: "Slack workspace",
} as const;
const calendarNames = {
  google: "Google Calendar",
  microsoft: "Outlook calendar",
  zoom: "Zoom",
  slack: "Slack",
} as const;
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

const zoomHostReasons: Record<ZoomHostReason, string> = {
  busy: "Already hosting another meeting at this time.",
  needs_reauth: "Needs linking again: link this Zoom user again in the integration settings.",
  basic_user_time_limit: "A Basic (free) Zoom user can host meetings of up to 40 minutes.",
  zoom_unavailable: "Zoom could not tell us this user's meetings just now. Try again in a moment.",
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
const interviewStatuses: Record<InterviewStatus, string> = {
  booking: "Scheduling",
  confirmed: "Confirmed",
  updating: "Changing",
  cancelling: "Cancelling",
  cancelled: "Cancelled",
  failed: "Could not be scheduled",
};

function lostFeature(feature: LostFeature, provider: ProviderId, scope: "personal" | "organization"): string {
  const whose = scope === "personal" ? "this account's" : "the";
  switch (feature) {
    case "notifications":
      return scope === "personal"
        ? "Interview notifications by Slack direct message stop reaching this account."
        : "Interview notifications by Slack direct message stop for everyone in the organisation.";
    case "sign_in_with_slack":
      return scope === "personal"
        ? "Sign in with Slack stops working for this account."
        : "Sign in with Slack stops working.";
    case "calendar_events":
      return `Interviews are no longer added to ${whose} ${calendarNames[provider]}.`;
    case "free_busy":
      return `Free/busy times from ${whose} ${calendarNames[provider]} are no longer read when scheduling.`;
    case "meeting_urls":
      return scope === "personal"
        ? "Interviews can no longer get a Zoom meeting URL hosted by this Zoom user."
        : "New interviews get no Zoom meeting URL, and Zoom hosts are no longer picked.";
    case "personal_links":
      return (
        `Nobody can link a ${providerNames[provider]} account until the organisation connects again, and linked ` +
        `accounts need linking again.`
      );
  }
}

/** A name that ends a sentence: "Sakura Recruit Inc." takes no second full stop. */
function endOfSentence(name: string): string {
  return name.endsWith(".") ? name : `${name}.`;
}

/** "1 account", "2 accounts": English picks its form by CLDR plural category. */
function count(value: number, one: string, other: string): string {
  return `${value} ${plural.select(value) === "one" ? one : other}`;
}

export const en: Translation = {
  $language: "en",
  $name: "English",

  loading: "Loading…",
  retry: "Try again",
  close: "Close",
  cancel: "Cancel",
  save: "Save",
  connect: "Connect",
  disconnect: "Disconnect",
  reconnect: "Reconnect",
  errorHeading: "Something went wrong.",
  requestId: (id) => `Request ID: ${id}`,

  providerName: (provider) => providerNames[provider],
  accountStatus: (status) => accountStatuses[status],
  accountCount: (value) => count(value, "account", "accounts"),
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
  linkAccount: (provider) => `Link a ${providerNames[provider]} account`,
  linkAnotherAccount: (provider) => `Link another ${providerNames[provider]} account`,
  noAccounts: (provider) => `No ${providerNames[provider]} account is linked yet.`,
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
  linkWaiting: (provider) => `Continue in the ${providerNames[provider]} window that opened…`,
  cancelLinking: (provider, kind) =>
    kind === "organization"
      ? `Cancel connecting the ${connectionKinds[provider]}`
      : `Cancel linking ${providerNames[provider]}`,
  popupBlocked: (provider) =>
    `The popup was blocked, so the ${providerNames[provider]} window could not open. You can continue on this page ` +
    `instead (you will come back here afterwards).`,
  continueOnThisPage: "Continue on this page",
  consentDenied: (provider) =>
    `Access was not allowed at ${providerNames[provider]}, so nothing was linked. Start again and press ` +
    `${consentButtons[provider]} on the ${providerNames[provider]} page.`,
  wrongOrganization: (provider, name) =>
    `The ${organizationWords[provider]} your organisation connected is ${endOfSentence(name)}`,
  organizationLinksAdmin: (provider) =>
    `The ${providerNames[provider]} account you connect with is also linked as one of your own accounts; you can ` +
    `unlink it there like any other.`,
  adminAccountLinkedNote: (provider, name) =>
    `Your own ${providerNames[provider]} account ${name} is linked too (under Your accounts).`,
  linkedToast: (provider, name) => `Linked the ${providerNames[provider]} account ${name}.`,
  connectedToast: (provider, name) => `Connected the ${connectionKinds[provider]} ${endOfSentence(name)}`,
  linkCancelledToast: (provider) => `${providerNames[provider]} was not linked (the window was closed).`,
  unlinkedToast: (provider, name) => `Unlinked the ${providerNames[provider]} account ${name}.`,
  disconnectedToast: (provider, name, affectedAccounts) =>
    `Disconnected the ${connectionKinds[provider]} ${name}.` +
    `${
      affectedAccounts > 0 ? ` ${count(affectedAccounts, "account now needs", "accounts now need")} linking again.` : ""
    }`,
  defaultChangedToast: (provider, name) => `${name} is now your default ${providerNames[provider]} account.`,
  notRevokedNote: (provider) =>
    provider === "microsoft"
      ? "Microsoft offers no way to revoke the grant, so Tsunagu deleted the tokens it kept; any copy left expires " +
        "on its own."
      : `The grant at ${providerNames[provider]} was not revoked (the organisation connection uses the same grant, ` +
        `or ${providerNames[provider]} did not answer).`,
  unlinkTitle: (provider) => `Unlink this ${providerNames[provider]} account?`,
  disconnectTitle: (provider) => `Disconnect the ${connectionKinds[provider]}?`,
  unlinkLead: "After unlinking, these stop working:",
  disconnectLead: "After disconnecting, these stop working for the whole organisation:",
  lostFeature,
  defaultMoves: (successor) =>
    successor
      ? `This is your default account; ${successor} becomes the default.`
      : "This is your default account; no usable account is left to become the default.",
  defaultMovedNote: (provider, name) => `${name} is now your default ${providerNames[provider]} account.`,
  defaultMovedAfterReauth: (provider, from, to) =>
    `${from} needs linking again, so ${to} is now your default ${providerNames[provider]} account.`,
  microsoftRevocation: "Microsoft's grant is not revoked: Tsunagu deletes the tokens it keeps, and they expire.",
  hostedMeetings: "Upcoming meetings it hosts:",
  untitledMeeting: "(no topic)",
  working: "Working…",
  loadFailed: "Could not load the integrations.",
  dismiss: "Dismiss notification",

  zoomHostLabel: "Zoom host",
  zoomHostsLoading: "Checking which Zoom users can host…",
  zoomHostsNeedTime: "Choose the interview's date and time to see who can host it on Zoom.",
  zoomHostsNone: "No Zoom user is linked in your organisation yet. Link one in the integration settings.",
  zoomHostsLoadFailed: "Could not load the Zoom hosts.",
  zoomHostAvailable: "Available",
  zoomHostUnavailable: "Cannot host",
  zoomHostReason: (reason) => zoomHostReasons[reason],
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
  slotsLoaded: (count) => `${count} ${plural.select(count) === "one" ? "time" : "times"} when everyone is free.`,
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
  pickedBusy: (names) => `${names} ${names.includes(" and ") || names.includes(",") ? "are" : "is"} busy at this time.`,
  calendarAccountLabel: "Calendar to add it to",
  calendarAccountNone:
    "No calendar to add it to. Link a Google Calendar or an Outlook calendar in the integration settings.",
  webInterviewLabel: "Web interview (Zoom)",
  chooseSlotFirst: "Choose a time.",
  review: "Review",
  summaryHeading: "Check the details",
  whenLabel: "When",
  candidateLabel: "Candidate",
  webInterviewNone: "None",
  zoomHostAuto: "Picked automatically",
  back: "Back",
  confirm: "Confirm",
  saveChanges: "Confirm the changes",
  inProgress: (action) =>
    action === "book"
      ? "Scheduling the interview…"
      : action === "update"
        ? "Changing the interview…"
        : "Cancelling the interview…",
  bookFailed: "This did not go through.",
  inputKept: "Everything you entered is still here.",
  resultHeading: (status, outcome) =>
    outcome === "loaded"
      ? "The interview"
      : status === "cancelled"
        ? "Interview cancelled"
        : outcome === "changed"
          ? "Interview changed"
          : "Interview scheduled",
  zoomUrlLabel: "Zoom URL",
  passcodeLabel: "Passcode",
  copy: (what) => `Copy ${what.charAt(0).toLowerCase()}${what.slice(1)}`,
  copied: "Copied.",
  copyFailed: "Could not copy. Select the text and copy it.",
  calendarLink: "Open the calendar event",
  candidateMessageHeading: "Message to the candidate",
  candidateMessageLoading: "Writing the message…",
  candidateMessageFailed: "Could not write the message to the candidate.",
  candidateMessageTemplate: (withZoom) =>
    "Dear {{candidate_name}},\n\nYour interview is scheduled.\n\n" +
    "When: {{start}} to {{end}} ({{time_zone}})\nInterviewers: {{interviewers}}\n" +
    (withZoom ? "Join the web interview: {{zoom_url}}\nPasscode: {{zoom_passcode}}\n" : ""),
  startMeeting: "Start the meeting",
  startMeetingRefused: "Only the Zoom host's users can start this meeting.",
  editInterview: "Change time or people",
  cancelInterview: "Cancel the interview",
  cancelTitle: "Cancel this interview?",
  cancelLead: "The Zoom meeting and the calendar event are deleted. This cannot be undone.",
  cancelConfirm: "Cancel the interview",
  keepInterview: "Keep it",
  interviewLoading: "Loading the interview…",
  interviewLoadFailed: "Could not load the interview.",
  interviewStatus: (status) => interviewStatuses[status],

  errors: async () => (await import("./en-errors.ts")).enErrors,
};
