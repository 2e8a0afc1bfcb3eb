/**
 * Calendar v3 and userinfo for one signed-in account, through the official
 * googleapis client; freeBusy, the one call availability makes for every
 * account of every person, through our own request path (../http.ts).
 * `rootUrl` is set on the service: googleapis-common
 * applies only the service-level option (a global `google.options({rootUrl})`
 * is ignored) and keeps just the scheme, host and port of it.
 * https://github.com/googleapis/nodejs-googleapis-common/blob/main/src/apirequest.ts
 * The calendar module is imported on its own: it is the very `calendar()` and
 * `auth` that `google.calendar` / `google.auth` hand out, without loading the
 * other 300-odd APIs (about a second at start-up).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { z } from "zod";
import { calendar, type calendar_v3 } from "googleapis/build/src/apis/calendar/index.js";
import type { Auth } from "googleapis";
import { ProviderError, ProviderResponseError } from "../errors.ts";
import { type HttpDeps, providerRequest } from "../http.ts";
import type { GoogleEndpoints, OAuthApp } from "../settings.ts";
import type { CalendarEvent, CalendarEventInput, CalendarProvider, TimeRange } from "../types.ts";
import { apiError, googleCall, isGaxiosError, isRateLimited, toProviderError } from "./request.ts";
import {
  freeBusyAnswer,
  freeBusyBatches,
  freeBusyLimits,
  type GoogleCalendarBusy,
  mapLimited,
  mergeFreeBusy,
} from "./freebusy.ts";
import { type GoogleIdentity, identityFromClaims, oauth2Client } from "./oauth.ts";
import { isWebLink } from "../web-link.ts";
import { eventSchema, type GoogleEventResource, userinfoSchema } from "./schemas.ts";

export interface GoogleCalendarEvent extends CalendarEvent {
  /** The Meet link, present only when one was asked for. */
  meetUrl: string | undefined;
  /** `pending`, `success` or `failure` while Google sets up the Meet conference. */
  conferenceStatus: string | undefined;
  attendees: Array<{ email: string; responseStatus: string | undefined }>;
  /** Where the event stands now (undefined for an all-day event). */
  start: Date | undefined;
  end: Date | undefined;
}

export interface GoogleEventOptions {
  /** Ask Google for a Meet link (sends conferenceDataVersion=1 with a createRequest). Off by default: our links are
   * Zoom's. */
  googleMeet?: boolean;
  /** Our own event id (base32hex), chosen and stored before the call so that a crash cannot leave an event we do not
   * know of. A fresh one when absent. */
  eventId?: string;
}

export interface GoogleApi extends CalendarProvider {
  whoAmI(): Promise<GoogleIdentity>;
  /** At most 50 calendars and 90 days a call; a calendar Google reports `errors` for comes back unreadable, with
   * Google's reason. */
  freeBusy(calendarIds: string[], range: TimeRange, timeZone: string): Promise<GoogleCalendarBusy[]>;
  createEvent(event: CalendarEventInput, options?: GoogleEventOptions): Promise<GoogleCalendarEvent>;
  updateEvent(eventId: string, changes: Partial<CalendarEventInput>): Promise<GoogleCalendarEvent>;
  /** A deleted event still reads back, with status `cancelled`. */
  getEvent(eventId: string): Promise<GoogleCalendarEvent>;
}

/** Events are written to the signed-in account's own calendar. */
const calendarId = "primary";

export function createGoogleApi(app: OAuthApp<GoogleEndpoints>, deps: HttpDeps, accessToken: string): GoogleApi {
  // The googleapis client is built on first use: a free/busy read never needs it (freeBusy below says why).
  let built: { auth: Auth.OAuth2Client; service: calendar_v3.Calendar } | undefined;
  const library = () => (built ??= googleLibrary(app, deps, accessToken));
  const service = () => library().service;
  // googleapis keeps only the scheme, host and port of the root URL (see above); so does this.
  const freeBusyUrl = new URL("/calendar/v3/freeBusy", app.endpoints.apiRootUrl).toString();

  const getEvent = async (eventId: string) =>
    toEvent(parse(eventSchema, await googleCall(deps, "safe", () => service().events.get({ calendarId, eventId }))));

  return {
    async whoAmI() {
      // The OpenID Connect userinfo endpoint: sub, email, email_verified, name and, for Workspace accounts, hd.
      const response = await googleCall(deps, "safe", () =>
        library().auth.request({ url: app.endpoints.userinfoUrl, method: "GET", retry: false, timeout: 30_000 }),
      );
      return identityFromClaims(parse(userinfoSchema, response));
    },

    async freeBusy(calendarIds: string[], range: TimeRange, timeZone: string): Promise<GoogleCalendarBusy[]> {
      const ids = [...new Set(calendarIds)];
      const batches = freeBusyBatches(ids, range);
      const answers = await mapLimited(batches, freeBusyLimits.parallelCalls, async (batch) => {
        const requestBody = {
          timeMin: batch.range.start.toISOString(),
          timeMax: batch.range.end.toISOString(),
          timeZone,
          items: batch.calendarIds.map((id) => ({ id })),
        };
        // Our own request path (../http.ts) rather than googleapis: for one JSON POST the library built its request
        // options, merged headers and ran gaxios' interceptors each call, a sixth of the server's CPU on an
        // availability request in the profile. Same URL, body, retries (googleCall's: 429, 403 rate limits, 5xx,
        // network) and errors (apiError: Google's reason, 401 → `unauthorized`).
        const response = await providerRequest(deps, {
          provider: "google",
          url: freeBusyUrl,
          method: "POST",
          headers: { authorization: `Bearer ${accessToken}` },
          body: requestBody,
          schema: freeBusyAnswer,
          toError: ({ status, body }) => apiError(status, body, undefined),
          kind: "safe",
          isRateLimited,
        });
        return { batch, response };
      });
      return mergeFreeBusy(ids, answers);
    },

    async createEvent(event: CalendarEventInput, options: GoogleEventOptions = {}): Promise<GoogleCalendarEvent> {
      // Our own event id (base32hex: hex digits qualify) makes the insert safe to repeat: if a retried insert had in
      // fact gone through, Google answers 409 "The requested identifier already exists" and we read the event instead.
      // https://developers.google.com/workspace/calendar/api/v3/reference/events/insert (id)
      const requestBody: calendar_v3.Schema$Event = {
        id: options.eventId ?? newGoogleEventId(),
        ...eventBody(event),
      };
      if (options.googleMeet)
        requestBody.conferenceData = {
          createRequest: { requestId: randomUUID(), conferenceSolutionKey: { type: "hangoutsMeet" } },
        };
      const params = {
        calendarId,
        sendUpdates: "all",
        requestBody,
        ...(options.googleMeet && { conferenceDataVersion: 1 }),
      };
      return googleCall(deps, "safe", async (attempt) => {
        try {
          return toEvent(parse(eventSchema, await service().events.insert(params)));
        } catch (caught) {
          const duplicate =
            attempt > 1 && isGaxiosError(caught) && toProviderError(caught, deps.clock.now()).status === 409;
          if (duplicate && requestBody.id) return getEvent(requestBody.id);
          throw caught;
        }
      });
    },

    async updateEvent(eventId: string, changes: Partial<CalendarEventInput>): Promise<GoogleCalendarEvent> {
      // Patch semantics: only the fields sent change; an attendee list, when sent, replaces the old one.
      const requestBody = eventBody(changes);
      return toEvent(
        parse(
          eventSchema,
          await googleCall(deps, "safe", () =>
            service().events.patch({ calendarId, eventId, sendUpdates: "all", requestBody }),
          ),
        ),
      );
    },

    async deleteEvent(eventId: string): Promise<void> {
      try {
        await googleCall(deps, "safe", () => service().events.delete({ calendarId, eventId, sendUpdates: "all" }));
      } catch (error) {
        // 410 "Resource has been deleted" (https://github.com/googleapis/google-api-python-client/issues/210), or 404:
        // already gone.
        if (isStatus(error, 410) || isStatus(error, 404)) return;
        throw error;
      }
    },

    getEvent,
  };
}

/**
 * The official client for one account's calls: the access token alone. Given a refresh token and no expiry_date, the
 * library would refresh and retry once on a 401/403 by itself; refreshing belongs to our token store (one refresh per
 * account at a time, persisted before use), so a 401 reaches the caller as ProviderError `unauthorized` and the
 * caller refreshes, then calls again.
 */
function googleLibrary(
  app: OAuthApp<GoogleEndpoints>,
  deps: HttpDeps,
  accessToken: string,
): { auth: Auth.OAuth2Client; service: calendar_v3.Calendar } {
  const auth = oauth2Client(app, deps);
  auth.setCredentials({ access_token: accessToken, token_type: "Bearer" });
  const service = calendar({
    version: "v3",
    auth,
    rootUrl: app.endpoints.apiRootUrl,
    retry: false,
    timeout: 30_000,
    fetchImplementation: deps.fetch,
  });
  return { auth, service };
}

/** A valid client-chosen event id: base32hex (hex digits qualify), 5–1024 characters. */
export function newGoogleEventId(): string {
  return randomBytes(16).toString("hex");
}

function eventBody(input: Partial<CalendarEventInput>): calendar_v3.Schema$Event {
  const body: calendar_v3.Schema$Event = {};
  if (input.summary !== undefined) body.summary = input.summary;
  if (input.description !== undefined) body.description = input.description;
  if (input.location !== undefined) body.location = input.location;
  const timeZone = input.timeZone === undefined ? {} : { timeZone: input.timeZone };
  if (input.start) body.start = { dateTime: input.start.toISOString(), ...timeZone };
  if (input.end) body.end = { dateTime: input.end.toISOString(), ...timeZone };
  if (input.attendees)
    body.attendees = input.attendees.map((attendee) => ({
      email: attendee.email,
      ...(attendee.name && { displayName: attendee.name }),
      ...(attendee.optional && { optional: true }),
    }));
  return body;
}

function toEvent(resource: GoogleEventResource): GoogleCalendarEvent {
  const video = resource.conferenceData?.entryPoints?.find((entry) => entry.entryPointType === "video");
  return {
    id: resource.id,
    status: resource.status,
    webLink: resource.htmlLink,
    meetUrl: resource.hangoutLink ?? (video && isWebLink(video.uri) ? video.uri : undefined),
    conferenceStatus: resource.conferenceData?.createRequest?.status?.statusCode,
    attendees: (resource.attendees ?? []).map((attendee) => ({
      email: attendee.email,
      responseStatus: attendee.responseStatus,
    })),
    start: resource.start?.dateTime ? new Date(resource.start.dateTime) : undefined,
    end: resource.end?.dateTime ? new Date(resource.end.dateTime) : undefined,
  };
}

function parse<T>(schema: z.ZodType<T>, response: { status: number; data: unknown }): T {
  const result = schema.safeParse(response.data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ProviderResponseError(
    "google",
    response.status,
    `Google answered in an unexpected shape: ${issue?.path.join(".")} ${issue?.message}`,
    { cause: result.error },
  );
}

function isStatus(error: unknown, status: number): boolean {
  return error instanceof ProviderError && error.status === status;
}
