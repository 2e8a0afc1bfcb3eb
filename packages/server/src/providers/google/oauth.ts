/**
 * Google's OAuth 2.0 web-server flow through our one OAuth2 client
 * (../oauth2.ts) rather than the official OAuth2Client, because the library
 * cannot express two things we need: it stamps `expiry_date` from the process
 * clock (`new Date()`) and drops `expires_in`, so an injected clock cannot
 * drive expiry; and it retries on real timers. The library's client remains
 * the credentials holder of the Calendar calls (./api.ts).
 * https://developers.google.com/identity/protocols/oauth2/web-server
 * https://github.com/googleapis/google-auth-library-nodejs/blob/main/src/auth/oauth2client.ts
 */
import type { Auth } from "googleapis";
import { auth as googleAuth } from "googleapis/build/src/apis/calendar/index.js";
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import { ProviderResponseError } from "../errors.ts";
import type { HttpDeps } from "../http.ts";
import { createOAuth2Client, type OAuth2Profile } from "../oauth2.ts";
import type { GoogleEndpoints, OAuthApp } from "../settings.ts";
import type { OAuthClient } from "../types.ts";
import { isRateLimited, tokenEndpointError, toProviderError } from "./request.ts";
import { idTokenClaimsSchema, tokenResponseSchema } from "./schemas.ts";

/** Who signed in, from the id_token or the userinfo endpoint. `hd` is the Workspace domain; consumer accounts have
 * none. */
export interface GoogleIdentity {
  sub: string;
  email: string;
  emailVerified: boolean;
  hd: string | undefined;
  name: string | undefined;
}

export interface GoogleOAuthClient extends OAuthClient {
  /** Checks an id_token's RS256 signature against the issuer's JWKS, its issuer, audience and expiry, and reads who it
   * names. */
  verifyIdToken(idToken: string): Promise<GoogleIdentity>;
}

/** An OAuth2Client for our app: the library's defaults, with every endpoint taken from the settings. */
export function oauth2Client(app: OAuthApp<GoogleEndpoints>, deps: HttpDeps): Auth.OAuth2Client {
  const { endpoints } = app;
  return new googleAuth.OAuth2({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    endpoints: {
      oauth2AuthBaseUrl: endpoints.authorizeUrl,
      oauth2TokenUrl: endpoints.tokenUrl,
      oauth2RevokeUrl: endpoints.revokeUrl,
      oauth2FederatedSignonJwkCertsUrl: endpoints.jwksUrl,
    },
    issuers: [endpoints.issuer],
    transporterOptions: { fetchImplementation: deps.fetch },
  });
}

/** How Google speaks OAuth 2.0 (read by ../oauth2.ts).
 * https://developers.google.com/identity/protocols/oauth2/web-server */
export const googleOAuthProfile: OAuth2Profile = {
  provider: "google",
  responseType: "code",
  scopeSeparator: " ",
  pkceMethod: "S256",
  // client_secret_post, the library's default too.
  clientAuthentication: "body",
  // Refresh answers carry no refresh token; the one held stays valid.
  refreshTokenRotation: "none",
  tokenAnswer: tokenResponseSchema,
  tokenError: ({ status, body }) => tokenEndpointError(status, body),
  failureIn200: undefined,
  // Google asks for backoff on 403 rateLimitExceeded / userRateLimitExceeded as well as 429.
  isRateLimited,
  authorizeParams: (request) => ({
    // A refresh token comes back only with access_type=offline, and only on first consent unless prompt=consent.
    access_type: "offline",
    include_granted_scopes: "true",
    prompt: request.forceConsent ? "consent" : undefined,
    login_hint: request.loginHint,
  }),
  tokenParams: {},
  // Revoking either token of a grant revokes the grant (both tokens). 200 on success, 400 on error.
  revocation: { token: "query", authenticated: false, refusedIsRevoked: false },
};

export function createGoogleOAuth(app: OAuthApp<GoogleEndpoints>, deps: HttpDeps): GoogleOAuthClient {
  const jwks = createRemoteJWKSet(new URL(app.endpoints.jwksUrl), { [customFetch]: deps.fetch });
  const oauth = createOAuth2Client(googleOAuthProfile, app, app.endpoints, deps);

  return {
    authorizationUrl: oauth.authorizationUrl,
    exchangeCode: oauth.exchangeCode,
    refresh: oauth.refresh,
    revoke: oauth.revoke,

    async verifyIdToken(idToken: string): Promise<GoogleIdentity> {
      try {
        const { payload } = await jwtVerify(idToken, jwks, {
          issuer: app.endpoints.issuer,
          audience: app.clientId,
          algorithms: ["RS256"],
          currentDate: deps.clock.now(),
        });
        return identityFromClaims(idTokenClaimsSchema.parse(payload));
      } catch (cause) {
        if (cause instanceof joseErrors.JOSEError || cause instanceof z.ZodError)
          throw new ProviderResponseError("google", 200, `the id_token could not be verified: ${cause.message}`, {
            cause,
          });
        throw toProviderError(cause, deps.clock.now());
      }
    },
  };
}

export function identityFromClaims(claims: {
  sub: string;
  email: string;
  email_verified?: boolean | undefined;
  hd?: string | undefined;
  name?: string | undefined;
}): GoogleIdentity {
  return {
    sub: claims.sub,
    email: claims.email,
    emailVerified: claims.email_verified ?? false,
    hd: claims.hd,
    name: claims.name,
  };
}
