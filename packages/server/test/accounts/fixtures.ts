/** Rows the account tests start from: accounts or connections with stored tokens. */
import { randomUUID } from "node:crypto";
import type { Clock } from "../../src/clock.ts";
import type { TokenOwner } from "../../src/accounts/refresh.ts";
import { storeTokens } from "../../src/accounts/tokens.ts";
import type { ProviderId } from "../../src/providers/errors.ts";
import type { TokenSet } from "../../src/providers/types.ts";
import type { DB } from "../../src/store/database.ts";
import type { UserScope } from "../../src/store/tenancy.ts";
import type { Vault } from "../../src/vault/vault.ts";

export interface SeededAccount {
  owner: TokenOwner;
  accountId: string;
}

export async function seedAccount(
  deps: { db: DB; vault: Vault; clock: Clock },
  scope: UserScope,
  provider: ProviderId,
  tokens: TokenSet,
  identity: { externalUserId?: string; externalAccountId?: string; email?: string; isDefault?: boolean } = {},
): Promise<SeededAccount> {
  const credentialId = await storeTokens(deps, scope, provider, tokens);
  const id = randomUUID();
  const now = deps.clock.now().toISOString();
  await deps.db
    .insertInto("accounts")
    .values({
      id,
      host_id: scope.hostId,
      org_id: scope.orgId,
      user_id: scope.userId,
      provider,
      external_user_id: identity.externalUserId ?? `ext-${id.slice(0, 8)}`,
      external_account_id: identity.externalAccountId ?? "ext-account",
      email: identity.email ?? `${scope.userId}@example.test`,
      display_name: identity.email ?? scope.userId,
      detail: "{}",
      credential_id: credentialId,
      status: "active",
      status_reason: null,
      is_default: identity.isDefault === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return {
    accountId: id,
    owner: { kind: "account", id, hostId: scope.hostId, orgId: scope.orgId, provider, credentialId },
  };
}

export async function seedConnection(
  deps: { db: DB; vault: Vault; clock: Clock },
  scope: UserScope,
  provider: ProviderId,
  externalId: string,
  tokens?: TokenSet,
): Promise<{ connectionId: string; credentialId: string | null }> {
  const credentialId = tokens ? await storeTokens(deps, scope, provider, tokens) : null;
  const id = randomUUID();
  const now = deps.clock.now().toISOString();
  await deps.db
    .insertInto("connections")
    .values({
      id,
      host_id: scope.hostId,
      org_id: scope.orgId,
      provider,
      external_id: externalId,
      display_name: `${provider} ${externalId}`,
      detail: "{}",
      credential_id: credentialId,
      status: "active",
      status_reason: null,
      connected_by: scope.userId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { connectionId: id, credentialId };
}
