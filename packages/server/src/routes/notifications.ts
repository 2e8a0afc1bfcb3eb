/**
 * The portal's own notices to one of its users (mounted under /v1, after
 * tokenAuth; README "Notifications"): a mention, an evaluation to write. The
 * text goes to the user's Slack as a DM from the organisation's Slack app,
 * through the same outbox and worker as the interview notices, so a Slack
 * outage delays it instead of losing it.
 *
 * POST /notifications {userId, text, url?}   202 {id, status:"queued"}; 422 slack_not_linked
 * GET  /notifications/:id                     {id, userId, status, attempts, lastError, createdAt}
 *
 * Admins and recruiters may send (what a portal's backend signs when its own
 * feature notifies someone); assistants and guests may not, so a guest's
 * token cannot message the organisation.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../auth/app-env.ts";
import { requireRole } from "../auth/middleware.ts";
import type { Clock } from "../clock.ts";
import { ApiError, notFound } from "../errors.ts";
import { createdOnce, idempotencyKeyHeader, idempotencyKeyOf, idForKey } from "../http/idempotency-key.ts";
import { jsonBody } from "../http/json-body.ts";
import { documented } from "../openapi/route-doc.ts";
import { escapeMrkdwn } from "../notices/interview-message.ts";
import { findSlackRecipients } from "../notices/recipients.ts";
import { queueSlackNotice, type SlackNoticePayload, slackNoticeType } from "../notices/slack-queue.ts";
import type { DB } from "../store/database.ts";
import { orgScopeOf } from "../store/tenancy.ts";

/** Slack truncates a message's text past 40,000 characters; a notice is a few lines. */
const maxTextLength = 4_000;

const noticeBody = z.strictObject({
  userId: z.string().min(1).max(200),
  text: z.string().trim().min(1).max(maxTextLength),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2_000)
    .optional(),
});

const noticeStatus = z.object({
  id: z.string(),
  userId: z.string(),
  status: z.enum(["queued", "delivered", "failed"]).meta({
    description: "queued until the worker sends it; delivered, or failed with the reason in lastError.",
  }),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});

export function notificationRoutes(deps: { db: DB; clock: Clock }) {
  const { db, clock } = deps;
  return new Hono<AppEnv>()
    .use("/notifications", requireRole("admin", "recruiter"))
    .use("/notifications/*", requireRole("admin", "recruiter"))
    .post(
      "/notifications",
      documented({
        summary: "Sends one of the portal's users a Slack DM from the organisation's Slack app (queued)",
        tag: "notifications",
        answers: { 202: z.object({ id: z.string(), status: z.literal("queued") }) },
        headers: { "Idempotency-Key": idempotencyKeyHeader("sending the message twice") },
        errors: { 422: ["slack_not_linked", "idempotency_key_reused"] },
      }),
      jsonBody(noticeBody, "The body must be {userId, text (1 to 4000 characters), url? (http or https)}"),
      async (c) => {
        const caller = c.get("caller");
        const key = idempotencyKeyOf(c);
        const input = c.req.valid("json");
        const tenant = orgScopeOf(caller);
        // The portal's text is shown as written: escaped so it cannot mention @channel or forge a link. The URL goes as
        // the browser would open it (href): spaces, "<" and ">" percent-encoded, so no <!channel> or <url|label> of
        // its own rides along after a valid start.
        const text = escapeMrkdwn(input.text) + (input.url ? `\n${new URL(input.url).href}` : "");
        // With a key the notice's id is the key's (per portal user): a retry, or the same request sent twice at once,
        // finds the notice queued by the first instead of queuing it again (the id is the outbox row's primary key).
        // Looked for first: what the first request queued is answered however the recipient's Slack link stands now.
        const id = key === undefined ? undefined : `ntc_${idForKey(caller, key)}`;
        if (id !== undefined && (await queuedWithKey(id))) return c.json({ id, status: "queued" }, 202);
        const recipient = (await findSlackRecipients(db, tenant, [input.userId])).get(input.userId);
        if (!recipient)
          throw new ApiError(
            422,
            "slack_not_linked",
            `User ${input.userId} has not linked a Slack account, so no Slack message can reach them: ask them to ` +
              "link Slack in the integration settings.",
          );
        if (recipient.accountStatus !== "active")
          throw new ApiError(
            422,
            "slack_not_linked",
            `User ${input.userId}'s Slack account must be linked again before a Slack message can reach them.`,
          );
        const payload: SlackNoticePayload = {
          userId: input.userId,
          accountId: recipient.accountId,
          text,
          about: { kind: "portal", sentBy: caller.sub },
        };
        if (id === undefined)
          return c.json({ id: await queueSlackNotice(db, clock, tenant, payload), status: "queued" }, 202);
        await createdOnce(
          () => queueSlackNotice(db, clock, tenant, payload, id),
          async () => ((await queuedWithKey(id)) ? id : undefined),
        );
        return c.json({ id, status: "queued" }, 202);

        /**
         * Whether a notice was queued with the key: true when it says what this request does, 422
         * `idempotency_key_reused` when it says something else.
         */
        async function queuedWithKey(noticeId: string): Promise<boolean> {
          const row = await db
            .selectFrom("webhook_outbox")
            .select("payload")
            .where("id", "=", noticeId)
            .where("type", "=", slackNoticeType)
            .where("host_id", "=", tenant.hostId)
            .where("org_id", "=", tenant.orgId)
            .executeTakeFirst();
          if (!row) return false;
          const earlier = JSON.parse(row.payload) as SlackNoticePayload;
          if (earlier.userId === input.userId && earlier.text === text) return true;
          throw new ApiError(
            422,
            "idempotency_key_reused",
            "This Idempotency-Key was used with another message: use a new key for a new message.",
          );
        }
      },
    )
    .get(
      "/notifications/:id",
      documented({
        summary: "Where a notification stands",
        tag: "notifications",
        answers: { 200: noticeStatus },
        errors: { 404: ["notification_not_found"] },
      }),
      async (c) => {
        const tenant = orgScopeOf(c.get("caller"));
        const row = await db
          .selectFrom("webhook_outbox")
          .select(["id", "payload", "status", "attempts", "last_error", "created_at"])
          .where("id", "=", c.req.param("id"))
          .where("type", "=", slackNoticeType)
          .where("host_id", "=", tenant.hostId)
          .where("org_id", "=", tenant.orgId)
          .executeTakeFirst();
        if (!row) throw notFound("notification_not_found", "No such notification in this organisation.");
        const payload = JSON.parse(row.payload) as SlackNoticePayload;
        return c.json({
          id: row.id,
          userId: payload.userId,
          // `pending` until the worker sends it; `delivered`, or `failed` with the reason in lastError.
          status: row.status === "pending" ? "queued" : row.status,
          attempts: row.attempts,
          lastError: row.last_error,
          createdAt: row.created_at,
        });
      },
    );
}
