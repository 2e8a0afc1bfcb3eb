/**
 * Rows of `connections` and `accounts`. Every function takes the tenant
 * (host, org) and, for personal accounts, the user: no query here can reach
 * across that boundary (ARCHITECTURE.md, "Tenancy").
 */
import type { StatusReason } from "@tsunagu/contract";
import type { Selectable } from "kysely";
import type { DB } from "../store/database.ts";
import type { AccountsTable, ConnectionsTable, LinkStatus } from "../store/schema.ts";
import { preparedRead } from "../store/prepared-read.ts";
import { amongKeys, coalescedOnPostgres } from "../store/read-coalescer.ts";
import { type OrgScope, orgScopeIdentity, type UserScope, userScopeIdentity } from "../store/tenancy.ts";

export type ConnectionRow = Selectable<ConnectionsTable>;
export type AccountRow = Selectable<AccountsTable>;

export async function findConnection(db: DB, tenant: OrgScope, provider: string): Promise<ConnectionRow | undefined> {
  return db
    .selectFrom("connections")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("provider", "=", provider)
    .executeTakeFirst();
}

const connectionRows = preparedRead(["hostId", "orgId"], (db, tenant) =>
  db
    .selectFrom("connections")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .orderBy("provider"),
);

/** PostgreSQL: the connections of several organisations in one query, read-coalescer.ts. */
const connectionRowsAmong = preparedRead(["hostIds", "orgIds"], (db, keys) =>
  db
    .selectFrom("connections")
    .selectAll()
    .where(amongKeys(["host_id", "org_id"], [keys.hostIds, keys.orgIds]))
    .orderBy("provider"),
);

const coalescedConnectionRows = coalescedOnPostgres<OrgScope, ConnectionRow>({
  identify: orgScopeIdentity,
  identifyRow: (row) => orgScopeIdentity({ hostId: row.host_id, orgId: row.org_id }),
  readMany: (db, tenants) =>
    connectionRowsAmong(db, { hostIds: tenants.map((t) => t.hostId), orgIds: tenants.map((t) => t.orgId) }),
});

/** On PostgreSQL read together with the other lists asked for in the same turn (read-coalescer.ts). */
export async function listConnections(db: DB, tenant: OrgScope): Promise<ConnectionRow[]> {
  const coalesced = coalescedConnectionRows(db);
  return coalesced ? coalesced(tenant) : connectionRows(db, tenant);
}

const ownAccountRows = preparedRead(["hostId", "orgId", "userId"], (db, owner) =>
  db
    .selectFrom("accounts")
    .selectAll()
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .orderBy("provider")
    .orderBy("created_at")
    .orderBy("id"),
);

/** PostgreSQL: the accounts of several users in one query, each user's in the order of `ownAccountRows`. */
const ownAccountRowsAmong = preparedRead(["hostIds", "orgIds", "userIds"], (db, keys) =>
  db
    .selectFrom("accounts")
    .selectAll()
    .where(amongKeys(["host_id", "org_id", "user_id"], [keys.hostIds, keys.orgIds, keys.userIds]))
    .orderBy("provider")
    .orderBy("created_at")
    .orderBy("id"),
);

const coalescedOwnAccountRows = coalescedOnPostgres<UserScope, AccountRow>({
  identify: userScopeIdentity,
  identifyRow: (row) => userScopeIdentity({ hostId: row.host_id, orgId: row.org_id, userId: row.user_id }),
  readMany: (db, owners) =>
    ownAccountRowsAmong(db, {
      hostIds: owners.map((owner) => owner.hostId),
      orgIds: owners.map((owner) => owner.orgId),
      userIds: owners.map((owner) => owner.userId),
    }),
});

/** On PostgreSQL read together with the other lists asked for in the same turn (read-coalescer.ts). */
export async function listOwnAccounts(db: DB, owner: UserScope): Promise<AccountRow[]> {
  const coalesced = coalescedOwnAccountRows(db);
  return coalesced ? coalesced(owner) : ownAccountRows(db, owner);
}

export async function findOwnAccount(db: DB, owner: UserScope, id: string): Promise<AccountRow | undefined> {
  return db
    .selectFrom("accounts")
    .selectAll()
    .where("id", "=", id)
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .executeTakeFirst();
}

export async function findOwnAccountByIdentity(
  db: DB,
  owner: UserScope,
  provider: string,
  externalUserId: string,
): Promise<AccountRow | undefined> {
  return db
    .selectFrom("accounts")
    .selectAll()
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .where("provider", "=", provider)
    .where("external_user_id", "=", externalUserId)
    .executeTakeFirst();
}

/** The tenant's personal accounts of one provider, every user's (what a disconnect affects). */
export async function listTenantAccounts(db: DB, tenant: OrgScope, provider: string): Promise<AccountRow[]> {
  return db
    .selectFrom("accounts")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("provider", "=", provider)
    .orderBy("user_id")
    .orderBy("created_at")
    .execute();
}

/** Makes `id` the user's default for its provider and every other account of theirs for it not (inside the caller's
 * transaction, if any). */
export async function setDefaultAccount(
  db: DB,
  owner: UserScope,
  account: Pick<AccountRow, "id" | "provider">,
  at: string,
): Promise<void> {
  const move = async (trx: DB) => {
    await trx
      .updateTable("accounts")
      .set({ is_default: 0, updated_at: at })
      .where("host_id", "=", owner.hostId)
      .where("org_id", "=", owner.orgId)
      .where("user_id", "=", owner.userId)
      .where("provider", "=", account.provider)
      .where("is_default", "=", 1)
      .where("id", "<>", account.id)
      .execute();
    await trx
      .updateTable("accounts")
      .set({ is_default: 1, updated_at: at })
      .where("id", "=", account.id)
      .where("host_id", "=", owner.hostId)
      .where("org_id", "=", owner.orgId)
      .where("user_id", "=", owner.userId)
      .execute();
  };
  await (db.isTransaction ? move(db) : db.transaction().execute(move));
}

/**
 * After the default went away or stopped working (unlinked, needs_reauth): the user's oldest active account of that
 * provider
 * becomes the default. A default that still works stays; with no active account left, nothing moves.
 */
export async function promoteDefault(
  db: DB,
  owner: UserScope,
  provider: string,
  at: string,
): Promise<string | undefined> {
  const accounts = await db
    .selectFrom("accounts")
    .select(["id", "status", "is_default"])
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .where("provider", "=", provider)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  if (accounts.some((account) => account.is_default === 1 && account.status === "active")) return undefined;
  const next = accounts.find((account) => account.status === "active");
  if (!next) return undefined;
  await setDefaultAccount(db, owner, { id: next.id, provider }, at);
  return next.id;
}

export async function deleteOwnAccount(db: DB, owner: UserScope, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("accounts")
    .where("id", "=", id)
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .executeTakeFirst();
  return result.numDeletedRows === 1n;
}

export const setAccountStatus = (
  db: DB,
  tenant: OrgScope,
  id: string,
  status: LinkStatus,
  reason: StatusReason | null,
  at: string,
) => setLinkStatus(db, "accounts", tenant, id, status, reason, at);

export const setConnectionStatus = (
  db: DB,
  tenant: OrgScope,
  id: string,
  status: LinkStatus,
  reason: StatusReason | null,
  at: string,
) => setLinkStatus(db, "connections", tenant, id, status, reason, at);

/** Moves a personal account or an organisation connection to `status`; false when it was there already (or is not the
 * tenant's). */
async function setLinkStatus(
  db: DB,
  table: "accounts" | "connections",
  tenant: OrgScope,
  id: string,
  status: LinkStatus,
  reason: StatusReason | null,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable(table)
    .set({ status, status_reason: reason, updated_at: at })
    .where("id", "=", id)
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("status", "<>", status)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Whether any account or connection of the tenant still points at this credential (the admin's shared tokens). */
export async function credentialInUse(db: DB, tenant: OrgScope, credentialId: string): Promise<boolean> {
  const account = await db
    .selectFrom("accounts")
    .select("id")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("credential_id", "=", credentialId)
    .executeTakeFirst();
  if (account) return true;
  const connection = await db
    .selectFrom("connections")
    .select("id")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("credential_id", "=", credentialId)
    .executeTakeFirst();
  return Boolean(connection);
}

/** Parses a `detail` column; the column only ever holds JSON objects we wrote. */
export function parseDetail(detail: string | null): Record<string, unknown> {
  if (!detail) return {};
  const value: unknown = JSON.parse(detail);
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
