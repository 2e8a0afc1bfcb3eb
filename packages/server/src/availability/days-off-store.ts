/**
 * Days-off settings (issue 16): per organisation, whether Japan's national
 * holidays are days off (null: follow the organisation's language, on for
 * Japanese; while it has none, the asking person's) and its closures; per
 * person, their own days off. One row per organisation (`user_id` '') and per
 * person; closures are a JSON list. The language itself is the organisation's
 * row (store/tenancy.ts).
 */
import type { OrganisationLocale } from "@tsunagu/contract";
import { z } from "zod";
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope, UserScope } from "../store/tenancy.ts";
import type { Closure } from "./days-off.ts";

export interface OrganisationDaysOff {
  /** True or false as an admin set it; null until then: on when the organisation's language is Japanese. */
  japaneseHolidays: boolean | null;
  closures: Closure[];
}

/** Whether Japan's national holidays are days off for this organisation, asked by someone speaking `askerLocale`. */
export function holidaysApply(
  setting: OrganisationDaysOff,
  organisationLocale: OrganisationLocale | null,
  askerLocale: string | undefined,
): boolean {
  return setting.japaneseHolidays ?? (organisationLocale ?? askerLocale) === "ja";
}

const organisationRow = "";
const storedClosures = z.array(z.object({ start: z.string(), end: z.string(), name: z.string() }));

export async function readOrganisationDaysOff(db: DB, tenant: OrgScope): Promise<OrganisationDaysOff> {
  const row = await daysOffRow(db, tenant, organisationRow);
  if (!row) return { japaneseHolidays: null, closures: [] };
  return {
    japaneseHolidays: row.japanese_holidays === null ? null : row.japanese_holidays === 1,
    closures: parseClosures(row.closures),
  };
}

/** Each of `userIds`'s own days off (only those who have some). */
export async function readPersonalDaysOff(
  db: DB,
  tenant: OrgScope,
  userIds: string[],
): Promise<Map<string, Closure[]>> {
  const wanted = userIds.filter((id) => id !== organisationRow);
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom("days_off")
    .select(["user_id", "closures"])
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("user_id", "in", wanted)
    .execute();
  return new Map(rows.map((row) => [row.user_id, parseClosures(row.closures)]));
}

export async function writeOrganisationDaysOff(
  db: DB,
  clock: Clock,
  actor: UserScope,
  setting: OrganisationDaysOff,
): Promise<void> {
  await upsert(
    db,
    clock,
    actor,
    organisationRow,
    setting.japaneseHolidays === null ? null : Number(setting.japaneseHolidays),
    setting.closures,
  );
}

export async function writePersonalDaysOff(db: DB, clock: Clock, person: UserScope, daysOff: Closure[]): Promise<void> {
  await upsert(db, clock, person, person.userId, null, daysOff);
}

async function daysOffRow(db: DB, tenant: OrgScope, userId: string) {
  return db
    .selectFrom("days_off")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
}

function parseClosures(text: string): Closure[] {
  // The column only ever holds what upsert wrote; a parse failure is a bug, not input.
  return storedClosures.parse(JSON.parse(text));
}

async function upsert(
  db: DB,
  clock: Clock,
  actor: UserScope,
  userId: string,
  japaneseHolidays: number | null,
  closures: Closure[],
): Promise<void> {
  const values = {
    japanese_holidays: japaneseHolidays,
    closures: JSON.stringify(closures),
    updated_by: actor.userId,
    updated_at: clock.now().toISOString(),
  };
  await db
    .insertInto("days_off")
    .values({ host_id: actor.hostId, org_id: actor.orgId, user_id: userId, ...values })
    .onConflict((conflict) => conflict.columns(["host_id", "org_id", "user_id"]).doUpdateSet(values))
    .execute();
}
