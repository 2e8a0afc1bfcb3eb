/**
 * Unlinking a personal account and disconnecting an organisation connection:
 * revoke at the provider where it allows it, delete our tokens, and leave an
 * audit entry. Tokens the admin's own account shares with the organisation
 * connection are revoked only when the last of the two goes.
 */
import type { Clock } from "../clock.ts";
import { notFound } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { LinkAdapters, Revocation } from "../oauth/provider-link.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { TokenSet } from "../providers/types.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope, UserScope } from "../store/tenancy.ts";
import type { Vault } from "../vault/vault.ts";
import { emitAccountEvent, emitConnectionEvent } from "../webhooks/outbox.ts";
import { writeAudit } from "./audit.ts";
import { connectionImpact, type LostFeature } from "./impact.ts";
import { dropCredentialIfUnused } from "./linking.ts";
import { markNeedsReauth } from "./reauth.ts";
import type { TokenOwner, TokenRefresher } from "./refresh.ts";
import {
  credentialInUse,
  deleteOwnAccount,
  findConnection,
  findOwnAccount,
  listTenantAccounts,
  promoteDefault,
} from "./store.ts";
import { readTokens } from "./tokens.ts";
import {
  assertZoomAccountMayGo,
  assertZoomConnectionMayGo,
  type HostedMeetings,
  type ZoomMoveTargets,
} from "./zoom-unlink-guard.ts";

export interface UnlinkDeps {
  db: DB;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  adapters: LinkAdapters;
  refresher: TokenRefresher;
  /** Zoom users' upcoming meetings, for the unlink guard; undefined when Zoom is not configured. */
  zoomMeetings?: HostedMeetings | undefined;
  zoomMoveTargets?: ZoomMoveTargets | undefined;
}

export interface RevocationReport {
  revokedAtProvider: boolean;
  /** Why not, in words the user can read, when the provider kept the grant. */
  note?: string;
}

export interface UnlinkResult extends RevocationReport {
  unlinked: { id: string; provider: string };
  /** The account that became the default for this provider, when the unlinked one was it. */
  newDefaultAccountId?: string;
}

export interface AffectedAccount {
  id: string;
  userId: string;
  email: string | null;
  displayName: string;
}

export interface DisconnectResult extends RevocationReport {
  disconnected: { id: string; provider: string; externalId: string; displayName: string };
  stopsWorking: LostFeature[];
  /** Personal accounts of this provider in the organisation, now needs_reauth until the organisation connects again. */
  affectedAccounts: AffectedAccount[];
}

export async function unlinkAccount(deps: UnlinkDeps, owner: UserScope, accountId: string): Promise<UnlinkResult> {
  const { db, clock } = deps;
  const account = await findOwnAccount(db, owner, accountId);
  if (!account) throw notFound("account_not_found", "No such account among yours.");
  await assertZoomAccountMayGo(deps, owner, account);
  const provider = account.provider as ProviderId;
  const tokenOwner: TokenOwner = {
    kind: "account",
    id: account.id,
    hostId: owner.hostId,
    orgId: owner.orgId,
    provider,
    credentialId: account.credential_id,
  };
  // Read before the row goes: the refresher only serves linked, active owners.
  const tokens = await tokensToRevoke(deps, tokenOwner, account.status === "active");

  // The portal's account.unlinked webhook is written with the delete; the revocation below is a provider call, outside
  // any transaction. Two unlinks at once (a double click, two tabs) both found the account above: only the one whose
  // delete took the row goes on, so the portal gets one webhook, the provider one revocation, the log one entry.
  await db.transaction().execute(async (trx) => {
    if (!(await deleteOwnAccount(trx, owner, account.id)))
      throw notFound("account_not_found", "No such account among yours.");
    await emitAccountEvent(trx, clock, "unlinked", { ...account, status: "revoked" }, "unlinked_by_user");
  });
  const newDefaultAccountId =
    account.is_default === 1 ? await promoteDefault(db, owner, provider, clock.now().toISOString()) : undefined;
  const report = await revokeIfLast(deps, owner, provider, account.credential_id, tokens);
  await writeAudit(db, clock, {
    scope: owner,
    actorUserId: owner.userId,
    action: "account.unlinked",
    target: account.id,
    detail: { provider, externalUserId: account.external_user_id, revokedAtProvider: report.revokedAtProvider },
  });
  return { unlinked: { id: account.id, provider }, ...report, ...(newDefaultAccountId ? { newDefaultAccountId } : {}) };
}

export async function disconnectConnection(
  deps: UnlinkDeps,
  actor: UserScope,
  provider: string,
): Promise<DisconnectResult> {
  const { db, clock } = deps;
  const connection = await findConnection(db, actor, provider);
  if (!connection)
    throw notFound("connection_not_found", `The organisation has no ${provider.slice(0, 40)} connection.`);
  await assertZoomConnectionMayGo(deps, actor, connection);
  const providerId = connection.provider as ProviderId;
  const tokens = connection.credential_id
    ? await tokensToRevoke(
        deps,
        {
          kind: "connection",
          id: connection.id,
          hostId: actor.hostId,
          orgId: actor.orgId,
          provider: providerId,
          credentialId: connection.credential_id,
        },
        connection.status === "active",
      )
    : undefined;

  const dependents = await listTenantAccounts(db, actor, provider);
  for (const account of dependents) {
    // Status, audit entry and the account.needs_reauth webhook together; all of them go, so the defaults stay put.
    await markNeedsReauth(
      deps,
      { kind: "account", id: account.id, hostId: actor.hostId, orgId: actor.orgId, provider },
      "org_disconnected",
      actor.userId,
      false,
    );
  }
  // As for an account: of two disconnects at once, only the one whose delete took the row emits, revokes and audits
  // (marking the dependents above changes nothing the second time).
  await db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom("connections")
      .where("id", "=", connection.id)
      .where("host_id", "=", actor.hostId)
      .where("org_id", "=", actor.orgId)
      .executeTakeFirst();
    if (deleted.numDeletedRows !== 1n)
      throw notFound("connection_not_found", `The organisation has no ${provider.slice(0, 40)} connection.`);
    await emitConnectionEvent(trx, clock, "unlinked", { ...connection, status: "revoked" }, "disconnected");
  });
  // Revoked even when the admin's own account shares the tokens: that account is a dependent, marked above.
  const report = tokens
    ? toReport(await revoke(deps, providerId, tokens))
    : { revokedAtProvider: false, note: "No tokens were held for this connection." };
  if (connection.credential_id) await dropCredentialIfUnused(db, actor, connection.credential_id);
  const affectedAccounts = dependents.map((account) => ({
    id: account.id,
    userId: account.user_id,
    email: account.email,
    displayName: account.display_name,
  }));
  await writeAudit(db, clock, {
    scope: actor,
    actorUserId: actor.userId,
    action: "connection.disconnected",
    target: connection.id,
    detail: {
      provider,
      externalId: connection.external_id,
      affectedAccounts: affectedAccounts.length,
      revokedAtProvider: report.revokedAtProvider,
    },
  });
  return {
    disconnected: {
      id: connection.id,
      provider,
      externalId: connection.external_id,
      displayName: connection.display_name,
    },
    stopsWorking: connectionImpact[providerId] ?? [],
    affectedAccounts,
    ...report,
  };
}

/** Fresh tokens for an active owner (an expired access token cannot be revoked everywhere), else what is stored. */
async function tokensToRevoke(deps: UnlinkDeps, owner: TokenOwner, active: boolean): Promise<TokenSet | undefined> {
  const adapter = deps.adapters[owner.provider];
  if (active && adapter) {
    try {
      return await deps.refresher.getFreshAccessToken(owner, (current) => adapter.refresh(current));
    } catch (error) {
      deps.logger.warn("could not refresh tokens before revoking them; revoking what is stored", {
        provider: owner.provider,
        kind: owner.kind,
        id: owner.id,
        error,
      });
    }
  }
  return (await readTokens(deps, owner, owner.credentialId))?.tokens;
}

/** Revokes and deletes the credential unless the organisation connection (or another account) still uses it. */
async function revokeIfLast(
  deps: UnlinkDeps,
  scope: OrgScope,
  provider: ProviderId,
  credentialId: string,
  tokens: TokenSet | undefined,
): Promise<RevocationReport> {
  if (await credentialInUse(deps.db, scope, credentialId)) {
    return {
      revokedAtProvider: false,
      note:
        "These tokens are shared with the organisation connection (or the admin's own account) and stay until " +
        "that is removed too.",
    };
  }
  const report = tokens
    ? toReport(await revoke(deps, provider, tokens))
    : { revokedAtProvider: false, note: "No tokens were stored." };
  await dropCredentialIfUnused(deps.db, scope, credentialId);
  return report;
}

function toReport(revocation: Revocation): RevocationReport {
  return revocation.revoked ? { revokedAtProvider: true } : { revokedAtProvider: false, note: revocation.message };
}

async function revoke(deps: UnlinkDeps, provider: ProviderId, tokens: TokenSet): Promise<Revocation> {
  const adapter = deps.adapters[provider];
  if (!adapter)
    return {
      revoked: false,
      reason: "failed",
      message:
        `${provider} is not configured on this server, so the grant could not be revoked there; our tokens ` +
        `are deleted.`,
    };
  try {
    return await adapter.revoke(tokens);
  } catch (error) {
    deps.logger.warn("revocation at the provider failed; our tokens are deleted anyway", { provider, error });
    return {
      revoked: false,
      reason: "failed",
      message: `${provider} did not confirm the revocation; our tokens are deleted.`,
    };
  }
}
