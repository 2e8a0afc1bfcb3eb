/**
 * A Zoom meeting given another host by its id (`POST /v1/zoom/meetings/:meetingId/host`; README "Zoom hosts and
 * holds"), for whoever may:
 *
 * - An interview's meeting goes through the interview's own host change (`PATCH /v1/interviews/:id`, update.ts), so
 *   that the record, the hold and the calendar event's join URL follow it: moved behind the interview's back, a
 *   meeting made again would leave the interview and its event with the old, deleted one. Those who may change the
 *   interview (admin, recruiter) may.
 * - Any other meeting (one made in Zoom itself) is its host's: an admin may give it another host, anyone else only
 *   when its host now is a Zoom user they linked themselves (and have not unlinked; a link needing linking again
 *   still counts). When Zoom will not move it, it is made again and the old one deleted, so a colleague's attendees
 *   would be left with a dead join URL.
 */
import type { HostRole } from "../auth/host-token.ts";
import { ApiError, forbidden } from "../errors.ts";
import type { OrgScope } from "../store/tenancy.ts";
import {
  type MeetingToReassign,
  type ReassignDeps,
  type ReassignResult,
  meetingToReassign,
  reassignFound,
  reassignResult,
  refuseUnchanged,
} from "../zoom-hosts/reassign.ts";
import { meetingMarker } from "./provider-calls.ts";
import { findInterview, type InterviewRow } from "./records.ts";
import type { Interviews } from "./service.ts";

/** Who may book, change and cancel interviews (routes/interviews.ts); assistants only read them. */
export const interviewWriterRoles = ["admin", "recruiter"] as const satisfies readonly HostRole[];

export interface MeetingHostDeps extends ReassignDeps {
  interviews: Pick<Interviews, "update">;
}

export interface MeetingHostCaller {
  tenant: OrgScope;
  userId: string;
  role: HostRole;
}

export async function changeMeetingHost(
  deps: MeetingHostDeps,
  caller: MeetingHostCaller,
  meetingId: string,
  newHostId: string,
): Promise<ReassignResult> {
  // Found among the caller's organisation's Zoom users first: another organisation's meeting is a 404, as it was.
  const found = await meetingToReassign(deps, caller.tenant, meetingId, newHostId, caller.userId);
  const interview = await interviewOfMeeting(deps, caller.tenant, meetingId);
  if (interview) return changeInterviewHost(deps, caller, interview, found);
  await refuseMeetingUnderWay(deps, caller.tenant, found.meeting.agenda);
  // Theirs by the link, whatever its health: a link that needs linking again is still theirs. The move goes through
  // whichever grant works for the host (another link to it, the organisation's connection), as finding the meeting
  // did; when no grant could read their Zoom user's meetings, meetingToReassign answered them 409 needs_reauth.
  const own = found.oldHost.portalUserIds.includes(caller.userId);
  if (caller.role !== "admin" && !own)
    throw forbidden(
      "zoom_meeting_not_yours",
      "Only an administrator, or a portal user who linked this meeting's Zoom host themselves, can give it another " +
        "host.",
    );
  return reassignFound(deps, caller.tenant, caller.userId, found);
}

/**
 * The interview whose Zoom meeting it is, unless cancelled or never booked (its meeting deleted then). One being
 * booked, changed or cancelled is one too: the interview's change answers that it is busy.
 */
function interviewOfMeeting(
  deps: ReassignDeps,
  tenant: OrgScope,
  meetingId: string,
): Promise<Pick<InterviewRow, "id"> | undefined> {
  return deps.db
    .selectFrom("interviews")
    .select("id")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("zoom_meeting_id", "=", meetingId)
    .where("status", "not in", ["cancelled", "failed"])
    .orderBy("created_at", "desc")
    .executeTakeFirst();
}

/**
 * A meeting Zoom made for an interview whose booking or change has not recorded it yet (the record is written once
 * Zoom answers) is the interview's all the same: its agenda names it (meetingMarker). Moved as anyone's meeting, it
 * would be made again and deleted under the booking, which then confirms the deleted meeting and puts its dead join
 * URL in the event. While that interview is being booked, changed or cancelled, it is busy, as its recorded meeting is.
 */
async function refuseMeetingUnderWay(deps: ReassignDeps, tenant: OrgScope, agenda: string | undefined): Promise<void> {
  const at = agenda?.indexOf(markerPrefix) ?? -1;
  if (!agenda || at < 0) return;
  const interviewId = agenda.slice(at + markerPrefix.length, at + markerPrefix.length + 36);
  const underWay = await deps.db
    .selectFrom("interviews")
    .select("id")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("id", "=", interviewId)
    .where("status", "in", ["booking", "updating", "cancelling"])
    .executeTakeFirst();
  if (underWay)
    throw new ApiError(
      409,
      "interview_busy",
      `This meeting is being made or changed for interview ${underWay.id}: reload the interview and try again.`,
      { headers: { "Retry-After": "2" } },
    );
}

const markerPrefix = meetingMarker("");

async function changeInterviewHost(
  deps: MeetingHostDeps,
  caller: MeetingHostCaller,
  interview: Pick<InterviewRow, "id">,
  found: MeetingToReassign,
): Promise<ReassignResult> {
  if (!(interviewWriterRoles as readonly HostRole[]).includes(caller.role))
    throw forbidden(
      "forbidden_role",
      `This is the meeting of interview ${interview.id}: giving it another host changes the interview, which needs ` +
        `one of the roles ${interviewWriterRoles.join(", ")}; the caller is ${caller.role}.`,
    );
  refuseUnchanged(found);
  const view = await deps.interviews.update(caller.tenant, caller.userId, interview.id, {
    hostZoomUserId: found.newHost.zoomUserId,
  });
  const row = await findInterview(deps.db, caller.tenant, interview.id);
  const zoom = view.zoom;
  if (!(zoom && row?.zoom_hold_id && row.zoom_meeting_id === zoom.meetingId))
    throw new ApiError(
      409,
      "interview_busy",
      `The host was changed, but interview ${interview.id} was changed again since: reload it.`,
    );
  const meeting = { ...found.meeting, id: zoom.meetingId, joinUrl: zoom.joinUrl };
  const outcome = zoom.meetingId === found.meeting.id ? "moved" : "recreated";
  return reassignResult(outcome, meeting, zoom.hostZoomUserId, found.meeting.id, row.zoom_hold_id);
}
