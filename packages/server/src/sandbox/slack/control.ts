/**
 * The Slack fake's own control extras, beside the shared ones:
 *   POST /_control/rotation {enabled}  turns the app's token rotation setting on or off
 *   GET  /_control/messages            what chat.postMessage received (optional ?channel=, ?teamId=)
 *   POST /_control/events {type, teamId, userIds?}
 *        revokes tokens as Slack would and delivers the signed Events API callback(s)
 *        (tokens_revoked; app_uninstalled sends tokens_revoked then app_uninstalled) to context.webhookUrl.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { FakeContext } from "../fake.ts";
import { findTeam, slackAppId } from "./seed.ts";
import type { SlackFakeState } from "./state.ts";

const bodies = {
  rotation: z.object({ enabled: z.boolean() }),
  events: z.object({
    type: z.enum(["tokens_revoked", "app_uninstalled"]),
    teamId: z.string(),
    userIds: z.array(z.string()).min(1).optional(),
  }),
};

/** The legacy verification token Slack still puts in every envelope (signatures replaced it). */
const verificationToken = randomBytes(12).toString("base64url");

export function controlRoutes(app: Hono, context: FakeContext, state: SlackFakeState): void {
  app.post("/_control/rotation", async (c) => {
    const body = await parse(c, bodies.rotation);
    if (body instanceof Response) return body;
    state.rotation = body.enabled;
    return c.json({ ok: true, rotation: state.rotation });
  });

  app.get("/_control/messages", (c) => {
    const { channel, teamId } = c.req.query();
    return c.json({
      messages: state.messages.filter(
        (message) => (!channel || message.channel === channel) && (!teamId || message.teamId === teamId),
      ),
    });
  });

  app.post("/_control/events", async (c) => {
    const body = await parse(c, bodies.events);
    if (body instanceof Response) return body;
    const team = findTeam(body.teamId);
    if (!team) return c.json({ error: { code: "unknown_team", message: `no sandbox workspace ${body.teamId}` } }, 400);
    if (!context.webhookUrl)
      return c.json({ error: { code: "no_webhook_url", message: "this fake was started without a webhook URL" } }, 409);
    const userIds = body.type === "tokens_revoked" ? body.userIds : undefined;
    const dying = state
      .liveGrants(team.id)
      .filter((grant) => !userIds || (grant.kind === "user" && userIds.includes(grant.userId)));
    const revoked = state.revokeWhere(
      (grant) => grant.teamId === team.id && (!userIds || (grant.kind === "user" && userIds.includes(grant.userId))),
    );
    const tokens = {
      oauth: unique(userIds ?? dying.filter((grant) => grant.kind === "user").map((grant) => grant.userId)),
      bot: unique(dying.filter((grant) => grant.kind === "bot").map((grant) => grant.userId)),
    };
    const events: Array<Record<string, unknown>> = [{ type: "tokens_revoked", tokens }];
    if (body.type === "app_uninstalled") events.push({ type: "app_uninstalled" });
    const deliveries = [];
    for (const event of events) deliveries.push(await deliver(context, team.id, event));
    return c.json({ ok: true, revoked, deliveries });
  });
}

/** POSTs one Events API envelope, signed as https://docs.slack.dev/authentication/verifying-requests-from-slack
 * describes. */
async function deliver(
  context: FakeContext,
  teamId: string,
  event: Record<string, unknown>,
): Promise<{ eventId: string; type: unknown; status: number; error?: string }> {
  const eventTime = Math.floor(context.clock.now().getTime() / 1000);
  const eventId = `Ev0${randomBytes(6).toString("hex").toUpperCase()}`;
  const rawBody = JSON.stringify({
    token: verificationToken,
    team_id: teamId,
    api_app_id: slackAppId,
    event: { ...event, event_ts: `${eventTime}.000000` },
    type: "event_callback",
    event_id: eventId,
    event_time: eventTime,
  });
  const timestamp = String(eventTime);
  const signature = `v0=${createHmac("sha256", context.webhookSecret)
    .update(`v0:${timestamp}:${rawBody}`)
    .digest("hex")}`;
  try {
    const response = await fetch(context.webhookUrl ?? "", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-slack-request-timestamp": timestamp,
        "x-slack-signature": signature,
        "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
      },
      body: rawBody,
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    return { eventId, type: event.type, status: response.status };
  } catch (error) {
    return { eventId, type: event.type, status: 0, error: (error as Error).message };
  }
}

async function parse<T>(c: Context, schema: z.ZodType<T>): Promise<T | Response> {
  const result = schema.safeParse(await c.req.json().catch(() => undefined));
  if (result.success) return result.data;
  return c.json(
    {
      error: {
        code: "invalid_control_request",
        message: result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
      },
    },
    400,
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
