/**
 * The end of a sign-in flow, once the adapter's guards let the person through
 * (src/signin/slack.ts): the organisation still allows sign-in, the provider
 * account is linked to the portal user once (later sign-ins reuse the link),
 * and the server signs the assertion the portal logs its user in with.
 */
import { writeAudit } from "../accounts/audit.ts";
import { savePersonalOutcome } from "../accounts/linking.ts";
import { type AccountRow, findOwnAccountByIdentity } from "../accounts/store.ts";
import { readTokens } from "../accounts/tokens.ts";
import type { Clock } from "../clock.ts";
import { forbidden } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { FlowPurpose } from "../oauth/flow-ports.ts";
import type { LinkAdapters, LinkOutcome } from "../oauth/provider-link.ts";
import { type Refusal, refusal } from "../oauth/refusals.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { TokenSet } from "../providers/types.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope, UserScope } from "../store/tenancy.ts";
import type { Vault } from "../vault/vault.ts";
import { signAssertion } from "./assertion.ts";
import type { ServerKeys } from "./server-keys.ts";
import { readSignInSetting } from "./settings.ts";

type PersonalOutcome = Extract<LinkOutcome, { kind: "personal" }>;

export interface SignInCompletionDeps {
  db: DB;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  /** The assertions' issuer. */
  publicUrl: string;
  keys: ServerKeys;
  /** The sign-in adapters, by provider: what the OAuth engine picks for a `signin` flow. */
  signInAdapters: LinkAdapters;
  /** For revoking a repeated sign-in's token that nothing keeps. */
  linkAdapters: LinkAdapters;
}

const providerNames: Record<ProviderId, string> = {
  slack: "Slack",
  google: "Google",
  microsoft: "Microsoft",
  zoom: "Zoom",
};

export function signInDisabled(provider: ProviderId): Refusal {
  const name = providerNames[provider];
  return {
    code: "signin_disabled",
    message:
      `Sign in with ${name} is not turned on for your organisation. Sign in another way, or ask an ` +
      `administrator to turn on Sign in with ${name}.`,
  };
}

/**
 * The `signin` purpose of the OAuth engine (src/oauth/flow-ports.ts): a start
 * is refused (403 `signin_disabled`) unless the organisation turned sign-in
 * on; the end links the account if it is not linked yet and signs the
 * assertion, or says why not.
 */
export function createSignInPurpose(deps: SignInCompletionDeps): FlowPurpose {
  const { db, vault, clock, logger } = deps;

  async function enabled(tenant: OrgScope, provider: ProviderId): Promise<boolean> {
    return (await readSignInSetting(db, tenant, provider)).enabled;
  }

  /** The user's account for this identity: the one linked already, or a new link. */
  async function linkOnce(
    scope: UserScope,
    provider: ProviderId,
    outcome: PersonalOutcome,
  ): Promise<{ ok: true; account: AccountRow } | { ok: false; refusal: Refusal }> {
    const existing = await findOwnAccountByIdentity(db, scope, provider, outcome.account.externalUserId);
    if (existing?.status === "active") {
      await dropUnkeptToken(scope, existing, outcome.tokens);
      return { ok: true, account: existing };
    }
    // A first sign-in, or one that repairs an account needing reauthorisation: linked like a personal link.
    const saved = await savePersonalOutcome({ db, vault, clock }, { scope, provider }, outcome);
    // account_already_linked: a sign-in of the same person in another window linked it a moment ago, with these tokens.
    if (saved.ok || saved.refusal.code === "account_already_linked") {
      const account = await findOwnAccountByIdentity(db, scope, provider, outcome.account.externalUserId);
      if (account) return { ok: true, account };
    }
    if (!saved.ok) return { ok: false, refusal: saved.refusal };
    throw new Error("the sign-in's account was linked but cannot be read back");
  }

  /**
   * A repeated sign-in brings a token the linked account does not need. It is
   * revoked only when it is not the stored one: Slack may hand back the same
   * user token, and revoking it would cut the link.
   */
  async function dropUnkeptToken(scope: UserScope, account: AccountRow, tokens: TokenSet): Promise<void> {
    const stored = await readTokens({ db, vault, clock }, scope, account.credential_id);
    if (stored?.tokens.accessToken === tokens.accessToken) return;
    try {
      await deps.linkAdapters[account.provider as ProviderId]?.revoke(tokens);
    } catch (error) {
      logger.warn("could not revoke the token of a repeated sign-in", {
        provider: account.provider,
        account: account.id,
        error,
      });
    }
  }

  return {
    adapters: deps.signInAdapters,

    async assertMayStart(tenant, provider) {
      if (!(await enabled(tenant, provider))) {
        const disabled = signInDisabled(provider);
        throw forbidden(disabled.code, disabled.message);
      }
    },

    async finish(flow, outcome) {
      // A sign-in adapter ends with the person's own account; anything else is a bug, not a refusal to explain.
      if (outcome.kind !== "personal") {
        deps.logger.error("a sign-in flow ended with an outcome of another kind", {
          provider: flow.provider,
          flow: flow.id,
          kind: outcome.kind,
        });
        return { ok: false, refusal: refusal("internal_error") };
      }
      const scope: UserScope = { hostId: flow.hostId, orgId: flow.orgId, userId: flow.userId };
      // An admin may have turned sign-in off while this person was at the provider.
      if (!(await enabled(scope, flow.provider))) return { ok: false, refusal: signInDisabled(flow.provider) };
      const linked = await linkOnce(scope, flow.provider, outcome);
      if (!linked.ok) return linked;
      const signed = await signAssertion(await deps.keys.signingKey(), {
        issuer: deps.publicUrl,
        hostId: flow.hostId,
        orgId: flow.orgId,
        userId: flow.userId,
        email: flow.userEmail,
        provider: flow.provider,
        providerAccount: { teamId: outcome.account.externalAccountId, userId: outcome.account.externalUserId },
        issuedAt: clock.now(),
      });
      await writeAudit(db, clock, {
        scope,
        actorUserId: scope.userId,
        action: "signin.succeeded",
        target: linked.account.id,
        detail: {
          provider: flow.provider,
          externalUserId: outcome.account.externalUserId,
          jti: signed.jti,
          expiresAt: signed.expiresAt,
        },
      });
      return { ok: true, status: "signed_in", accountId: linked.account.id, assertion: signed.assertion };
    },
  };
}
