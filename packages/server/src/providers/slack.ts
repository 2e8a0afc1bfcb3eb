/**
 * Slack: the workspace install (a bot that DMs people), Sign in with Slack for
 * personal links, and the Web API calls behind them. Plain fetch through
 * `providerRequest` rather than @slack/web-api: we make eight calls, and this
 * way they share our retry policy, injected clock and sleep, and typed errors.
 * OAuth: the two profiles in ./slack/oauth.ts.
 * Reference: shared/providers.md §4 (beside the repository) and the vendor docs linked below.
 */
import type { HttpDeps } from "./http.ts";
import type { OAuthApp, SlackEndpoints } from "./settings.ts";
import { createSlackInstallOAuth, type SlackInstallOAuth } from "./slack/oauth.ts";
import { createSlackSignIn, type SlackSignIn, signInScopes } from "./slack/sign-in.ts";
import { createSlackApi, type SlackApi } from "./slack/web-api.ts";

export {
  type SlackInstallation,
  type SlackInstallOAuth,
  type SlackInstallRequest,
  slackInstallProfile,
  slackSignInProfile,
} from "./slack/oauth.ts";
export type { SlackIdentity, SlackSignIn, SlackSignInExchange, SlackSignInRequest } from "./slack/sign-in.ts";
export type { SlackApi, SlackMember, SlackWhoAmI } from "./slack/web-api.ts";

/**
 * Scopes we ask for. The personal link asks for no `user_scope` on
 * /oauth/v2/authorize: it uses Sign in with Slack, whose `openid email profile`
 * is the narrowest identity grant Slack offers (the user-token alternatives are
 * `identity.basic`, legacy and closed to new apps, or `users:read`, the whole
 * member directory). Guest status and email are read with the bot token.
 */
export const slackScopes = {
  /** Organisation connection: post (chat:write) into DMs (im:write) and check members (users:read, users:read.email).
   * */
  bot: ["chat:write", "im:write", "users:read", "users:read.email"],
  personal: [...signInScopes],
} as const;

export interface SlackClient {
  /** Workspace install (organisation connection). */
  oauth: SlackInstallOAuth;
  /** Sign in with Slack (personal link). */
  signIn: SlackSignIn;
  api(accessToken: string): SlackApi;
}

export function createSlackClient(app: OAuthApp<SlackEndpoints>, deps: HttpDeps): SlackClient {
  return {
    oauth: createSlackInstallOAuth(app, deps),
    signIn: createSlackSignIn(app, deps),
    api: (accessToken) => createSlackApi(deps, app.endpoints.apiBaseUrl, accessToken),
  };
}
