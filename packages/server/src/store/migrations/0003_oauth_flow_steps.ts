import type { Kysely } from "kysely";

/**
 * Issue 4: an OAuth flow may stop at the provider more than once (Microsoft
 * admin consent, then the admin's own sign-in in that tenant); `step` says
 * which stop the current state belongs to. Null for one-stop flows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("oauth_flows").addColumn("step", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("oauth_flows").dropColumn("step").execute();
}
