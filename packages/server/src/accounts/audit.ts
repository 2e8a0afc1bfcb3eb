/**
 * Audit entries for linking, unlinking and token health. `detail` is JSON
 * and never holds a secret: ids, providers, reasons.
 */
import { type Clock, isoNow } from "../clock.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";

export interface AuditEntry {
  scope: OrgScope;
  /** The portal user who acted; null for the server itself (a refresh, a webhook). */
  actorUserId: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}

export async function writeAudit(db: DB, clock: Clock, entry: AuditEntry): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      host_id: entry.scope.hostId,
      org_id: entry.scope.orgId,
      actor_user_id: entry.actorUserId,
      action: entry.action,
      target: entry.target,
      detail: JSON.stringify(entry.detail),
      created_at: isoNow(clock),
    })
    .execute();
}
