import type { Kysely } from "kysely";

/**
 * Issue 7 (linking CSRF): begin is a POST from the embedding page carrying a
 * one-time secret that only the start caller's script received (README,
 * "Why begin is a POST"). Only its SHA-256 is kept; null for flows started
 * before this column existed, which therefore cannot be begun.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("oauth_flows").addColumn("begin_hash", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("oauth_flows").dropColumn("begin_hash").execute();
}
