/**
 * Slack notices wait in the outbox beside the portal's webhooks (rows of type
 * `notice.slack`), written in the transaction of the change they tell of, and
 * are sent by the same worker with the same claims, retries and pruning
 * (webhooks/delivery.ts, ./slack-sender.ts). The text is written when the
 * row is queued, so it says what was true then in the reader's language.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { insertOutboxRow } from "../webhooks/outbox.ts";

export const slackNoticeType = "notice.slack";

/** The row's payload: whom to write to and what. No tokens: the sender reads the workspace's bot token itself. */
export interface SlackNoticePayload {
  userId: string;
  accountId: string;
  /** Slack mrkdwn, already escaped. */
  text: string;
  /** What the notice is about: an interview change, or the portal's own notice (`POST /v1/notifications`). */
  about: { kind: "interview"; interviewId: string; change: string } | { kind: "portal"; sentBy: string };
}

/** `id`: the notice's own (`ntc_` and an Idempotency-Key's `idForKey`); a new one when absent. Throws when a row has
 * that id already. */
export async function queueSlackNotice(
  db: DB,
  clock: Clock,
  tenant: OrgScope,
  payload: SlackNoticePayload,
  id = `ntc_${randomUUID()}`,
): Promise<string> {
  await insertOutboxRow(db, {
    id,
    hostId: tenant.hostId,
    orgId: tenant.orgId,
    type: slackNoticeType,
    payload,
    createdAt: clock.now().toISOString(),
    // An interviewer reads the notices about one interview in the order they were written; others come as they go.
    ...(payload.about.kind === "interview" && {
      sequenceKey: `slack ${payload.accountId} ${payload.about.interviewId}`,
    }),
  });
  return id;
}
