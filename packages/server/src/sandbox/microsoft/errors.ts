/**
 * Microsoft's two error shapes. The identity platform answers like RFC 6749
 * plus AADSTS details; Graph wraps errors in `{"error":{code,message,innerError}}`.
 */
import { randomUUID } from "node:crypto";
import type { Context } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Clock } from "../../clock.ts";

/**
 * Token endpoint error: HTTP 400 (401 for a bad client secret) with
 * `error_description` starting "AADSTS<code>: ".
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#error-response-1
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export function aadError(
  c: Context,
  clock: Clock,
  status: ContentfulStatusCode,
  error: string,
  aadsts: number,
  message: string,
): Response {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = clock
    .now()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  return c.json(
    {
      error,
      error_description:
        `AADSTS${aadsts}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ` +
        `${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${new URL(c.req.url).origin}/error?code=${aadsts}`,
    },
    status,
    { "cache-control": "no-store" },
  );
}

/**
 * The sign-in pages show an error page (no redirect) when the redirect URI
 * itself cannot be trusted: unknown client, missing redirect_uri, bad tenant.
 * `aadsts` is left out where the fake knows no code Microsoft would show.
 */
export function aadErrorPage(
  c: Context,
  status: ContentfulStatusCode,
  aadsts: number | undefined,
  message: string,
): Response | Promise<Response> {
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head><meta charset="utf-8" /><title>Microsoft sandbox — sign-in error</title></head>
        <body style="font: 15px/1.5 system-ui, sans-serif; max-width: 560px; margin: 40px auto">
          <h1>Sorry, but we're having trouble signing you in.</h1>
          <p>${aadsts === undefined ? "" : html`<strong>AADSTS${aadsts}</strong>: `}${message}</p>
        </body>
      </html>`,
    status,
  );
}

/**
 * Graph's error envelope. https://learn.microsoft.com/graph/errors
 */
export function graphError(
  c: Context,
  clock: Clock,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  extra: { headers?: Record<string, string>; innerError?: Record<string, string> } = {},
): Response {
  const requestId = randomUUID();
  return c.json(
    {
      error: {
        code,
        message,
        innerError: {
          ...extra.innerError,
          date: clock
            .now()
            .toISOString()
            .replace(/\.\d+Z$/, ""),
          "request-id": requestId,
          "client-request-id": requestId,
        },
      },
    },
    status,
    { "request-id": requestId, "client-request-id": requestId, ...extra.headers },
  );
}

/** Graph codes for an injected failure of a given status, as Graph spells them. */
export function graphCodeFor(status: number): { code: string; message: string } {
  const known: Record<number, { code: string; message: string }> = {
    400: { code: "BadRequest", message: "Bad request." },
    401: { code: "InvalidAuthenticationToken", message: "Access token has expired or is not yet valid." },
    403: { code: "ErrorAccessDenied", message: "Access is denied. Check credentials and try again." },
    404: { code: "ErrorItemNotFound", message: "The specified object was not found in the store." },
    409: {
      code: "ErrorIrresolvableConflict",
      message:
        "The send or update operation could not be performed because the change key passed in the request does not " +
        "match the current change key for the item.",
    },
    500: { code: "generalException", message: "An internal server error occurred." },
    502: { code: "BadGateway", message: "Bad gateway." },
    503: { code: "serviceNotAvailable", message: "The service is temporarily unavailable." },
    504: { code: "UnknownError", message: "Gateway timeout." },
  };
  return (
    known[status] ?? { code: status >= 500 ? "generalException" : "BadRequest", message: `Injected failure ${status}.` }
  );
}
