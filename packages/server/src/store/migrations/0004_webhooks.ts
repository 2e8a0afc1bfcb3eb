import type { Kysely } from "kysely";

/**
 * Issue 4, item 6: the outbox of signed webhooks to the portals, the provider
 * webhook deliveries already handled (Slack and Zoom retry), and which
 * provider user an organisation connection's grant belongs to (Zoom's
 * app_deauthorized names a user; the admin's own account that shares the
 * connection's tokens may have been unlinked since).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("webhook_outbox")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("type", "text", (col) => col.notNull())
    /** The JSON body exactly as it is sent (and signed). */
    .addColumn("payload", "text", (col) => col.notNull())
    /** pending | delivered | failed | skipped */
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("attempts", "integer", (col) => col.notNull())
    .addColumn("next_attempt_at", "text", (col) => col.notNull())
    /** A delivery in progress: which worker, and until when its claim holds. */
    .addColumn("locked_by", "text")
    .addColumn("locked_until", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("finished_at", "text")
    .execute();
  await db.schema
    .createIndex("webhook_outbox_due")
    .on("webhook_outbox")
    .columns(["status", "next_attempt_at"])
    .execute();
  await db.schema.createIndex("webhook_outbox_finished").on("webhook_outbox").column("finished_at").execute();

  await db.schema
    .createTable("webhook_receipts")
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("event_id", "text", (col) => col.notNull())
    .addColumn("received_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("webhook_receipts_pk", ["provider", "event_id"])
    .execute();
  await db.schema.createIndex("webhook_receipts_age").on("webhook_receipts").column("received_at").execute();

  await db.schema.alterTable("connections").addColumn("grant_user_id", "text").execute();
  await db.schema
    .createIndex("connections_grant_user")
    .on("connections")
    .columns(["provider", "grant_user_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("connections_grant_user").execute();
  await db.schema.alterTable("connections").dropColumn("grant_user_id").execute();
  await db.schema.dropTable("webhook_receipts").execute();
  await db.schema.dropTable("webhook_outbox").execute();
}
