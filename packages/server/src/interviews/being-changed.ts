/**
 * The interview a question is asked for when that interview is being changed
 * (`interviewId` on `POST /v1/availability` and `GET /v1/zoom/hosts`): what
 * of it stands in calendars and in Zoom, so that neither counts it against
 * itself (availability/interview-being-changed.ts, zoom-hosts/service.ts).
 * Read within the caller's organisation like any interview: an id of another
 * organisation, or of none, is 404 `interview_not_found`.
 */
import type { InterviewPerson } from "@tsunagu/contract";
import { calendarAddress, type EventOnCalendars, type EventsLeftOut } from "../availability/interview-being-changed.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import type { OwnZoomMeeting } from "../zoom-hosts/service.ts";
import { notFoundInterview } from "./cancel.ts";
import { findInterview, type InterviewRow } from "./records.ts";

/** The interview, or 404 `interview_not_found` when the caller's organisation has none of that id. */
async function interviewOf(db: DB, tenant: OrgScope, id: string): Promise<InterviewRow> {
  const row = await findInterview(db, tenant, id);
  if (!row) throw notFoundInterview();
  return row;
}

/** Its event where calendars hold it, when it has one (a cancelled or failed interview's was deleted). */
function eventOf(
  row: Pick<
    InterviewRow,
    "event_id" | "event_created" | "calendar_account_id" | "interviewers" | "starts_at" | "ends_at"
  >,
): EventOnCalendars | undefined {
  if (!(row.event_id && row.event_created === 1)) return undefined;
  const interviewers = JSON.parse(row.interviewers) as InterviewPerson[];
  return {
    start: Date.parse(row.starts_at),
    end: Date.parse(row.ends_at),
    accountId: row.calendar_account_id,
    attendeeEmails: new Set(interviewers.flatMap((person) => (person.email ? [calendarAddress(person.email)] : []))),
  };
}

/**
 * The event of interview `id` and the organisation's other interviews' events overlapping it (they stay busy);
 * undefined when it has no event. 404 `interview_not_found` when the organisation has no such interview.
 */
export async function calendarEventLeftOut(db: DB, tenant: OrgScope, id: string): Promise<EventsLeftOut | undefined> {
  const own = eventOf(await interviewOf(db, tenant, id));
  if (!own) return undefined;
  const overlapping = await db
    .selectFrom("interviews")
    .select(["event_id", "event_created", "calendar_account_id", "interviewers", "starts_at", "ends_at"])
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("id", "!=", id)
    .where("event_created", "=", 1)
    .where("starts_at", "<", new Date(own.end).toISOString())
    .where("ends_at", ">", new Date(own.start).toISOString())
    .execute();
  return { own, others: overlapping.flatMap((row) => eventOf(row) ?? []) };
}

/** Interview `id`'s Zoom meeting and hold, left out of its host's load. 404 `interview_not_found` as above. */
export async function zoomMeetingLeftOut(db: DB, tenant: OrgScope, id: string): Promise<OwnZoomMeeting> {
  const row = await interviewOf(db, tenant, id);
  return { holdId: row.zoom_hold_id, meetingId: row.zoom_meeting_id };
}
