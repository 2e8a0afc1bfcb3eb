/**
 * Turning an account or connection to needs_reauth: the status, an audit
 * entry and the portal's webhook, in one transaction. Used by the refresher
 * (`invalid_grant`), the health check (the provider refuses a fresh token)
 * and a disconnect (the organisation connection went).
 */
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { emitOwnerEvent } from "../webhooks/outbox.ts";
import { writeAudit } from "./audit.ts";
import { setAccountStatus, setConnectionStatus } from "./store.ts";

export interface StatusOwner extends OrgScope {
  kind: "account" | "connection";
  id: string;
  provider: string;
}

/** True when the owner changed (it was not needs_reauth already). */
export async function markNeedsReauth(
  deps: { db: DB; clock: Clock },
  owner: StatusOwner,
  reason: string,
  actorUserId: string | null = null,
): Promise<boolean> {
  const { clock } = deps;
  return deps.db.transaction().execute(async (db) => {
    const at = clock.now().toISOString();
    const changed =
      owner.kind === "account" ? await setAccountStatus(db, owner, owner.id, "needs_reauth", reason, at) : await setConnectionStatus(db, owner, owner.id, "needs_reauth", reason, at);
    if (!changed) return false;
    await writeAudit(db, clock, { scope: owner, actorUserId, action: `${owner.kind}.needs_reauth`, target: owner.id, detail: { provider: owner.provider, reason } });
    await emitOwnerEvent(db, clock, owner, "needs_reauth", reason);
    return true;
  });
}
