/**
 * Microsoft identity platform v2: authorization code + PKCE, refresh with
 * rotation, admin consent, and the verified id_token that says which tenant
 * and which user signed in.
 */
import { z } from "zod";
import { InvalidGrantError, ProviderError, ProviderResponseError } from "../errors.ts";
import { type CallKind, type HttpDeps, providerRequest } from "../http.ts";
import type { MicrosoftEndpoints, OAuthApp } from "../settings.ts";
import type { AuthorizationRequest, CodeExchange, OAuthClient, TokenSet } from "../types.ts";
import { createMicrosoftIdTokenVerifier, type MicrosoftIdentity, type MicrosoftIdTokenVerifier } from "./id-token.ts";
import { microsoftQuirks as quirks } from "./quirks.ts";

export type { MicrosoftIdentity } from "./id-token.ts";

// Successful token response.
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

export function createMicrosoftOAuth(
  app: OAuthApp<MicrosoftEndpoints>,
  deps: HttpDeps,
  tenant: string = quirks.signInTenant,
  idTokens: MicrosoftIdTokenVerifier = microsoftIdTokenVerifier(app, deps),
): MicrosoftOAuthClient {
  const authority = authorityOf(app);
  const tokenUrl = `${authority}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;

  const requestTokens = async (form: Record<string, string>, kind: CallKind, previousRefreshToken?: string): Promise<TokenSet> => {
    const body = await providerRequest(deps, {
      provider: "microsoft",
      url: tokenUrl,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ ...form, client_id: app.clientId, client_secret: app.clientSecret }),
      schema: tokenResponse,
      toError: tokenEndpointError,
      kind,
    });
    return {
      accessToken: body.access_token,
      // Rotation: store the new refresh token; keep the old one only if none came back.
      refreshToken: body.refresh_token ?? previousRefreshToken,
      expiresAt: new Date(deps.clock.now().getTime() + body.expires_in * 1000).toISOString(),
      scopes: body.scope.split(quirks.scopeSeparator).filter(Boolean),
      idToken: body.id_token,
    };
  };

  return {
    authorizationUrl(request: MicrosoftAuthorizationRequest): URL {
      const url = new URL(`${authority}/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`);
      url.search = new URLSearchParams({
        client_id: app.clientId,
        response_type: "code",
        redirect_uri: request.redirectUri,
        // Not form_post: our callback binds the flow to its browser with a SameSite=Lax cookie,
        // which a browser does not send on the cross-site POST that form_post makes.
        response_mode: "query",
        scope: request.scopes.join(quirks.scopeSeparator),
        state: request.state,
        ...(request.nonce && { nonce: request.nonce }),
        code_challenge: request.codeChallenge,
        code_challenge_method: quirks.pkceMethod,
        // Several accounts may be signed in to the browser: let the person pick, or re-consent on relink.
        prompt: request.forceConsent ? "consent" : "select_account",
        ...(request.loginHint && { login_hint: request.loginHint }),
      }).toString();
      return url;
    },

    exchangeCode(exchange: CodeExchange): Promise<TokenSet> {
      return requestTokens({
        grant_type: "authorization_code",
        code: exchange.code,
        redirect_uri: exchange.redirectUri,
        code_verifier: exchange.codeVerifier,
        scope: quirks.scopes.join(quirks.scopeSeparator),
      }, "create");
    },

    refresh(refreshToken: string): Promise<TokenSet> {
      return requestTokens({ grant_type: "refresh_token", refresh_token: refreshToken, scope: quirks.scopes.join(quirks.scopeSeparator) }, "safe", refreshToken);
    },

    /**
     * Does nothing at Microsoft, on purpose: the identity platform v2 offers
     * no token revocation endpoint (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow).
     * The only server-side kill switch, Graph `POST /users/{id}/revokeSignInSessions`,
     * ends every session of the user in every app and needs `User.ReadWrite.All`,
     * which we do not ask for (https://learn.microsoft.com/graph/api/user-revokesigninsessions).
     * So unlinking means: the caller deletes our copy of the tokens; the access
     * token expires within 60–90 minutes and the refresh token, unused, after
     * 90 days (https://learn.microsoft.com/entra/identity-platform/refresh-tokens).
     * The person can also remove the app at https://myapps.microsoft.com.
     */
    async revoke(_token: string): Promise<void> {},

    adminConsentUrl({ state, redirectUri, tenant: consentTenant = quirks.adminConsentTenant }): URL {
      if ((quirks.forbiddenAdminConsentTenants as readonly string[]).includes(consentTenant.toLowerCase())) {
        throw new ProviderError("microsoft", 0, "invalid_tenant", `admin consent needs "organizations" or a tenant id, not "${consentTenant}"`);
      }
      const url = new URL(`${authority}/${encodeURIComponent(consentTenant)}/v2.0/adminconsent`);
      url.search = new URLSearchParams({ client_id: app.clientId, scope: quirks.scopes.join(quirks.scopeSeparator), redirect_uri: redirectUri, state }).toString();
      return url;
    },

    parseAdminConsentRedirect(query: URLSearchParams): AdminConsentResult {
      const state = query.get("state") ?? undefined;
      const error = query.get("error");
      if (error) return { granted: false, error, description: query.get("error_description") ?? undefined, state };
      const tenantId = query.get("tenant");
      if (query.get("admin_consent")?.toLowerCase() !== "true" || !tenantId) {
        throw new ProviderResponseError("microsoft", 0, "the admin-consent redirect carries neither admin_consent=True with a tenant nor an error");
      }
      return { granted: true, tenantId, scopes: (query.get("scope") ?? "").split(quirks.scopeSeparator).filter(Boolean), state };
    },

    verifyIdToken: (idToken, expected) => idTokens.verify(idToken, expected),
  };
}

/** One verifier (one discovery, one key cache) for every tenant: the keys and the issuer template are the same. */
export function microsoftIdTokenVerifier(app: OAuthApp<MicrosoftEndpoints>, deps: HttpDeps): MicrosoftIdTokenVerifier {
  return createMicrosoftIdTokenVerifier({ authority: authorityOf(app), tenant: quirks.signInTenant, clientId: app.clientId }, deps);
}

function authorityOf(app: OAuthApp<MicrosoftEndpoints>): string {
  return app.endpoints.authority.replace(/\/+$/, "");
}

/** AADSTS errors: `invalid_grant` means the grant is dead (relink); anything else keeps its own code. */
function tokenEndpointError({ status, body }: { status: number; body: unknown }): ProviderError {
  const parsed = tokenError.safeParse(body);
  if (!parsed.success) return new ProviderError("microsoft", status, `http_${status}`, `Microsoft's token endpoint answered ${status}`, { cause: body });
  // error_description is "AADSTS70008: …\r\nTrace ID: …": the first line is the message, the rest stays in `cause`.
  const message = parsed.data.error_description?.split(/\r?\n/)[0] ?? parsed.data.error;
  if (parsed.data.error === "invalid_grant") return new InvalidGrantError("microsoft", status, message, { cause: parsed.data });
  return new ProviderError("microsoft", status, parsed.data.error, message, { cause: parsed.data });
}
