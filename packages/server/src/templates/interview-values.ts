/**
 * A stored interview as a template's values (README "Message templates",
 * rendering for an interview): what the saga answers (InterviewView) mapped
 * onto the tags, and the candidate's own language and zone. A Google Meet or
 * Teams interview's join URL fills `{{zoom_url}}` as Zoom's would (issue 11:
 * "its join URL used exactly like Zoom's"); it has no passcode or meeting ID,
 * so those tags stay errors for it.
 */
import type { InterviewView } from "@tsunagu/contract";
import type { TemplateLanguage, TemplateValues } from "./render.ts";

export function interviewTemplateValues(view: InterviewView): TemplateValues {
  const joinUrl = view.zoom?.joinUrl ?? (view.conference && view.conference !== "zoom" ? view.joinUrl : undefined);
  return {
    title: view.title,
    start: new Date(view.start),
    end: new Date(view.end),
    candidateName: view.candidate.name,
    interviewers: view.interviewers.map((person) => person.name ?? person.email ?? person.userId),
    zoom: joinUrl
      ? { joinUrl, passcode: view.zoom?.passcode || undefined, meetingId: view.zoom?.meetingId }
      : undefined,
    calendarLink: view.event?.webLink,
  };
}

/** The candidate's language and zone as the booking recorded them; the organiser's zone when it named none. */
export function candidateRendering(view: InterviewView): { language?: TemplateLanguage; timeZone: string } {
  return {
    ...(view.candidate.language && { language: view.candidate.language }),
    timeZone: view.candidate.timeZone ?? view.timeZone,
  };
}
