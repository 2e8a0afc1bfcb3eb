/**
 * Linking Google: the organisation connects its Google Workspace domain, and
 * each person links Workspace accounts of that domain for calendar events and
 * free/busy (issue 4; ARCHITECTURE.md, "Connections and accounts").
 *
 * - Org: a portal admin signs in with a Workspace account; the connection is
 *   the account's `hd` (Workspace domain). When the calendar permissions were
 *   granted too, the admin's account also becomes their personal account.
 * - Personal: the account's `hd` must be the connected domain, and the grant
 *   must include the calendar permissions (granular consent lets people
 *   untick them).
 *
 * Who signed in comes from the id_token, verified against Google's keys
 * (issuer, audience, expiry), or from userinfo when no id_token came back.
 *
 * Every consent asks `prompt=consent`: Google hands out a refresh token only
 * on an account's first consent to the app or with prompt=consent, and the
 * flow engine has no "relink" flag. A relink after needs_reauth (a refresh
 * token dropped after six months unused, or by the per-account token limit,
 * while the grant itself lives on) would otherwise come back without one.
 * https://developers.google.com/identity/protocols/oauth2/web-server#offline
 *
 * A refused link does not revoke the grant it got: a Google grant is per
 * account and app, so revoking it would also cut the same account's working
 * link elsewhere (another user, another portal). Revocation is for unlink.
 */
import { InvalidGrantError, ProviderError } from "../../providers/errors.ts";
import { createGoogleClient, type GoogleIdentity, googleScopes, missingGoogleScopes } from "../../providers/google.ts";
import type { HttpDeps } from "../../providers/http.ts";
import type { GoogleEndpoints, OAuthApp } from "../../providers/settings.ts";
import type { TokenSet } from "../../providers/types.ts";
import type { LinkAdapter, LinkedIdentity, LinkOutcome, Revocation } from "../provider-link.ts";
import { refusal } from "../refusals.ts";
import { googlePersonalVerdict, googleWorkspaceVerdict, type Verdict, wordVerdict } from "../guards.ts";
import { exchangeCodeOrRefuse } from "./code-exchange.ts";

/** Codes the widget translates: keep them stable. */
export const googleRefusals = {
  google_workspace_required: () =>
    "This is a personal Google account. Sign in with your company Google Workspace account (the one with your work " +
    "email address) to link Google Calendar.",
  google_wrong_domain: (accountDomain: string, connectedDomain: string) =>
    `This Google account belongs to ${accountDomain}, but your organisation connected the Google Workspace domain ` +
    `${connectedDomain}. Sign in with your ${connectedDomain} account.`,
  google_calendar_permission_missing: () =>
    "Google did not give Tsunagu access to your calendar, so nothing was linked. Link again and, on Google's consent " +
    "screen, tick both calendar checkboxes (see and edit events, and see when you are busy).",
} as const;

/** A code Google no longer accepts (used, expired) answers `invalid_grant`. */
const isSpentCode = (error: ProviderError) => error instanceof InvalidGrantError;

export function createGoogleLinkAdapter(app: OAuthApp<GoogleEndpoints>, deps: HttpDeps): LinkAdapter {
  const client = createGoogleClient(app, deps);

  async function whoSignedIn(tokens: TokenSet): Promise<GoogleIdentity> {
    return tokens.idToken ? client.oauth.verifyIdToken(tokens.idToken) : client.api(tokens.accessToken).whoAmI();
  }

  return {
    provider: "google",
    purposes: ["org", "personal"],

    authorizationUrl(_flow, params) {
      return client.oauth.authorizationUrl({
        state: params.state,
        codeChallenge: params.codeChallenge,
        redirectUri: params.redirectUri,
        scopes: [...googleScopes],
        forceConsent: true,
      });
    },

    async complete(flow, callback, params): Promise<LinkOutcome> {
      const exchanged = await exchangeCodeOrRefuse("google", callback, isSpentCode, (code) =>
        client.oauth.exchangeCode({ code, codeVerifier: params.codeVerifier, redirectUri: params.redirectUri }),
      );
      if (exchanged.kind === "refused") return exchanged;
      const tokens = exchanged.value;
      const identity = await whoSignedIn(tokens);
      // `hd` names the Workspace domain; a personal Gmail account has none.
      const domain = identity.hd?.toLowerCase() ?? "";
      const notWorkspace = googleWorkspaceVerdict(domain);
      if (notWorkspace) return refusedFor(notWorkspace);
      const calendarGranted = missingGoogleScopes(tokens.scopes).length === 0;
      const account = linkedIdentity(identity, domain);

      if (flow.purpose === "org") {
        return {
          kind: "org",
          connection: { externalId: domain, displayName: domain, detail: { domain } },
          // Without the calendar permissions the admin's tokens serve nothing: keep none, and link no account.
          grant: calendarGranted ? { tokens, ownAccount: account } : null,
        };
      }
      if (!params.connection) return { kind: "refused", ...refusal("org_connection_missing") };
      const refused = googlePersonalVerdict(domain, calendarGranted, params.connection);
      if (refused) return refusedFor(refused);
      return { kind: "personal", account, tokens };
    },

    refresh: (current) => client.oauth.refresh(current.refreshToken),

    async revoke(tokens): Promise<Revocation> {
      // Revoking either token ends the whole grant; the refresh token outlives the access token, so it is the surer
      // one.
      try {
        await client.oauth.revoke(tokens.refreshToken ?? tokens.accessToken);
        return { revoked: true };
      } catch (error) {
        // 400: Google no longer knows the token (revoked from the Google account, or expired).
        if (error instanceof ProviderError && error.status === 400) {
          return {
            revoked: false,
            reason: "failed",
            message:
              "Google no longer accepted these tokens (the access was probably removed from the Google account " +
              "already). Tsunagu deleted its copy; you can check at https://myaccount.google.com/permissions.",
          };
        }
        throw error;
      }
    },
  };
}

function linkedIdentity(identity: GoogleIdentity, domain: string): LinkedIdentity {
  return {
    externalUserId: identity.sub,
    externalAccountId: domain,
    email: identity.email,
    displayName: identity.name ?? identity.email,
    detail: { domain },
  };
}

function refusedFor(verdict: Verdict<keyof typeof googleRefusals>): LinkOutcome {
  return { kind: "refused", ...wordVerdict(googleRefusals, verdict) };
}
