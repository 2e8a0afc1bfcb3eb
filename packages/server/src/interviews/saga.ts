/**
 * The interview saga's steps over one record (ARCHITECTURE.md, Scheduling):
 * hold the Zoom host → create the Zoom meeting → create the calendar event
 * carrying the join URL → confirm: two provider round trips. The host's
 * upcoming meetings, which its limit counts, are read beside the meeting's
 * creation rather than before it (the hold is placed against our holds and
 * any recent answer of Zoom's, then counted against Zoom's fresh answer
 * under the hold's lock before the event is made; no room after all undoes
 * the meeting and the hold, and no attendee ever hears of it).
 *
 * Before each provider call the record says which call is under way and
 * holds any id chosen in advance (the Zoom hold's id, Google's event id,
 * Graph's transactionId; the Zoom meeting carries the interview's id in its
 * agenda), so `undoBooking` can always find what a call may have made,
 * whether it runs right after a failure or in another process after a crash.
 */
import { randomUUID } from "node:crypto";
import type { AccountRow } from "../accounts/store.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { newGoogleEventId } from "../providers/google.ts";
import { isDatabaseUnavailable } from "../store/availability.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { confirmHold, releaseHold } from "../zoom-hosts/holds.ts";
import type { ReasonLanguage } from "../zoom-hosts/pick-reason.ts";
import type { ZoomHosts } from "../zoom-hosts/service.ts";
import { eventInput, eventLanguage } from "./event-input.ts";
import {
  type CalendarCalls,
  findMarkedMeeting,
  meetingMarker,
  meetingMinutes,
  StepError,
  stepError,
  withZoomHost,
} from "./provider-calls.ts";
import { cutOffByDatabase, type InterviewRow, type InterviewUpdate, LeaseLostError, type Leases } from "./records.ts";

export interface SagaDeps {
  db: DB;
  clock: Clock;
  logger: Logger;
  leases: Leases;
  calendars: CalendarCalls;
  zoom: ZoomHosts | undefined;
}

/** The steps, as stored in `interviews.step`. */
export const steps = {
  hold: "zoom_hold",
  meeting: "zoom_meeting",
  event: "calendar_event",
  confirm: "confirm",
  undo: "undo",
  cancel: "cancel",
  update: "update",
} as const;

export const tenantOf = (row: InterviewRow): OrgScope => ({ hostId: row.host_id, orgId: row.org_id });

export async function calendarAccountOf(db: DB, row: InterviewRow): Promise<AccountRow> {
  const account = await db
    .selectFrom("accounts")
    .selectAll()
    .where("host_id", "=", row.host_id)
    .where("org_id", "=", row.org_id)
    .where("id", "=", row.calendar_account_id)
    .executeTakeFirst();
  if (!account)
    throw new StepError(
      409,
      "calendar_account_missing",
      "The organiser's calendar account was unlinked: link it again, or book with another.",
    );
  return account;
}

export interface BookingPlan {
  waitingRoom: boolean;
  /** The host was picked automatically, with these facts: when it has no room after all, the next one is tried. */
  pick?: AutomaticPick;
}

/** What an automatic host pick is made for (zoom-hosts/service.ts `candidates`). */
export interface AutomaticPick {
  participants: string[];
  language: ReasonLanguage;
}

/**
 * Runs the booking from wherever the record stands; the record ends settled (confirmed, or failed and undone), or,
 * when the database went out of reach, as it stood then, for the recovery pass (told so: this process did not crash).
 */
export async function runBooking(deps: SagaDeps, start: InterviewRow, plan: BookingPlan, actorUserId: string) {
  const heartbeat = deps.leases.keep(start.id);
  try {
    return await bookOrUndo(deps, start, plan, actorUserId);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    deps.leases.cutOff(start.id);
    throw cutOffByDatabase(start.id, error);
  } finally {
    heartbeat.stop();
  }
}

async function bookOrUndo(deps: SagaDeps, start: InterviewRow, plan: BookingPlan, actorUserId: string) {
  const { leases } = deps;
  const tenant = tenantOf(start);
  let row = start;
  try {
    if (row.zoom_host_user_id && deps.zoom) row = await bookZoomHost(deps, deps.zoom, row, plan, actorUserId);
    row = await createEvent(deps, row);
    if (row.zoom_hold_id && row.zoom_meeting_id) {
      if (!(await confirmHold(deps.db, deps.clock, tenant, row.zoom_hold_id, row.zoom_meeting_id)))
        throw new StepError(
          409,
          "zoom_host_busy",
          "The Zoom host's hold lapsed before the booking finished: book again.",
        );
    }
    return await leases.settle(
      row.id,
      { status: "confirmed", failure: null, pending: null },
      scheduled(row, actorUserId),
      (_, view) => ({
        status: 201,
        body: view,
      }),
    );
  } catch (error) {
    const failure = stepError(error, "booking");
    await undoBooking(deps, row.id, failure, actorUserId);
    throw failure;
  }
}

/**
 * Holds the Zoom host, makes its meeting while reading its upcoming meetings beside it, and counts those against the
 * hold. A host picked automatically (`plan.pick`) that turns out to have no room (its hold refused, or Zoom's fresh
 * answer full) is left (its meeting deleted, its hold released, the record cleared of both before naming another)
 * and the next host of the pick is tried, still from our holds and Zoom's answers in hand (the left host's is fresh
 * now); a chosen host, or no host left, ends the booking with `zoom_host_busy`.
 */
async function bookZoomHost(
  deps: SagaDeps,
  zoom: ZoomHosts,
  start: InterviewRow,
  plan: BookingPlan,
  actorUserId: string,
): Promise<InterviewRow> {
  const passedOver: string[] = [];
  let row = start;
  for (;;) {
    const attempt = await holdAndMakeMeeting(deps, zoom, row, plan, actorUserId);
    if (!attempt.busy) return attempt.row;
    row = attempt.row;
    if (!plan.pick) throw attempt.busy;
    const left = row.zoom_host_user_id as string;
    await removeZoomMeeting(deps, row);
    const holdId = row.zoom_hold_id ?? pendingOf(row).holdId;
    if (holdId) await releaseHold(deps.db, tenantOf(row), holdId);
    passedOver.push(left);
    const next = await zoom.candidates(tenantOf(row), {
      start: new Date(row.starts_at),
      end: new Date(row.ends_at),
      ...plan.pick,
      refresh: false,
      zoomLater: true,
      passOver: passedOver,
    });
    if (!next.pick) {
      row = await deps.leases.save(row.id, clearedZoomHost(left));
      throw attempt.busy;
    }
    row = await deps.leases.save(row.id, clearedZoomHost(next.pick.zoomUserId));
  }
}

/** The record's Zoom host, with no hold nor meeting of it yet. */
function clearedZoomHost(zoomUserId: string) {
  return {
    zoom_host_user_id: zoomUserId,
    zoom_hold_id: null,
    zoom_meeting_id: null,
    zoom_join_url: null,
    zoom_passcode: null,
    pending: null,
    step: steps.hold,
  };
}

/**
 * One host's hold and meeting (two round trips' worth of the booking: the meeting beside the host's meetings).
 * `busy`: the host has no room (the record as it then stands, with any meeting made on it); other failures throw.
 */
async function holdAndMakeMeeting(
  deps: SagaDeps,
  zoom: ZoomHosts,
  start: InterviewRow,
  plan: BookingPlan,
  actorUserId: string,
): Promise<{ row: InterviewRow; busy?: StepError }> {
  const { leases } = deps;
  const tenant = tenantOf(start);
  const hostId = start.zoom_host_user_id as string;
  let row = start;
  if (!row.zoom_hold_id) {
    // The hold's id is stored first: a crash between placing the hold and recording it cannot lose it.
    const holdId = pendingOf(row).holdId ?? randomUUID();
    row = await leases.save(row.id, { step: steps.hold, pending: JSON.stringify({ holdId }) });
    const placed = await zoom
      .hold(tenant, {
        id: holdId,
        zoomUserId: hostId,
        start: new Date(row.starts_at),
        end: new Date(row.ends_at),
        createdBy: actorUserId,
        zoomLater: true,
      })
      .then(
        (hold) => ({ hold }),
        (error: unknown) => ({ refused: holdRefusal(error) }),
      );
    if ("refused" in placed) {
      if (placed.refused.code === "zoom_host_busy") return { row, busy: placed.refused };
      throw placed.refused;
    }
    row = await leases.save(row.id, { zoom_hold_id: placed.hold.id, pending: null, step: steps.meeting });
  }
  const booked = row;
  const [made, listed] = await Promise.allSettled([
    withZoomHost(zoom, tenant, hostId, (api) =>
      api.createMeeting(hostId, {
        topic: booked.title,
        agenda: meetingMarker(booked.id),
        start: new Date(booked.starts_at),
        durationMinutes: meetingMinutes(booked.starts_at, booked.ends_at),
        timeZone: booked.time_zone,
        waitingRoom: plan.waitingRoom,
      }),
    ),
    zoom.upcoming(tenant, hostId),
  ]);
  if (made.status === "rejected") throw stepError(made.reason, "creating the Zoom meeting");
  const meeting = made.value;
  row = await saveMade(
    deps,
    row.id,
    {
      zoom_meeting_id: meeting.id,
      zoom_join_url: meeting.joinUrl,
      zoom_passcode: meeting.password ?? null,
      step: steps.event,
    },
    () => withZoomHost(zoom, tenant, hostId, (api) => api.deleteMeeting(meeting.id)),
  );
  if (listed.status === "rejected") throw holdRefusal(listed.reason, "reading the Zoom host's meetings");
  const holdId = row.zoom_hold_id as string;
  const settled = await zoom
    .settle(tenant, holdId, { zoomUserId: hostId, meetingId: meeting.id, zoomMeetings: listed.value })
    .then(
      () => undefined,
      (error: unknown) => holdRefusal(error),
    );
  if (settled?.code === "zoom_host_busy") return { row, busy: settled };
  if (settled) throw settled;
  return { row };
}

const scheduled = (row: InterviewRow, actorUserId: string) => ({
  kind: "scheduled" as const,
  tenant: tenantOf(row),
  actorUserId,
});

async function createEvent(deps: SagaDeps, start: InterviewRow): Promise<InterviewRow> {
  const account = await calendarAccountOf(deps.db, start);
  const google = account.provider === "google";
  const transactionId = google ? undefined : randomUUID();
  const row = await deps.leases.save(start.id, {
    step: steps.event,
    ...(google ? { event_id: start.event_id ?? newGoogleEventId() } : { pending: JSON.stringify({ transactionId }) }),
  });
  const created = await deps.calendars
    .create(tenantOf(row), account, eventInput(row, await eventLanguage(deps.db, row)), {
      eventId: row.event_id ?? undefined,
      transactionId,
      conference: (row.conference as "google_meet" | "microsoft_teams" | null) ?? undefined,
    })
    .catch((error: unknown) => {
      throw stepError(error, "creating the calendar event");
    });
  return saveMade(
    deps,
    row.id,
    {
      event_id: created.id,
      event_created: 1,
      event_web_link: created.webLink ?? null,
      join_url: created.joinUrl ?? null,
      step: steps.confirm,
    },
    () => deps.calendars.remove(tenantOf(row), account, created.id),
  );
}

/**
 * Records what a provider call just made. When another process took the booking over meanwhile (this one could not
 * renew its lease), what was made is removed again: that process undoes the booking and may have looked for it before
 * it existed (its removal of it, if it finds it too, takes "gone" for done); it never keeps a part this one did not
 * record.
 */
async function saveMade(
  deps: SagaDeps,
  id: string,
  changes: InterviewUpdate,
  remove: () => Promise<void>,
): Promise<InterviewRow> {
  try {
    return await deps.leases.save(id, changes);
  } catch (error) {
    if (error instanceof LeaseLostError)
      await remove().catch((removal: unknown) =>
        deps.logger.warn("a booking taken over by another process made something that could not be removed", {
          interviewId: id,
          error: removal,
        }),
      );
    throw error;
  }
}

function holdRefusal(error: unknown, what = "holding the Zoom host"): StepError {
  if (error instanceof StepError) return error;
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "zoom_host_busy") return new StepError(409, "zoom_host_busy", `${message} Choose another time or host.`);
  if (code === "zoom_host_unavailable" || code === "zoom_host_not_found")
    return new StepError(409, "zoom_host_unavailable", `${message} Choose another host.`);
  return stepError(error, what);
}

/**
 * Removes whatever the booking made (the event, the meeting, the hold) and settles the interview `failed`. When a
 * provider cannot delete now, the record keeps step `undo` with the lease released: the recovery pass tries again.
 */
export async function undoBooking(
  deps: SagaDeps,
  id: string,
  failure: StepError,
  actorUserId: string,
  afterCrash = false,
): Promise<void> {
  const row = await deps.leases.save(id, {
    step: steps.undo,
    failure: JSON.stringify({ code: failure.code, message: failure.message }),
  });
  try {
    await removeEverything(deps, row, afterCrash);
  } catch (error) {
    deps.logger.warn("an interview's booking could not be undone yet; the recovery pass will try again", {
      interviewId: id,
      error,
    });
    await deps.leases.release(id);
    return;
  }
  await deps.leases.settle(
    id,
    { status: "failed", event_created: 0 },
    { kind: "failed", tenant: tenantOf(row), actorUserId },
    () => ({
      status: failure.status,
      body: { error: { code: failure.code, message: failure.message } },
    }),
  );
}

/**
 * Deletes the event and the meeting this record may have made, then releases the hold. Safe to repeat. `afterCrash`:
 * a create that never answered may have gone through, so an Outlook event is looked for by its transactionId too.
 */
export async function removeEverything(deps: SagaDeps, row: InterviewRow, afterCrash = false): Promise<void> {
  const tenant = tenantOf(row);
  // The event and the meeting are deleted at once (one provider round trip); both deletions take "already gone"
  // for done, so a failure of either is repeated safely with the other. Both are waited for before a failure is
  // thrown: nothing runs on behind the answer.
  const [event, meeting] = await Promise.allSettled([removeEvent(deps, row, afterCrash), removeZoomMeeting(deps, row)]);
  for (const removal of [event, meeting]) if (removal.status === "rejected") throw removal.reason;
  // A hold placed before its id reached `zoom_hold_id` is named by the key stored before placing it.
  const holdId = row.zoom_hold_id ?? pendingOf(row).holdId;
  if (holdId) await releaseHold(deps.db, tenant, holdId);
}

/** Deletes the Zoom meeting this record may have made (found by its marker when its id never reached the record). */
async function removeZoomMeeting(deps: SagaDeps, row: InterviewRow): Promise<void> {
  if (!(row.zoom_host_user_id && deps.zoom)) return;
  const hostId = row.zoom_host_user_id;
  const meetingId = row.zoom_meeting_id;
  // A meeting is made only once the hold is recorded.
  const mayExist = meetingId !== null || row.zoom_hold_id !== null;
  if (mayExist)
    await withZoomHost(deps.zoom, tenantOf(row), hostId, async (api) => {
      const found = meetingId ?? (await findMarkedMeeting(api, hostId, row.id, new Date(row.starts_at)))?.id;
      if (found) await api.deleteMeeting(found);
    }).catch((error: unknown) => {
      // No grant works for the host: none made a meeting we never heard of, so only a known one is left to delete.
      if (!(error instanceof StepError && error.code === "zoom_host_unavailable" && meetingId === null)) throw error;
    });
}

/** What a booking stored before a step's call: the hold's id, or the Outlook event's transactionId. */
function pendingOf(row: InterviewRow): { holdId?: string; transactionId?: string } {
  return row.status === "booking" && row.pending
    ? (JSON.parse(row.pending) as { holdId?: string; transactionId?: string })
    : {};
}

async function removeEvent(deps: SagaDeps, row: InterviewRow, afterCrash: boolean): Promise<void> {
  const account = await calendarAccountOf(deps.db, row).catch(() => undefined);
  if (!account) return;
  const tenant = tenantOf(row);
  if (row.event_id) {
    await deps.calendars.remove(tenant, account, row.event_id);
    return;
  }
  // Outlook: an event whose create never answered is looked for by its transactionId on the organiser's calendar
  // around its time. Repeating the create would find it too, but would make it anew when it never was, and Outlook
  // would send the attendees an invitation followed by a cancellation.
  const transactionId = pendingOf(row).transactionId;
  if (afterCrash && transactionId && row.event_created === 0) {
    const day = 86_400_000;
    const range = { start: new Date(Date.parse(row.starts_at) - day), end: new Date(Date.parse(row.ends_at) + day) };
    const found = await deps.calendars.findByTransactionId(tenant, account, transactionId, range);
    if (found) await deps.calendars.remove(tenant, account, found);
  }
}
