/**
 * How a Google call fails and when it is sent again. googleapis throws
 * GaxiosErrors carrying Google's JSON error envelope; the token endpoint
 * answers in the OAuth shape instead. Both become `ProviderError`s whose
 * `code` is Google's own `reason` (or OAuth `error`), and every call goes
 * through the one retry loop of ../http.ts (gaxios' own retries are switched
 * off: they wait on real timers and ignore 403 rate limits).
 * https://developers.google.com/workspace/calendar/api/guides/errors
 */
import { InvalidGrantError, ProviderError } from "../errors.ts";
import { type CallKind, type HttpDeps, withRetries } from "../http.ts";
import { parseRetryAfter } from "../retry-after.ts";
import { apiErrorEnvelopeSchema, tokenErrorSchema } from "./schemas.ts";

/** Google asks for exponential backoff on these reasons, which come with 403 as well as 429 (same doc). */
const rateLimitReasons = new Set(["rateLimitExceeded", "userRateLimitExceeded"]);

/**
 * A googleapis call (or a token call) through the one retry loop, with
 * Google's errors and rate-limit signals. A createEvent is `safe`: it carries
 * its own event id, so a repeat is recognised (api.ts).
 */
export function googleCall<T>(
  deps: HttpDeps,
  kind: CallKind,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  return withRetries(deps, kind, attempt, {
    // Anything but a provider or HTTP failure is a bug of ours: let it surface as it is.
    toError: (caught) => (isGaxiosError(caught) ? toProviderError(caught, deps.clock.now()) : undefined),
    isRateLimited,
  });
}

export function isRateLimited(error: ProviderError): boolean {
  return error.status === 429 || (error.status === 403 && rateLimitReasons.has(error.code));
}

/** Anything a googleapis call threw, as a `ProviderError`. */
export function toProviderError(error: unknown, now: Date): ProviderError {
  if (error instanceof ProviderError) return error;
  const response = gaxiosResponse(error);
  if (!response)
    return new ProviderError("google", 0, "network_error", "Google could not be reached", { cause: error });
  return apiError(
    response.status,
    response.data,
    parseRetryAfter(readHeader(response.headers, "retry-after"), now),
    error,
  );
}

/** A Google API error envelope as a `ProviderError`; 401 `authError` becomes `unauthorized`: the caller refreshes and
 * calls again. */
export function apiError(
  status: number,
  body: unknown,
  retryAfterMs: number | undefined,
  cause?: unknown,
): ProviderError {
  const envelope = apiErrorEnvelopeSchema.safeParse(body);
  const reason = envelope.success ? (envelope.data.error.errors?.[0]?.reason ?? envelope.data.error.status) : undefined;
  const message = envelope.success ? envelope.data.error.message : `Google answered HTTP ${status}`;
  const options = { cause, retryAfterMs };
  if (status === 401) return new ProviderError("google", 401, "unauthorized", message, options);
  return new ProviderError("google", status, reason ?? `http_${status}`, message, options);
}

/**
 * The token and revoke endpoints' RFC 6749 errors. `invalid_grant` means the code or the grant is dead
 * (observed: "Token has been expired or revoked.", https://github.com/dolfim/django-gmailapi-backend/issues/9).
 */
export function tokenEndpointError(status: number, body: unknown): ProviderError {
  const parsed = tokenErrorSchema.safeParse(body);
  if (!parsed.success) return apiError(status, body, undefined);
  const message = parsed.data.error_description ?? parsed.data.error;
  if (parsed.data.error === "invalid_grant") return new InvalidGrantError("google", status, message);
  return new ProviderError("google", status, parsed.data.error, message);
}

interface GaxiosResponseLike {
  status: number;
  data?: unknown;
  headers?: Headers | Record<string, string>;
}

/** GaxiosError is checked by shape: googleapis and google-auth-library load different gaxios copies. */
export function isGaxiosError(error: unknown): boolean {
  return error instanceof Error && "config" in error;
}

function gaxiosResponse(error: unknown): GaxiosResponseLike | undefined {
  if (!isGaxiosError(error) || !("response" in (error as object))) return undefined;
  const response = (error as { response?: unknown }).response;
  if (
    typeof response !== "object" ||
    response === null ||
    typeof (response as { status?: unknown }).status !== "number"
  )
    return undefined;
  return response as GaxiosResponseLike;
}

function readHeader(headers: GaxiosResponseLike["headers"], name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  return headers[name];
}
