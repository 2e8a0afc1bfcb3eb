/**
 * Stores what a completed OAuth flow produced: an organisation connection
 * (with the admin's own account when the tokens are theirs) or a personal
 * account. Tokens go to the credential store sealed; rows point at them.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.ts";
import type { LinkedIdentity, LinkOutcome } from "../oauth/provider-link.ts";
import { type Refusal, refusal } from "../oauth/refusals.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { TokenSet } from "../providers/types.ts";
import type { DB } from "../store/database.ts";
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

export async function saveOrgOutcome(context: LinkContext, target: LinkTarget, outcome: OrgOutcome): Promise<LinkResult> {
  const { clock, vault } = context;
  const { scope, provider } = target;
  const now = clock.now().toISOString();
  return context.db.transaction().execute(async (db): Promise<LinkResult> => {
    const existing = await findConnection(db, scope, provider);
    if (existing && existing.external_id !== outcome.connection.externalId) {
      return { ok: false, refusal: refusal("connection_exists", existing.display_name), discardedTokens: outcome.grant?.tokens };
    }
    const credentialId = outcome.grant ? await storeTokens({ db, vault, clock }, scope, provider, outcome.grant.tokens) : (existing?.credential_id ?? null);
    const fields = {
      external_id: outcome.connection.externalId,
      display_name: outcome.connection.displayName,
      detail: JSON.stringify(outcome.connection.detail),
      credential_id: credentialId,
      // Whose grant the tokens are: Zoom's app_deauthorized names a user, and the admin's own account may be unlinked by then.
      grant_user_id: outcome.grant ? (outcome.grant.ownAccount?.externalUserId ?? null) : (existing?.grant_user_id ?? null),
      status: "active" as const,
      status_reason: null,
      connected_by: scope.userId,
      updated_at: now,
    };
    let connectionId: string;
    if (existing) {
      connectionId = existing.id;
      await db.updateTable("connections").set(fields).where("id", "=", existing.id).where("host_id", "=", scope.hostId).where("org_id", "=", scope.orgId).execute();
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
      ({ accountId, previous: ownAccountPrevious } = await upsertAccount(db, scope, provider, outcome.grant.ownAccount, credentialId, now));
    }
    if (existing?.credential_id && existing.credential_id !== credentialId) await dropCredentialIfUnused(db, scope, existing.credential_id);
    await writeAudit(db, clock, {
      scope,
      actorUserId: scope.userId,
      action: existing ? "connection.reconnected" : "connection.connected",
      target: connectionId,
      detail: { provider, externalId: outcome.connection.externalId, ...(accountId ? { ownAccountId: accountId } : {}) },
    });
    // The portal's webhooks, in this transaction: sent only if the link is stored.
    await emitConnectionEvent(db, clock, "linked", { id: connectionId, host_id: scope.hostId, org_id: scope.orgId, provider, ...fields }, existing ? "reconnected" : "connected");
    if (accountId && outcome.grant?.ownAccount && ownAccountPrevious?.status !== "active") {
      await emitAccountEvent(db, clock, "linked", accountFacts(scope, provider, accountId, outcome.grant.ownAccount), ownAccountPrevious ? "relinked" : "linked");
    }
    return { ok: true, connectionId, accountId };
  });
}

export async function savePersonalOutcome(context: LinkContext, target: LinkTarget, outcome: PersonalOutcome): Promise<LinkResult> {
  const { clock, vault } = context;
  const { scope, provider } = target;
  const now = clock.now().toISOString();
  return context.db.transaction().execute(async (db): Promise<LinkResult> => {
    // A personal link needs the organisation connection (checked at start too; it may have gone since).
    if (!(await findConnection(db, scope, provider))) return { ok: false, refusal: refusal("org_connection_missing"), discardedTokens: outcome.tokens };
    // The new tokens are kept even when the account was linked already: some providers (Zoom) invalidate earlier tokens on re-authorisation.
    const credentialId = await storeTokens({ db, vault, clock }, scope, provider, outcome.tokens);
    const { accountId, previous } = await upsertAccount(db, scope, provider, outcome.account, credentialId, now);
    const sharing = await shareNewestTokens(db, clock, scope, provider, outcome.account.externalUserId, credentialId, now);
    await writeAudit(db, clock, {
      scope,
      actorUserId: scope.userId,
      action: previous ? "account.relinked" : "account.linked",
      target: accountId,
      detail: { provider, externalUserId: outcome.account.externalUserId, ...(previous ? { previousStatus: previous.status } : {}), ...(sharing.length > 0 ? { sharedWithAccounts: sharing } : {}) },
    });
    if (previous?.status === "active") return { ok: false, refusal: refusal("account_already_linked", outcome.account.email ?? outcome.account.displayName) };
    await emitAccountEvent(db, clock, "linked", accountFacts(scope, provider, accountId, outcome.account), previous ? "relinked" : "linked");
    return { ok: true, accountId };
  });
}

function accountFacts(scope: UserScope, provider: ProviderId, accountId: string, identity: LinkedIdentity) {
  return { id: accountId, host_id: scope.hostId, org_id: scope.orgId, user_id: scope.userId, provider, email: identity.email ?? null, display_name: identity.displayName, status: "active" as const };
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
async function shareNewestTokens(db: DB, clock: Clock, scope: UserScope, provider: ProviderId, externalUserId: string, credentialId: string, now: string): Promise<string[]> {
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
      const facts = { id: other.id, host_id: scope.hostId, org_id: scope.orgId, user_id: other.user_id, provider, email: other.email, display_name: other.display_name, status: "active" as const };
      await emitAccountEvent(db, clock, "linked", facts, "shared_tokens_renewed");
    }
  }
  return others.map((other) => other.id);
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
    await db.updateTable("accounts").set(fields).where("id", "=", previous.id).where("host_id", "=", scope.hostId).where("org_id", "=", scope.orgId).execute();
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
