/**
 * `POST /v1/availability` behind the route: reads what the question needs
 * (working hours, zones, every participant's calendars, all at once), hands
 * it to the pure slot computation, and renders the answer in the viewer's
 * zone.
 */
import type { TimeRange } from "../providers/types.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { type BusyTimesDeps, type CalendarReading, readBusyTimes } from "./busy-times.ts";
import type { Interval } from "./intervals.ts";
import { computeAvailability, type PersonSchedule } from "./slots.ts";
import { readOrganisationHours, readPersonalHours, readUserZones } from "./store.ts";
import type { WorkingHours } from "./working-hours.ts";
import { formatInZone, minuteMs } from "./zone.ts";

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
}

/** `ok`: every calendar read; `unconfirmed`: some could not be; `no_calendar`: no Google or Outlook account linked. */
export type PersonStatus = "ok" | "unconfirmed" | "no_calendar";

/** A calendar account as the answer shows it: which one, and whether it was read (never its busy times' details). */
export interface CalendarView {
  accountId: string;
  provider: CalendarReading["provider"];
  email: string | null;
  status: CalendarReading["status"];
  reason?: string;
  detail?: string;
}

export interface AvailabilityAnswer {
  timeZone: string;
  slots: Array<{ start: string; end: string; unconfirmedFor: string[] }>;
  people: Array<{
    id: string;
    status: PersonStatus;
    timeZone: string;
    workingHours: WorkingHours;
    calendars: CalendarView[];
    busy: Array<{ start: string; end: string }>;
  }>;
}

export async function findAvailability(deps: BusyTimesDeps, tenant: OrgScope, question: AvailabilityQuestion): Promise<AvailabilityAnswer> {
  const { participants } = question;
  // Busy time just outside the range still matters to a slot at its edge, through the buffers.
  const fetched: TimeRange = {
    start: new Date(question.start.getTime() - question.bufferBeforeMinutes * minuteMs),
    end: new Date(question.end.getTime() + question.bufferAfterMinutes * minuteMs),
  };
  const [organisation, personal, zones, readings] = await Promise.all([
    readOrganisationHours(deps.db, tenant),
    readPersonalHours(deps.db, tenant, participants),
    readUserZones(deps.db, tenant, participants),
    readBusyTimes(deps, tenant, participants, fetched, question.timeZone),
  ]);

  const schedules = participants.map((id): PersonSchedule & { workingHours: WorkingHours } => {
    const own = personal.get(id);
    const calendars = readings.get(id) ?? [];
    const hours = own ?? organisation;
    return {
      id,
      timeZone: own?.timeZone ?? zones.get(id) ?? organisation.timeZone,
      workingHours: { days: hours.days, start: hours.start, end: hours.end },
      busy: calendars.flatMap((calendar) => (calendar.status === "read" ? calendar.busy : [])),
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
  const render = (interval: Interval) => ({ start: formatInZone(interval.start, zone), end: formatInZone(interval.end, zone) });
  return {
    timeZone: zone,
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
        busy: (busy.get(schedule.id) ?? []).map(render),
      };
    }),
  };
}

function calendarView(reading: CalendarReading): CalendarView {
  const view: CalendarView = { accountId: reading.accountId, provider: reading.provider, email: reading.email, status: reading.status };
  if (reading.status === "unreadable") Object.assign(view, { reason: reading.reason, detail: reading.detail });
  return view;
}
