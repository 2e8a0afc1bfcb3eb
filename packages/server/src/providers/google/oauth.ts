/**
 * Google's OAuth 2.0 web-server flow. The authorization URL is built by the
 * official OAuth2Client. The token calls go through `providerRequest`
 * instead, because the library cannot express two things we need: it stamps
 * `expiry_date` from the process clock (`new Date()`) and drops `expires_in`,
 * so an injected clock cannot drive expiry; and it retries on real timers.
 * https://developers.google.com/identity/protocols/oauth2/web-server
 * https://github.com/googleapis/google-auth-library-nodejs/blob/main/src/auth/oauth2client.ts
 */
import type { Auth } from "googleapis";
import { auth as googleAuth } from "googleapis/build/src/apis/calendar/index.js";
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import { ProviderResponseError } from "../errors.ts";
import { type CallKind, type HttpDeps, providerRequest } from "../http.ts";
import type { GoogleEndpoints, OAuthApp } from "../settings.ts";
import type { AuthorizationRequest, CodeExchange, OAuthClient, TokenSet } from "../types.ts";
import { isRateLimited, tokenEndpointError, toProviderError } from "./call.ts";
import { idTokenClaimsSchema, type TokenResponse, tokenResponseSchema } from "./schemas.ts";

/** Who signed in, from the id_token or the userinfo endpoint. `hd` is the Workspace domain; consumer accounts have none. */
export interface GoogleIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
  hd: string | undefined;
  name: string | undefined;
}

export interface GoogleOAuthClient extends OAuthClient {
  /** Checks an id_token's RS256 signature against the issuer's JWKS, its issuer, audience and expiry, and reads who it names. */
  verifyIdToken(idToken: string): Promise<GoogleIdentity>;
}

/** An OAuth2Client for our app: the library's defaults, with every endpoint taken from the settings. */
export function oauth2Client(app: OAuthApp<GoogleEndpoints>, deps: HttpDeps): Auth.OAuth2Client {
  const { endpoints } = app;
  return new googleAuth.OAuth2({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    endpoints: { oauth2AuthBaseUrl: endpoints.authorizeUrl, oauth2TokenUrl: endpoints.tokenUrl, oauth2RevokeUrl: endpoints.revokeUrl, oauth2FederatedSignonJwkCertsUrl: endpoints.jwksUrl },
    issuers: [endpoints.issuer],
    transporterOptions: { fetchImplementation: deps.fetch },
  });
}

export function createGoogleOAuth(app: OAuthApp<GoogleEndpoints>, deps: HttpDeps): GoogleOAuthClient {
  const library = oauth2Client(app, deps);
  const jwks = createRemoteJWKSet(new URL(app.endpoints.jwksUrl), { [customFetch]: deps.fetch });

  const tokenCall = (form: Record<string, string>, kind: CallKind) =>
    providerRequest(deps, {
      provider: "google",
      url: app.endpoints.tokenUrl,
      body: new URLSearchParams(form),
      schema: tokenResponseSchema,
      toError: ({ status, body }) => tokenEndpointError(status, body),
      kind,
      isRateLimited,
    });

  return {
    authorizationUrl(request: AuthorizationRequest): URL {
      return new URL(
        library.generateAuthUrl({
          redirect_uri: request.redirectUri,
          scope: request.scopes,
          state: request.state,
          code_challenge: request.codeChallenge,
          code_challenge_method: "S256" as Auth.CodeChallengeMethod,
          // A refresh token comes back only with access_type=offline, and only on first consent unless prompt=consent.
          access_type: "offline",
          include_granted_scopes: true,
          ...(request.forceConsent && { prompt: "consent" }),
          ...(request.loginHint && { login_hint: request.loginHint }),
        }),
      );
    },

    async exchangeCode(exchange: CodeExchange): Promise<TokenSet> {
      const form = {
        grant_type: "authorization_code",
        code: exchange.code,
        code_verifier: exchange.codeVerifier,
        redirect_uri: exchange.redirectUri,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      };
      // A code is single use: only a refusal (429) is safe to send again, a 5xx may have spent it.
      return toTokenSet(await tokenCall(form, "create"), deps.clock.now(), undefined);
    },

    async refresh(refreshToken: string): Promise<TokenSet> {
      const form = { grant_type: "refresh_token", refresh_token: refreshToken, client_id: app.clientId, client_secret: app.clientSecret };
      // Google does not rotate: the answer has no refresh_token and the one we hold stays valid.
      return toTokenSet(await tokenCall(form, "safe"), deps.clock.now(), refreshToken);
    },

    async revoke(token: string): Promise<void> {
      // Revoking either token of a grant revokes the grant (both tokens). 200 on success, 400 on error.
      const url = new URL(app.endpoints.revokeUrl);
      url.searchParams.set("token", token);
      await providerRequest(deps, {
        provider: "google",
        url,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        schema: null,
        toError: ({ status, body }) => tokenEndpointError(status, body),
        kind: "safe",
        isRateLimited,
      });
    },

    async verifyIdToken(idToken: string): Promise<GoogleIdentity> {
      try {
        const { payload } = await jwtVerify(idToken, jwks, { issuer: app.endpoints.issuer, audience: app.clientId, algorithms: ["RS256"], currentDate: deps.clock.now() });
        return identityFromClaims(idTokenClaimsSchema.parse(payload));
      } catch (cause) {
        if (cause instanceof joseErrors.JOSEError || cause instanceof z.ZodError) throw new ProviderResponseError("google", 200, `the id_token could not be verified: ${cause.message}`, { cause });
        throw toProviderError(cause, deps.clock.now());
      }
    },
  };
}

export function identityFromClaims(claims: { sub: string; email: string; email_verified?: boolean | undefined; hd?: string | undefined; name?: string | undefined }): GoogleIdentity {
  return { sub: claims.sub, email: claims.email, emailVerified: claims.email_verified ?? false, hd: claims.hd, name: claims.name };
}

function toTokenSet(response: TokenResponse, now: Date, heldRefreshToken: string | undefined): TokenSet {
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? heldRefreshToken,
    expiresAt: new Date(now.getTime() + response.expires_in * 1000).toISOString(),
    scopes: response.scope.split(" ").filter(Boolean),
    idToken: response.id_token,
  };
}
