/**
 * Slack's Events API, as pure helpers: request signature verification and the
 * envelopes we act on (URL verification, revoked tokens, uninstall).
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 * https://docs.slack.dev/apis/events-api/
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** Slack's advice: refuse requests whose timestamp is more than five minutes away, against replays. */
export const slackSignatureWindowSeconds = 5 * 60;

export type SlackHeaders = Headers | Record<string, string | string[] | undefined>;

export type SlackSignatureCheck =
  | { ok: true }
  | { ok: false; reason: "missing_headers" | "stale_timestamp" | "bad_signature" };

/**
 * `X-Slack-Signature` = "v0=" + hex(HMAC-SHA256(signing secret, "v0:" + X-Slack-Request-Timestamp + ":" + raw body)).
 * `rawBody` must be the bytes as received: a re-serialised JSON body will not match.
 */
export function verifySlackSignature(input: {
  headers: SlackHeaders;
  rawBody: string;
  signingSecret: string;
  now: Date;
}): SlackSignatureCheck {
  const signature = header(input.headers, "x-slack-signature");
  const timestamp = header(input.headers, "x-slack-request-timestamp");
  if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return { ok: false, reason: "missing_headers" };
  if (Math.abs(input.now.getTime() / 1000 - Number(timestamp)) > slackSignatureWindowSeconds)
    return { ok: false, reason: "stale_timestamp" };
  const expected = Buffer.from(slackSignature(input.signingSecret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; a length mismatch is a mismatch anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "bad_signature" };
  return { ok: true };
}

function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}

function header(headers: SlackHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(entry) ? entry[0] : entry;
}

/** https://docs.slack.dev/reference/events/url_verification: answer with the challenge. */
const urlVerification = z.looseObject({
  type: z.literal("url_verification"),
  challenge: z.string(),
  token: z.string().optional(),
});

/** https://docs.slack.dev/reference/events/tokens_revoked: user ids whose user (`oauth`) or bot tokens died. */
const tokensRevokedEvent = z.looseObject({
  type: z.literal("tokens_revoked"),
  tokens: z.looseObject({ oauth: z.array(z.string()).default([]), bot: z.array(z.string()).default([]) }),
});

/** https://docs.slack.dev/reference/events/app_uninstalled: every token of the workspace is gone. */
const appUninstalledEvent = z.looseObject({ type: z.literal("app_uninstalled") });

/** Any other subscribed event, kept so the route can acknowledge it. */
const otherEvent = z.looseObject({
  type: z.string().refine((type) => type !== "tokens_revoked" && type !== "app_uninstalled", "malformed event"),
});

const eventCallback = z.looseObject({
  type: z.literal("event_callback"),
  team_id: z.string(),
  api_app_id: z.string().optional(),
  enterprise_id: z.string().optional(),
  event_id: z.string(),
  event_time: z.number(),
  event: z.union([tokensRevokedEvent, appUninstalledEvent, otherEvent]),
});

/** https://docs.slack.dev/apis/events-api/#rate-limiting */
const appRateLimited = z.looseObject({
  type: z.literal("app_rate_limited"),
  team_id: z.string(),
  minute_rate_limited: z.number(),
});

export const slackEventEnvelopeSchema = z.discriminatedUnion("type", [urlVerification, eventCallback, appRateLimited]);
export type SlackEventEnvelope = z.infer<typeof slackEventEnvelopeSchema>;
