import type { Kysely } from "kysely";

/**
 * Issue 9: the OAuth popup's pages speak the starter's language. The host
 * token's `locale` (ja | en) is kept with the flow at start, since the
 * provider's redirect back carries no token; null when the token named none,
 * and for flows started before this column existed (their pages are English).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("oauth_flows").addColumn("locale", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("oauth_flows").dropColumn("locale").execute();
}
