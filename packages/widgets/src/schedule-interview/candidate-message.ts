/**
 * The message to the candidate: what `POST /v1/templates/render` is asked
 * (server routes/templates.ts), in the candidate's language and time zone,
 * with the interview's values for the tags: the organisation's template when
 * the page names one, else the element's own text (with the Zoom lines only
 * when there is a meeting, since a tag without a value is refused). The
 * interviewers are named as the page names them: the interview keeps the
 * names of their host tokens, which a portal writes in one script (吉田 葵)
 * whatever the language of the page that booked.
 */
import type { InterviewView } from "@tsunagu/contract";
import type { CandidateInput } from "./interviews-api.ts";

export interface MessageSource {
  /** The organisation's template key, if the page named one. */
  templateKey: string | null;
  /** The element's own template text in `language`, the one the message is rendered in (the candidate's). */
  ownTemplate: (language: "ja" | "en", withZoom: boolean) => Promise<string>;
  /** What the portal said about the candidate (their language and zone win over the interview's). */
  candidate: CandidateInput | null;
  /** The viewer's language, when nobody says the candidate's. */
  fallbackLanguage: string;
  /** The interviewers as the page gave them: their names win over the interview's, which fill in the rest. */
  interviewers: ReadonlyArray<{ id: string; name: string }>;
}

export async function messageRequest(interview: InterviewView, source: MessageSource) {
  const wanted = source.candidate?.language ?? interview.candidate.language ?? source.fallbackLanguage;
  const language = wanted === "ja" ? "ja" : "en";
  const zoom = interview.zoom;
  const given = new Map(source.interviewers.map((person) => [person.id, person.name]));
  const names = interview.interviewers.map((person) => given.get(person.userId) ?? person.name ?? person.userId);
  return {
    ...(source.templateKey
      ? { key: source.templateKey }
      : { body: await source.ownTemplate(language, zoom !== undefined) }),
    language,
    timeZone: source.candidate?.timeZone ?? interview.candidate.timeZone ?? interview.timeZone,
    values: {
      title: interview.title,
      start: interview.start,
      end: interview.end,
      candidateName: interview.candidate.name,
      interviewers: names.length ? names : [...given.values()],
      ...(zoom ? { zoom: { joinUrl: zoom.joinUrl, passcode: zoom.passcode, meetingId: zoom.meetingId } } : {}),
      ...(interview.event?.webLink ? { calendarLink: interview.event.webLink } : {}),
    },
  };
}
