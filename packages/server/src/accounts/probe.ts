/**
 * A capability beside LinkAdapter: asking the provider who an access token
 * belongs to, the cheapest call that proves the token works. The health check
 * (./health-check.ts) uses it. One implementation per provider in ./probes/.
 */
import type { ProviderId } from "../providers/errors.ts";

export interface ProbedIdentity {
  /** The provider's id of the token's user, as accounts store it in `external_user_id`. */
  externalUserId: string;
  email: string | undefined;
}

export interface AccountProbe {
  readonly provider: ProviderId;
  /**
   * Throws `ProviderError` with code `unauthorized` when the provider refuses
   * the token (whatever its own code for that is), and other `ProviderError`s
   * when it cannot answer.
   */
  whoAmI(accessToken: string): Promise<ProbedIdentity>;
}

export type AccountProbes = Partial<Record<ProviderId, AccountProbe>>;
