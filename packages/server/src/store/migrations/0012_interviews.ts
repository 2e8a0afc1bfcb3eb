import type { Kysely } from "kysely";

/**
 * Interviews (issue 11, items 2–4): the saga's durable record and the
 * Idempotency-Key of each booking. The record is written before every
 * provider call (`step` says which call is under way, and the ids chosen in
 * advance), so a restart can finish or undo whatever was left half-way; the
 * lease says which process is working on it now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("interviews")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("host_id", "text", (column) => column.notNull())
    .addColumn("org_id", "text", (column) => column.notNull())
    .addColumn("organiser_user_id", "text", (column) => column.notNull())
    .addColumn("status", "text", (column) => column.notNull())
    .addColumn("step", "text")
    .addColumn("title", "text", (column) => column.notNull())
    .addColumn("description", "text")
    .addColumn("starts_at", "text", (column) => column.notNull())
    .addColumn("ends_at", "text", (column) => column.notNull())
    .addColumn("time_zone", "text", (column) => column.notNull())
    .addColumn("interviewers", "text", (column) => column.notNull())
    .addColumn("candidate", "text", (column) => column.notNull())
    .addColumn("conference", "text")
    .addColumn("calendar_provider", "text", (column) => column.notNull())
    .addColumn("calendar_account_id", "text", (column) => column.notNull())
    .addColumn("event_id", "text")
    .addColumn("event_web_link", "text")
    .addColumn("event_created", "integer", (column) => column.notNull().defaultTo(0))
    .addColumn("join_url", "text")
    .addColumn("zoom_host_user_id", "text")
    .addColumn("zoom_hold_id", "text")
    .addColumn("zoom_meeting_id", "text")
    .addColumn("zoom_join_url", "text")
    .addColumn("zoom_passcode", "text")
    .addColumn("pending", "text")
    .addColumn("drift", "text", (column) => column.notNull().defaultTo("[]"))
    .addColumn("failure", "text")
    .addColumn("lease_holder", "text")
    .addColumn("lease_expires_at", "text")
    .addColumn("created_by", "text", (column) => column.notNull())
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("updated_at", "text", (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex("interviews_org_start")
    .on("interviews")
    .columns(["host_id", "org_id", "starts_at"])
    .execute();
  await db.schema
    .createIndex("interviews_unsettled")
    .on("interviews")
    .columns(["status", "lease_expires_at"])
    .execute();

  await db.schema
    .createTable("interview_idempotency_keys")
    .addColumn("host_id", "text", (column) => column.notNull())
    .addColumn("org_id", "text", (column) => column.notNull())
    .addColumn("user_id", "text", (column) => column.notNull())
    .addColumn("key", "text", (column) => column.notNull())
    .addColumn("request_hash", "text", (column) => column.notNull())
    .addColumn("interview_id", "text", (column) => column.notNull())
    .addColumn("response_status", "integer")
    .addColumn("response_body", "text")
    .addColumn("created_at", "text", (column) => column.notNull())
    .addPrimaryKeyConstraint("interview_idempotency_keys_pk", ["host_id", "org_id", "user_id", "key"])
    .execute();

  await db.schema
    .createTable("interview_settings")
    .addColumn("host_id", "text", (column) => column.notNull())
    .addColumn("org_id", "text", (column) => column.notNull())
    .addColumn("waiting_room", "integer", (column) => column.notNull())
    .addColumn("updated_by", "text", (column) => column.notNull())
    .addColumn("updated_at", "text", (column) => column.notNull())
    .addPrimaryKeyConstraint("interview_settings_pk", ["host_id", "org_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("interview_settings").execute();
  await db.schema.dropTable("interview_idempotency_keys").execute();
  await db.schema.dropTable("interviews").execute();
}
