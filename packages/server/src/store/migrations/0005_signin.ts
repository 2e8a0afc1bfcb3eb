import type { Kysely } from "kysely";

/**
 * Issue 4, item 4 (Sign in with Slack): the organisations' sign-in setting,
 * and the server's own signing keys for the assertions it hands the portals.
 *
 * `server_keys.generation` is unique so that processes starting together
 * agree on one key per generation (the insert of a loser does nothing), and a
 * rotation is "insert generation max + 1". Private keys are sealed by the vault.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("signin_settings")
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("enabled", "integer", (col) => col.notNull())
    .addColumn("updated_by", "text", (col) => col.notNull())
    .addColumn("updated_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("signin_settings_pk", ["host_id", "org_id", "provider"])
    .execute();

  await db.schema
    .createTable("server_keys")
    .addColumn("kid", "text", (col) => col.primaryKey())
    .addColumn("generation", "integer", (col) => col.notNull().unique())
    .addColumn("alg", "text", (col) => col.notNull())
    .addColumn("public_jwk", "text", (col) => col.notNull())
    .addColumn("private_key_id", "text", (col) => col.notNull())
    .addColumn("private_jwk_sealed", "text", (col) => col.notNull())
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("retired_at", "text")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("server_keys").execute();
  await db.schema.dropTable("signin_settings").execute();
}
