import type { Kysely } from "kysely";

/**
 * When the host token whose profile the users row holds was issued (its `iat`, seconds): a row is rewritten only by
 * a token issued no earlier, so that a page still holding a token from before the portal demoted its user (valid up
 * to an hour) cannot write the old role back over the new one, on any server process. An organisation flow's
 * callback reads the role from this row (oauth/complete-flow.ts). Null for rows written before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").addColumn("profile_issued_at", "integer").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("profile_issued_at").execute();
}
