/**
 * The interviews of one server, put together from the app's parts: the
 * booker (ports.ts's InterviewBooker, which scheduling links use too), reads
 * with an optional drift check, changes, cancellation, the host's start URL,
 * and the recovery pass that `main.ts` runs.
 */
import type { InterviewView } from "@tsunagu/contract";
import type { TokenRefresher } from "../accounts/refresh.ts";
import type { Clock } from "../clock.ts";
import { ApiError, conflict } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import { createGoogleClient } from "../providers/google.ts";
import type { HttpDeps } from "../providers/http.ts";
import { createMicrosoftClient } from "../providers/microsoft.ts";
import type { ProviderSettings } from "../providers/settings.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope, UserScope } from "../store/tenancy.ts";
import type { ZoomHosts } from "../zoom-hosts/service.ts";
import { createBooker } from "./booking.ts";
import { cancelInterview, notFoundInterview } from "./cancel.ts";
import { detectDrift } from "./drift.ts";
import type { InterviewBooker, InterviewObserver } from "./ports.ts";
import { createCalendarCalls, stepError, withZoomHost } from "./provider-calls.ts";
import {
  createLeases,
  findInterview,
  interviewView,
  LeaseLostError,
  type ListQuery,
  listInterviews,
  takenOver,
} from "./records.ts";
import { createRecovery } from "./recovery.ts";
import type { SagaDeps } from "./saga.ts";
import { type InterviewChanges, updateInterview } from "./update.ts";

export interface InterviewsDeps {
  db: DB;
  clock: Clock;
  logger: Logger;
  refresher: TokenRefresher;
  adapters: LinkAdapters;
  providers: ProviderSettings;
  http: HttpDeps;
  zoom: ZoomHosts | undefined;
  /** Told of every settled change inside its transaction (Slack notices, portal webhooks). */
  observers?: readonly InterviewObserver[] | undefined;
  /** How long a process keeps an interview it works on without renewing (it renews every third of it). */
  leaseMs?: number | undefined;
}

export type Interviews = ReturnType<typeof createInterviews>;

/** The default lease: long enough for a slow provider call between renewals, short enough to recover quickly. */
export const defaultLeaseMs = 30_000;

export function createInterviews(deps: InterviewsDeps) {
  const saga: SagaDeps = {
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger,
    zoom: deps.zoom,
    leases: createLeases({
      db: deps.db,
      clock: deps.clock,
      logger: deps.logger,
      leaseMs: deps.leaseMs ?? defaultLeaseMs,
      observers: deps.observers ?? [],
    }),
    calendars: createCalendarCalls({
      db: deps.db,
      clock: deps.clock,
      refresher: deps.refresher,
      adapters: deps.adapters,
      google: deps.providers.google && createGoogleClient(deps.providers.google, deps.http),
      microsoft: deps.providers.microsoft && createMicrosoftClient(deps.providers.microsoft, deps.http),
    }),
  };
  const booker: InterviewBooker = createBooker(saga);

  async function get(tenant: OrgScope, id: string, check: boolean): Promise<InterviewView> {
    const row = await findInterview(deps.db, tenant, id);
    if (!row) throw notFoundInterview();
    if (check) await detectDrift(saga, row).catch(rethrowStep);
    return interviewView(deps.db, (await findInterview(deps.db, tenant, id)) ?? row);
  }

  async function list(tenant: OrgScope, query: ListQuery): Promise<InterviewView[]> {
    const rows = await listInterviews(deps.db, tenant, query);
    return Promise.all(rows.map((row) => interviewView(deps.db, row)));
  }

  /**
   * A fresh start URL, fetched now (its token expires): only for a portal user who linked the meeting's Zoom host
   * themselves. Never stored.
   */
  async function startUrl(caller: UserScope, id: string): Promise<{ startUrl: string; expiresHint: string }> {
    const row = await findInterview(deps.db, caller, id);
    if (!row) throw notFoundInterview();
    const hostId = row.zoom_host_user_id;
    if (!deps.zoom || !hostId || !row.zoom_meeting_id || row.status !== "confirmed")
      throw new ApiError(409, "interview_cancelled", "This interview has no Zoom meeting to start.");
    const host = (await deps.zoom.linkedUsers(caller)).get(hostId);
    const own = host?.activeAccounts.some((account) => account.user_id === caller.userId);
    // Their own link that needs linking again: the URL is fetched only with a working link of theirs, so they are told
    // to link it again, not that the meeting is someone else's.
    if (!own && host?.portalUserIds.includes(caller.userId))
      throw conflict(
        "needs_reauth",
        `Your link to the Zoom user ${host.displayName} must be linked again before you can start its meetings.`,
        { status: "needs_reauth", zoomUserId: hostId },
      );
    if (!own)
      throw new ApiError(
        403,
        "start_url_forbidden",
        "Only portal users who linked this meeting's Zoom host can start it: link that Zoom user first.",
      );
    const meetingId = row.zoom_meeting_id;
    const meeting = await withZoomHost(deps.zoom, caller, hostId, (api) => api.getMeeting(meetingId)).catch(
      rethrowStep,
    );
    return { startUrl: meeting.startUrl, expiresHint: "Zoom's start URL expires about two hours after it is issued." };
  }

  return {
    booker,
    get,
    list,
    startUrl,
    cancel: (tenant: OrgScope, actorUserId: string, id: string) =>
      cancelInterview(saga, tenant, actorUserId, id).catch(rethrowStep),
    update: (tenant: OrgScope, actorUserId: string, id: string, changes: InterviewChanges) =>
      updateInterview(saga, tenant, actorUserId, id, changes).catch(rethrowStep),
    recovery: createRecovery(saga),
  };
}

/** A StepError that reached a route: the client's 4xx. */
function rethrowStep(error: unknown): never {
  if (error instanceof ApiError) throw error;
  if (error instanceof LeaseLostError) throw takenOver(error);
  const step = stepError(error, "reading the providers");
  throw new ApiError(step.status, step.code, step.message, { cause: error });
}
