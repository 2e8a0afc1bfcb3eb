/**
 * `POST /me/calendar/getSchedule`: free/busy of mailboxes in the caller's
 * tenant, from the seeded calendars plus the events made through Graph.
 * https://learn.microsoft.com/graph/api/calendar-getschedule
 * https://learn.microsoft.com/graph/api/resources/scheduleinformation
 *
 * Limits are the server's, not the docs' (20 schedules, under 42 days): 100
 * schedules (https://github.com/microsoftgraph/microsoft-graph-docs/issues/7047)
 * and 62 days (https://github.com/microsoftgraph/microsoft-graph-docs/pull/19703).
 */
import { z } from "zod";
import { busyTimesFor } from "../seed.ts";
import { accounts, type DirectoryAccount, workingHoursZoneName } from "./directory.ts";
import type { EventStore } from "./events.ts";
import { formatWallClock, parseWallClock, resolveZone } from "./time.ts";

const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string() });
export const scheduleRequest = z.object({
  schedules: z.array(z.string()).min(1),
  startTime: dateTimeTimeZone,
  endTime: dateTimeTimeZone,
  availabilityViewInterval: z.number().int().min(5).max(1440).optional(),
});

export const maxSchedules = 100;
const maxWindowDays = 62;
const day = 86_400_000;

/**
 * How the seeded meetings show in Outlook: lunch is pencilled in, a customer
 * meeting is spent at the customer's office; the rest is plain busy.
 */
const seededStatus: Record<string, string> = { ランチ会: "tentative", 顧客打ち合わせ: "workingElsewhere" };

/** availabilityView digits, and which status wins a slot that several items touch. */
const viewDigit: Record<string, string> = { free: "0", tentative: "1", busy: "2", oof: "3", workingElsewhere: "4" };
const precedence = ["oof", "busy", "tentative", "workingElsewhere", "free"];

export type ScheduleAnswer = { ok: true; value: unknown[] } | { ok: false; code: string; message: string };

interface Item {
  status: string;
  start: Date;
  end: Date;
  subject: string;
  location: string;
  isMeeting: boolean;
}

export function getSchedule(
  request: z.infer<typeof scheduleRequest>,
  caller: DirectoryAccount,
  events: EventStore,
  answerZone: { zone: string; name: string },
): ScheduleAnswer {
  if (request.schedules.length > maxSchedules) {
    return {
      ok: false,
      code: "ErrorMailboxDataArrayTooBig",
      message:
        `There are too many target users in the EmailAddress array. The allowed size = ${maxSchedules}; the ` +
        `actual size = ${request.schedules.length}.`,
    };
  }
  const startZone = resolveZone(request.startTime.timeZone);
  const endZone = resolveZone(request.endTime.timeZone);
  if (!startZone || !endZone) {
    const name = startZone ? request.endTime.timeZone : request.startTime.timeZone;
    return {
      ok: false,
      code: "TimeZoneNotSupportedException",
      message: `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${name}'.`,
    };
  }
  const start = parseWallClock(request.startTime.dateTime, startZone);
  const end = parseWallClock(request.endTime.dateTime, endZone);
  if (!start || !end)
    return {
      ok: false,
      code: "ErrorInvalidParameter",
      message: "startTime and endTime need a dateTime like 2026-11-24T09:00:00 (no offset) and a timeZone.",
    };
  if (end <= start)
    return { ok: false, code: "ErrorInvalidParameter", message: "The end of the time window must be after its start." };
  const days = Math.ceil((end.getTime() - start.getTime()) / day);
  if (days > maxWindowDays) {
    return {
      ok: false,
      code: "ErrorTimeIntervalTooBig",
      message:
        `The requested time duration specified for FreeBusyViewOptions.TimeWindow is too long. The allowed ` +
        `limit = ${maxWindowDays} days; the actual limit = ${days} days.`,
    };
  }
  const interval = request.availabilityViewInterval ?? 30;
  const value = request.schedules.map((scheduleId) => {
    const mailbox = accounts.find(
      (account) =>
        account.userPrincipalName.toLowerCase() === scheduleId.toLowerCase() && account.tenantId === caller.tenantId,
    );
    // Observed answer for an address the directory does not know:
    // https://github.com/microsoftgraph/microsoft-graph-docs/issues/11225
    if (!mailbox)
      return {
        scheduleId,
        error: {
          message: `Unable to resolve e-mail address ${scheduleId} to an Active Directory object.`,
          responseCode: "5009",
        },
      };
    const items = itemsFor(mailbox, start, end, events);
    return {
      scheduleId,
      availabilityView: availabilityView(items, start, end, interval),
      scheduleItems: items.map((item) => ({
        isPrivate: false,
        status: item.status,
        subject: item.subject,
        location: item.location,
        isMeeting: item.isMeeting,
        isRecurring: false,
        isException: false,
        isReminderSet: true,
        start: { dateTime: formatWallClock(item.start, answerZone.zone), timeZone: answerZone.name },
        end: { dateTime: formatWallClock(item.end, answerZone.zone), timeZone: answerZone.name },
      })),
      workingHours: {
        daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
        startTime: "09:00:00.0000000",
        endTime: "18:00:00.0000000",
        timeZone: { name: workingHoursZoneName },
      },
    };
  });
  return { ok: true, value };
}

function itemsFor(mailbox: DirectoryAccount, start: Date, end: Date, events: EventStore): Item[] {
  const seeded = busyTimesFor(
    mailbox.userPrincipalName,
    new Date(start.getTime() - day),
    Math.ceil((end.getTime() - start.getTime()) / day) + 2,
  ).map((busy) => ({
    status: seededStatus[busy.summary] ?? "busy",
    start: busy.start,
    end: busy.end,
    subject: busy.summary,
    location: "",
    isMeeting: true,
  }));
  const created = events.onCalendarOf(mailbox.userPrincipalName).map(({ event, organiser }) => ({
    // An invitation nobody answered sits on the attendee's calendar as tentative.
    status: organiser || event.showAs === "free" ? event.showAs : "tentative",
    start: event.start,
    end: event.end,
    subject: event.subject,
    location: event.location,
    isMeeting: event.attendees.length > 0,
  }));
  return [...seeded, ...created]
    .filter((item) => item.start < end && item.end > start)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
}

function availabilityView(items: Item[], start: Date, end: Date, intervalMinutes: number): string {
  const step = intervalMinutes * 60_000;
  let view = "";
  for (let slot = start.getTime(); slot < end.getTime(); slot += step) {
    const statuses = items
      .filter((item) => item.start.getTime() < slot + step && item.end.getTime() > slot)
      .map((item) => item.status);
    const winner = precedence.find((status) => statuses.includes(status)) ?? "free";
    view += viewDigit[winner] ?? "2";
  }
  return view;
}
