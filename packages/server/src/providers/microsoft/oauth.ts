/**
 * Microsoft identity platform v2: authorization code + PKCE, refresh with
 * rotation, admin consent, and the verified id_token that says which tenant
 * and which user signed in.
 */
import { z } from "zod";
import { InvalidGrantError, ProviderError, ProviderResponseError } from "../errors.ts";
import type { HttpDeps } from "../http.ts";
import { createOAuth2Client, type OAuth2Profile } from "../oauth2.ts";
import type { MicrosoftEndpoints, OAuthApp } from "../settings.ts";
import type { AuthorizationRequest, OAuthClient } from "../types.ts";
import { createMicrosoftIdTokenVerifier, type MicrosoftIdentity, type MicrosoftIdTokenVerifier } from "./id-token.ts";
import { microsoftQuirks as quirks } from "./quirks.ts";

export type { MicrosoftIdentity } from "./id-token.ts";

// Successful token response. [M-AC] https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
// [M-RT] https://learn.microsoft.com/entra/identity-platform/refresh-tokens
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2
const tokenResponse = z.object({
  token_type: z.string(),
  scope: z.string(),
  expires_in: z.coerce.number().int().positive(),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
});

// Token error: RFC 6749 §5.2 plus AADSTS details.
// https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#error-response-1
const tokenError = z.object({
  error: z.string(),
  error_description: z.string().optional(),
  error_codes: z.array(z.number()).optional(),
  timestamp: z.string().optional(),
  trace_id: z.string().optional(),
  correlation_id: z.string().optional(),
});

export type AdminConsentResult =
  | { granted: true; tenantId: string; scopes: string[]; state: string | undefined }
  | { granted: false; error: string; description: string | undefined; state: string | undefined };

/** An OpenID Connect sign-in: the nonce comes back in the id_token, which `verifyIdToken` checks. */
export interface MicrosoftAuthorizationRequest extends AuthorizationRequest {
  nonce?: string | undefined;
}

export interface MicrosoftOAuthClient extends OAuthClient {
  authorizationUrl(request: MicrosoftAuthorizationRequest): URL;
  /** The admin-consent URL for `organizations` or one tenant id; `common` is refused, as Microsoft refuses it. */
  adminConsentUrl(request: { state: string; redirectUri: string; tenant?: string }): URL;
  /**
   * Reads the admin-consent redirect (`admin_consent=True&tenant=…` or `error=…`).
   * Check `state` first. `tenantId` can be forged by whoever builds the URL, so
   * confirm it against an id_token's `tid` before trusting it.
   * https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
   */
  parseAdminConsentRedirect(query: URLSearchParams): AdminConsentResult;
  /**
   * Who signed in, once the id_token's signature (against the discovered
   * JWKS), issuer, audience, lifetime and nonce all check out (./id-token.ts).
   * Its `wids` then tell whether the person is a tenant administrator.
   */
  verifyIdToken(idToken: string, expected: { nonce: string }): Promise<MicrosoftIdentity>;
}

/**
 * How Microsoft identity platform v2 speaks OAuth 2.0 (read by ../oauth2.ts) [M-AC].
 * Revocation is `none`, on purpose: the v2 protocol offers no token revocation
 * endpoint. The only server-side kill switch, Graph `POST /users/{id}/revokeSignInSessions`,
 * ends every session of the user in every app and needs `User.ReadWrite.All`,
 * which we do not ask for (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
 * So unlinking means: the caller deletes our copy of the tokens; the access
 * token expires within 60–90 minutes and the refresh token, unused, after
 * 90 days (https://learn.microsoft.com/entra/identity-platform/refresh-tokens).
 * The person can also remove the app at https://myapps.microsoft.com.
 */
export const microsoftOAuthProfile: OAuth2Profile<MicrosoftAuthorizationRequest> = {
  provider: "microsoft",
  responseType: "code",
  scopeSeparator: " ",
  // S256 and plain are accepted; we always send S256.
  pkceMethod: "S256",
  // The secret goes in the form body (Basic is accepted too).
  clientAuthentication: "body",
  // Every refresh returns a new refresh token to store; the old one is not revoked [M-RT].
  refreshTokenRotation: "reissued",
  tokenAnswer: tokenResponse,
  tokenError: tokenEndpointError,
  failureIn200: undefined,
  // Throttling is HTTP 429 with Retry-After: https://learn.microsoft.com/graph/throttling
  isRateLimited: undefined,
  authorizeParams: (request) => ({
    // Not form_post: our callback binds the flow to its browser with a SameSite=Lax cookie,
    // which a browser does not send on the cross-site POST that form_post makes.
    response_mode: "query",
    nonce: request.nonce || undefined,
    // Several accounts may be signed in to the browser: let the person pick, or re-consent on relink.
    prompt: request.forceConsent ? "consent" : "select_account",
    login_hint: request.loginHint || undefined,
  }),
  // The token endpoint wants the scope again with the code and with each refresh.
  tokenParams: { scope: quirks.scopes.join(" ") },
  revocation: "none",
};

export function createMicrosoftOAuth(
  app: OAuthApp<MicrosoftEndpoints>,
  deps: HttpDeps,
  tenant: string = quirks.signInTenant,
  idTokens: MicrosoftIdTokenVerifier = microsoftIdTokenVerifier(app, deps),
): MicrosoftOAuthClient {
  const authority = authorityOf(app);
  const base = `${authority}/${encodeURIComponent(tenant)}/oauth2/v2.0`;
  const oauth = createOAuth2Client(
    microsoftOAuthProfile,
    app,
    { authorizeUrl: `${base}/authorize`, tokenUrl: `${base}/token` },
    deps,
  );
  const separator = microsoftOAuthProfile.scopeSeparator;

  return {
    authorizationUrl: oauth.authorizationUrl,
    exchangeCode: oauth.exchangeCode,
    refresh: oauth.refresh,
    revoke: oauth.revoke,

    adminConsentUrl({ state, redirectUri, tenant: consentTenant = quirks.adminConsentTenant }): URL {
      if ((quirks.forbiddenAdminConsentTenants as readonly string[]).includes(consentTenant.toLowerCase())) {
        throw new ProviderError(
          "microsoft",
          0,
          "invalid_tenant",
          `admin consent needs "organizations" or a tenant id, not "${consentTenant}"`,
        );
      }
      const url = new URL(`${authority}/${encodeURIComponent(consentTenant)}/v2.0/adminconsent`);
      url.search = new URLSearchParams({
        client_id: app.clientId,
        scope: quirks.scopes.join(separator),
        redirect_uri: redirectUri,
        state,
      }).toString();
      return url;
    },

    parseAdminConsentRedirect(query: URLSearchParams): AdminConsentResult {
      const state = query.get("state") ?? undefined;
      const error = query.get("error");
      if (error) return { granted: false, error, description: query.get("error_description") ?? undefined, state };
      const tenantId = query.get("tenant");
      if (query.get("admin_consent")?.toLowerCase() !== "true" || !tenantId) {
        throw new ProviderResponseError(
          "microsoft",
          0,
          "the admin-consent redirect carries neither admin_consent=True with a tenant nor an error",
        );
      }
      return { granted: true, tenantId, scopes: (query.get("scope") ?? "").split(separator).filter(Boolean), state };
    },

    verifyIdToken: (idToken, expected) => idTokens.verify(idToken, expected),
  };
}

/** One verifier (one discovery, one key cache) for every tenant: the keys and the issuer template are the same. */
export function microsoftIdTokenVerifier(app: OAuthApp<MicrosoftEndpoints>, deps: HttpDeps): MicrosoftIdTokenVerifier {
  return createMicrosoftIdTokenVerifier(
    { authority: authorityOf(app), tenant: quirks.signInTenant, clientId: app.clientId },
    deps,
  );
}

function authorityOf(app: OAuthApp<MicrosoftEndpoints>): string {
  return app.endpoints.authority.replace(/\/+$/, "");
}

/** AADSTS errors: `invalid_grant` means the grant is dead (relink); anything else keeps its own code. */
function tokenEndpointError({ status, body }: { status: number; body: unknown }): ProviderError {
  const parsed = tokenError.safeParse(body);
  if (!parsed.success)
    return new ProviderError("microsoft", status, `http_${status}`, `Microsoft's token endpoint answered ${status}`, {
      cause: body,
    });
  // error_description is "AADSTS70008: …\r\nTrace ID: …": the first line is the message, the rest stays in `cause`.
  const message = parsed.data.error_description?.split(/\r?\n/)[0] ?? parsed.data.error;
  if (parsed.data.error === "invalid_grant")
    return new InvalidGrantError("microsoft", status, message, { cause: parsed.data });
  return new ProviderError("microsoft", status, parsed.data.error, message, { cause: parsed.data });
}
