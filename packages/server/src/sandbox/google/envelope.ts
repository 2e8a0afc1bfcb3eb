/**
 * Google's error shapes: the JSON envelope of Google APIs, and the RFC 6749
 * body of the token and revoke endpoints.
 * https://developers.google.com/workspace/calendar/api/guides/errors
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isKnownZone, offsetAt } from "../../providers/zone-offset.ts";

export interface ApiErrorDetail {
  reason: string;
  message: string;
  domain?: string;
  location?: string;
  locationType?: string;
}

/** Google's canonical `status` for an HTTP status (https://cloud.google.com/apis/design/errors#handling_errors). */
const canonicalStatus: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  410: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

export function apiError(
  c: Context,
  status: number,
  detail: ApiErrorDetail,
  headers: Record<string, string> = {},
): Response {
  const error = {
    domain: detail.domain ?? "global",
    reason: detail.reason,
    message: detail.message,
    ...(detail.location && { location: detail.location, locationType: detail.locationType ?? "parameter" }),
  };
  const body = {
    error: {
      errors: [error],
      code: status,
      message: detail.message,
      ...(canonicalStatus[status] && { status: canonicalStatus[status] }),
    },
  };
  return c.json(body, status as ContentfulStatusCode, headers);
}

export const apiErrors = {
  /** A stale, expired, revoked or unknown access token. */
  unauthorized: (c: Context) =>
    apiError(
      c,
      401,
      { reason: "authError", message: "Invalid Credentials", location: "Authorization", locationType: "header" },
      { "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    ),
  insufficientScope: (c: Context) =>
    apiError(c, 403, {
      reason: "insufficientPermissions",
      message: "Insufficient Permission: Request had insufficient authentication scopes.",
    }),
  notFound: (c: Context) => apiError(c, 404, { reason: "notFound", message: "Not Found" }),
  deleted: (c: Context) => apiError(c, 410, { reason: "deleted", message: "Resource has been deleted" }),
  badRequest: (c: Context, reason: string, message: string, location?: string) =>
    apiError(c, 400, {
      reason,
      message,
      domain: reason.startsWith("time") ? "calendar" : "global",
      ...(location && { location }),
    }),
};

/** The envelope for an injected failure with this status. */
export function apiFailure(c: Context, status: number, headers: Record<string, string> = {}): Response {
  if (status === 401) return apiErrors.unauthorized(c);
  if (status === 403 || status === 429)
    return apiError(
      c,
      status,
      { domain: "usageLimits", reason: "rateLimitExceeded", message: "Rate Limit Exceeded" },
      headers,
    );
  if (status === 404) return apiErrors.notFound(c);
  if (status === 409)
    return apiError(c, 409, { reason: "duplicate", message: "The requested identifier already exists." });
  if (status === 410) return apiErrors.deleted(c);
  if (status >= 500) return apiError(c, status, { reason: "backendError", message: "Backend Error" }, headers);
  return apiError(c, status, { reason: "badRequest", message: "Bad Request" }, headers);
}

/** RFC 6749 §5.2, as the token endpoint answers. */
export function oauthError(
  c: Context,
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): Response {
  return c.json({ error, error_description: description }, status as ContentfulStatusCode, headers);
}

/** The token endpoint's body for an injected failure with this status (exact 5xx bodies were not verified). */
export function oauthFailure(c: Context, status: number, headers: Record<string, string> = {}): Response {
  if (status === 429) return oauthError(c, 429, "rate_limit_exceeded", "Rate Limit Exceeded", headers);
  if (status === 401) return oauthError(c, 401, "invalid_client", "Unauthorized");
  if (status >= 500) return oauthError(c, status, "internal_failure", "Backend Error", headers);
  return oauthError(c, status, "invalid_request", "Bad Request", headers);
}

/** RFC 3339 in the asked IANA zone, as Google writes times ("2026-11-24T10:00:00+09:00"); UTC ends in Z. */
export function formatInZone(date: Date, timeZone: string | undefined): string {
  const utc = `${date.toISOString().slice(0, 19)}Z`;
  if (!timeZone || timeZone === "UTC" || !isKnownZone(timeZone)) return utc;
  const offset = offsetAt(timeZone, date.getTime());
  // A zone at UTC's offset (London in winter) is written as UTC is.
  if (offset === 0) return utc;
  const minutes = Math.round(Math.abs(offset) / 60_000);
  const sign = offset < 0 ? "-" : "+";
  const pad = (value: number) => String(value).padStart(2, "0");
  const wall = new Date(date.getTime() + offset).toISOString().slice(0, 19);
  return `${wall}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

export function isTimeZone(value: string): boolean {
  return isKnownZone(value);
}
