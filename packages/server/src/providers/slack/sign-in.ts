/**
 * Sign in with Slack (OpenID Connect): how a person links their own Slack
 * identity. https://docs.slack.dev/authentication/sign-in-with-slack
 */
import { createHash } from "node:crypto";
import { createRemoteJWKSet, customFetch, jwtVerify } from "jose";
import { ProviderError } from "../errors.ts";
import type { HttpDeps } from "../http.ts";
import type { OAuthApp, SlackEndpoints } from "../settings.ts";
import type { CodeExchange, OAuthClient, TokenSet } from "../types.ts";

export type { SlackSignInRequest } from "./oauth.ts";
import { identityClaimsSchema, openidTokenSchema, slackUserImageSizes, userInfoSchema } from "./schemas.ts";
import { createOAuth2Client } from "../oauth2.ts";
import { type SlackSignInRequest, slackEndpointsFor, slackSignInProfile } from "./oauth.ts";
import { slackCall } from "./request.ts";

/** Who signed in, from a verified id_token or from `openid.connect.userInfo`. */
export interface SlackIdentity {
  userId: string;
  teamId: string;
  teamName: string | undefined;
  teamDomain: string | undefined;
  email: string | undefined;
  emailVerified: boolean;
  /** When Slack verified the address (`date_email_verified`). */
  emailVerifiedAt: Date | undefined;
  name: string | undefined;
  /** Empty in Slack's answers when the member set none; undefined then. */
  givenName: string | undefined;
  familyName: string | undefined;
  /** `picture`, or else the 192 px (or largest) `user_image_*`: the id_token carries only the latter. */
  picture: string | undefined;
  locale: string | undefined;
}

/** `openid email profile`: the identity, the email for the email guard, and the name. The token answer does not echo
 * them. */
export const signInScopes = ["openid", "email", "profile"] as const;

export interface SlackSignInExchange extends CodeExchange {
  /** Defaults to S256(codeVerifier), matching the default of `authorizationUrl`. */
  nonce?: string | undefined;
}

export interface SlackSignIn extends OAuthClient {
  authorizationUrl(request: SlackSignInRequest): URL;
  /** The tokens, after the id_token was verified (signature, issuer, audience, expiry, nonce). */
  exchangeCode(exchange: SlackSignInExchange): Promise<TokenSet>;
  /** Same as exchangeCode, plus who signed in. */
  identify(exchange: SlackSignInExchange): Promise<{ tokens: TokenSet; identity: SlackIdentity }>;
  verifyIdToken(idToken: string, expected: { nonce: string; accessToken?: string | undefined }): Promise<SlackIdentity>;
  userInfo(accessToken: string): Promise<SlackIdentity>;
}

export function createSlackSignIn(app: OAuthApp<SlackEndpoints>, deps: HttpDeps): SlackSignIn {
  const { endpoints } = app;
  const oauth = createOAuth2Client(slackSignInProfile, app, slackEndpointsFor(endpoints, "sign-in"), deps);
  // jose caches the key set and refetches it when an unknown `kid` shows up (key rotation).
  const keys = createRemoteJWKSet(new URL(endpoints.jwksUrl), {
    [customFetch]: (url, options) => deps.fetch(url, options),
  });

  const verifyIdToken: SlackSignIn["verifyIdToken"] = async (idToken, expected) => {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(idToken, keys, {
        issuer: endpoints.oidcIssuer,
        audience: app.clientId,
        algorithms: ["RS256"],
        currentDate: deps.clock.now(),
      }));
    } catch (cause) {
      throw new ProviderError(
        "slack",
        200,
        "invalid_id_token",
        `Slack's id_token did not verify: ${(cause as Error).message}`,
        { cause },
      );
    }
    if (payload.nonce !== expected.nonce)
      throw new ProviderError("slack", 200, "invalid_id_token", "Slack's id_token carries another nonce");
    if (
      expected.accessToken &&
      typeof payload.at_hash === "string" &&
      payload.at_hash !== atHash(expected.accessToken)
    ) {
      throw new ProviderError(
        "slack",
        200,
        "invalid_id_token",
        "Slack's id_token does not match its access token (at_hash)",
      );
    }
    return toIdentity(payload);
  };

  const identify: SlackSignIn["identify"] = async (exchange) => {
    const answer = await oauth.exchangeCodeFor(exchange, openidTokenSchema);
    if (!answer.id_token)
      throw new ProviderError("slack", 200, "invalid_id_token", "Slack sent no id_token; was `openid` in the scope?");
    const nonce = exchange.nonce ?? s256(exchange.codeVerifier);
    const identity = await verifyIdToken(answer.id_token, { nonce, accessToken: answer.access_token });
    const tokens = oauth.toTokenSet({ scope: signInScopes.join(" "), ...answer });
    return { tokens: { ...tokens, idToken: answer.id_token }, identity };
  };

  return {
    authorizationUrl: oauth.authorizationUrl,
    exchangeCode: async (exchange) => (await identify(exchange)).tokens,
    identify,
    verifyIdToken,
    async refresh(refreshToken) {
      // Only apps with token rotation get refresh tokens here; the answer does not echo the scopes.
      return oauth.toTokenSet({
        scope: signInScopes.join(" "),
        ...(await oauth.refreshFor(refreshToken, openidTokenSchema)),
      });
    },
    revoke: oauth.revoke,
    async userInfo(accessToken) {
      const answer = await slackCall(deps, {
        apiBaseUrl: endpoints.apiBaseUrl,
        method: "openid.connect.userInfo",
        token: accessToken,
        httpMethod: "GET",
        schema: userInfoSchema,
        kind: "safe",
      });
      return toIdentity(answer);
    },
  };
}

function toIdentity(claims: unknown): SlackIdentity {
  const parsed = identityClaimsSchema.safeParse(claims);
  if (!parsed.success)
    throw new ProviderError(
      "slack",
      200,
      "invalid_id_token",
      `Slack's identity claims are incomplete: ${parsed.error.issues[0]?.path.join(".")}`,
      { cause: parsed.error },
    );
  const data = parsed.data;
  const images = data as Record<string, unknown>;
  const image = (size: number) => {
    const url = images[`https://slack.com/user_image_${size}`];
    return typeof url === "string" && url !== "" ? url : undefined;
  };
  return {
    userId: data["https://slack.com/user_id"],
    teamId: data["https://slack.com/team_id"],
    teamName: data["https://slack.com/team_name"],
    teamDomain: data["https://slack.com/team_domain"],
    email: data.email,
    emailVerified: data.email_verified === true,
    emailVerifiedAt: data.date_email_verified === undefined ? undefined : new Date(data.date_email_verified * 1000),
    name: data.name,
    givenName: data.given_name || undefined,
    familyName: data.family_name || undefined,
    picture: data.picture || image(192) || [...slackUserImageSizes].reverse().map(image).find(Boolean),
    locale: data.locale,
  };
}

function s256(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/** OIDC Core §3.1.3.6: left half of the SHA-256 of the access token, base64url. */
function atHash(accessToken: string): string {
  return createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
}
