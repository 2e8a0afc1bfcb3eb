/**
 * Sign in with Slack, assembled for the app (README, "Sign in with Slack"):
 * the server's signing keys, and the `signin` purpose of the OAuth engine
 * (its adapters and its end). A provider offers sign-in only where its link
 * adapter exists too: the organisation connects through that one.
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { FlowPurpose } from "../oauth/flow-ports.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { DB } from "../store/database.ts";
import type { Vault } from "../vault/vault.ts";
import { createSignInPurpose } from "./completion.ts";
import { createServerKeys, type ServerKeys } from "./server-keys.ts";

export interface SignInDeps {
  db: DB;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
  linkAdapters: LinkAdapters;
  signInAdapters: LinkAdapters;
}

export interface SignIn {
  keys: ServerKeys;
  /** What the OAuth engine gets for `signin` flows. */
  purpose: FlowPurpose;
  /** The providers a person can sign in with on this server. */
  providers: ProviderId[];
}

export function createSignIn(deps: SignInDeps): SignIn {
  const { db, vault, clock, logger } = deps;
  const keys = createServerKeys({ db, vault, clock });
  const signInAdapters: LinkAdapters = {};
  for (const adapter of Object.values(deps.signInAdapters)) {
    if (deps.linkAdapters[adapter.provider] && adapter.purposes.includes("signin"))
      signInAdapters[adapter.provider] = adapter;
  }
  return {
    keys,
    purpose: createSignInPurpose({
      db,
      vault,
      clock,
      logger,
      publicUrl: deps.publicUrl,
      keys,
      signInAdapters,
      linkAdapters: deps.linkAdapters,
    }),
    providers: Object.values(signInAdapters).map((adapter) => adapter.provider),
  };
}
