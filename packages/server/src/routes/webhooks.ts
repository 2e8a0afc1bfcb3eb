/**
 * Webhooks the providers send us (no host token: the provider's signature
 * over the raw body is the authentication).
 *
 * POST /webhooks/zoom   endpoint.url_validation, app_deauthorized (x-zm-signature, secret token)
 * POST /webhooks/slack  url_verification, event_callback tokens_revoked / app_uninstalled (X-Slack-Signature, signing
 * secret)
 *
 * A bad or stale signature is 401 `webhook_signature`; a provider without a
 * configured secret answers 404 `webhook_not_configured`; a signed body that
 * breaks its documented shape is 400 `webhook_malformed`; events we do not act
 * on are acknowledged with 200 `{ok:true, ignored:true}`, as the providers
 * expect (they disable endpoints that keep failing).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import type { Logger } from "../log.ts";
import { ProviderResponseError } from "../providers/errors.ts";
import type { ProviderSettings } from "../providers/settings.ts";
import { slackEventEnvelopeSchema, verifySlackSignature } from "../providers/slack-events.ts";
import {
  parseZoomWebhookEvent,
  verifyZoomWebhook,
  type ZoomWebhookEvent,
  zoomUrlValidationResponse,
} from "../providers/zoom-webhook.ts";
import type { DB } from "../store/database.ts";
import { applySlackRevocation, type SlackRevocation } from "../inbound/slack.ts";
import { applyZoomDeauthorization, type InboundResult } from "../inbound/zoom.ts";

export interface WebhookRouteDeps {
  db: DB;
  clock: Clock;
  logger: Logger;
  providers: ProviderSettings;
}

export function webhookRoutes(deps: WebhookRouteDeps) {
  const { clock, logger } = deps;

  return new Hono<AppEnv>()
    .post("/webhooks/zoom", async (c) => {
      const secretToken = deps.providers.zoom?.webhookSecret;
      if (!secretToken) throw notConfigured("Zoom", "TSUNAGU_ZOOM_WEBHOOK_SECRET");
      const rawBody = await c.req.text();
      const check = verifyZoomWebhook({ headers: c.req.raw.headers, rawBody, secretToken, now: clock.now() });
      if (!check.ok) throw badSignature("Zoom", check.reason);
      const event = parseOrRefuse(() => parseZoomWebhookEvent(rawBody));
      if (event.type === "url_validation") return c.json(zoomUrlValidationResponse(event.plainToken, secretToken));
      if (event.type === "other") return c.json({ ok: true, ignored: true });
      const result = await applyZoomDeauthorization(deps, {
        zoomUserId: event.zoomUserId,
        eventId: zoomEventId(event),
      });
      logResult(logger, "zoom", "app_deauthorized", result);
      return c.json({ ok: true, duplicate: result.duplicate });
    })
    .post("/webhooks/slack", async (c) => {
      const signingSecret = deps.providers.slack?.signingSecret;
      if (!signingSecret) throw notConfigured("Slack", "TSUNAGU_SLACK_SIGNING_SECRET");
      const rawBody = await c.req.text();
      const check = verifySlackSignature({ headers: c.req.raw.headers, rawBody, signingSecret, now: clock.now() });
      if (!check.ok) throw badSignature("Slack", check.reason);
      const json = parseOrRefuse(() => JSON.parse(rawBody) as unknown);
      // Envelope types we do not know (Slack adds them) are acknowledged, not refused.
      if (!knownEnvelope.safeParse(json).success) return c.json({ ok: true, ignored: true });
      const parsed = slackEventEnvelopeSchema.safeParse(json);
      if (!parsed.success)
        throw malformed(
          `Slack ${String((json as { type?: unknown }).type)} envelope: ` +
            `${parsed.error.issues[0]?.message ?? "unexpected shape"}`,
        );
      const envelope = parsed.data;
      if (envelope.type === "url_verification") return c.json({ challenge: envelope.challenge });
      if (envelope.type === "app_rate_limited") {
        logger.warn("Slack is rate limiting our event subscriptions", {
          team: envelope.team_id,
          minute: envelope.minute_rate_limited,
        });
        return c.json({ ok: true, ignored: true });
      }
      const revocation = slackRevocation(envelope.event_id, envelope.team_id, envelope.event);
      if (!revocation) return c.json({ ok: true, ignored: true });
      const result = await applySlackRevocation(deps, revocation);
      logResult(logger, "slack", revocation.type, result);
      return c.json({ ok: true, duplicate: result.duplicate });
    });
}

const knownEnvelope = z.looseObject({ type: z.enum(["url_verification", "event_callback", "app_rate_limited"]) });
const tokensRevoked = z.looseObject({
  type: z.literal("tokens_revoked"),
  tokens: z.looseObject({ oauth: z.array(z.string()).default([]), bot: z.array(z.string()).default([]) }),
});

function slackRevocation(eventId: string, teamId: string, event: { type: string }): SlackRevocation | undefined {
  if (event.type === "app_uninstalled") return { type: "app_uninstalled", eventId, teamId };
  const revoked = tokensRevoked.safeParse(event);
  if (!revoked.success) return undefined;
  return {
    type: "tokens_revoked",
    eventId,
    teamId,
    userIds: revoked.data.tokens.oauth,
    botUserIds: revoked.data.tokens.bot,
  };
}

/** What a Zoom retry repeats unchanged: the user, and when Zoom says the deauthorisation happened. */
function zoomEventId(event: Extract<ZoomWebhookEvent, { type: "app_deauthorized" }>): string {
  return (
    `app_deauthorized:${event.accountId}:${event.zoomUserId}:` +
    `${event.eventTs ?? event.deauthorizedAt.toISOString()}`
  );
}

function parseOrRefuse<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ProviderResponseError || error instanceof SyntaxError) throw malformed(error.message, error);
    throw error;
  }
}

function logResult(logger: Logger, provider: string, event: string, result: InboundResult): void {
  if (result.duplicate) logger.info("provider webhook already handled; ignored", { provider, event });
  else
    logger.info("provider webhook applied", {
      provider,
      event,
      revokedAccounts: result.revoked.accounts.length,
      revokedConnections: result.revoked.connections.length,
    });
}

const notConfigured = (provider: string, variable: string) =>
  new ApiError(404, "webhook_not_configured", `${provider} webhooks are not configured on this server (${variable}).`);
const badSignature = (provider: string, reason: string) =>
  new ApiError(401, "webhook_signature", `The ${provider} webhook signature did not verify (${reason}).`);
const malformed = (message: string, cause?: unknown) => new ApiError(400, "webhook_malformed", message, { cause });
