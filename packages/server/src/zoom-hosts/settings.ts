/**
 * The organisation's Zoom host settings, set by an admin: the Zoom account's
 * plan (Zoom does not tell an app) and per-Zoom-user limits.
 */
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import { preparedRead } from "../store/prepared-read.ts";
import { amongKeys } from "../store/read-coalescer.ts";
import { type OrgScope, orgRowsRead } from "../store/tenancy.ts";
import type { ZoomPlan } from "./limits.ts";
import { zoomPlans } from "./limits.ts";

export interface ZoomHostSettings {
  plan: ZoomPlan | null;
  /** zoomUserId → how many meetings it may run at once. */
  limits: Record<string, number>;
  updatedBy: string | null;
  updatedAt: string | null;
}

const settingsRows = preparedRead(["hostId", "orgId"], (db, tenant) =>
  db
    .selectFrom("zoom_host_settings")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId),
);

/** PostgreSQL: the settings of several organisations in one query. */
const settingsRowsAmong = preparedRead(["hostIds", "orgIds"], (db, keys) =>
  db
    .selectFrom("zoom_host_settings")
    .selectAll()
    .where(amongKeys(["host_id", "org_id"], [keys.hostIds, keys.orgIds])),
);

/** On PostgreSQL read with the other organisations' settings asked for in the same turn (as zoom-users.ts's links). */
const organisationSettings = orgRowsRead(settingsRows, settingsRowsAmong);

/** Read on every hosts query and hold: compiled once (prepared-read.ts); on PostgreSQL with the turn's others. */
export async function readZoomHostSettings(db: DB, tenant: OrgScope): Promise<ZoomHostSettings> {
  const [row] = await organisationSettings(db, { hostId: tenant.hostId, orgId: tenant.orgId });
  if (!row) return { plan: null, limits: {}, updatedBy: null, updatedAt: null };
  const plan = zoomPlans.find((known) => known === row.plan) ?? null;
  return { plan, limits: parseLimits(row.limits), updatedBy: row.updated_by, updatedAt: row.updated_at };
}

export async function writeZoomHostSettings(
  db: DB,
  clock: Clock,
  tenant: OrgScope,
  by: string,
  settings: Pick<ZoomHostSettings, "plan" | "limits">,
): Promise<void> {
  const values = {
    plan: settings.plan,
    limits: JSON.stringify(settings.limits),
    updated_by: by,
    updated_at: clock.now().toISOString(),
  };
  await db
    .insertInto("zoom_host_settings")
    .values({ host_id: tenant.hostId, org_id: tenant.orgId, ...values })
    .onConflict((conflict) => conflict.columns(["host_id", "org_id"]).doUpdateSet(values))
    .execute();
}

function parseLimits(text: string): Record<string, number> {
  const parsed: unknown = JSON.parse(text);
  const limits: Record<string, number> = {};
  if (typeof parsed !== "object" || parsed === null) return limits;
  for (const [zoomUserId, limit] of Object.entries(parsed))
    if (typeof limit === "number" && Number.isInteger(limit)) limits[zoomUserId] = limit;
  return limits;
}
