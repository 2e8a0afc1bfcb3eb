/**
 * Candidate messages with tags: `{{zoom_url}}` and friends, as HITO-Link's
 * message tags and HERP Hire's 日程確定メール templates use them. Rendering is
 * a pure function of the template, the interview's values, the language and
 * the candidate's time zone. It never stays silent: a tag we do not know, a
 * tag whose value this interview does not have, or a `{{` left open is an
 * error naming the tag, so a candidate never receives "URL: " or "{{zoom_ur}}".
 */
import { readableDay, readableEnd, readableMoment } from "../readable-time.ts";

/** Every tag a template may use, with what it becomes. */
export const templateTags = {
  title: "the interview's title",
  date: "the day of the start, e.g. 2026年12月3日（木） / Thu, Dec 3, 2026",
  start: "the day and time it starts, e.g. 2026年12月3日（木）9:00 / Thu, Dec 3, 2026, 9:00 AM",
  end: "the time it ends, e.g. 10:00 / 10:00 AM (with the day too when that is another day)",
  duration: "its length, e.g. 60分 / 60 minutes",
  time_zone: "the time zone the times are written in, e.g. Asia/Tokyo",
  candidate_name: "the candidate's name",
  interviewers: "the interviewers' names, e.g. 佐藤、田中 / Sato, Tanaka",
  zoom_url: "the Zoom meeting's join URL",
  zoom_passcode: "the Zoom meeting's passcode",
  zoom_meeting_id: "the Zoom meeting ID, grouped as Zoom shows it (123 4567 8901)",
  calendar_link: "the calendar event's link",
} as const;
export type TemplateTag = keyof typeof templateTags;
export const templateTagNames = Object.keys(templateTags) as TemplateTag[];

export type TemplateLanguage = "ja" | "en";

/** What one interview offers the tags; absent values make the tags that need them fail. */
export interface TemplateValues {
  title?: string | undefined;
  start?: Date | undefined;
  end?: Date | undefined;
  candidateName?: string | undefined;
  interviewers?: readonly string[] | undefined;
  zoom?: { joinUrl?: string | undefined; passcode?: string | undefined; meetingId?: string | undefined } | undefined;
  calendarLink?: string | undefined;
}

export type TemplateProblem =
  | { code: "template_unknown_tag"; tag: string; message: string }
  | { code: "template_value_missing"; tag: TemplateTag; message: string }
  | { code: "template_malformed"; tag: string; message: string };

export class TemplateError extends Error {
  constructor(readonly problem: TemplateProblem) {
    super(problem.message);
    this.name = "TemplateError";
  }
}

const tagPattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The tags a template uses, in order of first use; throws TemplateError on an unknown tag or an unclosed `{{`. */
export function templateTagsUsed(template: string): TemplateTag[] {
  const used: TemplateTag[] = [];
  for (const match of template.matchAll(tagPattern)) {
    const name = match[1] ?? "";
    if (!isTemplateTag(name)) {
      throw new TemplateError({
        code: "template_unknown_tag",
        tag: name,
        message:
          `The template uses {{${name}}}, which is not a tag. Tags: ` +
          `${templateTagNames.map((tag) => `{{${tag}}}`).join(", ")}.`,
      });
    }
    if (!used.includes(name)) used.push(name);
  }
  const rest = template.replace(tagPattern, "");
  const open = rest.indexOf("{{");
  if (open >= 0) {
    const near = rest.slice(open, open + 30);
    throw new TemplateError({
      code: "template_malformed",
      tag: near,
      message: `The template has a "{{" that is not closed by "}}" (at "${near}").`,
    });
  }
  return used;
}

function isTemplateTag(name: string): name is TemplateTag {
  return Object.hasOwn(templateTags, name);
}

export interface RenderOptions {
  language: TemplateLanguage;
  /** The candidate's IANA time zone; every time is written in it. */
  timeZone: string;
}

/** The template with every tag replaced; throws TemplateError naming the first tag that cannot be filled. */
export function renderTemplate(template: string, values: TemplateValues, options: RenderOptions): string {
  templateTagsUsed(template);
  return template.replace(tagPattern, (_, raw: string) => {
    const tag = raw as TemplateTag;
    const value = tagValue(tag, values, options);
    if (value === undefined || value === "") {
      throw new TemplateError({
        code: "template_value_missing",
        tag,
        message:
          `The template uses {{${tag}}} (${templateTags[tag].split(",")[0]}), and this interview has no value ` +
          `for it.`,
      });
    }
    return value;
  });
}

/** Days and times through the one readable-time format the Slack notices use too, always with the year. */
function tagValue(tag: TemplateTag, values: TemplateValues, options: RenderOptions): string | undefined {
  const ja = options.language === "ja";
  const { start, end } = values;
  switch (tag) {
    case "title":
      return values.title;
    case "date":
      return start && readableDay(start, options);
    case "start":
      return start && readableMoment(start, options);
    case "end":
      if (!end) return undefined;
      return start ? readableEnd(start, end, options) : readableMoment(end, options);
    case "duration": {
      if (!start || !end) return undefined;
      const minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
      return ja ? `${minutes}分` : `${minutes} minutes`;
    }
    case "time_zone":
      return options.timeZone;
    case "candidate_name":
      return values.candidateName;
    case "interviewers":
      return values.interviewers && values.interviewers.length > 0
        ? values.interviewers.join(ja ? "、" : ", ")
        : undefined;
    case "zoom_url":
      return values.zoom?.joinUrl;
    case "zoom_passcode":
      return values.zoom?.passcode;
    case "zoom_meeting_id":
      return values.zoom?.meetingId && groupMeetingId(values.zoom.meetingId);
    case "calendar_link":
      return values.calendarLink;
  }
}

/** Zoom shows meeting IDs grouped 3-4-4 (11 digits) or 3-3-4 (10 digits); other lengths stay as they are. */
function groupMeetingId(id: string): string {
  const digits = id.replace(/\s+/g, "");
  if (/^\d{11}$/.test(digits)) return `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`;
  if (/^\d{10}$/.test(digits)) return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
  return id;
}
