/**
 * The booked interview as an iCalendar file (RFC 5545) for the candidate's
 * own calendar: times in UTC, the join URL as LOCATION and URL, text escaped
 * and lines folded at 75 octets as the RFC asks.
 * https://www.rfc-editor.org/rfc/rfc5545#section-3.1
 */
import type { InterviewView } from "@tsunagu/contract";

export function interviewCalendar(interview: InterviewView, now: Date): string {
  const joinUrl = interview.zoom?.joinUrl ?? interview.joinUrl;
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Tsunagu//Scheduling link//EN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${interview.id}@tsunagu`,
    `DTSTAMP:${utc(now.toISOString())}`,
    `DTSTART:${utc(interview.start)}`,
    `DTEND:${utc(interview.end)}`,
    `SUMMARY:${text(interview.title)}`,
    ...(joinUrl ? [`LOCATION:${text(joinUrl)}`, `URL:${joinUrl}`] : []),
    ...(interview.description || joinUrl
      ? [`DESCRIPTION:${text([interview.description, joinUrl].filter(Boolean).join("\n\n"))}`]
      : []),
    `STATUS:${interview.status === "cancelled" ? "CANCELLED" : "CONFIRMED"}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return `${lines.map(fold).join("\r\n")}\r\n`;
}

function utc(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/**
 * TEXT values: backslash, semicolon, comma and newline escaped (RFC 5545 §3.3.11). A lone CR is a newline too: left
 * as it is, a reader that breaks lines on it would take what follows for a property of its own.
 */
function text(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n?|\n/g, "\\n");
}

/** Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 character. */
function fold(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character);
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += character;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}
