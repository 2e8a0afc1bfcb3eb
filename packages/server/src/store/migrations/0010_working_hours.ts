import type { Kysely } from "kysely";

/**
 * Issue 11, item 1 (availability): working hours, per organisation and
 * overridden per person. `user_id` is '' for the organisation's own row (a
 * primary key column cannot be null on PostgreSQL). `days` is a comma list
 * of weekday names (mon,tue,…); times are "HH:MM" wall-clock times; the
 * organisation's `time_zone` is used for people whose zone is not known, a
 * person's overrides the zone their host tokens carry.
 *
 * Issue 16: `days_off`, one row per organisation (`user_id` '': whether
 * Japan's national holidays are days off, null until an admin says, and its
 * closures) and per person (their own days off); closures are a JSON list
 * of {start, end, name} dates.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("working_hours")
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("days", "text", (col) => col.notNull())
    .addColumn("start_time", "text", (col) => col.notNull())
    .addColumn("end_time", "text", (col) => col.notNull())
    .addColumn("time_zone", "text")
    .addColumn("updated_by", "text", (col) => col.notNull())
    .addColumn("updated_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("working_hours_pk", ["host_id", "org_id", "user_id"])
    .execute();

  await db.schema
    .createTable("days_off")
    .addColumn("host_id", "text", (col) => col.notNull())
    .addColumn("org_id", "text", (col) => col.notNull())
    .addColumn("user_id", "text", (col) => col.notNull())
    .addColumn("japanese_holidays", "integer")
    .addColumn("closures", "text", (col) => col.notNull())
    .addColumn("updated_by", "text", (col) => col.notNull())
    .addColumn("updated_at", "text", (col) => col.notNull())
    .addPrimaryKeyConstraint("days_off_pk", ["host_id", "org_id", "user_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("days_off").execute();
  await db.schema.dropTable("working_hours").execute();
}
