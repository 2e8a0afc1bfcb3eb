import type { Kysely } from "kysely";
import { isPostgres } from "../dialect.ts";

/** Hosts, organisations, users, the audit log and sealed credentials. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("hosts")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("updated_at", "text", (col) => col.notNull())
    .execute();

  await db.schema
    .createTable("organisations")
    .addColumn("host_id", "text", (col) => col.notNull().references("hosts.id").onDelete("cascade"))
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("created_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("organisations_pk", ["host_id", "org_id"])
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("email", "text", (col) => col.notNull())
    .addColumn("name", "text")
    .addColumn("role", "text", (col) => col.notNull())
    .addColumn("locale", "text")
    .addColumn("time_zone", "text")
    .addColumn("first_seen_at", "text", (col) => col.notNull())
    .addColumn("last_seen_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("users_pk", ["host_id", "org_id", "user_id"])
    .addForeignKeyConstraint("users_org_fk", ["host_id", "org_id"], "organisations", ["host_id", "org_id"], (fk) =>
      fk.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", isPostgres(db) ? "bigserial" : "integer", (col) =>
      isPostgres(db) ? col.primaryKey() : col.primaryKey().autoIncrement(),
    )
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("actor_user_id", "text")
    .addColumn("action", "text", (col) => col.notNull())
    .addColumn("target", "text")
    .addColumn("detail", "text")
    .addColumn("created_at", "text", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("audit_log_tenant")
    .on("audit_log")
    .columns(["host_id", "org_id", "created_at"])
    .execute();

  await db.schema
    .createTable("credentials")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("key_id", "text", (col) => col.notNull())
    .addColumn("ciphertext", "text", (col) => col.notNull())
    .addColumn("version", "integer", (col) => col.notNull())
    .addColumn("created_at", "text", (col) => col.notNull())
    .addColumn("updated_at", "text", (col) => col.notNull())
    .execute();
  await db.schema.createIndex("credentials_key").on("credentials").column("key_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["credentials", "audit_log", "users", "organisations", "hosts"]) {
    await db.schema.dropTable(table).execute();
  }
}
