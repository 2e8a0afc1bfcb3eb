/**
 * `POST /v1/availability` behind the route: reads what the question needs
 * (working hours, zones, every participant's calendars, all at once), hands
 * it to the pure slot computation, and renders the answer in the viewer's
 * zone.
 */
import type {
  AvailabilityAnswer,
  AvailabilityBusyScope,
  AvailabilityCalendarView,
  AvailabilityPersonStatus,
} from "@tsunagu/contract";
import type { TimeRange } from "../providers/types.ts";
import { type OrgScope, readOrganisationLocale } from "../store/tenancy.ts";
import { type BusyTimesDeps, type CalendarReading, readBusyTimes } from "./busy-times.ts";
import { closureDays, type DayOff, japaneseHolidays } from "./days-off.ts";
import { type EventsLeftOut, withoutEvent } from "./interview-being-changed.ts";
import { holidaysApply, readOrganisationDaysOff, readPersonalDaysOff } from "./days-off-store.ts";
import { type Interval, overlapOf } from "./intervals.ts";
import { computeAvailability, type PersonSchedule } from "./slots.ts";
import { defaultOrganisationHours, readPersonalHours, readUserZones, storedOrganisationHours } from "./store.ts";
import { type WorkingHours, workingIntervals } from "./working-hours.ts";
import { dateInZone, dateOfEpochDay, dayMs, formatInZone, minuteMs } from "./zone.ts";

export interface AvailabilityQuestion {
  /** Portal user ids, without repeats. */
  participants: string[];
  start: Date;
  end: Date;
  durationMinutes: number;
  stepMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** Hours every slot must also fit in, on the viewer's clock. */
  workingHours?: WorkingHours | undefined;
  /** The viewer's IANA zone. */
  timeZone: string;
  /**
   * The viewer's language: it decides the holiday rule only while the organisation has no language of its own
   * (no admin set one and no admin token carried one).
   */
  locale?: string | undefined;
  /**
   * Which of each person's busy time the answer carries (default `all`); `working_hours` cuts it to `workingHours`
   * and is asked only with them (the route refuses it alone).
   */
  peopleBusy?: AvailabilityBusyScope | undefined;
  /** The event of the interview being changed (`interviewId`), left out of its calendars' busy time. */
  leaveOut?: EventsLeftOut | undefined;
}

/** `ok`: every calendar read; `unconfirmed`: some could not be; `no_calendar`: no Google or Outlook account linked. */
export type PersonStatus = AvailabilityPersonStatus;

/** A calendar account as the answer shows it: which one, and whether it was read (never its busy times' details). */
export type CalendarView = AvailabilityCalendarView;

/** The answer's shape is the contract's (`@tsunagu/contract`), which `<schedule-interview>` reads. */
export type { AvailabilityAnswer };

export async function findAvailability(
  deps: BusyTimesDeps,
  tenant: OrgScope,
  question: AvailabilityQuestion,
): Promise<AvailabilityAnswer> {
  const { participants } = question;
  // Busy time just outside the range still matters to a slot at its edge, through the buffers.
  const fetched: TimeRange = {
    start: new Date(question.start.getTime() - question.bufferBeforeMinutes * minuteMs),
    end: new Date(question.end.getTime() + question.bufferAfterMinutes * minuteMs),
  };
  const [storedOrganisation, personal, zones, calendarsRead, organisationDaysOff, personalDaysOff, organisationLocale] =
    await Promise.all([
      storedOrganisationHours(deps.db, tenant),
      readPersonalHours(deps.db, tenant, participants),
      readUserZones(deps.db, tenant, participants),
      readBusyTimes(deps, tenant, participants, fetched, question.timeZone),
      readOrganisationDaysOff(deps.db, tenant),
      readPersonalDaysOff(deps.db, tenant, participants),
      readOrganisationLocale(deps.db, tenant),
    ]);
  const readings = question.leaveOut ? withoutEvent(calendarsRead, question.leaveOut) : calendarsRead;
  // Until an admin sets the organisation's hours, they are the default hours on the viewer's clock: a recruiter in
  // Tokyo asking about a colleague whose zone is not known yet sees 9:00-18:00 Tokyo time, not UTC.
  const organisation = storedOrganisation ?? { ...defaultOrganisationHours, timeZone: question.timeZone };
  // Every date the range touches in any zone (a day either side covers all offsets).
  const firstDate = dateOfEpochDay(Math.floor(question.start.getTime() / dayMs) - 1);
  const lastDate = dateOfEpochDay(Math.floor(question.end.getTime() / dayMs) + 1);
  const holidaysOn = holidaysApply(organisationDaysOff, organisationLocale, question.locale);
  const organisationDays = [
    ...(holidaysOn ? japaneseHolidays(firstDate, lastDate) : []),
    ...closureDays(organisationDaysOff.closures, "closure", firstDate, lastDate),
  ];
  const daysOffOf = new Map(
    participants.map((id) => [
      id,
      [...organisationDays, ...closureDays(personalDaysOff.get(id) ?? [], "personal", firstDate, lastDate)],
    ]),
  );

  const schedules = participants.map((id): PersonSchedule & { workingHours: WorkingHours } => {
    const own = personal.get(id);
    const calendars = readings.get(id) ?? [];
    const hours = own ?? organisation;
    return {
      id,
      timeZone: own?.timeZone ?? zones.get(id) ?? organisation.timeZone,
      workingHours: { days: hours.days, start: hours.start, end: hours.end },
      busy: calendars.flatMap((calendar) => (calendar.status === "read" ? calendar.busy : [])),
      daysOff: new Set((daysOffOf.get(id) ?? []).map((day) => day.date)),
      confirmed: calendars.length > 0 && calendars.every((calendar) => calendar.status === "read"),
    };
  });
  const { slots, busy } = computeAvailability(
    {
      start: question.start.getTime(),
      end: question.end.getTime(),
      durationMinutes: question.durationMinutes,
      stepMinutes: question.stepMinutes,
      bufferBeforeMinutes: question.bufferBeforeMinutes,
      bufferAfterMinutes: question.bufferAfterMinutes,
      timeZone: question.timeZone,
      window: question.workingHours,
    },
    schedules,
  );

  const zone = question.timeZone;
  const shownBusy = busyShown(question);
  const render = (interval: Interval) => ({
    start: formatInZone(interval.start, zone),
    end: formatInZone(interval.end, zone),
  });
  return {
    timeZone: zone,
    japaneseHolidays: holidaysOn,
    slots: slots.map((slot) => ({ ...render(slot), unconfirmedFor: slot.unconfirmedFor })),
    people: schedules.map((schedule) => {
      const calendars = readings.get(schedule.id) ?? [];
      const status: PersonStatus = calendars.length === 0 ? "no_calendar" : schedule.confirmed ? "ok" : "unconfirmed";
      return {
        id: schedule.id,
        status,
        timeZone: schedule.timeZone,
        workingHours: schedule.workingHours,
        calendars: calendars.map(calendarView),
        busy: shownBusy(busy.get(schedule.id) ?? []).map(render),
        daysOff: withinRange(
          daysOffOf.get(schedule.id) ?? [],
          dateInZone(question.start.getTime(), schedule.timeZone),
          dateInZone(question.end.getTime() - 1, schedule.timeZone),
        ),
      };
    }),
  };
}

/**
 * The part of a person's busy time the answer carries: all of it, none, or (`working_hours`) the parts within the
 * question's hours on the viewer's clock, the same windows a slot must fit in. Rendering a busy block costs more than
 * computing with it, and a view of working hours asks for only what it shows (50 people × 60 days: ~4,900 blocks).
 */
function busyShown(question: AvailabilityQuestion): (busy: Interval[]) => Interval[] {
  const scope = question.peopleBusy ?? "all";
  if (scope === "none") return () => [];
  if (scope === "all" || !question.workingHours) return (busy) => busy;
  const windows = workingIntervals(
    question.workingHours,
    question.timeZone,
    question.start.getTime(),
    question.end.getTime(),
  );
  return (busy) => overlapOf(busy, windows);
}

function calendarView(reading: CalendarReading): CalendarView {
  const view: CalendarView = {
    accountId: reading.accountId,
    provider: reading.provider,
    email: reading.email,
    status: reading.status,
  };
  if (reading.status === "unreadable") Object.assign(view, { reason: reading.reason, detail: reading.detail });
  return view;
}

/** The days from `first` to `last` (their own dates), in date order. */
function withinRange(days: DayOff[], first: string, last: string): DayOff[] {
  return days
    .filter((day) => day.date >= first && day.date <= last)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
