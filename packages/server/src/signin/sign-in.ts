/**
 * Sign in with Slack, assembled for the app (README, "Sign in with Slack"):
 * the server's signing keys, the completion the OAuth engine calls at the end
 * of a `signin` flow, and the engine's adapters with `signin` routed to the
 * sign-in adapters.
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { DB } from "../store/database.ts";
import type { Vault } from "../vault/vault.ts";
import { withSignIn } from "./adapters.ts";
import { createSignInCompletion, type SignInCompletion } from "./completion.ts";
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
  completion: SignInCompletion;
  /** The link adapters, with `signin` served where a sign-in adapter exists: what the OAuth engine gets. */
  adapters: LinkAdapters;
  /** The providers a person can sign in with on this server. */
  providers: ProviderId[];
}

export function createSignIn(deps: SignInDeps): SignIn {
  const { db, vault, clock, logger } = deps;
  const keys = createServerKeys({ db, vault, clock });
  const adapters = withSignIn(deps.linkAdapters, deps.signInAdapters);
  return {
    keys,
    completion: createSignInCompletion({ db, vault, clock, logger, publicUrl: deps.publicUrl, keys, adapters: deps.linkAdapters }),
    adapters,
    providers: Object.values(adapters)
      .filter((adapter) => adapter.purposes.includes("signin"))
      .map((adapter) => adapter.provider),
  };
}
