/**
 * Zoom webhooks, as pure functions: signature check, the URL-validation
 * answer, and the events we act on.
 * https://developers.zoom.us/docs/api/webhooks/ ·
 * https://developers.zoom.us/changelog/platform/webhook-validation-and-verification-changes/ ·
 * https://marketplace.zoom.us/docs/guides/auth/deauthorization/
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { ProviderResponseError } from "./errors.ts";

/** Node's IncomingHttpHeaders (lower-case names) or a fetch `Headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface ZoomWebhookCheck {
  headers: WebhookHeaders;
  /** The body exactly as received: re-serialised JSON would not match the signature. */
  rawBody: string;
  secretToken: string;
  now: Date;
}

export type ZoomWebhookVerification =
  | { ok: true }
  | { ok: false; reason: "missing_headers" | "stale_timestamp" | "bad_signature" };

/** Zoom does not state a window; five minutes is the usual replay guard and tolerates clock skew. */
const timestampToleranceMs = 5 * 60_000;

/**
 * `x-zm-signature` must equal "v0=" + hex(HMAC_SHA256(secretToken, "v0:" +
 * x-zm-request-timestamp + ":" + rawBody)); the timestamp is in seconds and
 * must be within five minutes of `now` (either side).
 */
export function verifyZoomWebhook({ headers, rawBody, secretToken, now }: ZoomWebhookCheck): ZoomWebhookVerification {
  const signature = header(headers, "x-zm-signature");
  const timestamp = header(headers, "x-zm-request-timestamp");
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return { ok: false, reason: "missing_headers" };
  if (Math.abs(now.getTime() - Number(timestamp) * 1000) > timestampToleranceMs)
    return { ok: false, reason: "stale_timestamp" };
  const expected = Buffer.from(`v0=${hmacHex(secretToken, `v0:${timestamp}:${rawBody}`)}`);
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; a length mismatch leaks nothing secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "bad_signature" };
  return { ok: true };
}

/** The answer to `endpoint.url_validation`, sent back with HTTP 200 within three seconds. */
export function zoomUrlValidationResponse(
  plainToken: string,
  secretToken: string,
): { plainToken: string; encryptedToken: string } {
  return { plainToken, encryptedToken: hmacHex(secretToken, plainToken) };
}

const envelopeSchema = z.looseObject({ event: z.string(), event_ts: z.number().optional(), payload: z.unknown() });

/** https://developers.zoom.us/changelog/platform/webhook-validation-and-verification-changes/ */
const urlValidationSchema = z.looseObject({ plainToken: z.string().min(1) });

/**
 * https://marketplace.zoom.us/docs/guides/auth/deauthorization/ — `signature`
 * is a legacy field (the old verification-token scheme) and is not checked.
 */
const deauthorizedSchema = z.looseObject({
  account_id: z.string(),
  user_id: z.string(),
  client_id: z.string(),
  deauthorization_time: z.string(),
  user_data_retention: z.union([z.string(), z.boolean()]).optional(),
});

export type ZoomWebhookEvent =
  | { type: "url_validation"; plainToken: string }
  | {
      type: "app_deauthorized";
      accountId: string;
      zoomUserId: string;
      clientId: string;
      deauthorizedAt: Date;
      eventTs: number | undefined;
    }
  | { type: "other"; event: string; payload: unknown };

/** Parses a verified body; a body that breaks its event's documented shape is a ProviderResponseError. */
export function parseZoomWebhookEvent(rawBody: string): ZoomWebhookEvent {
  const envelope = envelopeSchema.safeParse(parseJson(rawBody));
  if (!envelope.success) throw shapeError("envelope", envelope.error);
  const { event, event_ts: eventTs, payload } = envelope.data;
  if (event === "endpoint.url_validation") {
    const parsed = urlValidationSchema.safeParse(payload);
    if (!parsed.success) throw shapeError(event, parsed.error);
    return { type: "url_validation", plainToken: parsed.data.plainToken };
  }
  if (event === "app_deauthorized") {
    const parsed = deauthorizedSchema.safeParse(payload);
    if (!parsed.success) throw shapeError(event, parsed.error);
    const deauthorizedAt = new Date(parsed.data.deauthorization_time);
    if (Number.isNaN(deauthorizedAt.getTime()))
      throw new ProviderResponseError("zoom", 0, `Zoom app_deauthorized carried an unreadable deauthorization_time`);
    return {
      type: "app_deauthorized",
      accountId: parsed.data.account_id,
      zoomUserId: parsed.data.user_id,
      clientId: parsed.data.client_id,
      deauthorizedAt,
      eventTs,
    };
  }
  return { type: "other", event, payload };
}

function hmacHex(secret: string, message: string): string {
  return createHmac("sha256", secret).update(message, "utf8").digest("hex");
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  const value = headers instanceof Headers ? headers.get(name) : headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}

function parseJson(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch (cause) {
    throw new ProviderResponseError("zoom", 0, "Zoom webhook body is not JSON", { cause });
  }
}

function shapeError(what: string, error: z.ZodError): ProviderResponseError {
  const issue = error.issues[0];
  return new ProviderResponseError(
    "zoom",
    0,
    `Zoom webhook ${what} in an unexpected shape: ${issue?.path.join(".")} ${issue?.message}`,
    { cause: error },
  );
}
