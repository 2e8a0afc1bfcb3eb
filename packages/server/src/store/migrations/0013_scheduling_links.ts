import type { Kysely } from "kysely";

/**
 * Candidate scheduling links (issue 11, item 7): the offer (slots, interviewers, candidate, conference), the hash of
 * the link's secret (never the secret), and the candidate's pick: a claim while it is being booked (and how many
 * picks failed before, which makes each try's idempotency key new), then the interview as booked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("scheduling_links")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("host_id", "text", (column) => column.notNull())
    .addColumn("org_id", "text", (column) => column.notNull())
    .addColumn("created_by", "text", (column) => column.notNull())
    .addColumn("secret_hash", "text", (column) => column.notNull().unique())
    .addColumn("offer", "text", (column) => column.notNull())
    .addColumn("interviewers", "text", (column) => column.notNull())
    .addColumn("first_start", "text", (column) => column.notNull())
    .addColumn("last_end", "text", (column) => column.notNull())
    .addColumn("expires_at", "text", (column) => column.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("claimed_start", "text")
    .addColumn("claimed_at", "text")
    .addColumn("failed_picks", "integer", (column) => column.notNull().defaultTo(0))
    .addColumn("interview_id", "text")
    .addColumn("interview", "text")
    .addColumn("booked_at", "text")
    .addColumn("created_at", "text", (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex("scheduling_links_tenant")
    .on("scheduling_links")
    .columns(["host_id", "org_id", "last_end"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("scheduling_links").execute();
}
