/**
 * The Graph calls we make for one signed-in account: who am I, free/busy
 * (getSchedule, split and merged to fit its limits), and the interview event.
 */
import type { Client, GraphRequest } from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { answerCheck, isObject, mismatch, optionalString } from "../answer-check.ts";
import { joinedBusy } from "../busy-intervals.ts";
import { ProviderError, ProviderResponseError } from "../errors.ts";
import { type HttpDeps, providerRequest } from "../http.ts";
import type { CalendarBusy, CalendarEvent, CalendarEventInput, CalendarProvider, TimeRange } from "../types.ts";
import { graphError, graphUrl, retryOptions, toProviderError } from "./graph-client.ts";
import { optionalWebLink } from "../web-link.ts";
import { microsoftQuirks as quirks } from "./quirks.ts";
import { fromGraphDateTime, graphDateTimeMs, toGraphDateTime } from "./time.ts";

// GET /me. https://learn.microsoft.com/graph/api/user-get
const userSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullish(),
  mail: z.string().nullish(),
  userPrincipalName: z.string().min(1),
});

// https://learn.microsoft.com/graph/api/resources/datetimetimezone
const dateTimeTimeZone = z.object({ dateTime: z.string(), timeZone: z.string() });

// POST /me/calendar/getSchedule → scheduleInformation[]. An unknown address
// comes back as an item with only `scheduleId` and `error` (observed:
// https://github.com/microsoftgraph/microsoft-graph-docs/issues/11225).
// https://learn.microsoft.com/graph/api/calendar-getschedule
// https://learn.microsoft.com/graph/api/resources/scheduleinformation
// The reference for `scheduleAnswer` below, the hand-written check answers are read with (the tests hold the two to
// the same bodies).
export const scheduleSchema = z.object({
  value: z.array(
    z.object({
      scheduleId: z.string(),
      scheduleItems: z
        .array(z.object({ status: z.string(), start: dateTimeTimeZone, end: dateTimeTimeZone }))
        .nullish(),
      error: z.object({ message: z.string().nullish(), responseCode: z.string().nullish() }).nullish(),
    }),
  ),
});

/** A getSchedule answer as read by `scheduleAnswer`: each schedule's busy items as flat epoch-millisecond pairs. */
export interface ScheduleAnswer {
  value: Array<{
    scheduleId: string;
    /** [start, end, start, end, …] of the items whose status is not free, in the order Graph gave them. */
    busy: number[];
    error: { message?: string | null | undefined; responseCode?: string | null | undefined } | null | undefined;
  }>;
}

/**
 * getSchedule's exact shape, checked by hand: it refuses what `scheduleSchema` (the reference, above) refuses, and
 * reads each busy item's instants straight to numbers, with no zod pass and no Date per item (../answer-check.ts).
 * An item with a free status is checked but not kept; a dateTime or zone we cannot read is refused as before
 * (./time.ts).
 */
export const scheduleAnswer = answerCheck((body): ScheduleAnswer => {
  if (!isObject(body)) mismatch([], "an object", body);
  const infos = body.value;
  if (!Array.isArray(infos)) mismatch(["value"], "an array", infos);
  const free: readonly string[] = quirks.graph.freeStatuses;
  return {
    value: infos.map((info: unknown, index) => {
      if (!isObject(info)) mismatch(["value", index], "an object", info);
      if (typeof info.scheduleId !== "string") mismatch(["value", index, "scheduleId"], "a string", info.scheduleId);
      const busy: number[] = [];
      const items = info.scheduleItems;
      if (items !== undefined && items !== null) {
        if (!Array.isArray(items)) mismatch(["value", index, "scheduleItems"], "an array, null or nothing", items);
        // The path of a field is built only when it is out of shape: thousands of items per question are not.
        const at = (position: number, ...field: string[]) => ["value", index, "scheduleItems", position, ...field];
        for (let position = 0; position < items.length; position++) {
          const item: unknown = items[position];
          if (!isObject(item)) mismatch(at(position), "an object", item);
          const { status, start, end } = item;
          if (typeof status !== "string") mismatch(at(position, "status"), "a string", status);
          if (!isDateTime(start)) dateTimeMismatch(start, at(position, "start"));
          if (!isDateTime(end)) dateTimeMismatch(end, at(position, "end"));
          if (free.includes(status)) continue;
          busy.push(graphDateTimeMs(start.dateTime, start.timeZone), graphDateTimeMs(end.dateTime, end.timeZone));
        }
      }
      return { scheduleId: info.scheduleId, busy, error: scheduleError(info.error, ["value", index, "error"]) };
    }),
  };
});

function isDateTime(value: unknown): value is { dateTime: string; timeZone: string } {
  return isObject(value) && typeof value.dateTime === "string" && typeof value.timeZone === "string";
}

/** Throws the mismatch of the first field of a dateTimeTimeZone out of shape (`isDateTime` said one is). */
function dateTimeMismatch(value: unknown, path: PropertyKey[]): never {
  if (!isObject(value)) return mismatch(path, "an object", value);
  if (typeof value.dateTime !== "string") return mismatch([...path, "dateTime"], "a string", value.dateTime);
  return mismatch([...path, "timeZone"], "a string", value.timeZone);
}

function scheduleError(value: unknown, path: PropertyKey[]): ScheduleAnswer["value"][number]["error"] {
  if (value === undefined || value === null) return value;
  if (!isObject(value)) return mismatch(path, "an object, null or nothing", value);
  return {
    message: optionalString(value.message, () => [...path, "message"], "nullish"),
    responseCode: optionalString(value.responseCode, () => [...path, "responseCode"], "nullish"),
  };
}

// POST /me/events (201) and PATCH /me/events/{id} (200) answer with the event.
// https://learn.microsoft.com/graph/api/resources/event
const eventSchema = z.object({
  id: z.string().min(1),
  webLink: optionalWebLink,
  isCancelled: z.boolean().nullish(),
  start: dateTimeTimeZone.nullish(),
  end: dateTimeTimeZone.nullish(),
  // Set when the event was created with isOnlineMeeting (Teams): https://learn.microsoft.com/graph/api/resources/event
  onlineMeeting: z.object({ joinUrl: optionalWebLink }).nullish(),
  transactionId: z.string().nullish(),
});

/**
 * The path (after the version) and query of an `@odata.nextLink`, for the SDK, which takes absolute URLs only on
 * https://graph.microsoft.com and would put any other base (a sovereign cloud's, the sandbox's) in front again.
 */
function pathOfNextLink(link: string): string {
  const url = new URL(link);
  const version = url.pathname.indexOf("/v1.0/");
  return `${version >= 0 ? url.pathname.slice(version + "/v1.0".length) : url.pathname}${url.search}`;
}

/** A page of `GET /me/calendarView`; the next one is at `@odata.nextLink` (https://learn.microsoft.com/graph/paging). */
const eventPageSchema = z.object({
  value: z.array(eventSchema),
  "@odata.nextLink": z.string().nullish(),
});

/** An Outlook event as we read it back: where it stands, and its Teams link when it has one. */
export interface GraphEvent extends CalendarEvent {
  start: Date | undefined;
  end: Date | undefined;
  teamsJoinUrl: string | undefined;
}

export interface GraphEventOptions {
  /** Make the event a Teams meeting (`isOnlineMeeting`, `teamsForBusiness`); its join URL comes back on the event. */
  teams?: boolean;
  /**
   * Graph's `transactionId`: a create repeated with the same one does not make a second event. Stored before the call,
   * it lets a restart find an event whose creation it never heard back from.
   */
  transactionId?: string;
}

export interface MicrosoftUser {
  id: string;
  /** `mail`, or the sign-in name when the user has no mailbox address. */
  email: string;
  displayName: string | undefined;
}

export interface MicrosoftGraphApi extends CalendarProvider {
  me(): Promise<MicrosoftUser>;
  createEvent(event: CalendarEventInput, options?: GraphEventOptions): Promise<GraphEvent>;
  updateEvent(eventId: string, changes: Partial<CalendarEventInput>): Promise<GraphEvent>;
  /** GET /me/events/{id}; undefined when the event is gone (deleted in Outlook). */
  getEvent(eventId: string): Promise<GraphEvent | undefined>;
  /** The event created with this transactionId within the range (GET /me/calendarView); undefined when none was. */
  findEventByTransactionId(transactionId: string, range: TimeRange): Promise<GraphEvent | undefined>;
}

/**
 * Where and as whom the free/busy calls go: getSchedule is sent by our own request path (../http.ts) rather than
 * through the Graph SDK, which for one JSON POST built a middleware context, copied headers and wrapped the body
 * for every call (a third of the server's CPU on an availability request for 10 calendars, in the profile). The same
 * retry policy applies (a read: 429, 5xx and network failures are sent again, Retry-After honoured within the
 * policy) and errors map as the SDK's do (graphError, ./graph-client.ts).
 */
export interface GraphScheduleTarget {
  graphBaseUrl: string;
  accessToken: string;
}

export function createMicrosoftGraphApi(
  clientOf: () => Client,
  deps: HttpDeps,
  target: GraphScheduleTarget,
): MicrosoftGraphApi {
  // The SDK client is built on first use: an availability read never needs it.
  let built: Client | undefined;
  const sdk = () => (built ??= clientOf());
  const scheduleUrl = graphUrl(target.graphBaseUrl, "/me/calendar/getSchedule");
  const call = async <T>(schema: z.ZodType<T>, send: () => Promise<unknown>): Promise<T> => {
    let body: unknown;
    try {
      body = await send();
    } catch (error) {
      throw toProviderError(error, deps);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ProviderResponseError(
        "microsoft",
        200,
        `Graph answered in an unexpected shape: ${issue?.path.join(".")} ${issue?.message}`,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  };

  const getSchedule = (schedules: string[], window: TimeRange) =>
    providerRequest(deps, {
      provider: "microsoft",
      url: scheduleUrl,
      method: "POST",
      headers: {
        authorization: `Bearer ${target.accessToken}`,
        prefer: `outlook.timezone="${quirks.graph.answerTimeZone}"`,
      },
      body: {
        schedules,
        // Exact instants in UTC: no DST ambiguity at the window's edges.
        startTime: toGraphDateTime(window.start, "UTC"),
        endTime: toGraphDateTime(window.end, "UTC"),
        // The answer's availabilityView is one digit per interval (default 30 minutes: ~2,000 digits for a 41-day
        // window) that nothing reads (the items are): a day per digit, the documented maximum, keeps it short.
        availabilityViewInterval: 1440,
      },
      schema: scheduleAnswer,
      toError: ({ status, body, headers }) => graphError(status, body, headers, deps),
      kind: "safe",
    });

  const toEvent = (event: z.infer<typeof eventSchema>): GraphEvent => ({
    id: event.id,
    webLink: event.webLink ?? undefined,
    status: event.isCancelled ? "cancelled" : "confirmed",
    start: event.start ? fromGraphDateTime(event.start) : undefined,
    end: event.end ? fromGraphDateTime(event.end) : undefined,
    teamsJoinUrl: event.onlineMeeting?.joinUrl ?? undefined,
  });
  // Event times answered in UTC, so they read without Windows zone names.
  const preferUtc = `outlook.timezone="${quirks.graph.answerTimeZone}"`;

  return {
    async me() {
      const user = await call(userSchema, () =>
        sdk().api("/me").select(["id", "displayName", "mail", "userPrincipalName"]).get(),
      );
      return { id: user.id, email: user.mail ?? user.userPrincipalName, displayName: user.displayName ?? undefined };
    },

    /** Graph answers in UTC at our request, so the organiser's zone is not needed to read it. */
    async freeBusy(calendarIds: string[], range: TimeRange): Promise<CalendarBusy[]> {
      const ids = calendarIds.filter(
        (id, index) => calendarIds.findIndex((other) => other.toLowerCase() === id.toLowerCase()) === index,
      );
      const calls = chunk(ids, quirks.graph.maxSchedulesPerCall).flatMap((schedules) =>
        splitRange(range, quirks.graph.maxScheduleWindowMs).map((window) => ({ schedules, window })),
      );
      const answers = await mapLimit(calls, quirks.graph.maxConcurrentCalls, ({ schedules, window }) =>
        getSchedule(schedules, window),
      );
      const merged = new Map(
        ids.map((id) => [
          id.toLowerCase(),
          { calendarId: id, busy: [] as number[], error: undefined as string | undefined },
        ]),
      );
      answers.forEach((answer, index) => {
        const asked = calls[index]?.schedules ?? [];
        for (const id of asked) {
          const entry = merged.get(id.toLowerCase());
          const info = answer.value.find((candidate) => candidate.scheduleId.toLowerCase() === id.toLowerCase());
          if (!entry || entry.error) continue;
          if (!info) entry.error = "missing: Graph's answer has no entry for this schedule";
          else if (info.error)
            entry.error = [info.error.responseCode, info.error.message].filter(Boolean).join(": ") || "unknown error";
          else for (const instant of info.busy) entry.busy.push(instant);
        }
      });
      // Sorted, joined (an item straddling two windows comes back twice) and clipped to the range.
      const from = range.start.getTime();
      const to = range.end.getTime();
      return [...merged.values()].map(({ calendarId, busy, error }) =>
        error ? { calendarId, busy: [], error } : { calendarId, busy: joinedBusy(busy, from, to) },
      );
    },

    async createEvent(event: CalendarEventInput, options: GraphEventOptions = {}): Promise<GraphEvent> {
      const online = options.teams
        ? { isOnlineMeeting: true, onlineMeetingProvider: "teamsForBusiness" }
        : { isOnlineMeeting: false };
      const created = await call(eventSchema, () =>
        sdk()
          .api("/me/events")
          .header("Prefer", preferUtc)
          .middlewareOptions([retryOptions(deps, "create")])
          .post({
            ...eventBody(event),
            ...online,
            ...(options.transactionId && { transactionId: options.transactionId }),
          }),
      );
      return toEvent(created);
    },

    async updateEvent(eventId: string, changes: Partial<CalendarEventInput>): Promise<GraphEvent> {
      return toEvent(
        await call(eventSchema, () =>
          eventRequest(sdk(), eventId).header("Prefer", preferUtc).patch(eventBody(changes)),
        ),
      );
    },

    /**
     * The organiser's event carrying `transactionId` between `range.start` and `range.end`, if Outlook made it: read
     * from the calendar view page by page, never by repeating the create (a create that turned out new would send
     * the attendees an invitation). https://learn.microsoft.com/graph/api/user-list-calendarview
     */
    async findEventByTransactionId(transactionId: string, range: TimeRange): Promise<GraphEvent | undefined> {
      let next: string | undefined;
      do {
        const request: GraphRequest = next
          ? sdk().api(pathOfNextLink(next))
          : sdk()
              .api("/me/calendarView")
              .query({ startDateTime: range.start.toISOString(), endDateTime: range.end.toISOString() })
              .top(50);
        const page: z.infer<typeof eventPageSchema> = await call(eventPageSchema, () =>
          request.header("Prefer", preferUtc).get(),
        );
        const found = page.value.find((event) => event.transactionId === transactionId);
        if (found) return toEvent(found);
        next = page["@odata.nextLink"] ?? undefined;
      } while (next);
      return undefined;
    },

    async getEvent(eventId: string): Promise<GraphEvent | undefined> {
      try {
        return toEvent(await call(eventSchema, () => eventRequest(sdk(), eventId).header("Prefer", preferUtc).get()));
      } catch (error) {
        if (error instanceof ProviderError && error.status === 404 && error.code === "ErrorItemNotFound")
          return undefined;
        throw error;
      }
    },

    async deleteEvent(eventId: string): Promise<void> {
      try {
        await call(z.unknown(), () => eventRequest(sdk(), eventId).delete());
      } catch (error) {
        // Already gone is what we wanted. https://learn.microsoft.com/graph/api/event-delete
        if (error instanceof ProviderError && error.status === 404 && error.code === "ErrorItemNotFound") return;
        throw error;
      }
    },
  };
}

function eventRequest(client: Client, eventId: string): GraphRequest {
  return client.api(`/me/events/${encodeURIComponent(eventId)}`);
}

/**
 * Only the fields given. A Zoom link travels in the body and the location; a
 * Teams meeting is asked for by createEvent's options.
 * https://learn.microsoft.com/graph/api/user-post-events · https://learn.microsoft.com/graph/api/event-update
 */
function eventBody(event: Partial<CalendarEventInput>): Record<string, unknown> {
  // Without a zone, send the instant in UTC: still exact.
  const zone = event.timeZone ?? "UTC";
  return {
    ...(event.summary !== undefined && { subject: event.summary }),
    ...(event.description !== undefined && { body: { contentType: "text", content: event.description } }),
    ...(event.location !== undefined && { location: { displayName: event.location } }),
    ...(event.start && { start: toGraphDateTime(event.start, zone) }),
    ...(event.end && { end: toGraphDateTime(event.end, zone) }),
    ...(event.attendees && {
      attendees: event.attendees.map((attendee) => ({
        emailAddress: { address: attendee.email, ...(attendee.name && { name: attendee.name }) },
        type: attendee.optional ? "optional" : "required",
      })),
    }),
  };
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

function splitRange(range: TimeRange, maxMs: number): TimeRange[] {
  const windows: TimeRange[] = [];
  for (let start = range.start.getTime(); start < range.end.getTime(); start += maxMs) {
    windows.push({ start: new Date(start), end: new Date(Math.min(start + maxMs, range.end.getTime())) });
  }
  return windows;
}

async function mapLimit<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
