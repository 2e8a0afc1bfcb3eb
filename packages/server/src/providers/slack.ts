/**
 * Slack: the workspace install (a bot that DMs people), Sign in with Slack for
 * personal links, and the Web API calls behind them. Plain fetch through
 * `providerRequest` rather than @slack/web-api: we make eight calls, and this
 * way they share our retry policy, injected clock and sleep, and typed errors.
 * Reference: shared/providers.md §4 (beside the repository) and the vendor docs linked below.
 */
import type { HttpDeps } from "./http.ts";
import type { OAuthApp, SlackEndpoints } from "./settings.ts";
import type { AuthorizationRequest, CodeExchange, OAuthClient, TokenSet } from "./types.ts";
import { ProviderResponseError } from "./errors.ts";
import { slackCall } from "./slack/request.ts";
import { oauthV2AccessSchema, type OAuthV2Access } from "./slack/schemas.ts";
import { createSlackSignIn, type SlackSignIn, signInScopes } from "./slack/sign-in.ts";
import { addChallenge, revokeToken, toTokenSet, verifierFor } from "./slack/tokens.ts";
import { createSlackApi, type SlackApi } from "./slack/web-api.ts";

export type { SlackIdentity, SlackSignIn, SlackSignInExchange, SlackSignInRequest } from "./slack/sign-in.ts";
export type { SlackApi, SlackMember, SlackWhoAmI } from "./slack/web-api.ts";

export interface SlackQuirks {
  /** How /oauth/v2/authorize joins scopes (Sign in with Slack uses spaces, as OIDC does). */
  scopeSeparator: string;
  /** Whether we send code_challenge at authorize and code_verifier at the token step. */
  pkce: boolean;
}

/**
 * Everything that sets Slack apart and changes what we send, in one place.
 * The rest is behaviour we read rather than choose: client credentials always
 * go in HTTP Basic ("avoid sending client_id and client_secret as parameters",
 * https://docs.slack.dev/reference/methods/oauth.v2.access); failures arrive as
 * HTTP 200 `ok:false` (slack/request.ts); refresh tokens exist only when the
 * app turns token rotation on, and each refresh spends the one it used
 * (https://docs.slack.dev/authentication/using-token-rotation).
 */
export const slackQuirks: SlackQuirks = {
  // https://docs.slack.dev/authentication/installing-with-oauth
  scopeSeparator: ",",
  // Slack honours PKCE only for apps switched to it, which marks the app a public client for good, caps refresh
  // tokens at 30 days and refuses bot scopes to localhost redirects (https://docs.slack.dev/authentication/using-pkce).
  // Tsunagu is a confidential client: the client secret and the one-time state protect the code instead.
  pkce: false,
};

/**
 * Scopes we ask for. The personal link asks for no `user_scope` on
 * /oauth/v2/authorize: it uses Sign in with Slack, whose `openid email profile`
 * is the narrowest identity grant Slack offers (the user-token alternatives are
 * `identity.basic`, legacy and closed to new apps, or `users:read`, the whole
 * member directory). Guest status and email are read with the bot token.
 */
export const slackScopes = {
  /** Organisation connection: post (chat:write) into DMs (im:write) and check members (users:read, users:read.email). */
  bot: ["chat:write", "im:write", "users:read", "users:read.email"],
  personal: [...signInScopes],
} as const;

export interface SlackInstallRequest extends AuthorizationRequest {
  /** User-token scopes (`user_scope`); none unless a feature needs to act as the installing person. */
  userScopes?: string[] | undefined;
  /** Pre-selects a workspace (`team`). */
  teamId?: string | undefined;
}

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
  /** Bot scopes from `scopes` go to `scope`, user scopes to `user_scope`. PKCE only if slackQuirks says so. */
  authorizationUrl(request: SlackInstallRequest): URL;
  /** The bot's tokens (or the user's when only user scopes were asked). */
  exchangeCode(exchange: CodeExchange): Promise<TokenSet>;
  exchangeInstall(exchange: CodeExchange): Promise<SlackInstallation>;
}

export interface SlackClient {
  /** Workspace install (organisation connection). */
  oauth: SlackInstallOAuth;
  /** Sign in with Slack (personal link). */
  signIn: SlackSignIn;
  api(accessToken: string): SlackApi;
}

export function createSlackClient(app: OAuthApp<SlackEndpoints>, deps: HttpDeps): SlackClient {
  const { endpoints } = app;
  const client = { clientId: app.clientId, clientSecret: app.clientSecret };
  const tokenCall = (args: Record<string, string | undefined>) =>
    slackCall(deps, { apiBaseUrl: endpoints.apiBaseUrl, method: "oauth.v2.access", client, args, schema: oauthV2AccessSchema, kind: "create" });

  const exchangeInstall = async (exchange: CodeExchange): Promise<SlackInstallation> =>
    toInstallation(deps, await tokenCall({ grant_type: "authorization_code", code: exchange.code, redirect_uri: exchange.redirectUri, code_verifier: verifierFor(slackQuirks, exchange) }));

  return {
    oauth: {
      authorizationUrl(request) {
        const url = new URL(endpoints.authorizeUrl);
        url.searchParams.set("client_id", app.clientId);
        if (request.scopes.length > 0) url.searchParams.set("scope", request.scopes.join(slackQuirks.scopeSeparator));
        if (request.userScopes?.length) url.searchParams.set("user_scope", request.userScopes.join(slackQuirks.scopeSeparator));
        url.searchParams.set("redirect_uri", request.redirectUri);
        url.searchParams.set("state", request.state);
        if (request.teamId) url.searchParams.set("team", request.teamId);
        addChallenge(url, slackQuirks, request.codeChallenge);
        return url;
      },
      async exchangeCode(exchange) {
        const installation = await exchangeInstall(exchange);
        const tokens = installation.bot ?? installation.authedUser.tokens;
        if (!tokens) throw new ProviderResponseError("slack", 200, "Slack's oauth.v2.access carried no token");
        return tokens;
      },
      exchangeInstall,
      async refresh(refreshToken) {
        // Works for bot and user tokens alike; the refresh token just used is dead from now on.
        const answer = await tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken });
        if (!answer.access_token) throw new ProviderResponseError("slack", 200, "Slack's refresh answer carried no access_token");
        return toTokenSet(deps.clock, { ...answer, accessToken: answer.access_token });
      },
      revoke: (token) => revokeToken(deps, endpoints.apiBaseUrl, token),
    },
    signIn: createSlackSignIn(app, deps, slackQuirks),
    api: (accessToken) => createSlackApi(deps, endpoints.apiBaseUrl, accessToken),
  };
}

function toInstallation(deps: HttpDeps, answer: OAuthV2Access): SlackInstallation {
  if (!answer.authed_user) throw new ProviderResponseError("slack", 200, "Slack's oauth.v2.access carried no authed_user");
  const user = answer.authed_user;
  return {
    appId: answer.app_id,
    team: answer.team ? { id: answer.team.id, name: answer.team.name } : null,
    enterprise: answer.enterprise ? { id: answer.enterprise.id, name: answer.enterprise.name } : null,
    isEnterpriseInstall: answer.is_enterprise_install === true,
    botUserId: answer.bot_user_id,
    bot: answer.access_token ? toTokenSet(deps.clock, { ...answer, accessToken: answer.access_token }) : undefined,
    authedUser: { id: user.id, tokens: user.access_token ? toTokenSet(deps.clock, { ...user, accessToken: user.access_token }) : undefined },
  };
}
