/**
 * Changes made at the providers outside Tsunagu (`GET ?check=1`, and before
 * every change): the event or the Zoom meeting deleted, or moved to another
 * time. What is found is recorded on the interview and shown; nothing is
 * written back to the providers.
 */
import type { InterviewDrift } from "@tsunagu/contract";
import { ProviderError } from "../providers/errors.ts";
import { isMeetingGone, meetingMinutes, sameSecond, stepError, withZoomHost } from "./provider-calls.ts";
import type { InterviewRow } from "./records.ts";
import { calendarAccountOf, type SagaDeps, tenantOf } from "./saga.ts";

export async function detectDrift(deps: SagaDeps, row: InterviewRow): Promise<InterviewDrift[]> {
  if (row.status !== "confirmed") return JSON.parse(row.drift) as InterviewDrift[];
  const detectedAt = deps.clock.now().toISOString();
  const start = Date.parse(row.starts_at);
  const end = Date.parse(row.ends_at);
  const drift: InterviewDrift[] = [];
  const tenant = tenantOf(row);
  // The event and the meeting are read at once: one provider round trip before a change, not two.
  const readEvent = async () => {
    if (!(row.event_id && row.event_created === 1)) return;
    const account = await calendarAccountOf(deps.db, row);
    const event = await deps.calendars.read(tenant, account, row.event_id);
    if (event.deleted) drift.push({ kind: "event_deleted", detectedAt });
    else if (event.start && event.end && !(sameSecond(event.start, start) && sameSecond(event.end, end)))
      drift.push({
        kind: "event_moved",
        start: event.start.toISOString(),
        end: event.end.toISOString(),
        detectedAt,
      });
  };
  const readMeeting = async () => {
    if (!(deps.zoom && row.zoom_meeting_id && row.zoom_host_user_id)) return;
    const meetingId = row.zoom_meeting_id;
    const meeting = await withZoomHost(deps.zoom, tenant, row.zoom_host_user_id, async (api) => {
      try {
        return await api.getMeeting(meetingId);
      } catch (error) {
        if (isMeetingGone(error)) return undefined;
        throw error;
      }
    });
    if (!meeting) drift.push({ kind: "meeting_deleted", detectedAt });
    else {
      const meetingEnd = meeting.start.getTime() + meeting.durationMinutes * 60_000;
      // Zoom keeps whole minutes: an interview of 45.5 minutes has a meeting of 46, where it was booked.
      if (!sameSecond(meeting.start, start) || meeting.durationMinutes !== meetingMinutes(row.starts_at, row.ends_at))
        drift.push({
          kind: "meeting_moved",
          start: meeting.start.toISOString(),
          end: new Date(meetingEnd).toISOString(),
          detectedAt,
        });
    }
  };
  try {
    const [eventRead, meetingRead] = await Promise.allSettled([readEvent(), readMeeting()]);
    for (const read of [eventRead, meetingRead]) if (read.status === "rejected") throw read.reason;
    // The event's drift first, as the record has always listed it.
    drift.sort((a, b) => Number(a.kind.startsWith("meeting")) - Number(b.kind.startsWith("meeting")));
  } catch (error) {
    if (error instanceof ProviderError) throw stepError(error, "checking the event and the meeting");
    throw error;
  }
  await deps.db
    .updateTable("interviews")
    .set({ drift: JSON.stringify(drift) })
    .where("id", "=", row.id)
    .where("updated_at", "=", row.updated_at)
    .execute();
  return drift;
}
