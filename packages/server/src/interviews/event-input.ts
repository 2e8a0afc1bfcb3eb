/**
 * The calendar event as the attendees see it, the candidate among them: the interview's title and description, and
 * the Zoom meeting's join URL, ID and passcode in the reader's language (the candidate's, else the organisation's,
 * else English), labelled as the message templates label them (ミーティング ID：…, パスコード：…).
 */
import type { OrganisationLocale } from "@tsunagu/contract";
import type { CalendarEventInput } from "../providers/types.ts";
import type { DB } from "../store/database.ts";
import { readOrganisationLocale } from "../store/tenancy.ts";
import type { InterviewRow } from "./records.ts";

const zoomLabels: Record<OrganisationLocale, { separator: string; meetingId: string; passcode: string }> = {
  ja: { separator: "：", meetingId: "ミーティング ID", passcode: "パスコード" },
  en: { separator: ": ", meetingId: "Meeting ID", passcode: "Passcode" },
};

type Candidate = { name: string; email: string; language?: OrganisationLocale };

/** The language of the event's text: the candidate's when the booking named it, else the organisation's. */
export async function eventLanguage(db: DB, row: InterviewRow): Promise<OrganisationLocale> {
  const candidate = JSON.parse(row.candidate) as Candidate;
  if (candidate.language === "ja" || candidate.language === "en") return candidate.language;
  return (await readOrganisationLocale(db, { hostId: row.host_id, orgId: row.org_id })) ?? "en";
}

/** The join URL in the location and, with the meeting ID and passcode, in the description. */
export function eventInput(row: InterviewRow, language: OrganisationLocale): CalendarEventInput {
  const candidate = JSON.parse(row.candidate) as Candidate;
  const interviewers = JSON.parse(row.interviewers) as Array<{ name: string | null; email: string | null }>;
  const joinUrl = row.zoom_join_url ?? undefined;
  const words = zoomLabels[language];
  const zoomLines = joinUrl
    ? [
        `Zoom${words.separator}${joinUrl}`,
        `${words.meetingId}${words.separator}${row.zoom_meeting_id}`,
        `${words.passcode}${words.separator}${row.zoom_passcode ?? ""}`,
      ]
    : [];
  const description = [row.description ?? "", zoomLines.join("\n")].filter(Boolean).join("\n\n");
  return {
    summary: row.title,
    description,
    ...(joinUrl && { location: joinUrl }),
    start: new Date(row.starts_at),
    end: new Date(row.ends_at),
    timeZone: row.time_zone,
    attendees: [
      ...interviewers.flatMap((person) =>
        person.email ? [{ email: person.email, ...(person.name && { name: person.name }) }] : [],
      ),
      { email: candidate.email, name: candidate.name },
    ],
  };
}
