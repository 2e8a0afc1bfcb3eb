import type { Kysely } from "kysely";

/** What the outbox rows read and write here, as they stand at this migration. */
interface OutboxAtThisMigration {
  webhook_outbox: {
    id: string;
    type: string;
    status: string;
    payload: string;
    created_at: string;
    sequence_key: string | null;
    sequence_no: number | null;
  };
}

/**
 * Outbox rows that must reach their reader in the order they were written: an
 * interviewer's Slack notices about one interview ("scheduled", then
 * "cancelled"). `sequence_key` names the sequence (null: a row on its own, as
 * every webhook), `sequence_no` the row's place in it, one more than the
 * sequence's last row when written. The worker sends only the first pending
 * row of a sequence (webhooks/delivery.ts). The interview notices still
 * waiting when this runs are put in their sequences, in the order written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("webhook_outbox").addColumn("sequence_key", "text").execute();
  await db.schema.alterTable("webhook_outbox").addColumn("sequence_no", "integer").execute();
  await db.schema
    .createIndex("webhook_outbox_sequence")
    .on("webhook_outbox")
    .columns(["sequence_key", "sequence_no"])
    .execute();
  await sequencePendingNotices(db as Kysely<OutboxAtThisMigration>);
}

/**
 * The Slack notices about an interview not sent yet get the sequence `notices/slack-queue.ts` gives them when queued
 * (`slack <account> <interview>`, written out here: a migration keeps what it did when it was written), numbered in
 * the order they were written; the portal's own notices and the webhooks stay on their own.
 */
export async function sequencePendingNotices(db: Kysely<OutboxAtThisMigration>): Promise<void> {
  const pending = await db
    .selectFrom("webhook_outbox")
    .select(["id", "payload"])
    .where("type", "=", "notice.slack")
    .where("status", "=", "pending")
    .where("sequence_key", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const last = new Map<string, number>();
  for (const row of pending) {
    const key = interviewNoticeSequence(row.payload);
    if (key === undefined) continue;
    const number = (last.get(key) ?? 0) + 1;
    last.set(key, number);
    await db
      .updateTable("webhook_outbox")
      .set({ sequence_key: key, sequence_no: number })
      .where("id", "=", row.id)
      .execute();
  }
}

function interviewNoticeSequence(payload: string): string | undefined {
  let notice: { accountId?: unknown; about?: { kind?: unknown; interviewId?: unknown } };
  try {
    notice = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const { accountId, about } = notice;
  if (about?.kind !== "interview" || typeof accountId !== "string" || typeof about.interviewId !== "string")
    return undefined;
  return `slack ${accountId} ${about.interviewId}`;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("webhook_outbox_sequence").execute();
  await db.schema.alterTable("webhook_outbox").dropColumn("sequence_no").execute();
  await db.schema.alterTable("webhook_outbox").dropColumn("sequence_key").execute();
}
