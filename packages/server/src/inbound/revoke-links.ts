/**
 * What a provider's "this grant is gone" webhook does to our rows: each
 * account and connection it names is marked revoked with the reason, gets an
 * audit entry and the portal's `*.unlinked` webhook, and its tokens are
 * deleted once nothing still active uses them (the admin's own account and
 * the organisation connection may share one credential).
 *
 * The provider's event is about its user or workspace, not about one of our
 * tenants, so the callers look rows up across hosts and organisations: the
 * one place that does. Each write here stays inside the row's own tenant.
 */
import type { StatusReason } from "@tsunagu/contract";
import type { Clock } from "../clock.ts";
import { writeAudit } from "../accounts/audit.ts";
import { type AccountRow, type ConnectionRow, setAccountStatus, setConnectionStatus } from "../accounts/store.ts";
import { deleteTokens } from "../accounts/tokens.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { emitAccountEvent, emitConnectionEvent } from "../webhooks/outbox.ts";

export interface LinksToRevoke {
  accounts: AccountRow[];
  connections: ConnectionRow[];
}

export interface RevokedLinks {
  accounts: string[];
  connections: string[];
}

export interface RevocationCause {
  provider: string;
  /** `deauthorized`, `tokens_revoked`, `app_uninstalled`: the status reason, audit reason and webhook reason. */
  reason: StatusReason;
  eventId: string;
}

/**
 * The accounts that hold the tokens of these organisation connections (the admin's own account, linked with the
 * connection's grant): they die with the connection's tokens.
 */
export async function accountsSharingConnections(
  db: DB,
  provider: string,
  connections: readonly ConnectionRow[],
): Promise<AccountRow[]> {
  const credentialIds = connections.flatMap((connection) =>
    connection.credential_id ? [connection.credential_id] : [],
  );
  if (credentialIds.length === 0) return [];
  return db
    .selectFrom("accounts")
    .selectAll()
    .where("provider", "=", provider)
    .where("credential_id", "in", credentialIds)
    .execute();
}

/** Call inside the transaction that records the event's receipt. */
export async function revokeLinks(
  db: DB,
  clock: Clock,
  links: LinksToRevoke,
  cause: RevocationCause,
): Promise<RevokedLinks> {
  const at = clock.now().toISOString();
  const revoked: RevokedLinks = { accounts: [], connections: [] };
  const credentials = new Map<string, OrgScope>();
  const detail = { provider: cause.provider, reason: cause.reason, eventId: cause.eventId };

  for (const account of unique(links.accounts)) {
    const tenant = { hostId: account.host_id, orgId: account.org_id };
    credentials.set(account.credential_id, tenant);
    if (!(await setAccountStatus(db, tenant, account.id, "revoked", cause.reason, at))) continue;
    revoked.accounts.push(account.id);
    await writeAudit(db, clock, {
      scope: tenant,
      actorUserId: null,
      action: "account.revoked",
      target: account.id,
      detail: { ...detail, externalUserId: account.external_user_id },
    });
    await emitAccountEvent(db, clock, "unlinked", { ...account, status: "revoked" }, cause.reason);
  }
  for (const connection of unique(links.connections)) {
    const tenant = { hostId: connection.host_id, orgId: connection.org_id };
    if (connection.credential_id) credentials.set(connection.credential_id, tenant);
    if (!(await setConnectionStatus(db, tenant, connection.id, "revoked", cause.reason, at))) continue;
    revoked.connections.push(connection.id);
    await writeAudit(db, clock, {
      scope: tenant,
      actorUserId: null,
      action: "connection.revoked",
      target: connection.id,
      detail: { ...detail, externalId: connection.external_id },
    });
    await emitConnectionEvent(db, clock, "unlinked", { ...connection, status: "revoked" }, cause.reason);
  }
  for (const [credentialId, tenant] of credentials) await deleteIfNoLiveUser(db, tenant, credentialId);
  return revoked;
}

/** Deletes the tokens unless an account or connection that is not revoked still holds them. */
async function deleteIfNoLiveUser(db: DB, tenant: OrgScope, credentialId: string): Promise<void> {
  const liveAccount = await db
    .selectFrom("accounts")
    .select("id")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("credential_id", "=", credentialId)
    .where("status", "<>", "revoked")
    .executeTakeFirst();
  const liveConnection = await db
    .selectFrom("connections")
    .select("id")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("credential_id", "=", credentialId)
    .where("status", "<>", "revoked")
    .executeTakeFirst();
  if (liveAccount || liveConnection) return;
  await deleteTokens({ db }, tenant, credentialId);
  // A connection may point at no credential; an account row keeps its (now dangling) id until it is linked again.
  await db
    .updateTable("connections")
    .set({ credential_id: null })
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("credential_id", "=", credentialId)
    .execute();
}

function unique<T extends { id: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((row) => [row.id, row])).values()];
}
