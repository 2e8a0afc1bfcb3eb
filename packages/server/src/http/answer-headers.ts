/**
 * The headers every answer carries, written once (issue 15). The request
 * front (request-front.ts) gives each request its id, the security headers
 * (security-headers.ts) and its log line; CORS (auth/cors.ts) adds `Vary:
 * Origin` and, for a registered origin, the allow/expose pair. Set one by one
 * on a finished answer, that is fourteen `Headers` calls, each validated by
 * undici, and a conversion back into a plain record by the Node adapter.
 *
 * Instead, what they would set is gathered per request beforehand (CORS knows
 * its headers from the request alone), and a JSON answer of a route that set
 * no header or status of its own is built with every header in one plain
 * record, which @hono/node-server writes as it is. Every other answer (an
 * error carrying `WWW-Authenticate`, a page, a preflight, a redirect) gets the
 * same headers set on it afterwards, as before (`completeAnswer`). Either way
 * an answer carries the same headers, with the same values.
 */
import type { Context } from "hono";
import type { AnswerHeaders, AppEnv } from "../auth/app-env.ts";
import { corsPolicy } from "../auth/cors.ts";
import { securityHeaders } from "./security-headers.ts";

const exposedHeaders = corsPolicy.exposeHeaders.join(", ");

const requestIdSlot = 0;
const originSlot = 1;
type Entry = readonly [name: string, value: string | typeof requestIdSlot | typeof originSlot];

/**
 * One template per CORS outcome, lower-case names in the order undici's `Headers` lists them (sorted), so that the
 * wire carries what it carried before, line for line.
 */
function template(cors: "none" | "vary" | "allow"): readonly Entry[] {
  const entries: Entry[] = [
    ["content-type", "application/json"],
    ...securityHeaders.map(([name, value]): Entry => [name.toLowerCase(), value]),
    ["x-request-id", requestIdSlot],
  ];
  if (cors !== "none") entries.push(["vary", "Origin"]);
  if (cors === "allow")
    entries.push(["access-control-allow-origin", originSlot], ["access-control-expose-headers", exposedHeaders]);
  return entries.sort(([a], [b]) => (a < b ? -1 : 1));
}
const templates = { none: template("none"), vary: template("vary"), allow: template("allow") };

/** The plain header record of a JSON answer: Content-Type, CORS, the security headers and the request id. */
export function jsonAnswerRecord(answer: AnswerHeaders): Record<string, string> {
  const { corsOrigin } = answer;
  const entries = corsOrigin === undefined ? templates.none : corsOrigin === null ? templates.vary : templates.allow;
  const record: Record<string, string> = {};
  for (const [name, value] of entries)
    record[name] = value === requestIdSlot ? answer.requestId : value === originSlot ? (corsOrigin as string) : value;
  return record;
}

/**
 * Lets the route's `c.json(object)` / `c.json(object, status)` build its answer with the whole header record; the
 * context's own `json`, `header` and `status` otherwise (a route that sets a header or a status of its own, or
 * passes headers to `c.json`, is answered by hono as before and completed by `completeAnswer`).
 */
export function answerJsonWithRecord(c: Context<AppEnv>, answer: AnswerHeaders): void {
  const { json, header, status } = c;
  c.header = (...args: Parameters<typeof header>) => {
    answer.plain = false;
    return header(...args);
  };
  c.status = (code) => {
    answer.plain = false;
    return status(code);
  };
  c.json = ((object: unknown, arg?: unknown, headers?: unknown) => {
    if (!answer.plain || headers !== undefined || (arg !== undefined && typeof arg !== "number"))
      return (json as (...args: unknown[]) => Response)(object, arg, headers);
    const response = new Response(JSON.stringify(object), {
      status: (arg as number | undefined) ?? 200,
      headers: jsonAnswerRecord(answer),
    });
    answer.complete = response;
    return response;
  }) as typeof json;
}

/**
 * Sets on an answer not built by `answerJsonWithRecord` what the record would have held, the way the front and CORS
 * set them before: CORS's `Vary` appended to the route's own, the allow/expose pair, then every security header
 * (replacing a route's own value) and the request id; `X-Powered-By` dropped.
 */
export function completeAnswer(headers: Headers, answer: AnswerHeaders): void {
  if (answer.corsOrigin !== undefined) {
    headers.append("Vary", "Origin");
    if (answer.corsOrigin !== null) {
      headers.set("Access-Control-Allow-Origin", answer.corsOrigin);
      headers.set("Access-Control-Expose-Headers", exposedHeaders);
    }
  }
  for (const [name, value] of securityHeaders) headers.set(name, value);
  headers.delete("X-Powered-By");
  headers.set("X-Request-Id", answer.requestId);
}
