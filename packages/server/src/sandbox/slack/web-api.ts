/**
 * The Web API methods Tsunagu calls, with Slack's scope checks, visibility
 * (a token sees its own workspace) and error codes.
 * https://docs.slack.dev/reference/methods/users.info · …/conversations.open ·
 * …/chat.postMessage · …/auth.revoke · …/auth.test
 */
import type { Context, Hono } from "hono";
import { bearerToken, fail, ok, readArgs, type SlackArgs, text } from "./http.ts";
import { findMember, findTeam, localeOf, type FakeSlackMember, type FakeSlackTeam } from "./seed.ts";
import type { Authentication, SlackFakeState } from "./state.ts";

type Token = Extract<Authentication, { ok: true }>["token"];
type Handler = (c: Context, token: Token, args: SlackArgs) => Response | Promise<Response>;

/** Slack caps message text at 40,000 characters and a message at 50 blocks. */
const maxTextLength = 40_000;
const maxBlocks = 50;

export function webApiRoutes(app: Hono, state: SlackFakeState): void {
  /** Authenticates the call and checks that the token holds one of `scopes` (none: any token). */
  const method = (name: string, scopes: string[], handler: Handler) =>
    app.on(["GET", "POST"], `/api/${name}`, async (c) => {
      const args = await readArgs(c);
      const auth = state.authenticate(bearerToken(c, args));
      if (!auth.ok) return fail(c, auth.error);
      if (scopes.length > 0 && !scopes.some((scope) => auth.token.scopes.includes(scope))) {
        return fail(c, "missing_scope", { needed: scopes.join(","), provided: auth.token.scopes.join(",") });
      }
      return handler(c, auth.token, args);
    });

  method("auth.test", [], (c, token) => {
    const team = findTeam(token.teamId);
    const bot = token.kind === "bot" ? team : undefined;
    return ok(c, {
      url: `https://${team?.domain ?? "sandbox"}.slack.com/`,
      team: team?.name,
      user: bot ? "tsunagu" : findMember(token.userId)?.person.email.split("@")[0],
      team_id: token.teamId,
      user_id: token.userId,
      ...(bot && { bot_id: bot.botId }),
      is_enterprise_install: false,
    });
  });

  method("auth.revoke", [], (c, token, args) => {
    // `test=1` checks the call without revoking.
    if (["1", "true"].includes(text(args, "test") ?? "") || args.test === true) return ok(c, { revoked: false });
    state.revokeToken(token.accessToken);
    return ok(c, { revoked: true });
  });

  method("users.info", ["users:read"], (c, token, args) => {
    const userId = text(args, "user");
    if (!userId) return fail(c, "user_not_found");
    const team = findTeam(token.teamId);
    if (team && userId === team.botUserId) return ok(c, { user: botUser(team) });
    const member = findMember(userId);
    if (!member || member.teamId !== token.teamId) return fail(c, "user_not_found");
    const includeLocale = ["1", "true"].includes(text(args, "include_locale") ?? "") || args.include_locale === true;
    return ok(c, { user: userObject(member, token.scopes.includes("users:read.email"), includeLocale) });
  });

  method("conversations.open", ["im:write", "mpim:write", "channels:manage", "groups:write"], (c, token, args) => {
    const channel = text(args, "channel");
    if (channel) {
      const existing = state.conversation(token.teamId, channel);
      return existing
        ? ok(c, { no_op: true, already_open: true, channel: { id: existing.id } })
        : fail(c, "channel_not_found");
    }
    const users = (text(args, "users") ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter(Boolean);
    if (users.length === 0) return fail(c, "users_list_not_supplied");
    if (users.length > 8) return fail(c, "too_many_users");
    for (const userId of users) {
      const member = findMember(userId);
      if (!member || member.teamId !== token.teamId) return fail(c, "user_not_found");
      if (member.deleted) return fail(c, "user_disabled");
    }
    const opened = state.openConversation(token.teamId, users);
    return ok(c, { ...(!opened.created && { no_op: true, already_open: true }), channel: { id: opened.id } });
  });

  method("chat.postMessage", ["chat:write", "chat:write:bot", "chat:write:user"], (c, token, args) => {
    const target = text(args, "channel");
    if (!target) return fail(c, "channel_not_found");
    let channel = state.conversation(token.teamId, target);
    // Posting to a member's id posts to the app's DM with them.
    const member = channel ? undefined : findMember(target);
    if (member && member.teamId === token.teamId && !member.deleted)
      channel = { id: state.openConversation(token.teamId, [member.id]).id, members: [member.id] };
    if (!channel) return fail(c, "channel_not_found");
    const blocks = parseBlocks(args.blocks);
    if (blocks === "invalid") return fail(c, "invalid_blocks");
    const messageText = typeof args.text === "string" ? args.text : undefined;
    if (!messageText && !blocks?.length) return fail(c, "no_text");
    if ((messageText?.length ?? 0) > maxTextLength) return fail(c, "msg_too_long");
    const ts = state.nextTs();
    const threadTs = text(args, "thread_ts");
    state.messages.push({
      teamId: token.teamId,
      channel: channel.id,
      ts,
      text: messageText,
      blocks,
      threadTs,
      postedBy: token.userId,
      recipient: channel.members.length === 1 ? channel.members[0] : undefined,
    });
    const bot = token.kind === "bot" ? findTeam(token.teamId) : undefined;
    return ok(c, {
      channel: channel.id,
      ts,
      message: {
        type: "message",
        text: messageText ?? "",
        user: token.userId,
        ...(bot && { bot_id: bot.botId }),
        ts,
        ...(blocks && { blocks }),
        ...(threadTs && { thread_ts: threadTs }),
      },
    });
  });
}

/** Blocks come as an array in JSON bodies and as a JSON string in forms. */
function parseBlocks(value: unknown): unknown[] | undefined | "invalid" {
  if (value === undefined || value === "") return undefined;
  let blocks = value;
  if (typeof value === "string") {
    try {
      blocks = JSON.parse(value);
    } catch {
      return "invalid";
    }
  }
  if (
    !Array.isArray(blocks) ||
    blocks.length > maxBlocks ||
    blocks.some((block) => typeof block !== "object" || block === null || typeof block.type !== "string")
  )
    return "invalid";
  return blocks;
}

function userObject(member: FakeSlackMember, withEmail: boolean, withLocale: boolean): Record<string, unknown> {
  const { person } = member;
  const realName = person.nameJa ?? person.name;
  return {
    id: member.id,
    team_id: member.teamId,
    name: person.email.split("@")[0],
    deleted: member.deleted,
    real_name: realName,
    tz: person.timeZone,
    tz_label: "Japan Standard Time",
    tz_offset: 32_400,
    profile: {
      real_name: realName,
      display_name: person.name,
      title: person.title,
      ...(withEmail && { email: person.email }),
    },
    is_admin: member.isAdmin,
    is_owner: member.isOwner,
    is_primary_owner: member.isOwner,
    is_restricted: member.isRestricted,
    is_ultra_restricted: member.isUltraRestricted,
    is_bot: false,
    is_app_user: false,
    ...(withLocale && { locale: localeOf(member) }),
  };
}

function botUser(team: FakeSlackTeam): Record<string, unknown> {
  return {
    id: team.botUserId,
    team_id: team.id,
    name: "tsunagu",
    deleted: false,
    real_name: "Tsunagu",
    profile: { real_name: "Tsunagu", display_name: "Tsunagu", bot_id: team.botId },
    is_admin: false,
    is_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: true,
    is_app_user: false,
  };
}
