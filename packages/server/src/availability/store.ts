/**
 * What availability reads from the database: working hours (the
 * organisation's and each person's own), the zones the portal told us
 * people are in, and the calendar accounts people linked. Every query takes
 * the tenant whole (store/tenancy.ts).
 */
import type { Clock } from "../clock.ts";
import type { AccountRow } from "../accounts/store.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope, UserScope } from "../store/tenancy.ts";
import { defaultWorkingHours, type Weekday, type WorkingHours } from "./working-hours.ts";

/** The organisation's hours, and the zone for people whose own zone is not known. */
export interface OrganisationHours extends WorkingHours {
  timeZone: string;
}

/** A person's own hours; without a zone, the one their host tokens carry. */
export interface PersonalHours extends WorkingHours {
  timeZone: string | null;
}

export const defaultOrganisationHours: OrganisationHours = { ...defaultWorkingHours, timeZone: "UTC" };

/** The organisation's own row has no user. */
const organisationRow = "";

/** Providers whose accounts carry calendars. */
export const calendarProviders = ["google", "microsoft"] as const;
export type CalendarProviderId = (typeof calendarProviders)[number];

export async function readOrganisationHours(db: DB, tenant: OrgScope): Promise<OrganisationHours> {
  return (await storedOrganisationHours(db, tenant)) ?? defaultOrganisationHours;
}

/** The hours an admin set for the organisation, or undefined while none were set. */
export async function storedOrganisationHours(db: DB, tenant: OrgScope): Promise<OrganisationHours | undefined> {
  const row = await hoursRow(db, tenant, organisationRow);
  return row && { ...fromRow(row), timeZone: row.time_zone ?? defaultOrganisationHours.timeZone };
}

/** Everyone's own hours among `userIds`, by user id. */
export async function readPersonalHours(
  db: DB,
  tenant: OrgScope,
  userIds: string[],
): Promise<Map<string, PersonalHours>> {
  const wanted = userIds.filter((id) => id !== organisationRow);
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom("working_hours")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("user_id", "in", wanted)
    .execute();
  return new Map(rows.map((row) => [row.user_id, { ...fromRow(row), timeZone: row.time_zone }]));
}

export async function writeOrganisationHours(
  db: DB,
  clock: Clock,
  actor: UserScope,
  hours: OrganisationHours,
): Promise<void> {
  await upsertHours(db, clock, actor, organisationRow, hours, hours.timeZone);
}

export async function writePersonalHours(db: DB, clock: Clock, person: UserScope, hours: PersonalHours): Promise<void> {
  await upsertHours(db, clock, person, person.userId, hours, hours.timeZone);
}

export async function deletePersonalHours(db: DB, person: UserScope): Promise<boolean> {
  const result = await db
    .deleteFrom("working_hours")
    .where("host_id", "=", person.hostId)
    .where("org_id", "=", person.orgId)
    .where("user_id", "=", person.userId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The zone each of `userIds` last came with in a host token (`tz`), when they did. */
export async function readUserZones(db: DB, tenant: OrgScope, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom("users")
    .select(["user_id", "time_zone"])
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("user_id", "in", userIds)
    .execute();
  return new Map(rows.flatMap((row) => (row.time_zone ? [[row.user_id, row.time_zone] as const] : [])));
}

/** The calendar accounts (Google, Microsoft) of `userIds`, whatever their status, oldest first. */
export async function listCalendarAccounts(db: DB, tenant: OrgScope, userIds: string[]): Promise<AccountRow[]> {
  if (userIds.length === 0) return [];
  return db
    .selectFrom("accounts")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("user_id", "in", userIds)
    .where("provider", "in", [...calendarProviders])
    .orderBy("user_id")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

async function hoursRow(db: DB, tenant: OrgScope, userId: string) {
  return db
    .selectFrom("working_hours")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

function fromRow(row: { days: string; start_time: string; end_time: string }): WorkingHours {
  return { days: row.days === "" ? [] : (row.days.split(",") as Weekday[]), start: row.start_time, end: row.end_time };
}

async function upsertHours(
  db: DB,
  clock: Clock,
  actor: UserScope,
  userId: string,
  hours: WorkingHours,
  timeZone: string | null,
): Promise<void> {
  const values = {
    days: hours.days.join(","),
    start_time: hours.start,
    end_time: hours.end,
    time_zone: timeZone,
    updated_by: actor.userId,
    updated_at: clock.now().toISOString(),
  };
  await db
    .insertInto("working_hours")
    .values({ host_id: actor.hostId, org_id: actor.orgId, user_id: userId, ...values })
    .onConflict((conflict) => conflict.columns(["host_id", "org_id", "user_id"]).doUpdateSet(values))
    .execute();
}
