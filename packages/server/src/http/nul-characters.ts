/**
 * Refuses U+0000 (NUL) in a request's path, query and body, before any
 * route looks something up with them. PostgreSQL text cannot hold NUL (the
 * query fails) while SQLite stores it, so without this one request would be
 * a 500 on one database and a stored oddity on the other; here both answer
 * 400: `invalid_request` for the URL, `invalid_body` for the body. A body's
 * lone UTF-16 surrogate, which both databases replace with U+FFFD, is
 * refused with it.
 *
 * Headers cannot carry NUL (HTTP parsers refuse it), and host-token claims
 * are checked by their own schema (auth/host-token.ts).
 */
import type { Context } from "hono";
import { badRequest } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";

const encodedNul = /%00/i;

/** Refuses a NUL in the request's path or query string: asked of every request, GET and HEAD included. */
export function refuseNulInUrl(requestUrl: string): void {
  // A raw NUL in a URL is percent-encoded by the URL parser, so the encoded form is the only one to look for.
  // The URL is parsed only to say which part holds it: nearly every request holds none.
  if (!encodedNul.test(requestUrl)) return;
  const url = new URL(requestUrl);
  if (encodedNul.test(url.pathname)) throw badRequest("invalid_request", "The path holds a NUL character (%00).");
  if (encodedNul.test(url.search)) throw badRequest("invalid_request", "The query string holds a NUL character (%00).");
}

/** Refuses a NUL in the request's body, and a lone UTF-16 surrogate (a JSON `\ud800` escape without its pair): neither
 * database keeps one (each writes U+FFFD), so the answer would name a value other than the one stored. Asked only of a
 * request that can carry a body (request-guards.ts). */
export async function refuseNulInBody(c: Context<AppEnv>): Promise<void> {
  if (c.req.raw.body === null) return;
  // Read as text: routes read the body again from Hono's cache (as JSON, or as text for a webhook signature).
  const body = await c.req.text();
  if (holdsNul(body)) throw badRequest("invalid_body", "The body holds a NUL character (U+0000).");
  if (holdsLoneSurrogate(body))
    throw badRequest(
      "invalid_body",
      "The body holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), which is no character.",
    );
}

/** Whether a JSON body's strings or keys hold a lone surrogate. UTF-8 bytes decode to none (a broken sequence becomes
 * U+FFFD), so only a `\uD8xx`-`\uDFxx` escape can make one, and a body without such an escape is not parsed. */
function holdsLoneSurrogate(body: string): boolean {
  if (!/\\u[dD][89a-fA-F]/.test(body)) return false;
  return someJsonString(body, (text) => !text.isWellFormed());
}

/** Whether the body holds NUL raw, or as a JSON `\u0000` escape in any string or key (a JSON body is parsed to tell it
 * from an escaped backslash). */
function holdsNul(body: string): boolean {
  if (body.includes("\u0000")) return true;
  if (!body.includes("\\u0000")) return false;
  return someJsonString(body, (text) => text.includes("\u0000"));
}

/** Whether a string or key of the JSON `body` passes `test`; false for a body that is not JSON. Walks with a stack of
 * its own, not by recursion (nor spread arguments): a body nested or as long as 256 KB allows must not overflow the
 * call stack. */
function someJsonString(body: string, test: (text: string) => boolean): boolean {
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch {
    return false;
  }
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") {
      if (test(value)) return true;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push(item);
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (test(key)) return true;
        pending.push(item);
      }
    }
  }
  return false;
}
