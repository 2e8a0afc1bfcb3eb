import type { Kysely } from "kysely";

/**
 * Issue 16: an organisation's language (ja | en), which decides whether
 * Japan's national holidays are days off until an admin says otherwise. Set
 * by an admin through PUT /v1/days-off, or recorded from the first admin
 * token that names a locale; null until either happens (organisations seen
 * before this column existed get theirs from their next admin).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("organisations").addColumn("locale", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("organisations").dropColumn("locale").execute();
}
