/**
 * Text the portal or a person typed, written where a line break would add a line of its own: a title or a
 * candidate's name in an interviewer's Slack notice, where each field has its line and a break would forge the next
 * ("Zoom：" with another URL), and a rendered template's subject, which the portal sends as an email header, where a
 * break would add a header ("Bcc: …"). A candidate's name often comes from the candidate's own application form.
 */

/** Every line break Unicode knows (LF, VT, FF, CR, NEL, LS, PS), with the white space around it. */
const lineBreak = /\s*[\n\v\f\r\u0085\u2028\u2029]\s*/g;

/** `text` on one line: each line break, with the white space around it, becomes one space. */
export function oneLine(text: string): string {
  return text.replace(lineBreak, " ");
}
