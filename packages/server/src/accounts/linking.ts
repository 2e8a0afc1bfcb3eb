/**
 * Stores what a completed OAuth flow produced: an organisation connection
 * (with the admin's own account when the tokens are theirs) or a personal
 * account. Tokens go to the credential store sealed; rows point at them.
 *
 * Links that complete together (one person's two tabs, two people linking
 * the shared recruiting Zoom user) are serialised per provider identity in
 * the tenant by a lock taken first in the transaction (PostgreSQL: an
 * advisory transaction lock; SQLite: the database's write lock), so reading
 * then writing the identity's rows cannot race into a unique-key conflict.
 * Which grant wins is decided by when the provider granted it (the
 * credential's `granted_at`), not by commit order: Zoom ends a user's earlier
 * grant when they authorise again, so every account of the identity ends on
 * the grant issued last, and an older one arriving late is dropped, never
 * revoked (revoking could end the newer grant too).
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Clock } from "../clock.ts";
import { grantStamp, type LinkedIdentity, type LinkOutcome } from "../oauth/provider-link.ts";
import { type Refusal, refusal } from "../oauth/refusals.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { TokenSet } from "../providers/types.ts";
import type { DB } from "../store/database.ts";
import { isPostgres } from "../store/dialect.ts";
import type { OrgScope, UserScope } from "../store/tenancy.ts";
import type { Vault } from "../vault/vault.ts";
import { emitAccountEvent, emitConnectionEvent } from "../webhooks/outbox.ts";
import { writeAudit } from "./audit.ts";
import { type AccountRow, credentialInUse, findConnection, findOwnAccountByIdentity } from "./store.ts";
import { deleteTokens, storeTokens } from "./tokens.ts";

export interface LinkContext {
  db: DB;
  vault: Vault;
  clock: Clock;
}

export interface LinkTarget {
  scope: UserScope;
  provider: ProviderId;
}

export type LinkResult =
  | { ok: true; accountId?: string | undefined; connectionId?: string | undefined }
  /** `discardedTokens`: tokens the provider issued that we will not keep (the caller revokes them). */
  | { ok: false; refusal: Refusal; discardedTokens?: TokenSet | undefined };

type OrgOutcome = Extract<LinkOutcome, { kind: "org" }>;
type PersonalOutcome = Extract<LinkOutcome, { kind: "personal" }>;

export async function saveOrgOutcome(
  context: LinkContext,
  target: LinkTarget,
  outcome: OrgOutcome,
): Promise<LinkResult> {
  const { clock, vault } = context;
  const { scope, provider } = target;
  const now = clock.now().toISOString();
  const grantedAt = outcome.grant ? grantStamp(clock) : null;
  return context.db.transaction().execute(async (db): Promise<LinkResult> => {
    await lockLinkTarget(db, scope, provider, null);
    if (outcome.grant?.ownAccount) await lockLinkTarget(db, scope, provider, outcome.grant.ownAccount.externalUserId);
    const existing = await findConnection(db, scope, provider);
    if (existing && existing.external_id !== outcome.connection.externalId) {
      return {
        ok: false,
        refusal: refusal("connection_exists", existing.display_name),
        discardedTokens: outcome.grant?.tokens,
      };
    }
    const credentialId = outcome.grant
      ? await storeTokens({ db, vault, clock }, scope, provider, outcome.grant.tokens, grantedAt)
      : (existing?.credential_id ?? null);
    const fields = {
      external_id: outcome.connection.externalId,
      display_name: outcome.connection.displayName,
      detail: JSON.stringify(outcome.connection.detail),
      credential_id: credentialId,
      // Whose grant the tokens are: Zoom's app_deauthorized names a user, and the admin's own account may be unlinked
      // by then.
      grant_user_id: outcome.grant
        ? (outcome.grant.ownAccount?.externalUserId ?? null)
        : (existing?.grant_user_id ?? null),
      status: "active" as const,
      status_reason: null,
      connected_by: scope.userId,
      updated_at: now,
    };
    let connectionId: string;
    if (existing) {
      connectionId = existing.id;
      await db
        .updateTable("connections")
        .set(fields)
        .where("id", "=", existing.id)
        .where("host_id", "=", scope.hostId)
        .where("org_id", "=", scope.orgId)
        .execute();
    } else {
      connectionId = randomUUID();
      await db
        .insertInto("connections")
        .values({ id: connectionId, host_id: scope.hostId, org_id: scope.orgId, provider, ...fields, created_at: now })
        .execute();
    }

    let accountId: string | undefined;
    let ownAccountPrevious: AccountRow | undefined;
    if (outcome.grant?.ownAccount && credentialId) {
      ({ accountId, previous: ownAccountPrevious } = await upsertAccount(
        db,
        scope,
        provider,
        outcome.grant.ownAccount,
        credentialId,
        now,
      ));
    }
    if (existing?.credential_id && existing.credential_id !== credentialId)
      await dropCredentialIfUnused(db, scope, existing.credential_id);
    await writeAudit(db, clock, {
      scope,
      actorUserId: scope.userId,
      action: existing ? "connection.reconnected" : "connection.connected",
      target: connectionId,
      detail: {
        provider,
        externalId: outcome.connection.externalId,
        ...(accountId ? { ownAccountId: accountId } : {}),
      },
    });
    // The portal's webhooks, in this transaction: sent only if the link is stored.
    await emitConnectionEvent(
      db,
      clock,
      "linked",
      { id: connectionId, host_id: scope.hostId, org_id: scope.orgId, provider, ...fields },
      existing ? "reconnected" : "connected",
    );
    if (accountId && outcome.grant?.ownAccount && ownAccountPrevious?.status !== "active") {
      await emitAccountEvent(
        db,
        clock,
        "linked",
        accountFacts(scope, provider, accountId, outcome.grant.ownAccount),
        ownAccountPrevious ? "relinked" : "linked",
      );
    }
    return { ok: true, connectionId, accountId };
  });
}

export async function savePersonalOutcome(
  context: LinkContext,
  target: LinkTarget,
  outcome: PersonalOutcome,
): Promise<LinkResult> {
  const { clock, vault } = context;
  const { scope, provider } = target;
  const now = clock.now().toISOString();
  const externalUserId = outcome.account.externalUserId;
  const grantedAt = outcome.grantedAt ?? grantStamp(clock);
  return context.db.transaction().execute(async (db): Promise<LinkResult> => {
    await lockLinkTarget(db, scope, provider, externalUserId);
    // A personal link needs the organisation connection (checked at start too; it may have gone since).
    if (!(await findConnection(db, scope, provider)))
      return { ok: false, refusal: refusal("org_connection_missing"), discardedTokens: outcome.tokens };
    // The new tokens are kept even when the account was linked already: some providers (Zoom) invalidate earlier tokens
    // on
    // re-authorisation. Unless a newer grant of this identity is stored already: then ours is the dead one, and the
    // account joins that.
    const newest = await newestGrantOf(db, scope, provider, externalUserId);
    const superseded = newest !== undefined && newest.grantedAt > grantedAt;
    const credentialId = superseded
      ? newest.credentialId
      : await storeTokens({ db, vault, clock }, scope, provider, outcome.tokens, grantedAt);
    const { accountId, previous } = await upsertAccount(db, scope, provider, outcome.account, credentialId, now);
    const sharing = superseded
      ? []
      : await shareNewestTokens(db, clock, scope, provider, externalUserId, credentialId, now);
    await writeAudit(db, clock, {
      scope,
      actorUserId: scope.userId,
      action: previous ? "account.relinked" : "account.linked",
      target: accountId,
      detail: {
        provider,
        externalUserId,
        ...(previous ? { previousStatus: previous.status } : {}),
        ...(sharing.length > 0 ? { sharedWithAccounts: sharing } : {}),
        ...(superseded ? { supersededByNewerGrant: true } : {}),
      },
    });
    if (previous?.status === "active")
      return {
        ok: false,
        refusal: refusal("account_already_linked", outcome.account.email ?? outcome.account.displayName),
      };
    await emitAccountEvent(
      db,
      clock,
      "linked",
      accountFacts(scope, provider, accountId, outcome.account),
      previous ? "relinked" : "linked",
    );
    return { ok: true, accountId };
  });
}

function accountFacts(scope: UserScope, provider: ProviderId, accountId: string, identity: LinkedIdentity) {
  return {
    id: accountId,
    host_id: scope.hostId,
    org_id: scope.orgId,
    user_id: scope.userId,
    provider,
    email: identity.email ?? null,
    display_name: identity.displayName,
    status: "active" as const,
  };
}

/**
 * One live token set per provider identity in a tenant: every other portal
 * user's account of the same provider user (a shared recruiting Zoom user)
 * moves to the credential just stored, and comes back to active. Zoom ends a
 * user's earlier grant when that user authorises again, so the tokens those
 * accounts held are dead; for providers that do not, nothing is lost either
 * (same identity, same app). The old credentials go unless something else
 * (the organisation connection) still holds them; they are not revoked, as
 * revoking could end the new grant too (Google revokes per user and app).
 */
async function shareNewestTokens(
  db: DB,
  clock: Clock,
  scope: UserScope,
  provider: ProviderId,
  externalUserId: string,
  credentialId: string,
  now: string,
): Promise<string[]> {
  const others = await db
    .selectFrom("accounts")
    .select(["id", "credential_id", "status", "user_id", "email", "display_name"])
    .where("host_id", "=", scope.hostId)
    .where("org_id", "=", scope.orgId)
    .where("provider", "=", provider)
    .where("external_user_id", "=", externalUserId)
    .where("credential_id", "<>", credentialId)
    .execute();
  for (const other of others) {
    await db
      .updateTable("accounts")
      .set({ credential_id: credentialId, status: "active", status_reason: null, updated_at: now })
      .where("id", "=", other.id)
      .where("host_id", "=", scope.hostId)
      .where("org_id", "=", scope.orgId)
      .execute();
    await dropCredentialIfUnused(db, scope, other.credential_id);
    if (other.status !== "active") {
      // The portal heard this account needed relinking; it works again now.
      const facts = {
        id: other.id,
        host_id: scope.hostId,
        org_id: scope.orgId,
        user_id: other.user_id,
        provider,
        email: other.email,
        display_name: other.display_name,
        status: "active" as const,
      };
      await emitAccountEvent(db, clock, "linked", facts, "shared_tokens_renewed");
    }
  }
  return others.map((other) => other.id);
}

/**
 * Serialises links of one target in the tenant until the transaction ends:
 * `identity` is a provider user id, or null for the organisation connection. Must be the transaction's first statement:
 * on SQLite a
 * transaction that has read cannot take the write lock once another
 * process wrote (SQLITE_BUSY without waiting), so the lock is a write that
 * changes nothing, which waits on the busy timeout instead.
 */
async function lockLinkTarget(db: DB, scope: OrgScope, provider: ProviderId, identity: string | null): Promise<void> {
  const key = JSON.stringify(["link", scope.hostId, scope.orgId, provider, identity]);
  if (isPostgres(db as never)) await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(db);
  else await sql`update accounts set id = id where 0 = 1`.execute(db);
}

/** The credential of this identity's accounts granted last (Zoom: the one live grant), if any account holds one. */
async function newestGrantOf(
  db: DB,
  scope: OrgScope,
  provider: ProviderId,
  externalUserId: string,
): Promise<{ credentialId: string; grantedAt: number } | undefined> {
  const rows = await db
    .selectFrom("accounts")
    .innerJoin("credentials", "credentials.id", "accounts.credential_id")
    .select(["credentials.id as credentialId", "credentials.granted_at as grantedAt"])
    .where("accounts.host_id", "=", scope.hostId)
    .where("accounts.org_id", "=", scope.orgId)
    .where("accounts.provider", "=", provider)
    .where("accounts.external_user_id", "=", externalUserId)
    .where("credentials.host_id", "=", scope.hostId)
    .where("credentials.org_id", "=", scope.orgId)
    .execute();
  let newest: { credentialId: string; grantedAt: number } | undefined;
  for (const row of rows) {
    // PostgreSQL returns bigint as a string; rows from before grant stamps count as the oldest.
    const grantedAt = row.grantedAt === null ? 0 : Number(row.grantedAt);
    if (!newest || grantedAt > newest.grantedAt) newest = { credentialId: row.credentialId, grantedAt };
  }
  return newest;
}

/**
 * Whether tokens of a link that could not be stored may be revoked: not while
 * any row of the tenant holds a grant of the same identity (Google revokes per
 * user and app, so that row's grant would end too), nor when the database
 * cannot tell.
 */
export async function mayRevokeUnsaved(
  context: LinkContext,
  target: LinkTarget,
  outcome: OrgOutcome | PersonalOutcome,
): Promise<boolean> {
  const { scope, provider } = target;
  const identity =
    outcome.kind === "personal" ? outcome.account.externalUserId : outcome.grant?.ownAccount?.externalUserId;
  try {
    if (outcome.kind === "org") {
      const connection = await findConnection(context.db, scope, provider);
      if (connection?.external_id === outcome.connection.externalId) return false;
    }
    if (identity === undefined) return true;
    return !(await newestGrantOf(context.db, scope, provider, identity));
  } catch {
    return false;
  }
}

/** Inserts the account, or points an existing one at the new credential and makes it active again. */
async function upsertAccount(
  db: DB,
  scope: UserScope,
  provider: ProviderId,
  identity: LinkedIdentity,
  credentialId: string,
  now: string,
): Promise<{ accountId: string; previous: AccountRow | undefined }> {
  const previous = await findOwnAccountByIdentity(db, scope, provider, identity.externalUserId);
  const fields = {
    external_account_id: identity.externalAccountId,
    email: identity.email ?? null,
    display_name: identity.displayName,
    detail: JSON.stringify(identity.detail),
    credential_id: credentialId,
    status: "active" as const,
    status_reason: null,
    updated_at: now,
  };
  if (previous) {
    await db
      .updateTable("accounts")
      .set(fields)
      .where("id", "=", previous.id)
      .where("host_id", "=", scope.hostId)
      .where("org_id", "=", scope.orgId)
      .execute();
    if (previous.credential_id !== credentialId) await dropCredentialIfUnused(db, scope, previous.credential_id);
    return { accountId: previous.id, previous };
  }
  const hasDefault = await db
    .selectFrom("accounts")
    .select("id")
    .where("host_id", "=", scope.hostId)
    .where("org_id", "=", scope.orgId)
    .where("user_id", "=", scope.userId)
    .where("provider", "=", provider)
    .where("is_default", "=", 1)
    .executeTakeFirst();
  const accountId = randomUUID();
  await db
    .insertInto("accounts")
    .values({
      id: accountId,
      host_id: scope.hostId,
      org_id: scope.orgId,
      user_id: scope.userId,
      provider,
      external_user_id: identity.externalUserId,
      ...fields,
      is_default: hasDefault ? 0 : 1,
      created_at: now,
    })
    .execute();
  return { accountId, previous: undefined };
}

/** Deletes a credential nothing points at any more (the admin's shared tokens stay while either side uses them). */
export async function dropCredentialIfUnused(db: DB, scope: OrgScope, credentialId: string): Promise<void> {
  if (!(await credentialInUse(db, scope, credentialId))) await deleteTokens({ db }, scope, credentialId);
}
