/**
 * Rows of `connections` and `accounts`. Every function takes the tenant
 * (host, org) and, for personal accounts, the user: no query here can reach
 * across that boundary (ARCHITECTURE.md, "Tenancy").
 */
import type { StatusReason } from "@tsunagu/contract";
import { type Selectable, sql } from "kysely";
import type { DB } from "../store/database.ts";
import type { AccountsTable, ConnectionsTable, LinkStatus } from "../store/schema.ts";
import { preparedRead } from "../store/prepared-read.ts";
import { amongKeys, coalescedOnPostgres } from "../store/read-coalescer.ts";
import {
  type OrgScope,
  orgRowsRead,
  type UserScope,
  userScopeColumns,
  userScopeIdentity,
  userScopeOfRow,
} from "../store/tenancy.ts";

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

/** What GET /v1/accounts shows of a connection (accounts/views.ts). */
export type ConnectionListing = Pick<ConnectionRow, ListedColumn | "external_id" | "connected_by">;
/** What GET /v1/accounts shows of an account (accounts/views.ts). */
export type AccountListing = Pick<
  AccountRow,
  ListedColumn | "external_user_id" | "external_account_id" | "email" | "is_default"
>;
type ListedColumn =
  | "id"
  | "provider"
  | "display_name"
  | "detail"
  | "status"
  | "status_reason"
  | "created_at"
  | "updated_at";

type LinkKind = "connection" | "account";
type OrNull<Row> = { [Column in keyof Row]: Row[Column] | null };
/** A row of `ownLinkRows`: the columns both kinds show, and each kind's own (null in a row of the other kind). */
type LinkRow = { kind: LinkKind } & Pick<ConnectionRow, ListedColumn> &
  OrNull<Omit<ConnectionListing, ListedColumn>> &
  OrNull<Omit<AccountListing, ListedColumn>>;

/**
 * GET /v1/accounts shows the organisation's connections and the caller's own accounts. Both lists come from one
 * statement: on SQLite each statement is a read transaction of its own (the WAL read lock taken and released with two
 * system calls, the WAL index checked), and on PostgreSQL each is a round of the protocol (one for the whole turn's
 * callers, read-coalescer.ts); one `union all` costs one. A row holds either kind's columns, the other kind's null,
 * and `kind` tells which. Only the columns the answer shows are read (each column of each row costs its conversion to
 * a JavaScript value).
 */
const none = sql<null>`null`;
const connectionListed = [
  sql<LinkKind>`'connection'`.as("kind"),
  "connections.id",
  "connections.provider",
  "connections.external_id",
  none.as("external_user_id"),
  none.as("external_account_id"),
  none.as("email"),
  "connections.display_name",
  "connections.detail",
  "connections.status",
  "connections.status_reason",
  "connections.connected_by",
  none.as("is_default"),
  "connections.created_at",
  "connections.updated_at",
] as const;
const accountListed = [
  sql<LinkKind>`'account'`.as("kind"),
  "id",
  "provider",
  none.as("external_id"),
  "external_user_id",
  "external_account_id",
  "email",
  "display_name",
  "detail",
  "status",
  "status_reason",
  none.as("connected_by"),
  "is_default",
  "created_at",
  "updated_at",
] as const;

const ownLinkRows = preparedRead(["hostId", "orgId", "userId"], (db, owner) =>
  db
    .selectFrom("connections")
    .select(connectionListed)
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .$castTo<LinkRow>()
    .unionAll(
      db
        .selectFrom("accounts")
        .select(accountListed)
        .where("host_id", "=", owner.hostId)
        .where("org_id", "=", owner.orgId)
        .where("user_id", "=", owner.userId)
        .$castTo<LinkRow>(),
    )
    .orderBy("kind")
    .orderBy("provider")
    .orderBy("created_at")
    .orderBy("id"),
);

/** A row of `ownLinkRowsAmong`: whose answer it belongs to (a connection is in the answer of each of its org's). */
type OwnedLinkRow = LinkRow & { host_id: string; org_id: string; owner_id: string };

/**
 * PostgreSQL: `ownLinkRows` of several owners in one statement. Each connection comes once for each owner of its
 * organisation asking in the batch (joined to the owners), each account once (its own user's); `owner_id` says whose.
 */
const ownLinkRowsAmong = preparedRead(["hostIds", "orgIds", "userIds"], (db, keys) => {
  const owners = sql<{ host_id: string; org_id: string; user_id: string }>`(select
    unnest(cast(${keys.hostIds} as text[])) as host_id,
    unnest(cast(${keys.orgIds} as text[])) as org_id,
    unnest(cast(${keys.userIds} as text[])) as user_id)`;
  return db
    .selectFrom("connections")
    .innerJoin(owners.as("owners"), (join) =>
      join.onRef("owners.host_id", "=", "connections.host_id").onRef("owners.org_id", "=", "connections.org_id"),
    )
    .select([...connectionListed, "owners.host_id", "owners.org_id", "owners.user_id as owner_id"])
    .$castTo<OwnedLinkRow>()
    .unionAll(
      db
        .selectFrom("accounts")
        .select([...accountListed, "host_id", "org_id", "user_id as owner_id"])
        .where(amongKeys(["host_id", "org_id", "user_id"], [keys.hostIds, keys.orgIds, keys.userIds]))
        .$castTo<OwnedLinkRow>(),
    )
    .orderBy("kind")
    .orderBy("provider")
    .orderBy("created_at")
    .orderBy("id");
});

/**
 * The lists of one owner alone in a turn (a caller's own requests, a quiet turn) are read by `ownLinkRows`, by its
 * key columns: the statement of `ownLinkRowsAmong` costs PostgreSQL its arrays, `unnest` and a join on every
 * execution (read-coalescer.ts). Only `readMany`'s rows are grouped by owner, so only they carry the owner's key.
 */
const coalescedOwnLinkRows = coalescedOnPostgres<UserScope, LinkRow>({
  identify: userScopeIdentity,
  identifyRow: (row) => {
    const owned = row as OwnedLinkRow;
    return userScopeIdentity({ hostId: owned.host_id, orgId: owned.org_id, userId: owned.owner_id });
  },
  readMany: (db, owners) => ownLinkRowsAmong(db, userScopeColumns(owners)),
  readOne: (db, owner) => ownLinkRows(db, owner),
});

/** PostgreSQL: the connections of several organisations in one query, read-coalescer.ts. */
const connectionRowsAmong = preparedRead(["hostIds", "orgIds"], (db, keys) =>
  db
    .selectFrom("connections")
    .selectAll()
    .where(amongKeys(["host_id", "org_id"], [keys.hostIds, keys.orgIds]))
    .orderBy("provider"),
);

const connectionRows = preparedRead(["hostId", "orgId"], (db, tenant) =>
  db
    .selectFrom("connections")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .orderBy("provider"),
);

const organisationConnections = orgRowsRead(connectionRows, connectionRowsAmong);

/** The organisation's connections by provider; on PostgreSQL read together with the other lists of the turn. */
export async function listConnections(db: DB, tenant: OrgScope): Promise<ConnectionRow[]> {
  return organisationConnections(db, tenant);
}

/**
 * The organisation's connections (by provider) and the owner's accounts (by provider, then oldest first), as
 * GET /v1/accounts shows them, in one statement; on PostgreSQL one for every owner asking in the same turn
 * (read-coalescer.ts).
 */
export async function listConnectionsAndOwnAccounts(
  db: DB,
  owner: UserScope,
): Promise<{ connections: ConnectionListing[]; accounts: AccountListing[] }> {
  const coalesced = coalescedOwnLinkRows(db);
  const rows: readonly LinkRow[] = await (coalesced ? coalesced(owner) : ownLinkRows(db, owner));
  const connections: ConnectionListing[] = [];
  const accounts: AccountListing[] = [];
  for (const row of rows) {
    if (row.kind === "connection") connections.push(connectionListingOf(row));
    else accounts.push(accountListingOf(row));
  }
  return { connections, accounts };
}

/** A connection's columns of a `linkRows` row whose `kind` is "connection" (the columns it names are not null). */
function connectionListingOf(row: LinkRow): ConnectionListing {
  return {
    id: row.id,
    provider: row.provider,
    external_id: row.external_id as string,
    display_name: row.display_name,
    detail: row.detail,
    status: row.status,
    status_reason: row.status_reason,
    connected_by: row.connected_by as string,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** An account's columns of a `linkRows` row whose `kind` is "account". */
function accountListingOf(row: LinkRow): AccountListing {
  return {
    id: row.id,
    provider: row.provider,
    external_user_id: row.external_user_id as string,
    external_account_id: row.external_account_id as string,
    email: row.email,
    display_name: row.display_name,
    detail: row.detail,
    status: row.status,
    status_reason: row.status_reason,
    is_default: row.is_default as number,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
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
  identifyRow: (row) => userScopeIdentity(userScopeOfRow(row)),
  readMany: (db, owners) => ownAccountRowsAmong(db, userScopeColumns(owners)),
  readOne: (db, owner) => ownAccountRows(db, owner),
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
