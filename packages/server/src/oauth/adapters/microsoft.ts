/**
 * Linking Microsoft 365: the organisation connects its tenant through admin
 * consent, and each person links work accounts of that tenant for Outlook
 * events and free/busy (issue 4; ARCHITECTURE.md, "Connections and accounts").
 *
 * Org, in two stops at Microsoft within one flow (the order Microsoft's
 * admin-consent guide describes, https://learn.microsoft.com/entra/identity-platform/v2-admin-consent):
 * 1. `/organizations/v2.0/adminconsent`: an administrator of the tenant
 *    approves our permissions for everyone. The redirect's `tenant` can be
 *    forged by whoever edits the URL, so it only chooses where step 2 goes.
 * 2. A sign-in code flow pinned to that tenant (`oauthForTenant`): the
 *    admin's own tokens and id_token, from the token endpoint. Its `tid` is
 *    what the connection is made of, and the admin's account becomes their
 *    personal account without a second link, as in HERP Hire.
 * A single stop cannot do both: the admin-consent redirect carries no code
 * and no identity, and `prompt=admin_consent` exists only on the v1
 * endpoint (https://github.com/MicrosoftDocs/azure-docs/issues/87107).
 * Because stop 1's redirect is the browser's to forge (`admin_consent=True&tenant=…`
 * without ever visiting /adminconsent), the connection is made only when the
 * id_token of stop 2, verified against Microsoft's keys, shows the person to
 * hold a role that can grant tenant-wide admin consent (`wids`; the roles are
 * in quirks.ts): a member of a tenant that lets users consent for themselves
 * signs in fine at stop 2, and is refused here with `microsoft_admin_required`.
 * https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent#prerequisites
 *
 * Personal: a sign-in code flow against `organizations` (work and school
 * accounts only); the id_token's `tid` must be the connected tenant.
 */
import { InvalidGrantError, type ProviderError, ProviderResponseError } from "../../providers/errors.ts";
import type { HttpDeps } from "../../providers/http.ts";
import {
  createMicrosoftClient,
  type MicrosoftIdentity,
  type MicrosoftOAuthClient,
  microsoftQuirks,
} from "../../providers/microsoft.ts";
import type { MicrosoftEndpoints, OAuthApp } from "../../providers/settings.ts";
import type { TokenSet } from "../../providers/types.ts";
import type {
  CompletionParams,
  LinkAdapter,
  LinkedIdentity,
  LinkFlow,
  LinkOutcome,
  ProviderErrorReader,
} from "../provider-link.ts";
import { refusal } from "../refusals.ts";
import { microsoftOrgVerdict, microsoftPersonalVerdict, type Verdict, wordVerdict } from "../guards.ts";
import { exchangeCodeOrRefuse } from "./code-exchange.ts";

/** Codes the widget translates: keep them stable. */
export const microsoftRefusals = {
  microsoft_admin_required: () =>
    "Connecting Microsoft 365 needs an administrator of your Microsoft 365 organisation (for example a Global " +
    ("Administrator) to approve Tsunagu for everyone. Sign in with an administrator account, or ask your Microsoft " +
      "365 administrator to connect it."),
  microsoft_tenant_mismatch: () =>
    "You signed in with an account of another Microsoft 365 organisation than the one you just approved Tsunagu for. " +
    "Connect again and sign in with your account of that organisation.",
  microsoft_wrong_tenant: (account: string, connected: string) =>
    `${account} belongs to another Microsoft 365 organisation than the one your organisation connected ` +
    `(${connected}). Sign in with your work account of ${connected}.`,
} as const;

/** What unlinking tells the user: Microsoft has nothing to revoke with (microsoft/oauth.ts `revoke` says why). */
export const microsoftRevocationNote =
  "Microsoft offers no way for an app to revoke its access, so Tsunagu deleted its tokens and can no longer use " +
  "them. At Microsoft they simply expire: the access token within 90 minutes, the refresh token after 90 days.";

/** A code Microsoft no longer accepts (used, expired, of another tenant: AADSTS54005, 70008, 700005) answers
 * `invalid_grant`. */
const isSpentCode = (error: ProviderError) => error instanceof InvalidGrantError;

/** `flow.step` of the org flow's second stop: `sign_in:<tenant id>`. */
const signInStep = "sign_in:";
const tenantIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createMicrosoftLinkAdapter(app: OAuthApp<MicrosoftEndpoints>, deps: HttpDeps): LinkAdapter {
  const client = createMicrosoftClient(app, deps);
  const scopes = [...microsoftQuirks.scopes];

  /** The code of a sign-in stop, exchanged where it was issued; a code Microsoft refuses is `code_invalid`. */
  async function exchange(
    oauth: MicrosoftOAuthClient,
    callback: URLSearchParams,
    params: CompletionParams,
  ): Promise<{ tokens: TokenSet; identity: MicrosoftIdentity } | LinkOutcome> {
    const exchanged = await exchangeCodeOrRefuse("microsoft", callback, isSpentCode, (code) =>
      oauth.exchangeCode({ code, codeVerifier: params.codeVerifier, redirectUri: params.redirectUri }),
    );
    if (exchanged.kind === "refused") return exchanged;
    const tokens = exchanged.value;
    if (!tokens.idToken)
      throw new ProviderResponseError(
        "microsoft",
        200,
        "the token response carries no id_token although openid was asked for",
      );
    return { tokens, identity: await oauth.verifyIdToken(tokens.idToken, { nonce: params.nonce }) };
  }

  async function completeOrg(
    flow: LinkFlow,
    callback: URLSearchParams,
    params: CompletionParams,
  ): Promise<LinkOutcome> {
    const tenantId = consentedTenant(flow.step);
    if (tenantId === undefined) {
      // Stop 1. Errors (a non-admin, a denial) never get here: the engine and refusalForProviderError answer them.
      const consent = client.oauth.parseAdminConsentRedirect(callback);
      if (!consent.granted) return refusedFor({ code: "microsoft_admin_required", args: [] });
      if (!tenantIdPattern.test(consent.tenantId))
        throw new ProviderResponseError("microsoft", 0, "the admin-consent redirect names no tenant id");
      return { kind: "continue", step: `${signInStep}${consent.tenantId.toLowerCase()}` };
    }
    const signedIn = await exchange(client.oauthForTenant(tenantId), callback, params);
    if ("kind" in signedIn) return signedIn;
    const { tokens, identity } = signedIn;
    const notAdminOfTenant = microsoftOrgVerdict(identity, tenantId, microsoftQuirks.adminConsentRoleIds);
    if (notAdminOfTenant) return refusedFor(notAdminOfTenant);
    const domain = domainOf(identity);
    return {
      kind: "org",
      connection: {
        externalId: tenantId,
        displayName: domain ?? tenantId,
        detail: { tenantId, ...(domain && { domain }) },
      },
      grant: { tokens, ownAccount: linkedIdentity(identity) },
    };
  }

  async function completePersonal(callback: URLSearchParams, params: CompletionParams): Promise<LinkOutcome> {
    const signedIn = await exchange(client.oauth, callback, params);
    if ("kind" in signedIn) return signedIn;
    const { tokens, identity } = signedIn;
    if (!params.connection) return { kind: "refused", ...refusal("org_connection_missing") };
    const wrongTenant = microsoftPersonalVerdict(identity, params.connection);
    if (wrongTenant) return refusedFor(wrongTenant);
    return { kind: "personal", account: linkedIdentity(identity), tokens };
  }

  const adapter: LinkAdapter & ProviderErrorReader = {
    provider: "microsoft",
    purposes: ["org", "personal"],

    authorizationUrl(flow, params) {
      const signIn = {
        state: params.state,
        codeChallenge: params.codeChallenge,
        redirectUri: params.redirectUri,
        scopes,
        nonce: params.nonce,
      };
      if (flow.purpose !== "org") return client.oauth.authorizationUrl(signIn);
      const tenantId = consentedTenant(flow.step);
      // Stop 1 has no PKCE: the admin-consent endpoint issues no code.
      if (tenantId === undefined)
        return client.oauth.adminConsentUrl({ state: params.state, redirectUri: params.redirectUri });
      return client.oauthForTenant(tenantId).authorizationUrl(signIn);
    },

    complete: (flow, callback, params) =>
      flow.purpose === "org" ? completeOrg(flow, callback, params) : completePersonal(callback, params),

    refusalForProviderError(flow, callback) {
      // Admin consent by someone who is not an administrator of the tenant: `admin_consent=True&error=consent_required`
      // (AADSTS90094).
      if (
        flow.purpose === "org" &&
        consentedTenant(flow.step) === undefined &&
        callback.get("error") === "consent_required"
      ) {
        return { code: "microsoft_admin_required", message: microsoftRefusals.microsoft_admin_required() };
      }
      return undefined;
    },

    refresh: (current) => client.oauth.refresh(current.refreshToken),

    async revoke() {
      return { revoked: false, reason: "not_supported", message: microsoftRevocationNote };
    },
  };
  return adapter;
}

function consentedTenant(step: string | null): string | undefined {
  return step?.startsWith(signInStep) ? step.slice(signInStep.length) : undefined;
}

function domainOf(identity: MicrosoftIdentity): string | undefined {
  return (identity.username ?? identity.email)?.split("@")[1]?.toLowerCase();
}

function linkedIdentity(identity: MicrosoftIdentity): LinkedIdentity {
  const email = identity.email ?? identity.username;
  return {
    externalUserId: identity.objectId,
    externalAccountId: identity.tenantId.toLowerCase(),
    email,
    displayName: identity.name ?? email ?? identity.objectId,
    detail: { tenantId: identity.tenantId.toLowerCase(), ...(identity.username && { username: identity.username }) },
  };
}

function refusedFor(verdict: Verdict<keyof typeof microsoftRefusals>): LinkOutcome {
  return { kind: "refused", ...wordVerdict(microsoftRefusals, verdict) };
}
