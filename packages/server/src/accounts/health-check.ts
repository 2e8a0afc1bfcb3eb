/**
 * Checking one of the caller's accounts: a fresh access token through the
 * refresher (which refreshes an expired one, once across all processes),
 * then the provider's who-am-I with it.
 *
 * - The refresh fails with invalid_grant: the refresher turns the account to
 *   needs_reauth and throws ReauthRequiredError.
 * - The provider refuses the token before its expiry (revoked, expired
 *   early): refresh once more, unless someone already did, and ask again; a
 *   refusal of that fresh token means the grant is dead: needs_reauth.
 * - The provider cannot answer: ProviderError / TokenRefreshError, status unchanged.
 */
import type { Clock } from "../clock.ts";
import { ApiError, notFound } from "../errors.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import { ProviderError, type ProviderId } from "../providers/errors.ts";
import type { DB } from "../store/database.ts";
import type { UserScope } from "../store/tenancy.ts";
import type { AccountProbes } from "./probe.ts";
import { markNeedsReauth } from "./reauth.ts";
import { ReauthRequiredError, type RefreshableTokens, type TokenOwner, type TokenRefresher } from "./refresh.ts";
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

export async function checkAccount(deps: HealthCheckDeps, owner: UserScope, accountId: string): Promise<HealthCheckResult> {
  const account = await findOwnAccount(deps.db, owner, accountId);
  if (!account) throw notFound("account_not_found", "No such account among yours.");
  const provider = account.provider as ProviderId;
  const probe = deps.probes[provider];
  const adapter = deps.adapters[provider];
  if (!probe || !adapter) throw new ApiError(501, "check_not_supported", `${provider} is not configured on this server, so its accounts cannot be checked.`);

  const tokenOwner: TokenOwner = { kind: "account", id: account.id, hostId: owner.hostId, orgId: owner.orgId, provider, credentialId: account.credential_id };
  const refresh = (current: RefreshableTokens) => adapter.refresh(current);
  const first = await deps.refresher.getFreshAccessToken(tokenOwner, refresh);
  try {
    await probe.whoAmI(first.accessToken);
  } catch (error) {
    if (!isUnauthorized(error)) throw error;
    const fresh = await deps.refresher.getFreshAccessToken(tokenOwner, refresh, { rejectedAccessToken: first.accessToken });
    try {
      await probe.whoAmI(fresh.accessToken);
    } catch (again) {
      if (!isUnauthorized(again)) throw again;
      await markNeedsReauth(deps, tokenOwner, "unauthorized");
      throw new ReauthRequiredError(tokenOwner, "unauthorized", { cause: again });
    }
  }
  return { status: "active", checkedAt: deps.clock.now().toISOString() };
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof ProviderError && error.code === "unauthorized";
}
