/**
 * Turning an account or connection to needs_reauth: the status, an audit
 * entry and the portal's webhook, in one transaction. Used by the refresher
 * (`invalid_grant`), the health check (the provider refuses a fresh token)
 * and a disconnect (the organisation connection went). A default account
 * that stops working hands the default to the user's oldest active account of
 * that provider, when there is one: the audit entry names it.
 */
import type { StatusReason } from "@tsunagu/contract";
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { emitOwnerEvent } from "../webhooks/outbox.ts";
import { writeAudit } from "./audit.ts";
import { promoteDefault, setAccountStatus, setConnectionStatus } from "./store.ts";

export interface StatusOwner extends OrgScope {
  kind: "account" | "connection";
  id: string;
  provider: string;
}

/** True when the owner changed (it was not needs_reauth already). */
export async function markNeedsReauth(
  deps: { db: DB; clock: Clock },
  owner: StatusOwner,
  reason: StatusReason,
  actorUserId: string | null = null,
  /** False when every account of the provider goes at once (a disconnect): the default stays where the user put it. */
  handDefaultOver = true,
): Promise<boolean> {
  const { clock } = deps;
  return deps.db.transaction().execute(async (db) => {
    const at = clock.now().toISOString();
    const changed =
      owner.kind === "account"
        ? await setAccountStatus(db, owner, owner.id, "needs_reauth", reason, at)
        : await setConnectionStatus(db, owner, owner.id, "needs_reauth", reason, at);
    if (!changed) return false;
    const newDefaultAccountId =
      owner.kind === "account" && handDefaultOver ? await handOverDefault(db, owner, at) : undefined;
    await writeAudit(db, clock, {
      scope: owner,
      actorUserId,
      action: `${owner.kind}.needs_reauth`,
      target: owner.id,
      detail: { provider: owner.provider, reason, ...(newDefaultAccountId ? { newDefaultAccountId } : {}) },
    });
    await emitOwnerEvent(db, clock, owner, "needs_reauth", reason);
    return true;
  });
}

/** The account that became the default instead of this one, when it was the default and another active one exists. */
async function handOverDefault(db: DB, owner: StatusOwner, at: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("accounts")
    .select(["user_id", "is_default"])
    .where("id", "=", owner.id)
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .executeTakeFirst();
  if (row?.is_default !== 1) return undefined;
  return promoteDefault(db, { hostId: owner.hostId, orgId: owner.orgId, userId: row.user_id }, owner.provider, at);
}
