import type { Kysely } from "kysely";

/**
 * Issue 7, item 2 (simultaneous links of one identity): when the provider
 * answered the code exchange that produced a credential, in microseconds
 * since the epoch. Links of one provider identity that complete together
 * keep the newest grant (Zoom ends a user's earlier grants when they
 * authorise again), whatever order their transactions commit in. Null for
 * credentials stored before this column: they count as the oldest.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("credentials").addColumn("granted_at", "bigint").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("credentials").dropColumn("granted_at").execute();
}
