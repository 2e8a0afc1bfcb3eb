/**
 * The Web API calls Tsunagu makes with a bot (or user) token: who am I, who is
 * this member (guest flags, email), open a DM, post into it.
 */
import type { HttpDeps } from "../http.ts";
import type { ChatProvider } from "../types.ts";
import { slackCall } from "./request.ts";
import { authTestSchema, conversationsOpenSchema, postMessageSchema, usersInfoSchema } from "./schemas.ts";

export interface SlackWhoAmI {
  teamId: string;
  teamName: string | undefined;
  userId: string;
  userName: string | undefined;
  /** Set for bot tokens. */
  botId: string | undefined;
  enterpriseId: string | undefined;
  url: string | undefined;
}

export interface SlackMember {
  id: string;
  teamId: string | undefined;
  name: string | undefined;
  realName: string | undefined;
  /** Needs `users:read.email`; absent for bots and when the scope is missing. */
  email: string | undefined;
  deleted: boolean;
  isBot: boolean;
  isAdmin: boolean;
  isOwner: boolean;
  /** Multi-channel guest. */
  isRestricted: boolean;
  /** Single-channel guest. */
  isUltraRestricted: boolean;
  /** Either kind of guest: Slack does not document whether single-channel guests also carry is_restricted, so both
   * flags count. */
  isGuest: boolean;
  locale: string | undefined;
  timeZone: string | undefined;
}

export interface SlackApi extends ChatProvider {
  /** https://docs.slack.dev/reference/methods/auth.test */
  whoAmI(): Promise<SlackWhoAmI>;
  /** users.info with the locale. */
  member(slackUserId: string): Promise<SlackMember>;
  /** conversations.open, saying whether the DM already existed. */
  openConversation(slackUserId: string): Promise<{ channelId: string; alreadyOpen: boolean }>;
}

export function createSlackApi(deps: HttpDeps, apiBaseUrl: string, token: string): SlackApi {
  const openConversation: SlackApi["openConversation"] = async (slackUserId) => {
    // Idempotent: opening an existing DM answers the same channel with already_open.
    const answer = await slackCall(deps, {
      apiBaseUrl,
      method: "conversations.open",
      token,
      args: { users: slackUserId },
      schema: conversationsOpenSchema,
      kind: "safe",
    });
    return { channelId: answer.channel.id, alreadyOpen: answer.already_open === true };
  };
  return {
    async whoAmI() {
      const answer = await slackCall(deps, {
        apiBaseUrl,
        method: "auth.test",
        token,
        schema: authTestSchema,
        kind: "safe",
      });
      return {
        teamId: answer.team_id,
        teamName: answer.team,
        userId: answer.user_id,
        userName: answer.user,
        botId: answer.bot_id,
        enterpriseId: answer.enterprise_id,
        url: answer.url,
      };
    },
    async member(slackUserId) {
      const { user } = await slackCall(deps, {
        apiBaseUrl,
        method: "users.info",
        token,
        httpMethod: "GET",
        args: { user: slackUserId, include_locale: "true" },
        schema: usersInfoSchema,
        kind: "safe",
      });
      return {
        id: user.id,
        teamId: user.team_id,
        name: user.name,
        realName: user.real_name ?? user.profile?.real_name,
        email: user.profile?.email,
        deleted: user.deleted,
        isBot: user.is_bot,
        isAdmin: user.is_admin,
        isOwner: user.is_owner,
        isRestricted: user.is_restricted,
        isUltraRestricted: user.is_ultra_restricted,
        isGuest: user.is_restricted || user.is_ultra_restricted,
        locale: user.locale,
        timeZone: user.tz,
      };
    },
    openConversation,
    async openDirectMessage(slackUserId) {
      return { channelId: (await openConversation(slackUserId)).channelId };
    },
    async postMessage(channelId, text, blocks) {
      // A 5xx may already have posted the message, so only 429s are sent again.
      const answer = await slackCall(deps, {
        apiBaseUrl,
        method: "chat.postMessage",
        token,
        json: blocks ? { channel: channelId, text, blocks } : { channel: channelId, text },
        schema: postMessageSchema,
        kind: "create",
      });
      return { ts: answer.ts };
    },
  };
}
