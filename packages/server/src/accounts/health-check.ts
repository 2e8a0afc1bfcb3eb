/**
 * Checking one of the caller's accounts: the provider's who-am-I, called
 * with a fresh token the way every account call is (./authorized-call.ts:
 * refresh when needed, once more when the provider refuses the token, then
 * needs_reauth).
 */
import type { Clock } from "../clock.ts";
import { ApiError, notFound } from "../errors.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { DB } from "../store/database.ts";
import type { UserScope } from "../store/tenancy.ts";
import type { AccountProbes } from "./probe.ts";
import { callWithFreshToken } from "./authorized-call.ts";
import type { TokenOwner, TokenRefresher } from "./refresh.ts";
import { findOwnAccount } from "./store.ts";

export interface HealthCheckDeps {
  db: DB;
  clock: Clock;
  adapters: LinkAdapters;
  refresher: TokenRefresher;
  probes: AccountProbes;
}

export interface HealthCheckResult {
  status: "active";
  checkedAt: string;
}

export async function checkAccount(
  deps: HealthCheckDeps,
  owner: UserScope,
  accountId: string,
): Promise<HealthCheckResult> {
  const account = await findOwnAccount(deps.db, owner, accountId);
  if (!account) throw notFound("account_not_found", "No such account among yours.");
  const provider = account.provider as ProviderId;
  const probe = deps.probes[provider];
  const adapter = deps.adapters[provider];
  if (!probe || !adapter)
    throw new ApiError(
      501,
      "check_not_supported",
      `${provider} is not configured on this server, so its accounts cannot be checked.`,
    );

  const tokenOwner: TokenOwner = {
    kind: "account",
    id: account.id,
    hostId: owner.hostId,
    orgId: owner.orgId,
    provider,
    credentialId: account.credential_id,
  };
  await callWithFreshToken(deps, tokenOwner, adapter, (accessToken) => probe.whoAmI(accessToken));
  return { status: "active", checkedAt: deps.clock.now().toISOString() };
}
