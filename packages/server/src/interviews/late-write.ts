/**
 * Writes of a change that landed late: a change of this process taken over by another (its lease lapsed: the process
 * stalled, or lost the database while the other reached it) may have moved the event or the meeting after that
 * process put the interview back. The change's process remembers it (`Leases.wroteLate`), and its recovery pass,
 * once the interview is confirmed and unleased again, moves back what stands at exactly the times (start and end)
 * the change was moving to (README, database outages). A process that died cannot land a write later, so memory is
 * enough.
 */
import type { InterviewDrift } from "@tsunagu/contract";
import type { Logger } from "../log.ts";
import { detectDrift } from "./drift.ts";
import { meetingMinutes } from "./provider-calls.ts";
import type { InterviewRow, LateWrite } from "./records.ts";
import type { SagaDeps } from "./saga.ts";
import { updateEvent, updateMeeting } from "./update.ts";

/**
 * A change of this process that another process took over (or that the database cut off) may have moved the event
 * or the meeting after the interview was put back: once it is settled again, what such a write moved goes back to
 * the record. True when something was put back.
 */
export async function checkLateWrite(
  deps: SagaDeps & { logger: Logger },
  id: string,
  moved: LateWrite,
): Promise<boolean> {
  const row = await deps.db.selectFrom("interviews").selectAll().where("id", "=", id).executeTakeFirst();
  if (row === undefined || row.status === "cancelled" || row.status === "failed") {
    deps.leases.forgetLateWrite(id);
    return false;
  }
  // Still being put back or changed (here or elsewhere): a later pass looks.
  if (row.status !== "confirmed") return false;
  const claimed = await deps.leases.claim(id, ["confirmed"], {}, { updated_at: row.updated_at });
  if (!claimed) return false;
  const heartbeat = deps.leases.keep(id);
  try {
    const putBack = await putBackLateWrite(deps, claimed, moved);
    deps.leases.forgetLateWrite(id);
    if (putBack.length > 0)
      deps.logger.warn("a change taken over by another process moved the interview after it was put back; moved back", {
        interviewId: id,
        putBack,
      });
    return putBack.length > 0;
  } catch (error) {
    deps.logger.warn("checking an interview for a change that landed late failed; the next pass tries again", {
      interviewId: id,
      error,
    });
    return false;
  } finally {
    heartbeat.stop();
    await deps.leases.release(id);
  }
}

/**
 * Puts the meeting and the event back where the record says, when a change of this process taken over by another
 * (`Leases.wroteLate`) moved them to `moved`'s times after that process had put the interview back. Run by the recovery
 * pass holding the interview's lease, once it is settled. Only what stands at exactly those times (start and end) is
 * moved: any other difference is someone's change outside Tsunagu, left for the drift check to report. The kinds put
 * back.
 */
async function putBackLateWrite(deps: SagaDeps, row: InterviewRow, moved: LateWrite): Promise<string[]> {
  const drift = await detectDrift(deps, row);
  // Zoom keeps whole minutes: the late write's meeting ends where its whole minutes end.
  const movedEnd = {
    event_moved: Date.parse(moved.ends_at),
    meeting_moved: Date.parse(moved.starts_at) + meetingMinutes(moved.starts_at, moved.ends_at) * 60_000,
  };
  const isLate = (found: InterviewDrift) =>
    (found.kind === "event_moved" || found.kind === "meeting_moved") &&
    found.start !== undefined &&
    found.end !== undefined &&
    Date.parse(found.start) === Date.parse(moved.starts_at) &&
    Date.parse(found.end) === movedEnd[found.kind];
  const late = drift.filter(isLate).map((found) => found.kind);
  if (late.includes("meeting_moved") && deps.zoom && row.zoom_meeting_id && row.zoom_host_user_id)
    await updateMeeting(deps.zoom, row, row);
  if (late.includes("event_moved")) await updateEvent(deps.calendars, deps, row);
  if (late.length > 0)
    await deps.db
      .updateTable("interviews")
      .set({ drift: JSON.stringify(drift.filter((found) => !isLate(found))) })
      .where("id", "=", row.id)
      .execute();
  return late;
}
