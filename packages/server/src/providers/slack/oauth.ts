/**
 * How Slack speaks OAuth 2.0, twice: the workspace install (`/oauth/v2/authorize`
 * + `oauth.v2.access`) and Sign in with Slack (OpenID Connect,
 * `openid.connect.token`). Both profiles are read by ../oauth2.ts. What they
 * share: client credentials always go in HTTP Basic ("avoid sending client_id
 * and client_secret as parameters", https://docs.slack.dev/reference/methods/oauth.v2.access);
 * failures arrive as HTTP 200 `ok:false` (./request.ts); refresh tokens exist
 * only when the app turns token rotation on, and each refresh spends the one
 * it used (https://docs.slack.dev/authentication/using-token-rotation).
 */
import { ProviderResponseError } from "../errors.ts";
import type { HttpDeps } from "../http.ts";
import { createOAuth2Client, type OAuth2Client, type OAuth2Profile } from "../oauth2.ts";
import type { OAuthApp, SlackEndpoints } from "../settings.ts";
import type { AuthorizationRequest, CodeExchange, OAuthClient, TokenSet } from "../types.ts";
import { isFailure, isRateLimited, slackError } from "./request.ts";
import { type OAuthV2Access, oauthV2AccessSchema, openidTokenSchema, refreshAnswerSchema } from "./schemas.ts";

export interface SlackInstallRequest extends AuthorizationRequest {
  /** User-token scopes (`user_scope`); none unless a feature needs to act as the installing person. */
  userScopes?: string[] | undefined;
  /** Pre-selects a workspace (`team`). */
  teamId?: string | undefined;
}

export interface SlackSignInRequest extends AuthorizationRequest {
  /** Defaults to the PKCE challenge: it is per flow and the verifier that proves it stays on the server. */
  nonce?: string | undefined;
  /** Restricts the sign-in to one workspace (`team`). */
  teamId?: string | undefined;
}

const shared = {
  provider: "slack",
  // Slack honours PKCE only for apps switched to it, which marks the app a public client for good, caps refresh
  // tokens at 30 days and refuses bot scopes to localhost redirects (https://docs.slack.dev/authentication/using-pkce).
  // Tsunagu is a confidential client: the client secret and the one-time state protect the code instead.
  pkceMethod: "none",
  clientAuthentication: "basic",
  refreshTokenRotation: "single-use",
  tokenError: ({ status, body }) => slackError(status, body),
  failureIn200: isFailure,
  isRateLimited,
  tokenParams: {},
  // https://docs.slack.dev/reference/methods/auth.revoke: the token as bearer; one Slack already refuses is as revoked
  // as it gets.
  revocation: { token: "bearer", authenticated: false, refusedIsRevoked: true },
} as const satisfies Partial<OAuth2Profile>;

/** The workspace install (organisation connection). https://docs.slack.dev/authentication/installing-with-oauth */
export const slackInstallProfile: OAuth2Profile<SlackInstallRequest> = {
  ...shared,
  // /oauth/v2/authorize takes no response_type.
  responseType: "omitted",
  scopeSeparator: ",",
  tokenAnswer: refreshAnswerSchema,
  authorizeParams: (request) => ({
    user_scope: request.userScopes?.length ? request.userScopes.join(",") : undefined,
    team: request.teamId,
  }),
};

/** Sign in with Slack (personal links). https://docs.slack.dev/authentication/sign-in-with-slack */
export const slackSignInProfile: OAuth2Profile<SlackSignInRequest> = {
  ...shared,
  responseType: "code",
  // OpenID Connect joins scopes with spaces.
  scopeSeparator: " ",
  tokenAnswer: openidTokenSchema,
  authorizeParams: (request) => ({ nonce: request.nonce ?? request.codeChallenge, team: request.teamId }),
};

/** The whole `oauth.v2.access` answer of an install. */
export interface SlackInstallation {
  appId: string | undefined;
  /** Null for an organisation-wide install on Enterprise Grid. */
  team: { id: string; name: string | undefined } | null;
  enterprise: { id: string; name: string | undefined } | null;
  isEnterpriseInstall: boolean;
  botUserId: string | undefined;
  /** Absent when only user scopes were asked. */
  bot: TokenSet | undefined;
  /** The person who installed; `tokens` only when user scopes were asked. */
  authedUser: { id: string; tokens: TokenSet | undefined };
}

export interface SlackInstallOAuth extends OAuthClient {
  /** Bot scopes from `scopes` go to `scope`, user scopes to `user_scope`. */
  authorizationUrl(request: SlackInstallRequest): URL;
  /** The bot's tokens (or the user's when only user scopes were asked). */
  exchangeCode(exchange: CodeExchange): Promise<TokenSet>;
  exchangeInstall(exchange: CodeExchange): Promise<SlackInstallation>;
}

export function slackEndpointsFor(endpoints: SlackEndpoints, use: "install" | "sign-in") {
  const api = (method: string) => new URL(method, endpoints.apiBaseUrl).toString();
  return {
    authorizeUrl: use === "install" ? endpoints.authorizeUrl : endpoints.oidcAuthorizeUrl,
    tokenUrl: api(use === "install" ? "oauth.v2.access" : "openid.connect.token"),
    revokeUrl: api("auth.revoke"),
  };
}

export function createSlackInstallOAuth(app: OAuthApp<SlackEndpoints>, deps: HttpDeps): SlackInstallOAuth {
  const oauth = createOAuth2Client(slackInstallProfile, app, slackEndpointsFor(app.endpoints, "install"), deps);
  const exchangeInstall = async (exchange: CodeExchange) =>
    toInstallation(oauth, await oauth.exchangeCodeFor(exchange, oauthV2AccessSchema));
  return {
    authorizationUrl: oauth.authorizationUrl,
    exchangeInstall,
    async exchangeCode(exchange) {
      const installation = await exchangeInstall(exchange);
      const tokens = installation.bot ?? installation.authedUser.tokens;
      if (!tokens) throw new ProviderResponseError("slack", 200, "Slack's oauth.v2.access carried no token");
      return tokens;
    },
    // Works for bot and user tokens alike; the refresh token just used is dead from now on.
    refresh: oauth.refresh,
    revoke: oauth.revoke,
  };
}

function toInstallation(oauth: OAuth2Client<SlackInstallRequest>, answer: OAuthV2Access): SlackInstallation {
  if (!answer.authed_user)
    throw new ProviderResponseError("slack", 200, "Slack's oauth.v2.access carried no authed_user");
  const user = answer.authed_user;
  return {
    appId: answer.app_id,
    team: answer.team ? { id: answer.team.id, name: answer.team.name } : null,
    enterprise: answer.enterprise ? { id: answer.enterprise.id, name: answer.enterprise.name } : null,
    isEnterpriseInstall: answer.is_enterprise_install === true,
    botUserId: answer.bot_user_id,
    bot: answer.access_token ? oauth.toTokenSet({ ...answer, access_token: answer.access_token }) : undefined,
    authedUser: {
      id: user.id,
      tokens: user.access_token ? oauth.toTokenSet({ ...user, access_token: user.access_token }) : undefined,
    },
  };
}
