/**
 * Rescheduling, changing participants and changing the Zoom host
 * (`PATCH /v1/interviews/:id`), saga-safe like booking. The record keeps the
 * interview as it was (`pending.before`) and as asked (`pending.after`);
 * `moveTo` brings the providers from the record's current state to a target
 * one step at a time (host, hold, meeting, event), saving each step before
 * the next, so undoing is the same walk back to `before`, here after a
 * failure or by the recovery pass after a crash. Changes made outside
 * Tsunagu are looked for first and refuse the change (`interview_drifted`)
 * rather than being overwritten.
 *
 * A new time waits for three provider round trips: the drift check (the
 * event and the meeting read at once) with Zoom's list of the host's
 * meetings, which the moved hold is counted against; the meeting moved; the
 * event moved. The event waits for Zoom on purpose: its update goes out to
 * every attendee (Google `sendUpdates=all`, Outlook likewise), so a meeting
 * Zoom will not move must leave the event untouched rather than move it and
 * move it back, two notices to the candidate for nothing.
 */
import type { InterviewCandidate, InterviewView } from "@tsunagu/contract";
import { ApiError } from "../errors.ts";
import { isDatabaseUnavailable } from "../store/availability.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { confirmHold, releaseHold } from "../zoom-hosts/holds.ts";
import { reassignMeeting } from "../zoom-hosts/reassign.ts";
import { checkChosenHost } from "./booking.ts";
import { notFoundInterview } from "./cancel.ts";
import { detectDrift } from "./drift.ts";
import {
  type CalendarCalls,
  findMarkedMeeting,
  isMeetingGone,
  meetingMinutes,
  StepError,
  stepError,
  withZoomHost,
} from "./provider-calls.ts";
import { cutOffByDatabase, findInterview, type InterviewRow, interviewView, LeaseLostError } from "./records.ts";
import { eventInput, eventLanguage } from "./event-input.ts";
import { calendarAccountOf, type SagaDeps, steps, tenantOf } from "./saga.ts";

export interface InterviewChanges {
  title?: string | undefined;
  description?: string | null | undefined;
  start?: Date | undefined;
  end?: Date | undefined;
  interviewers?: Array<{ userId: string; name: string | null; email: string | null }> | undefined;
  candidate?: InterviewCandidate | undefined;
  hostZoomUserId?: string | undefined;
}

/** What an interview is, as far as a change touches it. */
interface Shape {
  title: string;
  description: string | null;
  starts_at: string;
  ends_at: string;
  interviewers: string;
  candidate: string;
  zoom_host_user_id: string | null;
}

const shapeOf = (row: InterviewRow): Shape => ({
  title: row.title,
  description: row.description,
  starts_at: row.starts_at,
  ends_at: row.ends_at,
  interviewers: row.interviewers,
  candidate: row.candidate,
  zoom_host_user_id: row.zoom_host_user_id,
});

export async function updateInterview(
  deps: SagaDeps,
  tenant: OrgScope,
  actorUserId: string,
  id: string,
  changes: InterviewChanges,
): Promise<InterviewView> {
  const found = await findInterview(deps.db, tenant, id);
  if (!found) throw notFoundInterview();
  if (found.status === "cancelled" || found.status === "cancelling")
    throw new ApiError(409, "interview_cancelled", "This interview was cancelled: book a new one.");
  if (found.status === "failed")
    throw new ApiError(409, "interview_cancelled", "This interview was never booked (it failed): book a new one.");
  if (changes.hostZoomUserId && !found.zoom_host_user_id)
    throw new ApiError(400, "invalid_body", "This interview has no Zoom meeting, so it has no host to change.");
  if (deps.zoom && changes.hostZoomUserId && changes.hostZoomUserId !== found.zoom_host_user_id)
    await checkChosenHost(
      deps.zoom,
      tenant,
      changes.hostZoomUserId,
      changes.start ?? new Date(found.starts_at),
      changes.end ?? new Date(found.ends_at),
    );
  // Zoom's meetings of the host, which a new time is counted against, are read with the drift check rather than after.
  const [checked, hostMeetingsRead] = await Promise.allSettled([
    detectDrift(deps, found),
    readHostMeetings(deps, tenant, found, changes),
  ]);
  if (checked.status === "rejected") throw checked.reason;
  const drift = checked.value;
  if (drift.length > 0) {
    // Another request of ours moving or cancelling the interview meanwhile looks like drift from here (its meeting
    // gone or moved): that is a busy interview, not a change made outside Tsunagu.
    if (changedSince(found, await findInterview(deps.db, tenant, id)))
      throw new ApiError(409, "interview_busy", "This interview was changed meanwhile: reload it and try again.", {
        headers: { "Retry-After": "2" },
      });
    throw new ApiError(
      409,
      "interview_drifted",
      "The event or the meeting was changed outside Tsunagu (see drift): put it back there, or cancel and book again.",
      { details: { drift } },
    );
  }
  const after: Shape = {
    title: changes.title ?? found.title,
    description: changes.description === undefined ? found.description : changes.description,
    starts_at: (changes.start ?? new Date(found.starts_at)).toISOString(),
    ends_at: (changes.end ?? new Date(found.ends_at)).toISOString(),
    interviewers: changes.interviewers ? JSON.stringify(changes.interviewers) : found.interviewers,
    candidate: changes.candidate ? JSON.stringify(changes.candidate) : found.candidate,
    zoom_host_user_id: changes.hostZoomUserId ?? found.zoom_host_user_id,
  };
  if (Date.parse(after.ends_at) <= Date.parse(after.starts_at))
    throw new ApiError(400, "invalid_body", "end must be after start.");
  const before = await interviewView(deps.db, found);
  // Only the interview as it was read and checked: a change settled since (while the providers were read) would
  // otherwise be written over with what was read before it, at the providers as in the record.
  const row = await deps.leases.claim(
    id,
    ["confirmed"],
    { status: "updating", step: steps.update, pending: JSON.stringify({ before: shapeOf(found), after, actorUserId }) },
    { ...shapeOf(found), zoom_meeting_id: found.zoom_meeting_id, event_id: found.event_id },
  );
  if (!row)
    throw new ApiError(
      409,
      "interview_busy",
      "Another change to this interview is under way, or was made meanwhile: reload it and try again.",
      { headers: { "Retry-After": "2" } },
    );
  const heartbeat = deps.leases.keep(id);
  let current = row;
  try {
    current = await moveTo(deps, current, after, actorUserId, {
      hostMeetingsRead: hostMeetingsRead.status === "fulfilled" && hostMeetingsRead.value,
    });
    return await deps.leases.settle(
      id,
      { status: "confirmed", pending: null, failure: null },
      { kind: "updated", tenant, actorUserId, before },
      (_, view) => ({ status: 200, body: view }),
    );
  } catch (error) {
    const moved = { starts_at: after.starts_at, ends_at: after.ends_at };
    // Taken over after a provider write: that write may land after the other process's undo.
    if (error instanceof LeaseLostError) deps.leases.wroteLate(id, moved);
    if (isDatabaseUnavailable(error)) {
      // Nothing can be put back without the database: the change is left as it stands, for this process's recovery
      // pass to put back once it answers and to say why (not the crash it would otherwise take it for). Another
      // process may put it back first, and a provider write of this one land after that.
      deps.leases.cutOff(id);
      deps.leases.wroteLate(id, moved);
      throw cutOffByDatabase(id, error);
    }
    const failure = stepError(error, "changing the interview");
    const reverted = await deps.leases.save(id, {}).then(
      (row) => revertUpdate(deps, row, failure).catch(() => false),
      (saveError: unknown) => {
        throw isDatabaseUnavailable(saveError) ? cutOffByDatabase(id, saveError) : saveError;
      },
    );
    throw new ApiError(
      failure.status,
      failure.code,
      reverted
        ? `${failure.message} The interview was left as it was.`
        : `${failure.message} Putting the interview back is being retried.`,
      { cause: error, details: { interviewId: id } },
    );
  } finally {
    heartbeat.stop();
  }
}

/**
 * Reads Zoom's meetings of the interview's host afresh (kept for the hold's move) when the change moves it in time
 * and keeps its host; true when they were read. A failure is left for the move to meet when it asks again.
 */
async function readHostMeetings(
  deps: SagaDeps,
  tenant: OrgScope,
  found: InterviewRow,
  changes: InterviewChanges,
): Promise<boolean> {
  const host = found.zoom_host_user_id;
  const timeMoves =
    (changes.start !== undefined && changes.start.toISOString() !== found.starts_at) ||
    (changes.end !== undefined && changes.end.toISOString() !== found.ends_at);
  const hostKept = !changes.hostZoomUserId || changes.hostZoomUserId === host;
  if (!(deps.zoom && host && found.zoom_hold_id && timeMoves && hostKept)) return false;
  return deps.zoom.upcoming(tenant, host).then(
    () => true,
    () => false,
  );
}

/** Whether `now` (the record read again) is no longer the confirmed, unleased interview `found` was. */
function changedSince(found: InterviewRow, now: InterviewRow | undefined): boolean {
  if (now?.status !== "confirmed" || now.lease_holder !== null) return true;
  return (
    JSON.stringify(shapeOf(now)) !== JSON.stringify(shapeOf(found)) ||
    now.zoom_meeting_id !== found.zoom_meeting_id ||
    now.event_id !== found.event_id
  );
}

/** Walks an `updating` interview back to `pending.before` and settles it confirmed; false if a provider refused. */
export async function revertUpdate(deps: SagaDeps, row: InterviewRow, failure?: StepError): Promise<boolean> {
  const pending = pendingOf(row);
  const actorUserId = pending.actorUserId ?? row.created_by;
  try {
    const current = await followHostChange(deps, row, pending.hostChange);
    if (pending.before) await moveTo(deps, current, pending.before, actorUserId);
  } catch (error) {
    deps.logger.warn("an interview's change could not be undone yet; the recovery pass will try again", {
      interviewId: row.id,
      error,
    });
    await deps.leases.release(row.id, {
      ...(failure && { failure: JSON.stringify({ code: failure.code, message: failure.message }) }),
    });
    return false;
  }
  await deps.leases.settle(
    row.id,
    {
      status: "confirmed",
      pending: null,
      failure: JSON.stringify(
        failure
          ? { code: failure.code, message: failure.message }
          : {
              code: "provider_failed",
              message: "The server stopped during a change; the interview was left as it was.",
            },
      ),
    },
    undefined,
    (_, view) => ({ status: 200, body: view }),
  );
  return true;
}

/** A host change under way: the meeting it started from and the Zoom user it was giving it to. */
interface HostChange {
  meetingId: string;
  to: string;
}

interface Pending {
  before?: Shape;
  after?: Shape;
  actorUserId?: string;
  hostChange?: HostChange | undefined;
}

const pendingOf = (row: InterviewRow): Pending => JSON.parse(row.pending ?? "{}") as Pending;
const withPending = (row: InterviewRow, changes: Partial<Pending>): string =>
  JSON.stringify({ ...pendingOf(row), ...changes });

/**
 * A host change cut short after Zoom gave the meeting to the new host (found there by the interview's marker in its
 * agenda) but before the record heard of it. Made again with the old meeting still there: the new one goes. Moved, or
 * made again with the old one deleted: the record takes it (and the new host's hold), so undoing the change walks
 * it back.
 */
async function followHostChange(deps: SagaDeps, row: InterviewRow, change: HostChange | undefined) {
  const zoom = deps.zoom;
  const oldHost = row.zoom_host_user_id;
  if (!zoom || !change || !oldHost || row.zoom_meeting_id !== change.meetingId) return row;
  const tenant = tenantOf(row);
  const start = new Date(row.starts_at);
  const made = await withZoomHost(zoom, tenant, change.to, (api) =>
    findMarkedMeeting(api, change.to, row.id, start),
  ).catch((error: unknown) => {
    // No grant works for the new host: none made it a meeting either.
    if (error instanceof StepError && error.code === "zoom_host_unavailable") return undefined;
    throw error;
  });
  if (!made) return row;
  // The new host's hold, placed by the change (confirmed by the meeting once the change got that far).
  const held = await deps.db
    .selectFrom("zoom_holds")
    .select(["id", "meeting_id"])
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("zoom_user_id", "=", change.to)
    .where("starts_at", "=", row.starts_at)
    .where("ends_at", "=", row.ends_at)
    .where((eb) => eb.or([eb("meeting_id", "=", made.id), eb("meeting_id", "is", null)]))
    .execute();
  const newHold = held.find((hold) => hold.meeting_id === made.id) ?? held[0];
  // Made again under the new host (Zoom moved it otherwise, keeping its id): is the old one still there?
  if (made.id !== change.meetingId) {
    const oldGone = await withZoomHost(zoom, tenant, oldHost, (api) =>
      api.getMeeting(change.meetingId).then(
        () => false,
        (error: unknown) => {
          if (isMeetingGone(error)) return true;
          throw error;
        },
      ),
    );
    if (!oldGone) {
      await withZoomHost(zoom, tenant, change.to, (api) => api.deleteMeeting(made.id));
      if (newHold) await releaseHold(deps.db, tenant, newHold.id);
      return row;
    }
  }
  if (row.zoom_hold_id) await releaseHold(deps.db, tenant, row.zoom_hold_id);
  if (newHold) await confirmHold(deps.db, deps.clock, tenant, newHold.id, made.id);
  return deps.leases.save(row.id, {
    zoom_host_user_id: change.to,
    zoom_hold_id: newHold?.id ?? null,
    zoom_meeting_id: made.id,
    zoom_join_url: made.joinUrl,
    zoom_passcode: made.password ?? null,
    pending: withPending(row, { hostChange: undefined }),
  });
}

/**
 * Brings the host, the hold, the Zoom meeting and the event from `row` to `target`, saving each step.
 * `hostMeetingsRead`: Zoom's meetings of the host were just read (and cached), so the hold's move need not ask again.
 */
async function moveTo(
  deps: SagaDeps,
  start: InterviewRow,
  target: Shape,
  actorUserId: string,
  options: { hostMeetingsRead?: boolean } = {},
): Promise<InterviewRow> {
  const tenant = tenantOf(start);
  let row = start;
  const zoom = deps.zoom;
  if (zoom && row.zoom_meeting_id && target.zoom_host_user_id && target.zoom_host_user_id !== row.zoom_host_user_id) {
    // Noted first: a crash while Zoom gives the meeting its new host leaves a trail the recovery pass can follow.
    const hostChange: HostChange = { meetingId: row.zoom_meeting_id, to: target.zoom_host_user_id };
    row = await deps.leases.save(row.id, { pending: withPending(row, { hostChange }) });
    const reassigned = await reassignMeeting(
      { db: deps.db, clock: deps.clock, hosts: zoom },
      tenant,
      actorUserId,
      hostChange.meetingId,
      hostChange.to,
    ).catch((error: unknown) => {
      throw hostRefusal(error);
    });
    if (row.zoom_hold_id) await releaseHold(deps.db, tenant, row.zoom_hold_id);
    row = await deps.leases.save(row.id, {
      zoom_host_user_id: target.zoom_host_user_id,
      zoom_hold_id: reassigned.holdId,
      zoom_meeting_id: reassigned.meeting.id,
      zoom_join_url: reassigned.meeting.joinUrl,
      pending: withPending(row, { hostChange: undefined }),
    });
  }
  const timeMoved = row.starts_at !== target.starts_at || row.ends_at !== target.ends_at;
  if (zoom && row.zoom_hold_id && row.zoom_host_user_id && timeMoved) {
    await zoom
      .move(tenant, row.zoom_hold_id, {
        zoomUserId: row.zoom_host_user_id,
        start: new Date(target.starts_at),
        end: new Date(target.ends_at),
        refresh: !options.hostMeetingsRead,
      })
      .catch((error: unknown) => {
        throw hostRefusal(error);
      });
    // The record follows the hold at once, so that an undo from here moves the hold back too.
    row = await deps.leases.save(row.id, { starts_at: target.starts_at, ends_at: target.ends_at });
  }
  if (zoom && row.zoom_meeting_id && row.zoom_host_user_id && (timeMoved || row.title !== target.title))
    await updateMeeting(zoom, row, target).catch((error: unknown) => {
      throw stepError(error, "moving the Zoom meeting");
    });
  row = await deps.leases.save(row.id, { ...target });
  if (row.event_id && row.event_created === 1) await updateEvent(deps.calendars, deps, row);
  return row;
}

/** Gives the interview's Zoom meeting `target`'s title and time (in the interview's zone), by its host's grant. */
export function updateMeeting(
  zoom: NonNullable<SagaDeps["zoom"]>,
  row: InterviewRow,
  target: Pick<Shape, "title" | "starts_at" | "ends_at">,
): Promise<void> {
  const { zoom_meeting_id: meetingId, zoom_host_user_id: hostId } = row;
  if (!(meetingId && hostId)) throw new Error(`interview ${row.id} has no Zoom meeting to update`);
  return withZoomHost(zoom, tenantOf(row), hostId, (api) =>
    api.updateMeeting(meetingId, {
      topic: target.title,
      start: new Date(target.starts_at),
      durationMinutes: meetingMinutes(target.starts_at, target.ends_at),
      timeZone: row.time_zone,
    }),
  );
}

/** Writes the record onto its calendar event (attendees told). */
export async function updateEvent(calendars: CalendarCalls, deps: SagaDeps, row: InterviewRow): Promise<void> {
  const account = await calendarAccountOf(deps.db, row);
  const { location, ...input } = eventInput(row, await eventLanguage(deps.db, row));
  await calendars
    .update(tenantOf(row), account, row.event_id as string, { ...input, ...(location && { location }) })
    .catch((error: unknown) => {
      throw stepError(error, "updating the calendar event");
    });
}

function hostRefusal(error: unknown): StepError {
  if (error instanceof StepError) return error;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "zoom_host_busy") return new StepError(409, "zoom_host_busy", `${message} Choose another time or host.`);
  if (code?.startsWith("zoom_host") || code === "zoom_meeting_not_found" || code === "needs_reauth")
    return new StepError(409, "zoom_host_unavailable", `${message} Choose another host.`);
  if (error instanceof ApiError && error.code === "provider_unavailable")
    return new StepError(424, "provider_failed", `${message}`);
  return stepError(error, "changing the Zoom host");
}
