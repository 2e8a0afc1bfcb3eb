import type { Kysely } from "kysely";

/**
 * Issue 4: OAuth flows in progress, organisation connections, personal
 * accounts, and the refresh leases that keep one token refresh per credential
 * across server processes. Booleans are integers (0/1) so both dialects agree.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("oauth_flows")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("user_email", "text", (col) => col.notNull())
    .addColumn("user_role", "text", (col) => col.notNull())
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("purpose", "text", (col) => col.notNull())
    .addColumn("embed_origin", "text", (col) => col.notNull())
    .addColumn("return_mode", "text", (col) => col.notNull())
    .addColumn("return_url", "text")
    .addColumn("code_verifier_key_id", "text")
    .addColumn("code_verifier_sealed", "text")
    .addColumn("state_hash", "text", (col) => col.unique())
    .addColumn("browser_hash", "text")
    .addColumn("nonce", "text")
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("error_code", "text")
    .addColumn("error_message", "text")
    .addColumn("result_id", "text")
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("expires_at", "text", (col) => col.notNull())
    .addColumn("started_at", "text")
    .addColumn("callback_at", "text")
    .addColumn("finished_at", "text")
    .execute();
  await db.schema.createIndex("oauth_flows_expiry").on("oauth_flows").column("expires_at").execute();

  await db.schema
    .createTable("connections")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("external_id", "text", (col) => col.notNull())
    .addColumn("display_name", "text", (col) => col.notNull())
    .addColumn("detail", "text")
    .addColumn("credential_id", "text")
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("status_reason", "text")
    .addColumn("connected_by", "text", (col) => col.notNull())
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("updated_at", "text", (col) => col.notNull())
    .addUniqueConstraint("connections_tenant_provider", ["host_id", "org_id", "provider"])
    .execute();
  await db.schema.createIndex("connections_external").on("connections").columns(["provider", "external_id"]).execute();

  await db.schema
    .createTable("accounts")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("external_user_id", "text", (col) => col.notNull())
    .addColumn("external_account_id", "text", (col) => col.notNull())
    .addColumn("email", "text")
    .addColumn("display_name", "text", (col) => col.notNull())
    .addColumn("detail", "text")
    .addColumn("credential_id", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("status_reason", "text")
    .addColumn("is_default", "integer", (col) => col.notNull())
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("updated_at", "text", (col) => col.notNull())
    .addUniqueConstraint("accounts_tenant_user_identity", [
      "host_id",
      "org_id",
      "user_id",
      "provider",
      "external_user_id",
    ])
    .execute();
  // Webhooks (Zoom app_deauthorized, Slack tokens_revoked) find accounts by the provider's user id.
  await db.schema
    .createIndex("accounts_external_user")
    .on("accounts")
    .columns(["provider", "external_user_id"])
    .execute();
  await db.schema.createIndex("accounts_credential").on("accounts").column("credential_id").execute();

  await db.schema
    .createTable("token_refresh_leases")
    .addColumn("credential_id", "text", (col) => col.primaryKey())
    .addColumn("holder", "text", (col) => col.notNull())
    .addColumn("expires_at", "text", (col) => col.notNull())
    /** Set when the last refresh failed for a transient reason: callers fail fast until expires_at. */
    .addColumn("failure", "text")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["token_refresh_leases", "accounts", "connections", "oauth_flows"]) {
    await db.schema.dropTable(table).execute();
  }
}
