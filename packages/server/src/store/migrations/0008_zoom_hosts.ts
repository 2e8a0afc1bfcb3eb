import type { Kysely } from "kysely";

/**
 * Issue 10 (Zoom hosts without overlaps): holds and the organisation's Zoom
 * host settings.
 *
 * A hold is a Zoom user kept for a half-open interval [starts_at, ends_at).
 * Until a meeting confirms it (`meeting_id`), it lapses by itself at
 * `expires_at`: every reader ignores a row whose expiry has passed, so no
 * sweeper has to run for the limit to be right. Holds are written one Zoom
 * user at a time under a lock (zoom-hosts/holds.ts), which is what keeps the
 * count of overlapping holds within the Zoom user's limit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("zoom_holds")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("zoom_user_id", "text", (col) => col.notNull())
    .addColumn("starts_at", "text", (col) => col.notNull())
    .addColumn("ends_at", "text", (col) => col.notNull())
    /** Null once a meeting confirmed the hold. */
    .addColumn("expires_at", "text")
    /** The Zoom meeting that confirmed the hold; Zoom's own list then names it too, and it is counted once. */
    .addColumn("meeting_id", "text")
    .addColumn("created_by", "text", (col) => col.notNull())
    .addColumn("created_at", "text", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("zoom_holds_user_time")
    .on("zoom_holds")
    .columns(["host_id", "org_id", "zoom_user_id", "ends_at"])
    .execute();

  await db.schema
    .createTable("zoom_host_settings")
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    /** The Zoom account's plan (basic | pro | business | education | enterprise); null: not set. */
    .addColumn("plan", "text")
    /** JSON text: {zoomUserId: limit}, the admin's overrides. */
    .addColumn("limits", "text", (col) => col.notNull())
    .addColumn("updated_by", "text", (col) => col.notNull())
    .addColumn("updated_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("zoom_host_settings_pk", ["host_id", "org_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("zoom_host_settings").execute();
  await db.schema.dropTable("zoom_holds").execute();
}
