/**
 * The organisation's interview settings, set by an admin: whether candidates
 * wait in Zoom's waiting room until the host admits them (on unless turned off).
 */
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";

export interface InterviewSettings {
  waitingRoom: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

export async function readInterviewSettings(db: DB, tenant: OrgScope): Promise<InterviewSettings> {
  const row = await db
    .selectFrom("interview_settings")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .executeTakeFirst();
  return row
    ? { waitingRoom: row.waiting_room === 1, updatedBy: row.updated_by, updatedAt: row.updated_at }
    : { waitingRoom: true, updatedBy: null, updatedAt: null };
}

export async function writeInterviewSettings(
  db: DB,
  clock: Clock,
  tenant: OrgScope,
  by: string,
  settings: Pick<InterviewSettings, "waitingRoom">,
): Promise<void> {
  const values = { waiting_room: settings.waitingRoom ? 1 : 0, updated_by: by, updated_at: clock.now().toISOString() };
  await db
    .insertInto("interview_settings")
    .values({ host_id: tenant.hostId, org_id: tenant.orgId, ...values })
    .onConflict((conflict) => conflict.columns(["host_id", "org_id"]).doUpdateSet(values))
    .execute();
}
