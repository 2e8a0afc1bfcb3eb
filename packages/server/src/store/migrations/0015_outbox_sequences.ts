import type { Kysely } from "kysely";

/**
 * Outbox rows that must reach their reader in the order they were written: an
 * interviewer's Slack notices about one interview ("scheduled", then
 * "cancelled"). `sequence_key` names the sequence (null: a row on its own, as
 * every webhook), `sequence_no` the row's place in it, one more than the
 * sequence's last row when written. The worker sends only the first pending
 * row of a sequence (webhooks/delivery.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("webhook_outbox").addColumn("sequence_key", "text").execute();
  await db.schema.alterTable("webhook_outbox").addColumn("sequence_no", "integer").execute();
  await db.schema
    .createIndex("webhook_outbox_sequence")
    .on("webhook_outbox")
    .columns(["sequence_key", "sequence_no"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("webhook_outbox_sequence").execute();
  await db.schema.alterTable("webhook_outbox").dropColumn("sequence_no").execute();
  await db.schema.alterTable("webhook_outbox").dropColumn("sequence_key").execute();
}
