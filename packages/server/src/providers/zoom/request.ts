/**
 * One Zoom HTTP call through `providerRequest`, and Zoom's two error shapes:
 * the OAuth endpoints answer `{"reason":"…","error":"…"}`, the REST API
 * answers `{"code":<int>,"message":"…"}` (plus `errors[]` on validation
 * failures, code 300). https://developers.zoom.us/docs/api/errors
 * https://developers.zoom.us/docs/integrations/oauth-error-messages/
 */
import type { z } from "zod";
import type { Clock } from "../../clock.ts";
import { InvalidGrantError, ProviderError } from "../errors.ts";
import { type CallKind, type HttpDeps, providerRequest } from "../http.ts";
import { parseRetryAfter } from "../retry-after.ts";

export interface ZoomCall<T> {
  url: URL;
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  /** `Bearer <access token>` for the API, HTTP Basic for the OAuth endpoints. */
  authorization: string;
  body?: URLSearchParams | object;
  /** `null` for the 204 answers (PATCH and DELETE meeting). */
  schema: z.ZodType<T> | null;
  /** `create` where a repeat does harm (a second meeting, a spent code or rotated refresh token): see ../http.ts. */
  kind: CallKind;
}

export function zoomCall<T>(deps: HttpDeps, call: ZoomCall<T>): Promise<T> {
  return providerRequest(deps, {
    provider: "zoom",
    url: call.url,
    method: call.method ?? (call.body === undefined ? "GET" : "POST"),
    headers: { authorization: call.authorization },
    body: call.body,
    schema: call.schema,
    toError: ({ status, body, headers }) => zoomError(status, body, headers, deps.clock),
    kind: call.kind,
  });
}

/** A stale refresh token answers 400 or 401 `{"reason":"Invalid Token!","error":"invalid_grant"|"invalid_request"}`. */
const deadTokenReason = "Invalid Token!";

export function zoomError(status: number, body: unknown, headers: Headers, clock: Clock): ProviderError {
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  if (status === 429) return rateLimitError(fields, headers, clock);
  if (typeof fields.error === "string") {
    const reason = typeof fields.reason === "string" ? fields.reason : fields.error;
    if (fields.error === "invalid_grant" || reason === deadTokenReason) {
      return new InvalidGrantError("zoom", status, `Zoom refused the grant: ${reason}`, { cause: body });
    }
    return new ProviderError("zoom", status, fields.error, `Zoom OAuth answered ${fields.error}: ${reason}`, {
      cause: body,
    });
  }
  const message = typeof fields.message === "string" ? fields.message : `HTTP ${status}`;
  // 124 is "Invalid access token." or "Access token is expired.": refresh and try again.
  if (status === 401 && fields.code === 124)
    return new ProviderError("zoom", status, "unauthorized", `Zoom refused the access token: ${message}`, {
      cause: body,
    });
  const code =
    typeof fields.code === "number" || typeof fields.code === "string" ? String(fields.code) : `http_${status}`;
  return new ProviderError("zoom", status, code, `Zoom answered ${code}: ${message}${fieldErrors(fields.errors)}`, {
    cause: body,
  });
}

/**
 * https://developers.zoom.us/docs/api/rate-limits/ — `X-RateLimit-Type` is
 * `QPS` (wait a moment) or `Daily-limit`, whose `Retry-After` is an ISO
 * date-time, typically the next 00:00 UTC. providerRequest does not wait
 * longer than its maxDelayMs, so a daily limit reaches the caller with
 * `retryAfterMs` set.
 */
function rateLimitError(fields: Record<string, unknown>, headers: Headers, clock: Clock): ProviderError {
  const type = headers.get("x-ratelimit-type") ?? "unknown";
  const category = headers.get("x-ratelimit-category") ?? "unknown";
  const now = clock.now();
  let retryAfterMs = parseRetryAfter(headers.get("retry-after"), now);
  if (retryAfterMs === undefined && type === "Daily-limit") retryAfterMs = nextUtcMidnight(now) - now.getTime();
  const message = typeof fields.message === "string" ? fields.message : "Too many requests";
  return new ProviderError("zoom", 429, "rate_limited", `Zoom rate limit (${type}, ${category}): ${message}`, {
    cause: fields,
    retryAfterMs,
  });
}

function nextUtcMidnight(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
}

function fieldErrors(errors: unknown): string {
  if (!Array.isArray(errors)) return "";
  const parts = errors.map((entry) =>
    typeof entry === "object" && entry !== null
      ? `${String((entry as { field?: unknown }).field)}: ${String((entry as { message?: unknown }).message)}`
      : String(entry),
  );
  return parts.length > 0 ? ` (${parts.join("; ")})` : "";
}
