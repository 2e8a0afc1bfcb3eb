/**
 * A link a provider answers (Zoom's join and start URLs, Google's event and Meet links, Outlook's event and Teams
 * links) goes on to places that trust it as a link: an `href` on the candidate's page and in `<schedule-interview>`,
 * the `.ics` file's `URL:` line, the calendar event's description, the portal's webhooks and message templates. So it
 * is taken only as an http(s) URL on one line: never `javascript:` or `data:`, never a line break that would add a
 * line of its own to the `.ics` or a message.
 */
import { z } from "zod";

/** White space and control characters: the URL parser would drop a tab or line break silently, so they are refused. */
const blankOrControl = /[\s\p{Cc}]/u;

export function isWebLink(text: string): boolean {
  if (blankOrControl.test(text) || !URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === "https:" || protocol === "http:";
}

/** A link the answer must have: any other text refuses the answer (`invalid_response`). */
export const webLink = z.string().refine(isWebLink, "not an http(s) URL");

/** A link the answer may have: one that is not an http(s) URL is left out, the rest of the answer kept. */
export const optionalWebLink = z
  .string()
  .nullish()
  .transform((text) => (text != null && isWebLink(text) ? text : undefined));
