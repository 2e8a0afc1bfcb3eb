/**
 * One provider call made with an account's access token, the way every
 * caller makes it: a fresh token through the refresher (which refreshes an
 * expired one, once across all processes), then the call.
 *
 * - The refresh fails with invalid_grant: the refresher turns the account to
 *   needs_reauth and throws ReauthRequiredError.
 * - The provider refuses the token before its expiry (revoked, expired
 *   early): refresh once more, unless someone already did, and call again; a
 *   refusal of that fresh token means the grant is dead: needs_reauth.
 * - The provider cannot answer: ProviderError / TokenRefreshError, status unchanged.
 */
import type { Clock } from "../clock.ts";
import type { LinkAdapter } from "../oauth/provider-link.ts";
import { ProviderError } from "../providers/errors.ts";
import type { DB } from "../store/database.ts";
import { markNeedsReauth } from "./reauth.ts";
import type { StoredTokens } from "./tokens.ts";
import { ReauthRequiredError, type RefreshableTokens, type TokenOwner, type TokenRefresher } from "./refresh.ts";

export interface AuthorizedCallDeps {
  db: DB;
  clock: Clock;
  refresher: TokenRefresher;
}

export async function callWithFreshToken<T>(
  deps: AuthorizedCallDeps,
  owner: TokenOwner,
  adapter: Pick<LinkAdapter, "refresh">,
  call: (accessToken: string) => Promise<T>,
  /** The owner's tokens, read with its active row in the caller's own query (`FreshTokenOptions.stored`). */
  stored?: StoredTokens,
): Promise<T> {
  const refresh = (current: RefreshableTokens) => adapter.refresh(current);
  const first = await deps.refresher.getFreshAccessToken(owner, refresh, { stored });
  try {
    return await call(first.accessToken);
  } catch (error) {
    if (!isUnauthorized(error)) throw error;
  }
  const fresh = await deps.refresher.getFreshAccessToken(owner, refresh, { rejectedAccessToken: first.accessToken });
  try {
    return await call(fresh.accessToken);
  } catch (again) {
    if (!isUnauthorized(again)) throw again;
    await markNeedsReauth(deps, owner, "unauthorized");
    throw new ReauthRequiredError(owner, "unauthorized", { cause: again });
  }
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof ProviderError && error.code === "unauthorized";
}
