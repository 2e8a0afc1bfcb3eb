import type { Kysely } from "kysely";

/**
 * Why a candidate cannot book through a link, for the recruiter: since when the candidate's page has found an
 * interviewer's calendar unreadable (and so offered no slot), and whose (JSON text, portal user ids). Written by the
 * page when it meets the unreadable calendars, cleared when it next reads them all; null while nothing blocks it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("scheduling_links").addColumn("blocked_since", "text").execute();
  await db.schema.alterTable("scheduling_links").addColumn("blocked_interviewers", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("scheduling_links").dropColumn("blocked_interviewers").execute();
  await db.schema.alterTable("scheduling_links").dropColumn("blocked_since").execute();
}
