import type { Kysely } from "kysely";

/**
 * Message templates with tags (issue 11, item 5): per organisation, one row a
 * template key and language, e.g. `interview_confirmed` / `ja` (日程確定メール).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("message_templates")
    .addColumn("host_id", "text", (column) => column.notNull())
    .addColumn("org_id", "text", (column) => column.notNull())
    .addColumn("key", "text", (column) => column.notNull())
    .addColumn("language", "text", (column) => column.notNull())
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("subject", "text")
    .addColumn("body", "text", (column) => column.notNull())
    .addColumn("updated_by", "text", (column) => column.notNull())
    .addColumn("updated_at", "text", (column) => column.notNull())
    .addPrimaryKeyConstraint("message_templates_pk", ["host_id", "org_id", "key", "language"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("message_templates").execute();
}
