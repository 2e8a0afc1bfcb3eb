/**
 * Availability (`POST /v1/availability`): the common free slots of the
 * participants and what each person's calendars said, as the server answers
 * it (server: availability/service.ts) and `<schedule-interview>` shows it.
 * Times are ISO 8601 with the viewer's offset; intervals are half-open.
 */

export const availabilityWeekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type AvailabilityWeekday = (typeof availabilityWeekdays)[number];

/** Working hours on a person's (or the viewer's) clock. */
export interface WorkingHoursView {
  days: AvailabilityWeekday[];
  /** "HH:MM", 00:00–23:59. */
  start: string;
  /** "HH:MM", after `start`; "24:00" is the end of the day. */
  end: string;
}

/** `ok`: every calendar read; `unconfirmed`: some could not be; `no_calendar`: no Google or Outlook account linked. */
export const availabilityPersonStatuses = ["ok", "unconfirmed", "no_calendar"] as const;
export type AvailabilityPersonStatus = (typeof availabilityPersonStatuses)[number];

/**
 * Why a calendar could not be read: the account needs linking again or was revoked, the provider could not answer,
 * it answered with an error for this calendar (its words in `detail`), or the server has no app for the provider.
 */
export const calendarUnreadableReasons = [
  "needs_reauth",
  "revoked",
  "provider_unavailable",
  "calendar_error",
  "provider_not_configured",
] as const;
export type CalendarUnreadableReason = (typeof calendarUnreadableReasons)[number];

/** A calendar account as the answer shows it: which one, and whether it was read (never its events' details). */
export interface AvailabilityCalendarView {
  accountId: string;
  provider: "google" | "microsoft";
  email: string | null;
  status: "read" | "unreadable";
  reason?: CalendarUnreadableReason;
  detail?: string;
}

export type DayOffReason = "holiday" | "closure" | "personal";

/** A day a person does not work: a national holiday, an organisation closure, or their own day off. */
export interface DayOffView {
  /** YYYY-MM-DD on the person's own clock. */
  date: string;
  reason: DayOffReason;
  /** The holiday's or closure's name as given (Japanese for holidays). */
  name: string;
  /** The holiday's English name, when it is one. */
  nameEn?: string;
  /** What a recruiter sees next to a slot on that day: "祝日：勤労感謝の日", "休業：年末年始", "休暇". */
  label: string;
}

/** A time every participant is free (`unconfirmedFor`: those whose calendars could not all be read). */
export interface AvailabilitySlot {
  start: string;
  end: string;
  unconfirmedFor: string[];
}

export interface AvailabilityPerson {
  /** Portal user id. */
  id: string;
  status: AvailabilityPersonStatus;
  timeZone: string;
  workingHours: WorkingHoursView;
  calendars: AvailabilityCalendarView[];
  busy: Array<{ start: string; end: string }>;
  /** Their days off within the range, each with the label to flag a slot picked on it by hand. */
  daysOff: DayOffView[];
}

/** `POST /v1/availability`. */
export interface AvailabilityAnswer {
  /** The viewer's zone, in which every time is written. */
  timeZone: string;
  /** Whether Japan's national holidays were taken as days off. */
  japaneseHolidays: boolean;
  slots: AvailabilitySlot[];
  people: AvailabilityPerson[];
}

/**
 * How much of each person's busy time the answer carries (`people[].busy`; the slots are the same either way):
 * `all` (the default) every busy block within the range; `working_hours` only what falls within the question's
 * `workingHours` on the viewer's clock, each block cut to them (what a view of those hours shows); `none` nothing.
 */
export const availabilityBusyScopes = ["all", "working_hours", "none"] as const;
export type AvailabilityBusyScope = (typeof availabilityBusyScopes)[number];

/** What `POST /v1/availability` asks. */
export interface AvailabilityQuestion {
  participants: string[];
  start: string;
  end: string;
  durationMinutes: number;
  stepMinutes?: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  /** Hours every slot must also fit in, on the viewer's clock. */
  workingHours?: WorkingHoursView;
  timeZone?: string;
  /** Which busy time the answer carries; `working_hours` needs `workingHours`. Default `all`. */
  peopleBusy?: AvailabilityBusyScope;
  /**
   * The interview being changed (of the caller's organisation; else 404 `interview_not_found`): its own calendar
   * event does not make its organiser's or interviewers' calendars busy, so it may keep its time.
   */
  interviewId?: string;
}

/**
 * An organisation's language: with `ja`, Japan's national holidays are days off unless an admin turned the rule off.
 * Set by an admin (`PUT /v1/days-off`), or taken from the first admin host token that carries a `locale`.
 */
export const organisationLocales = ["ja", "en"] as const;
export type OrganisationLocale = (typeof organisationLocales)[number];

/** `GET /v1/days-off`'s `organisation`: the holiday rule, the closures and the organisation's language. */
export interface OrganisationDaysOffView {
  /** As an admin set it; null: on when `locale` is `ja` (or, while `locale` is null, when the asker's is). */
  japaneseHolidays: boolean | null;
  closures: Array<{ start: string; end: string; name: string }>;
  /** null until an admin set it or an admin with a `locale` claim was first seen. */
  locale: OrganisationLocale | null;
}
