/**
 * Slack as a LinkAdapter (ARCHITECTURE.md, "Connections and accounts"):
 *
 * - org: the app's bot installed into one workspace (oauth.v2.access with
 *   `slackScopes.bot`). The connection is the workspace (team id and name);
 *   the bot token is the organisation's grant.
 * - personal: Sign in with Slack (OpenID Connect, `openid email profile`, our
 *   nonce), checked against the connected workspace, and against the member's
 *   record read with the organisation's bot token (guests and deactivated
 *   accounts are refused: Tsunagu DMs interview details).
 *
 * Sign in with Slack as a way to log in to the portal (purpose `signin`) is
 * not served here.
 */
import { InvalidGrantError, type ProviderError, ProviderResponseError } from "../../providers/errors.ts";
import type { HttpDeps } from "../../providers/http.ts";
import type { OAuthApp, SlackEndpoints } from "../../providers/settings.ts";
import {
  createSlackClient,
  type SlackClient,
  type SlackIdentity,
  type SlackInstallation,
  type SlackMember,
  slackScopes,
} from "../../providers/slack.ts";
import type { TokenSet } from "../../providers/types.ts";
import type {
  AuthorizationParams,
  CompletionParams,
  LinkAdapter,
  LinkedIdentity,
  LinkFlow,
  LinkOutcome,
} from "../provider-link.ts";
import { refusal } from "../refusals.ts";
import { slackMemberVerdict, slackWorkspaceVerdict, type Verdict, wordVerdict } from "../guards.ts";
import { exchangeCodeOrRefuse, type Refused } from "./code-exchange.ts";

/** Every refusal of this adapter: stable codes, and messages that say what to do. */
export const slackRefusals = {
  slack_wrong_workspace: (signedInTo: string, connected: string) =>
    `You signed in to the Slack workspace "${signedInTo}", but your organisation connected "${connected}". Link ` +
    `again and choose ${connected} in the Slack workspace menu (top right of the sign-in page).`,
  slack_guest_not_allowed: (kind: "multi-channel" | "single-channel", workspace: string) =>
    `Your Slack account is a ${kind} guest in "${workspace}", and guest accounts cannot be linked: Tsunagu sends ` +
    (`interview details by direct message. Link your full member account, or ask a Slack workspace admin to make ` +
      `you a full member.`),
  slack_account_deactivated: (workspace: string) =>
    `This Slack account is deactivated in "${workspace}". Link an active account of that workspace, or ask a Slack ` +
    `workspace admin to reactivate it.`,
  slack_reconnect_required: (workspace: string) =>
    `Your organisation's Slack connection to "${workspace}" no longer works (the app was removed or its token ` +
    `revoked). Ask an administrator to connect Slack again, then link your account.`,
  slack_workspace_install_required: () =>
    "Tsunagu installs into one Slack workspace, not across a whole Enterprise Grid organisation. Start again and " +
    "choose your workspace on Slack's page.",
} as const;

export type SlackRefusalCode = keyof typeof slackRefusals;

/**
 * The organisation connection's tokens (the workspace's bot token), which the
 * engine hands over as `connectionTokens`, refreshed when due. Read through
 * this optional view: without it no guest can be told apart, so a personal
 * link fails rather than lets one in.
 */
interface ConnectionTokenAccess {
  connectionTokens?: (() => Promise<TokenSet | undefined>) | undefined;
}

/** oauth.v2.access and openid.connect.token say "this code is no good" (not "we are misconfigured") with
 * `invalid_code`. */
const isSpentCode = (error: ProviderError) => error.code === "invalid_code";

export function createSlackLinkAdapter(app: OAuthApp<SlackEndpoints>, deps: HttpDeps): LinkAdapter {
  const client = createSlackClient(app, deps);
  return {
    provider: "slack",
    purposes: ["org", "personal"],

    authorizationUrl(flow: LinkFlow, params: AuthorizationParams): URL {
      const request = { state: params.state, codeChallenge: params.codeChallenge, redirectUri: params.redirectUri };
      if (flow.purpose === "org") return client.oauth.authorizationUrl({ ...request, scopes: [...slackScopes.bot] });
      return client.signIn.authorizationUrl({ ...request, scopes: [...slackScopes.personal], nonce: params.nonce });
    },

    async complete(
      flow: LinkFlow,
      callback: URLSearchParams,
      params: CompletionParams & ConnectionTokenAccess,
    ): Promise<LinkOutcome> {
      const exchange = (code: string) => ({ code, codeVerifier: params.codeVerifier, redirectUri: params.redirectUri });
      if (flow.purpose === "org") {
        const installation = await exchangeCodeOrRefuse("slack", callback, isSpentCode, (code) =>
          client.oauth.exchangeInstall(exchange(code)),
        );
        return installation.kind === "refused" ? installation : organisationOutcome(client, installation.value);
      }
      const exchanged = await exchangeCodeOrRefuse("slack", callback, isSpentCode, (code) =>
        client.signIn.identify({ ...exchange(code), nonce: params.nonce }),
      );
      if (exchanged.kind === "refused") return exchanged;
      const signedIn = exchanged.value;
      const guarded = await personalGuards(client, signedIn.identity, params);
      if (guarded) {
        // Nothing of this sign-in is kept, so its token is ended now.
        await client.oauth.revoke(signedIn.tokens.accessToken);
        return guarded;
      }
      return { kind: "personal", account: personalIdentity(signedIn.identity), tokens: signedIn.tokens };
    },

    // Rotating tokens (an app setting) refresh through oauth.v2.access, bot and user tokens alike.
    refresh: (current) => client.oauth.refresh(current.refreshToken),

    async revoke(tokens: TokenSet) {
      await client.oauth.revoke(tokens.accessToken);
      return { revoked: true };
    },
  };
}

function refused<C extends SlackRefusalCode>(code: C, ...args: Parameters<(typeof slackRefusals)[C]>): Refused {
  const message = (slackRefusals[code] as (...values: unknown[]) => string)(...args);
  return { kind: "refused", code, message };
}

async function organisationOutcome(client: SlackClient, installation: SlackInstallation): Promise<LinkOutcome> {
  const bot = installation.bot;
  if (!bot)
    throw new ProviderResponseError("slack", 200, "Slack's oauth.v2.access carried no bot token for a bot install");
  if (!installation.team) {
    await client.oauth.revoke(bot.accessToken);
    return refused("slack_workspace_install_required");
  }
  const { team } = installation;
  const teamName = team.name ?? team.id;
  // The installer becomes a personal account only when Slack handed a user token of theirs (user scopes were asked).
  const ownAccount = installation.authedUser.tokens
    ? memberIdentity(await client.api(bot.accessToken).member(installation.authedUser.id), team.id, teamName)
    : null;
  return {
    kind: "org",
    connection: {
      externalId: team.id,
      displayName: teamName,
      detail: {
        teamId: team.id,
        teamName,
        ...(installation.botUserId ? { botUserId: installation.botUserId } : {}),
        installedBy: installation.authedUser.id,
      },
    },
    grant: { tokens: bot, ownAccount },
  };
}

/** The personal link's guards, in the order a person can act on them; undefined when the link may go ahead. */
async function personalGuards(
  client: SlackClient,
  identity: SlackIdentity,
  params: CompletionParams & ConnectionTokenAccess,
): Promise<Refused | undefined> {
  const connection = params.connection;
  if (!connection) return { kind: "refused", ...refusal("org_connection_missing") };
  const wrongWorkspace = slackWorkspaceVerdict(identity, connection);
  if (wrongWorkspace) return refusedFor(wrongWorkspace);
  const member = slackMemberVerdict(
    await memberAsOrganisation(client, identity.userId, params),
    connection.displayName,
  );
  return member && refusedFor(member);
}

function refusedFor(verdict: Verdict<Exclude<SlackRefusalCode, "slack_workspace_install_required">>): Refused {
  return { kind: "refused", ...wordVerdict(slackRefusals, verdict) };
}

/** users.info with the workspace's bot token: a Sign in with Slack token cannot read member records. */
export async function memberAsOrganisation(
  client: SlackClient,
  slackUserId: string,
  params: ConnectionTokenAccess,
): Promise<SlackMember | "reconnect"> {
  if (!params.connectionTokens) {
    throw new Error(
      "the engine passed no connectionTokens: without the workspace's bot token no guest can be told apart, so " +
        "nobody is linked or signed in",
    );
  }
  const tokens = await params.connectionTokens();
  if (!tokens) return "reconnect";
  try {
    return await client.api(tokens.accessToken).member(slackUserId);
  } catch (error) {
    // token_revoked, invalid_auth, account_inactive: the app is gone from the workspace.
    if (error instanceof InvalidGrantError) return "reconnect";
    throw error;
  }
}

/** A Slack member as a personal account; Sign in with Slack uses it too, so the two meet on one row. */
export function personalIdentity(identity: SlackIdentity): LinkedIdentity {
  return {
    externalUserId: identity.userId,
    externalAccountId: identity.teamId,
    email: identity.email,
    displayName: identity.name ?? identity.email ?? identity.userId,
    detail: {
      teamId: identity.teamId,
      ...(identity.teamName ? { teamName: identity.teamName } : {}),
      ...(identity.locale ? { locale: identity.locale } : {}),
    },
  };
}

function memberIdentity(member: SlackMember, teamId: string, teamName: string): LinkedIdentity {
  return {
    externalUserId: member.id,
    externalAccountId: teamId,
    email: member.email,
    displayName: member.realName ?? member.name ?? member.email ?? member.id,
    detail: {
      teamId,
      teamName,
      ...(member.locale ? { locale: member.locale } : {}),
      ...(member.timeZone ? { timeZone: member.timeZone } : {}),
    },
  };
}
