/**
 * The organisation's Sign in with Slack switch (`signin_settings`): off until
 * an admin turns it on. Reads and writes name the tenant whole.
 */
import type { Clock } from "../clock.ts";
import { writeAudit } from "../accounts/audit.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope, UserScope } from "../store/tenancy.ts";

export interface SignInSetting {
  provider: ProviderId;
  enabled: boolean;
  /** Who last changed it and when; null while it was never set. */
  updatedBy: string | null;
  updatedAt: string | null;
}

export async function readSignInSetting(db: DB, tenant: OrgScope, provider: ProviderId): Promise<SignInSetting> {
  const row = await db
    .selectFrom("signin_settings")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("provider", "=", provider)
    .executeTakeFirst();
  return {
    provider,
    enabled: row?.enabled === 1,
    updatedBy: row?.updated_by ?? null,
    updatedAt: row?.updated_at ?? null,
  };
}

/** Sets the switch and writes an audit entry when it changed; answers the setting as stored. */
export async function writeSignInSetting(
  db: DB,
  clock: Clock,
  actor: UserScope,
  provider: ProviderId,
  enabled: boolean,
): Promise<SignInSetting> {
  const now = clock.now().toISOString();
  return db.transaction().execute(async (trx) => {
    const before = await readSignInSetting(trx, actor, provider);
    if (before.enabled === enabled && before.updatedAt !== null) return before;
    const fields = { enabled: enabled ? 1 : 0, updated_by: actor.userId, updated_at: now };
    await trx
      .insertInto("signin_settings")
      .values({ host_id: actor.hostId, org_id: actor.orgId, provider, ...fields })
      .onConflict((conflict) => conflict.columns(["host_id", "org_id", "provider"]).doUpdateSet(fields))
      .execute();
    await writeAudit(trx, clock, {
      scope: actor,
      actorUserId: actor.userId,
      action: enabled ? "signin.enabled" : "signin.disabled",
      target: provider,
      detail: { provider },
    });
    return { provider, enabled, updatedBy: actor.userId, updatedAt: now };
  });
}
