/**
 * The saga's provider calls, each made with a stored grant: the organiser's
 * calendar account (Google or Outlook, refreshed through the one refresher)
 * and the Zoom host (whichever grant still works for that Zoom user). Every
 * failure comes out as a StepError carrying the interview error code and a
 * message that says what to do, so the saga only decides what to undo.
 */
import type { InterviewErrorCode } from "@tsunagu/contract";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { callWithFreshToken } from "../accounts/authorized-call.ts";
import { ReauthRequiredError, type TokenRefresher, TokenRefreshError } from "../accounts/refresh.ts";
import type { AccountRow } from "../accounts/store.ts";
import type { Clock } from "../clock.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import { ProviderError } from "../providers/errors.ts";
import type { GoogleClient } from "../providers/google.ts";
import type { MicrosoftClient } from "../providers/microsoft.ts";
import type { CalendarEventInput } from "../providers/types.ts";
import type { ZoomApi, ZoomMeeting } from "../providers/zoom.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import type { ZoomHosts } from "../zoom-hosts/service.ts";

/** A step that could not be carried out: what the client is told. */
export class StepError extends Error {
  override name = "StepError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: InterviewErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

/** A provider trouble as the client sees it. */
export function stepError(error: unknown, what: string): StepError {
  if (error instanceof StepError) return error;
  if (error instanceof ReauthRequiredError)
    return new StepError(409, "calendar_needs_reauth", `The calendar account must be linked again (${what}).`, {
      cause: error,
    });
  if (error instanceof ProviderError || error instanceof TokenRefreshError) {
    const provider = error.provider;
    return new StepError(
      424,
      "provider_failed",
      `${providerName(provider)} failed while ${what} (${error.message}). Try again shortly.`,
      { cause: error },
    );
  }
  throw error;
}

const providerName = (provider: string) =>
  ({ google: "Google Calendar", microsoft: "Outlook", zoom: "Zoom" })[provider] ?? provider;

export interface CreatedEvent {
  id: string;
  webLink: string | undefined;
  /** The Meet or Teams link when one was asked for. */
  joinUrl: string | undefined;
}

export interface EventState {
  deleted: boolean;
  start: Date | undefined;
  end: Date | undefined;
}

export interface EventOptions {
  /** Google: our own id, stored before the call. */
  eventId?: string | undefined;
  /** Outlook: Graph's transactionId, stored before the call. */
  transactionId?: string | undefined;
  conference?: "google_meet" | "microsoft_teams" | undefined;
}

export interface CalendarCalls {
  create(
    tenant: OrgScope,
    account: AccountRow,
    input: CalendarEventInput,
    options: EventOptions,
  ): Promise<CreatedEvent>;
  update(tenant: OrgScope, account: AccountRow, eventId: string, changes: Partial<CalendarEventInput>): Promise<void>;
  remove(tenant: OrgScope, account: AccountRow, eventId: string): Promise<void>;
  read(tenant: OrgScope, account: AccountRow, eventId: string): Promise<EventState>;
  /** Outlook: the id of the event created with this transactionId around `range`, read, never created again. */
  findByTransactionId(
    tenant: OrgScope,
    account: AccountRow,
    transactionId: string,
    range: { start: Date; end: Date },
  ): Promise<string | undefined>;
}

export interface CalendarCallDeps {
  db: DB;
  clock: Clock;
  refresher: TokenRefresher;
  adapters: LinkAdapters;
  google: GoogleClient | undefined;
  microsoft: MicrosoftClient | undefined;
}

export function createCalendarCalls(deps: CalendarCallDeps): CalendarCalls {
  function withAccount<T>(
    tenant: OrgScope,
    account: AccountRow,
    call: (api: {
      google?: ReturnType<GoogleClient["api"]>;
      microsoft?: ReturnType<MicrosoftClient["api"]>;
    }) => Promise<T>,
  ): Promise<T> {
    const provider: "google" | "microsoft" = account.provider === "google" ? "google" : "microsoft";
    const adapter = deps.adapters[provider];
    const client = deps[provider];
    if (!adapter || !client)
      throw new StepError(
        409,
        "calendar_account_missing",
        `${providerName(provider)} is not configured on this server.`,
      );
    const owner = {
      kind: "account" as const,
      id: account.id,
      ...tenant,
      provider,
      credentialId: account.credential_id,
    };
    return callWithFreshToken(deps, owner, adapter, (token) =>
      call(provider === "google" ? { google: deps.google?.api(token) } : { microsoft: deps.microsoft?.api(token) }),
    );
  }

  return {
    create: (tenant, account, input, options) =>
      withAccount(tenant, account, async ({ google, microsoft }) => {
        if (google) {
          const meet = options.conference === "google_meet";
          let event = await google.createEvent(input, {
            googleMeet: meet,
            ...(options.eventId && { eventId: options.eventId }),
          });
          // Google may still be setting the Meet conference up: read the event once more for its link.
          if (meet && !event.meetUrl) event = await google.getEvent(event.id);
          if (meet && !event.meetUrl)
            throw new StepError(424, "provider_failed", "Google did not make a Meet link for the event. Try again.");
          return { id: event.id, webLink: event.webLink, joinUrl: meet ? event.meetUrl : undefined };
        }
        const teams = options.conference === "microsoft_teams";
        const event = await microsoft!.createEvent(input, { teams, transactionId: options.transactionId });
        if (teams && !event.teamsJoinUrl)
          throw new StepError(424, "provider_failed", "Outlook did not make a Teams link for the event. Try again.");
        return { id: event.id, webLink: event.webLink, joinUrl: teams ? event.teamsJoinUrl : undefined };
      }),
    update: (tenant, account, eventId, changes) =>
      withAccount(tenant, account, async ({ google, microsoft }) => {
        if (google) await google.updateEvent(eventId, changes);
        else await microsoft!.updateEvent(eventId, changes);
      }),
    remove: (tenant, account, eventId) =>
      withAccount(tenant, account, async ({ google, microsoft }) => {
        if (google) await google.deleteEvent(eventId);
        else await microsoft!.deleteEvent(eventId);
      }),
    read: (tenant, account, eventId) =>
      withAccount(tenant, account, async ({ google, microsoft }) => {
        if (google) {
          try {
            const event = await google.getEvent(eventId);
            return { deleted: event.status === "cancelled", start: event.start, end: event.end };
          } catch (error) {
            if (error instanceof ProviderError && (error.status === 404 || error.status === 410))
              return { deleted: true, start: undefined, end: undefined };
            throw error;
          }
        }
        const event = await microsoft!.getEvent(eventId);
        return event
          ? { deleted: event.status === "cancelled", start: event.start, end: event.end }
          : { deleted: true, start: undefined, end: undefined };
      }),
    findByTransactionId: (tenant, account, transactionId, range) =>
      withAccount(tenant, account, async ({ microsoft }) => {
        if (!microsoft) return undefined;
        return (await microsoft.findEventByTransactionId(transactionId, range))?.id;
      }),
  };
}

/** Zoom calls for one host; StepError `zoom_host_unavailable` when no grant for that Zoom user works any more. */
export async function withZoomHost<T>(
  hosts: ZoomHosts,
  tenant: OrgScope,
  zoomUserId: string,
  call: (api: ZoomApi) => Promise<T>,
): Promise<T> {
  const user = (await hosts.linkedUsers(tenant)).get(zoomUserId);
  const unavailable = () =>
    new StepError(
      409,
      "zoom_host_unavailable",
      "No working link to this Zoom host remains: link it again, or choose another host.",
    );
  if (!user) throw unavailable();
  const result = await hosts.withGrant(tenant, user, async (api) => ({ value: await call(api) }));
  if (!result) throw unavailable();
  return result.value;
}

/** The text that marks a Zoom meeting as this interview's (in its agenda), so a restart can find it by id. */
/**
 * Whether a time a provider answered is the interview's: the providers keep whole seconds (Google's and Outlook's
 * events, Zoom's start_time, which is sent without milliseconds), and an interview may be booked with milliseconds.
 */
export const sameSecond = (answered: Date, time: Date | number) =>
  Math.floor(answered.getTime() / 1000) === Math.floor(new Date(time).getTime() / 1000);

/** The Zoom meeting's duration for an interview: Zoom keeps whole minutes. */
export const meetingMinutes = (startsAt: string, endsAt: string) =>
  Math.round((Date.parse(endsAt) - Date.parse(startsAt)) / 60_000);

export const meetingMarker = (interviewId: string) => `Tsunagu interview ${interviewId}`;

/** A meeting of this interview Zoom made although its id never reached the record (a crash mid-call). */
export async function findMarkedMeeting(
  api: ZoomApi,
  zoomUserId: string,
  interviewId: string,
  start: Date,
): Promise<ZoomMeeting | undefined> {
  const upcoming = await api.listUpcoming(zoomUserId);
  for (const meeting of upcoming.filter((entry) => sameSecond(entry.start, start))) {
    const full = await api.getMeeting(meeting.id);
    if (full.agenda?.includes(meetingMarker(interviewId))) return full;
  }
  return undefined;
}

/** True when Zoom says the meeting does not exist (404, code 3001). */
export function isMeetingGone(error: unknown): boolean {
  return error instanceof ProviderError && error.status === 404;
}
