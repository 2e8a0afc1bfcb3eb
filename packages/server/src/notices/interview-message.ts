/**
 * The Slack message an interviewer gets when an interview is booked, moved,
 * changed or cancelled: a pure function of the change, the reader's language
 * and time zone. Japanese reads as a Japanese team writes it
 * (「面接が確定しました」, 12月3日（木）14:00〜15:00), English as an English one
 * does. Text the portal or a person typed is written on one line and escaped
 * for Slack's mrkdwn
 * (https://docs.slack.dev/messaging/formatting-message-text#escaping), so a
 * title or a candidate's name cannot add a line, mention @channel or forge a
 * link.
 */
import type { InterviewView } from "@tsunagu/contract";
import { oneLine } from "../one-line.ts";
import { isAnotherYear, readableRange, withZone } from "../readable-time.ts";
import type { NoticeLanguage } from "./recipients.ts";

/** What happened, as this interviewer sees it: `added`/`removed` when an update put them on or took them off. */
export type InterviewNoticeKind = "scheduled" | "rescheduled" | "changed" | "cancelled" | "added" | "removed";

export interface InterviewNoticeInput {
  kind: InterviewNoticeKind;
  interview: InterviewView;
  /** For `rescheduled`: the interview before the move. */
  before?: InterviewView | undefined;
  language: NoticeLanguage;
  /** The reader's IANA zone. */
  timeZone: string;
  /** When the notice is written: the year is shown only for another year. */
  now: Date;
}

const headings: Record<NoticeLanguage, Record<InterviewNoticeKind, string>> = {
  ja: {
    scheduled: "面接が確定しました",
    added: "面接官に追加されました",
    rescheduled: "面接の日時が変更されました",
    changed: "面接の内容が変更されました",
    cancelled: "面接がキャンセルされました",
    removed: "面接官から外されました",
  },
  en: {
    scheduled: "Interview scheduled",
    added: "You were added to an interview",
    rescheduled: "Interview rescheduled",
    changed: "Interview updated",
    cancelled: "Interview cancelled",
    removed: "You were removed from an interview",
  },
};

/**
 * Japanese labels end in a full-width colon, as the Japanese message templates write them (日時：…（Asia/Tokyo）).
 * さん follows a Japanese name straight (山田 花子さん) and a Latin one after a space (Jane Doe さん), the one spacing
 * rule of the widgets' Japanese table.
 */
const labels = {
  ja: {
    candidate: (name: string) => `候補者：${name}${/[A-Za-z0-9.]$/.test(name) ? " " : ""}さん`,
    separator: "：",
    when: "日時",
    before: "変更前",
    after: "変更後",
    calendar: "カレンダー",
    passcode: "パスコード",
  },
  en: {
    candidate: (name: string) => `Candidate: ${name}`,
    separator: ": ",
    when: "When",
    before: "Was",
    after: "Now",
    calendar: "Calendar",
    passcode: "passcode",
  },
} as const;

const conferenceNames = { zoom: "Zoom", google_meet: "Google Meet", microsoft_teams: "Microsoft Teams" } as const;

export function interviewNoticeText(input: InterviewNoticeInput): string {
  const { kind, interview, language } = input;
  const words = labels[language];
  // One line each: a line break in the title or the name would add a line that reads as the notice's own.
  const lines = [`*${headings[language][kind]}*`, escapeMrkdwn(oneLine(interview.title))];
  lines.push(escapeMrkdwn(words.candidate(oneLine(interview.candidate.name))));
  const range = (view: InterviewView) => timeRange(view, input);
  if (kind === "rescheduled" && input.before) {
    lines.push(`${words.before}${words.separator}~${range(input.before)}~`);
    lines.push(`${words.after}${words.separator}${withZone(range(interview), input)}`);
  } else {
    lines.push(`${words.when}${words.separator}${withZone(range(interview), input)}`);
  }
  // A cancelled interview, or one this person left, has nothing to join any more.
  if (kind === "cancelled" || kind === "removed") return lines.join("\n");
  const join = joinLine(interview, language);
  if (join) lines.push(join);
  if (interview.event?.webLink) lines.push(`${words.calendar}${words.separator}${interview.event.webLink}`);
  return lines.join("\n");
}

function joinLine(interview: InterviewView, language: NoticeLanguage): string | undefined {
  if (interview.zoom) {
    const passcode = interview.zoom.passcode
      ? language === "ja"
        ? `（${labels.ja.passcode}${labels.ja.separator}${interview.zoom.passcode}）`
        : ` (${labels.en.passcode} ${interview.zoom.passcode})`
      : "";
    return `Zoom${labels[language].separator}${interview.zoom.joinUrl}${passcode}`;
  }
  if (interview.conference && interview.conference !== "zoom" && interview.joinUrl)
    return `${conferenceNames[interview.conference]}${labels[language].separator}${interview.joinUrl}`;
  return undefined;
}

/**
 * `12月3日（木）14:00〜15:00` / `Thu, Dec 3, 2:00 PM – 3:00 PM` in the reader's zone, through the one readable-time
 * format: the year only when it is another year than `now`'s, the day repeated when the end is on another day.
 */
export function timeRange(
  view: Pick<InterviewView, "start" | "end">,
  options: { language: NoticeLanguage; timeZone: string; now: Date },
): string {
  const start = new Date(view.start);
  return readableRange(start, new Date(view.end), {
    language: options.language,
    timeZone: options.timeZone,
    withYear: isAnotherYear(start, options.now, options.timeZone),
  });
}

/** Slack's three control characters, as its formatting guide asks. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
