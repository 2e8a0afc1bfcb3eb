/**
 * The shape every locale file fills in. No element puts a literal UI string
 * in a template: add a term here, then to `locales/ja.ts` and `locales/en.ts`
 * (the compiler refuses a locale that misses one). Counts are functions, so
 * each language says its own plural.
 */
import type {
  AvailabilityPersonStatus,
  BrowserErrorCode,
  CalendarUnreadableReason,
  DayOffReason,
  InterviewStatus,
  LinkStatus,
  LostFeature,
  ProviderId,
  StatusReason,
  ZoomHostReason,
} from "@tsunagu/contract";
import type { ClientErrorCode } from "./api-error.ts";

export type Language = "ja" | "en";

/** A day's numbers on a wall clock: `weekday` 0 is Sunday; `year` only when it is to be written. */
export interface WallDay {
  year?: number | undefined;
  month: number;
  day: number;
  weekday: number;
}

/** Where an account or connection stands (the server's `status`). */
export type AccountStatus = LinkStatus;

/**
 * Every code with a message of our own: the client's, and every code the
 * server may answer a browser with (the contract's `BrowserErrorCode`), so a
 * code added to the contract fails the typecheck until both locales word it.
 * Any other code shows the server's message.
 */
export type TranslatedErrorCode = ClientErrorCode | BrowserErrorCode;

/** Why an account or connection needs linking again (the server's `statusReason`). */
export type { StatusReason };

/** Something that stops working when an account or connection goes (see integration-accounts/impact.ts). */
export type { LostFeature };

/** Why a Zoom user cannot host in a time range (the server's `candidates[].reason`). */
export type { ZoomHostReason };

export interface Translation {
  $language: Language;
  /** The language's name in itself, for language pickers. */
  $name: string;

  loading: string;
  retry: string;
  close: string;
  cancel: string;
  disconnect: string;
  reconnect: string;
  errorHeading: string;
  requestId: (id: string) => string;
  /** Sentences one after the other: Japanese puts nothing after 。, English a space after the full stop. */
  sentences: (parts: readonly string[]) => string;
  /** A label before its value, with the language's colon: "パスコード：" (full width) / "Passcode: ". */
  labelOf: (label: string) => string;

  providerName: (provider: ProviderId) => string;
  accountStatus: (status: AccountStatus) => string;
  /** How many a person linked of `provider` (a Zoom card counts Zoom users, as its button links them). */
  accountCount: (count: number, provider?: ProviderId) => string;
  minutes: (count: number) => string;
  /**
   * Dates and times, one way per language (the server's notices and templates write them alike): a day
   * "12月3日（水）" / "Wed, Dec 3" (`year` when it is shown), a clock "9:00" / "9:00 AM", a day with a time,
   * a range "9:00〜10:00" / "9:00 AM – 10:00 AM", and a text with the zone it is in after it.
   */
  dayText: (day: WallDay) => string;
  clockText: (hour: number, minute: number) => string;
  momentText: (day: string, clock: string) => string;
  rangeText: (from: string, to: string) => string;
  inZone: (text: string, zone: string) => string;

  // <integration-accounts>
  integrationsNoneOffered: string;
  organizationHeading: string;
  organizationIntro: string;
  personalHeading: string;
  personalIntro: string;
  /** "Slack workspace", "Google Workspace", "Microsoft 365 tenant", "Zoom account". */
  connectionKind: (provider: ProviderId) => string;
  notConnected: string;
  connectedOn: (date: string) => string;
  connectOrganization: (provider: ProviderId) => string;
  /** An action on a named account or connection, for its button's accessible name: "Unlink: Slack Hanako Yamada
   * (hanako@…)". */
  actionOn: (action: string, provider: ProviderId, name: string) => string;
  /** The label before an account's workspace, domain, tenant or Zoom account. */
  accountHome: (provider: ProviderId) => string;
  linkAccount: (provider: ProviderId) => string;
  linkAnotherAccount: (provider: ProviderId) => string;
  noAccounts: (provider: ProviderId) => string;
  organizationMissing: (provider: ProviderId, viewerIsAdmin: boolean) => string;
  organizationNeedsReauth: (provider: ProviderId, viewerIsAdmin: boolean) => string;
  /** The personal card after the organisation connection was removed (its accounts wait for it to come back). */
  organizationDisconnected: (provider: ProviderId, viewerIsAdmin: boolean) => string;
  defaultAccount: string;
  makeDefault: string;
  relink: string;
  unlink: string;
  statusReason: (reason: StatusReason) => string;
  statusReasonOther: string;
  linkStarting: string;
  /** On an organisation card (Google, Microsoft, Zoom): connecting also links the admin's own account. */
  organizationLinksAdmin: (provider: ProviderId) => string;
  /** The server moved the default because `from` needs linking again. */
  defaultMovedAfterReauth: (provider: ProviderId, from: string, to: string) => string;
  working: string;
  loadFailed: string;
  dismiss: string;

  // <zoom-host-picker>
  /** The picker's label: the Zoom user that hosts the web interview. */
  zoomHostLabel: string;
  zoomHostsLoading: string;
  /** Before a start and an end are given. */
  zoomHostsNeedTime: string;
  /**
   * Where people link their Zoom users, after で / "in" in the picker's advice, unless the page names it
   * (`link-place`): 連携設定 / the integration settings.
   */
  zoomLinkPlace: string;
  /** No Zoom user is linked in the organisation: link one in `place`. */
  zoomHostsNone: (place: string) => string;
  zoomHostsLoadFailed: string;
  zoomHostAvailable: string;
  zoomHostUnavailable: string;
  /** Why a Zoom user cannot host; `place` is where it is linked again (`zoomLinkPlace`, or the page's words). */
  zoomHostReason: (reason: ZoomHostReason, place: string) => string;
  /** A reason this version does not know (a newer server's). */
  zoomHostReasonOther: string;
  /** Meetings it already hosts in the range, against its limit. */
  zoomHostLoad: (load: number, limit: number) => string;
  /** The badge on the server's pick. */
  zoomHostSuggested: string;
  /** Before the server's one-sentence reason for its pick. */
  zoomHostPickedBecause: (reason: string) => string;
  zoomHostsNoPick: string;
  /** For screen readers once the list is in: how many, and which is chosen. */
  zoomHostsLoaded: (count: number, chosen: string | undefined) => string;
  /** The validation message of a required picker with no host. */
  zoomHostRequired: string;

  // <schedule-interview>
  scheduleHeading: string;
  editHeading: string;
  /** The element's heading while it shows an interview (after booking it, or opened with `interview-id`). */
  interviewHeading: string;
  titleLabel: string;
  /** The title a new interview starts with, for the candidate named. */
  defaultTitle: (candidate: string) => string;
  candidateNameLabel: string;
  candidateEmailLabel: string;
  interviewersLabel: string;
  noInterviewers: string;
  durationLabel: string;
  rangeStartLabel: string;
  rangeEndLabel: string;
  hoursStartLabel: string;
  hoursEndLabel: string;
  /** Under the controls: the zone every time is shown in. */
  timeZoneNote: (zone: string) => string;
  slotsHeading: string;
  slotsLoading: string;
  slotsLoadFailed: string;
  /** Before interviewers, a valid range and hours are given. */
  slotsNeedInput: string;
  slotsNone: string;
  /**
   * For screen readers once the answer is in. `unconfirmed`: some interviewer's calendar could not be read, so a time
   * counts when everyone else is free.
   */
  slotsLoaded: (count: number, unconfirmed: boolean) => string;
  /** The grid's name: the week it shows. */
  weekLabel: (from: string, to: string) => string;
  previousWeek: string;
  nextWeek: string;
  timeHeader: string;
  slotFree: string;
  busyWith: (names: string) => string;
  unconfirmedFor: (names: string) => string;
  /** A day off the server named, in this language ("祝日：勤労感謝の日" / "Holiday: Labour Thanksgiving Day"). */
  dayOff: (reason: DayOffReason, name: string) => string;
  personStatus: (status: AvailabilityPersonStatus) => string;
  calendarUnreadable: (reason: CalendarUnreadableReason) => string;
  calendarAccountLabel: string;
  calendarAccountNone: string;
  calendarAccountsLoadFailed: string;
  webInterviewLabel: string;
  chooseSlotFirst: string;
  review: string;
  interviewLoading: string;
  interviewLoadFailed: string;

  /**
   * The message for each error code, or a function that loads them (`() => import("./ko-errors.js")…`): ours
   * are a chunk of their own, fetched the first time an element shows an error, so a page that never fails never
   * downloads them. Until they arrive an error shows no text; if they cannot load, `errorHeading`.
   */
  errors: ErrorMessages | (() => Promise<ErrorMessages>);
  /**
   * The terms of the steps after an element's first screen (`LaterTerms`), or a function that loads them: ours are
   * a chunk of their own, fetched when a step first needs them (see `LocalizeController.loadLaterTerms`).
   */
  later: LaterTerms | (() => Promise<LaterTerms>);
}

/**
 * The terms only a step after the first screen shows: linking under way and its outcome, the unlink dialog and
 * the toasts after it; the booking summary, the result, the cancel dialog. A page that only shows the elements
 * never downloads them.
 */
/** What the candidate's message announces: a booking, a new time, or another change (people, title, host). */
export type CandidateNews = "scheduled" | "rescheduled" | "changed";

export interface LaterTerms {
  linkWaiting: (provider: ProviderId) => string;
  /** The cancel button of a round trip under way, with the card's own verb: connect (organisation) or link (personal).
   * */
  cancelLinking: (provider: ProviderId, kind: "organization" | "personal") => string;
  popupBlocked: (provider: ProviderId) => string;
  /** consent_denied on a card: what to press on that provider's own consent page. */
  consentDenied: (provider: ProviderId) => string;
  /** After a refusal for another workspace, domain, tenant or Zoom account: names the one to use. */
  wrongOrganization: (provider: ProviderId, name: string) => string;
  /** The connected toast's second line: the admin's own account that came with the connection. */
  adminAccountLinkedNote: (provider: ProviderId, name: string) => string;
  continueOnThisPage: string;
  linkedToast: (provider: ProviderId, name: string) => string;
  connectedToast: (provider: ProviderId, name: string) => string;
  linkCancelledToast: (provider: ProviderId) => string;
  unlinkedToast: (provider: ProviderId, name: string) => string;
  disconnectedToast: (provider: ProviderId, name: string, affectedAccounts: number) => string;
  defaultChangedToast: (provider: ProviderId, name: string) => string;
  notRevokedNote: (provider: ProviderId) => string;
  unlinkTitle: (provider: ProviderId) => string;
  disconnectTitle: (provider: ProviderId) => string;
  unlinkLead: string;
  disconnectLead: string;
  lostFeature: (feature: LostFeature, provider: ProviderId, scope: "personal" | "organization") => string;
  /** In the unlink dialog of the default account: which account becomes the default (undefined when none can). */
  defaultMoves: (successor: string | undefined) => string;
  /** After an unlink moved the default: a toast's second line. */
  defaultMovedNote: (provider: ProviderId, name: string) => string;
  microsoftRevocation: string;
  hostedMeetings: string;
  untitledMeeting: string;
  /** After the slot chosen: nobody is busy, or these are. */
  pickedBusy: (names: string) => string;
  summaryHeading: string;
  whenLabel: string;
  candidateLabel: string;
  webInterviewNone: string;
  zoomHostAuto: string;
  back: string;
  confirm: string;
  saveChanges: string;
  /** What the element is doing, for the progress line. */
  inProgress: (action: "book" | "update" | "cancel") => string;
  bookFailed: string;
  inputKept: string;
  /** After booking it, changing it, or opening an existing one. */
  resultHeading: (status: InterviewStatus, outcome: "booked" | "changed" | "loaded") => string;
  zoomUrlLabel: string;
  passcodeLabel: string;
  copy: (what: string) => string;
  copied: string;
  copyFailed: string;
  calendarLink: string;
  candidateMessageHeading: string;
  candidateMessageLoading: string;
  candidateMessageFailed: string;
  /**
   * The message when the page names no template of its own: `{{…}}` tags as in README "Message templates". It tells
   * the candidate what happened: the interview was booked, moved to another time, or changed otherwise (its
   * interviewers, title or Zoom host).
   */
  candidateMessageTemplate: (news: CandidateNews, withZoom: boolean) => string;
  startMeeting: string;
  startMeetingRefused: string;
  /** The caller's own link to the meeting's Zoom host needs linking again (409 needs_reauth). */
  startMeetingNeedsReauth: string;
  editInterview: string;
  cancelInterview: string;
  cancelTitle: string;
  cancelLead: string;
  cancelConfirm: string;
  keepInterview: string;
  interviewStatus: (status: InterviewStatus) => string;
}

/** What each error code tells the person, in one language. */
export type ErrorMessages = Record<TranslatedErrorCode, string>;

/** Every term of a language, the first screen's and the later steps'. */
export type Terms = Omit<Translation, "errors" | "later"> & LaterTerms;

/** The keys `term()` accepts: every entry that is a string or a function returning one. */
export type TermKey = {
  [K in keyof Terms]: Terms[K] extends string | ((...args: never[]) => string) ? K : never;
}[keyof Terms];

/** The arguments a term takes: none for a plain string. */
export type TermArgs<K extends TermKey> = Terms[K] extends (...args: infer A) => string ? A : [];
