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

/** A calendar account and its sealed credential, as one query reads them (null: the credential is gone). */
export interface CalendarAccountRow extends AccountRow {
  credential: { provider: string; ciphertext: string; version: number } | null;
}

/**
 * The calendar accounts (Google, Microsoft) of `userIds`, whatever their status, oldest first, each with its
 * sealed credential: one query for the whole question, where reading each account's state and then its
 * credential cost two more per account.
 */
export async function listCalendarAccountsWithCredentials(
  db: DB,
  tenant: OrgScope,
  userIds: string[],
): Promise<CalendarAccountRow[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom("accounts")
    .leftJoin("credentials", (join) =>
      join
        .onRef("credentials.id", "=", "accounts.credential_id")
        .onRef("credentials.host_id", "=", "accounts.host_id")
        .onRef("credentials.org_id", "=", "accounts.org_id"),
    )
    .selectAll("accounts")
    .select([
      "credentials.provider as credential_provider",
      "credentials.ciphertext as credential_ciphertext",
      "credentials.version as credential_version",
    ])
    .where("accounts.host_id", "=", tenant.hostId)
    .where("accounts.org_id", "=", tenant.orgId)
    .where("accounts.user_id", "in", userIds)
    .where("accounts.provider", "in", [...calendarProviders])
    .orderBy("accounts.user_id")
    .orderBy("accounts.created_at")
    .orderBy("accounts.id")
    .execute();
  return rows.map(({ credential_provider, credential_ciphertext, credential_version, ...account }) => ({
    ...account,
    credential:
      credential_provider === null || credential_ciphertext === null || credential_version === null
        ? null
        : { provider: credential_provider, ciphertext: credential_ciphertext, version: Number(credential_version) },
  }));
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
