/**
 * Giving an existing Zoom meeting another host. Zoom moves a meeting only
 * when the caller has scheduling privilege for the new host (PATCH
 * `schedule_for`; 400 code 3000 otherwise, whatever the plan or the app's
 * scopes), so when it will not, the meeting is made again under the new host
 * and the old one deleted; the answer says which happened, and a recreated
 * meeting has a new id and join URL (the calendar event must follow).
 * The new host is held for the meeting's time first, under the same limit as
 * any hold, and the hold is confirmed by the meeting that results.
 * Who may ask, and an interview's meeting going through its interview, are
 * settled before (interviews/meeting-host.ts); the interview's own host change
 * (interviews/update.ts) calls this directly.
 */
import type { Clock } from "../clock.ts";
import { ApiError, conflict, notFound } from "../errors.ts";
import { ProviderError } from "../providers/errors.ts";
import type { ZoomMeeting } from "../providers/zoom.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { confirmHold, releaseHold } from "./holds.ts";
import type { ZoomHosts } from "./service.ts";
import type { LinkedZoomUser } from "./zoom-users.ts";

export interface ReassignResult {
  outcome: "moved" | "recreated";
  meeting: { id: string; hostZoomUserId: string; joinUrl: string; start: string; end: string; topic: string | null };
  previousMeetingId: string;
  holdId: string;
}

export interface ReassignDeps {
  db: DB;
  clock: Clock;
  hosts: ZoomHosts;
}

/** A meeting found at Zoom, its host now and the one asked for, both linked in the organisation. */
export interface MeetingToReassign {
  meeting: ZoomMeeting;
  oldHost: LinkedZoomUser;
  newHost: LinkedZoomUser;
}

/** Gives meeting `meetingId` to Zoom user `newHostId`. */
export async function reassignMeeting(
  deps: ReassignDeps,
  tenant: OrgScope,
  by: string,
  meetingId: string,
  newHostId: string,
): Promise<ReassignResult> {
  return reassignFound(deps, tenant, by, await meetingToReassign(deps, tenant, meetingId, newHostId));
}

/**
 * The meeting and both hosts: 404 `zoom_host_not_found` for a new host not linked in the organisation, then 404
 * `zoom_meeting_not_found` for a meeting none of its linked Zoom users hosts (another organisation's, say). When
 * `asker` (a portal user) linked a Zoom user whose meetings no grant could read (their link needs linking again, and
 * no other link or connection covers it), the meeting may well be that user's: 409 `needs_reauth` tells them to link
 * it again rather than that there is no such meeting.
 */
export async function meetingToReassign(
  deps: ReassignDeps,
  tenant: OrgScope,
  meetingId: string,
  newHostId: string,
  asker?: string,
): Promise<MeetingToReassign> {
  const users = await deps.hosts.linkedUsers(tenant);
  const newHost = users.get(newHostId);
  if (!newHost) throw notFound("zoom_host_not_found", "No Zoom user of that id is linked in this organisation.");
  const search = await findMeeting(deps, tenant, [...users.values()], meetingId);
  if ("meeting" in search) return { ...search, newHost };
  const askersUnread = asker ? search.unread.find((user) => user.portalUserIds.includes(asker)) : undefined;
  if (askersUnread)
    throw conflict(
      "needs_reauth",
      `Your link to the Zoom user ${askersUnread.displayName} must be linked again: until then its meetings cannot ` +
        "be read, and this meeting was not found among the others.",
      { status: "needs_reauth", zoomUserId: askersUnread.zoomUserId },
    );
  throw notFound("zoom_meeting_not_found", "No linked Zoom user of this organisation hosts a meeting of that id.");
}

/** 409 `zoom_host_unchanged` when the meeting's host is already the one asked for. */
export function refuseUnchanged({ oldHost, newHost }: MeetingToReassign): void {
  if (oldHost.zoomUserId === newHost.zoomUserId)
    throw conflict("zoom_host_unchanged", "That Zoom user already hosts this meeting.");
}

/** Moves the meeting found, or makes it again under the new host; the new host is held for it first. */
export async function reassignFound(
  deps: ReassignDeps,
  tenant: OrgScope,
  by: string,
  found: MeetingToReassign,
): Promise<ReassignResult> {
  refuseUnchanged(found);
  const { meeting, oldHost, newHost } = found;
  const start = meeting.start;
  const end = new Date(start.getTime() + meeting.durationMinutes * 60_000);
  // Zoom is asked afresh: a host change is rare, and a meeting made in Zoom a moment ago must count.
  const hold = await deps.hosts.hold(tenant, {
    zoomUserId: newHost.zoomUserId,
    start,
    end,
    createdBy: by,
    refresh: true,
  });
  try {
    // Each grant that may act for the old host (its own links, then the organisation's admin-managed app) asks
    // Zoom to move it, until one has the scheduling privilege Zoom wants.
    const moved = await deps.hosts.withGrant(
      tenant,
      oldHost,
      (api) => api.changeHost(meeting.id, newHost.zoomUserId),
      (done) => done,
    );
    if (moved) {
      await confirmHold(deps.db, deps.clock, tenant, hold.id, meeting.id);
      return reassignResult("moved", meeting, newHost.zoomUserId, meeting.id, hold.id);
    }
    // No grant could act for the old host at all (the one that found the meeting died since, or was another Zoom
    // user's): it could not delete its meeting either, so none is made under the new host only to be deleted again.
    if (moved === undefined)
      throw conflict(
        "needs_reauth",
        `Every link to the meeting's host, the Zoom user ${oldHost.displayName}, must be linked again before its ` +
          "meeting can be given another host.",
        { status: "needs_reauth", zoomUserId: oldHost.zoomUserId },
      );
    const created = await deps.hosts.withGrant(tenant, newHost, (api) =>
      api.createMeeting(newHost.zoomUserId, {
        topic: meeting.topic ?? "Zoom Meeting",
        // The agenda goes along: whatever marks the meeting (an interview's id, say) marks the one made again.
        ...(meeting.agenda && { agenda: meeting.agenda }),
        start,
        durationMinutes: meeting.durationMinutes,
        timeZone: meeting.timeZone ?? "UTC",
      }),
    );
    if (!created)
      throw conflict("zoom_host_unavailable", "Every link to the new host must be linked again before it can host.", {
        zoomUserId: newHost.zoomUserId,
        reason: "needs_reauth",
      });
    try {
      const deleted = await deps.hosts.withGrant(tenant, oldHost, async (api) => {
        await api.deleteMeeting(meeting.id);
        return true;
      });
      if (!deleted)
        throw conflict("needs_reauth", "The old host's link must be linked again before its meeting can be deleted.");
    } catch (error) {
      // Leave one meeting, not two: the new one goes again.
      await deps.hosts.withGrant(tenant, newHost, (api) => api.deleteMeeting(created.id));
      throw error;
    }
    await confirmHold(deps.db, deps.clock, tenant, hold.id, created.id);
    return reassignResult("recreated", created, newHost.zoomUserId, meeting.id, hold.id);
  } catch (error) {
    await releaseHold(deps.db, tenant, hold.id);
    if (error instanceof ProviderError)
      throw new ApiError(503, "provider_unavailable", "Zoom could not change the host now. Try again in a moment.", {
        cause: error,
      });
    throw error;
  }
}

/**
 * The meeting, read with a grant of its host (the first linked Zoom user whose grants can see it); else the Zoom users
 * no grant could read with at all (every link to them needs linking again, and no connection covers them).
 */
async function findMeeting(
  deps: ReassignDeps,
  tenant: OrgScope,
  users: LinkedZoomUser[],
  meetingId: string,
): Promise<{ meeting: ZoomMeeting; oldHost: LinkedZoomUser } | { unread: LinkedZoomUser[] }> {
  const unread: LinkedZoomUser[] = [];
  for (const user of users) {
    const meeting = await deps.hosts.withGrant(tenant, user, async (api) => {
      try {
        return await api.getMeeting(meetingId);
      } catch (error) {
        // Not this grant's to see (404 3001 unknown meeting, 400 code 200 "No permission", 404 another account's).
        if (error instanceof ProviderError && (error.status === 404 || error.status === 400)) return null;
        throw error;
      }
    });
    if (meeting === undefined) unread.push(user);
    if (!meeting) continue;
    const oldHost = users.find((candidate) => candidate.zoomUserId === meeting.hostId);
    if (oldHost) return { meeting, oldHost };
  }
  return { unread };
}

/** The answer: the meeting as it stands under its new host, and the one it was. */
export function reassignResult(
  outcome: ReassignResult["outcome"],
  meeting: ZoomMeeting,
  hostZoomUserId: string,
  previousMeetingId: string,
  holdId: string,
): ReassignResult {
  return {
    outcome,
    meeting: {
      id: meeting.id,
      hostZoomUserId,
      joinUrl: meeting.joinUrl,
      start: meeting.start.toISOString(),
      end: new Date(meeting.start.getTime() + meeting.durationMinutes * 60_000).toISOString(),
      topic: meeting.topic ?? null,
    },
    previousMeetingId,
    holdId,
  };
}
