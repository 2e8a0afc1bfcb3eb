/**
 * Contract: the Slack Web API calls through our production client against the
 * Slack fake: users.info guest flags, conversations.open idempotence,
 * chat.postMessage, `ok:false` as typed errors, 429 retries, and the fake's
 * control API (fail, rate-limit, revoke, expire).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidGrantError, ProviderError } from "../../src/providers/errors.ts";
import type { SlackApi } from "../../src/providers/slack.ts";
import {
  hanako,
  installBot,
  installCode,
  ken,
  kenta,
  labsHanako,
  olivia,
  redirectUri,
  type SlackHarness,
  startSlack,
} from "./slack-support.ts";

let harness: SlackHarness;
let bot: SlackApi;
let botToken: string;
beforeAll(async () => {
  harness = await startSlack();
});
afterAll(() => harness.fake.close());
beforeEach(async () => {
  await harness.fake.control("/reset");
  harness.deps.slept.length = 0;
  botToken = await installBot(harness, hanako);
  bot = harness.client.api(botToken);
});

const messages = async () =>
  (
    (await (await fetch(`${harness.fake.baseUrl}/_control/messages`)).json()) as {
      messages: Array<Record<string, unknown>>;
    }
  ).messages;

describe("a method the fake does not serve", () => {
  it("answers Slack's unknown_method with the method asked, not a plain-text 404", async () => {
    const response = await fetch(`${harness.fake.baseUrl}/api/users.nothing`, {
      method: "POST",
      headers: { authorization: `Bearer ${botToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ ok: false, error: "unknown_method", req_method: "users.nothing" });
  });
});

describe("users.info", () => {
  it("shows a member with email, locale and no guest flags", async () => {
    expect(await bot.member(ken)).toEqual({
      id: ken,
      teamId: "T0SAKURA01",
      name: "ken.sato",
      realName: "佐藤 健",
      email: "ken.sato@sakura-recruit.example",
      deleted: false,
      isBot: false,
      isAdmin: false,
      isOwner: false,
      isRestricted: false,
      isUltraRestricted: false,
      isGuest: false,
      locale: "ja-JP",
      timeZone: "Asia/Tokyo",
    });
  });

  it("flags the multi-channel guest (is_restricted) and the single-channel guest (both flags)", async () => {
    expect(await bot.member(olivia)).toMatchObject({ isRestricted: true, isUltraRestricted: false, isGuest: true });
    expect(await bot.member(kenta)).toMatchObject({ isRestricted: true, isUltraRestricted: true, isGuest: true });
  });

  it("shows a deactivated member as deleted, and the bot as a bot", async () => {
    expect(await bot.member("U0D001MAIO")).toMatchObject({ deleted: true });
    const me = await bot.whoAmI();
    expect(await bot.member(me.userId)).toMatchObject({ isBot: true });
  });

  it("does not see members of another workspace: user_not_found", async () => {
    await expect(bot.member(labsHanako)).rejects.toMatchObject({
      name: "ProviderError",
      provider: "slack",
      status: 200,
      code: "user_not_found",
    });
  });

  it("reports missing_scope for a token without users:read", async () => {
    const code = await installCode(harness, hanako, { userScopes: ["chat:write"] });
    const userToken = (await harness.client.oauth.exchangeInstall({ code, codeVerifier: "v", redirectUri })).authedUser
      .tokens?.accessToken;
    const error = await harness.client
      .api(userToken ?? "")
      .member(ken)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "missing_scope", message: expect.stringContaining("needed users:read") });
  });
});

describe("conversations.open and chat.postMessage", () => {
  it("opens a DM (D…) and opening it again answers the same channel, already open", async () => {
    const first = await bot.openConversation(ken);
    expect(first).toEqual({ channelId: expect.stringMatching(/^D/), alreadyOpen: false });
    expect(await bot.openConversation(ken)).toEqual({ channelId: first.channelId, alreadyOpen: true });
    expect(await bot.openDirectMessage(ken)).toEqual({ channelId: first.channelId });
    expect((await bot.openConversation(olivia)).channelId).not.toBe(first.channelId);
  });

  it("refuses a DM with someone outside the workspace or deactivated", async () => {
    await expect(bot.openDirectMessage(labsHanako)).rejects.toMatchObject({ code: "user_not_found" });
    await expect(bot.openDirectMessage("U0D001MAIO")).rejects.toMatchObject({ code: "user_disabled" });
  });

  it("posts text and blocks, answers the ts, and the fake records the message", async () => {
    const { channelId } = await bot.openDirectMessage(ken);
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*面接* 11/24 10:00" } }];
    const { ts } = await bot.postMessage(channelId, "面接のお知らせ", blocks);
    expect(ts).toMatch(/^\d+\.\d{6}$/);
    const me = await bot.whoAmI();
    expect(await messages()).toEqual([
      {
        teamId: "T0SAKURA01",
        channel: channelId,
        ts,
        text: "面接のお知らせ",
        blocks,
        postedBy: me.userId,
        recipient: ken,
      },
    ]);
    const second = await bot.postMessage(channelId, "second");
    expect(second.ts).not.toBe(ts);
  });

  it("turns Slack's ok:false into typed errors: channel_not_found, no_text", async () => {
    await expect(bot.postMessage("C0NOWHERE", "hello")).rejects.toMatchObject({
      name: "ProviderError",
      status: 200,
      code: "channel_not_found",
    });
    const { channelId } = await bot.openDirectMessage(ken);
    await expect(bot.postMessage(channelId, "")).rejects.toMatchObject({ code: "no_text" });
  });
});

describe("tokens Slack refuses", () => {
  it("an unknown token is invalid_auth and a missing one not_authed", async () => {
    await expect(harness.client.api("xoxb-made-up").whoAmI()).rejects.toBeInstanceOf(InvalidGrantError);
    await expect(harness.client.api("xoxb-made-up").whoAmI()).rejects.toMatchObject({
      message: expect.stringContaining("invalid_auth"),
    });
    const missing = await harness.client
      .api("")
      .whoAmI()
      .catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(ProviderError);
    expect(missing).toMatchObject({ code: "not_authed" });
  });

  it("control revoke (by email) kills that person's user tokens in every workspace, not the bot's", async () => {
    const code = await installCode(harness, hanako, { userScopes: ["users:read"] });
    const user = (await harness.client.oauth.exchangeInstall({ code, codeVerifier: "v", redirectUri })).authedUser
      .tokens;
    expect(await harness.fake.control("/revoke", { subject: "hanako.yamada@sakura-recruit.example" })).toEqual({
      ok: true,
      revoked: 1,
    });
    await expect(harness.client.api(user?.accessToken ?? "").whoAmI()).rejects.toMatchObject({
      message: expect.stringContaining("token_revoked"),
    });
    await expect(bot.whoAmI()).resolves.toMatchObject({ teamId: "T0SAKURA01" });
  });

  it("control expire-tokens makes every access token answer token_expired", async () => {
    await harness.fake.control("/expire-tokens");
    await expect(bot.whoAmI()).rejects.toMatchObject({ code: "token_expired" });
  });
});

describe("rate limits and failures", () => {
  it("retries a 429 after its Retry-After seconds, then succeeds", async () => {
    await harness.fake.control("/rate-limit", { count: 1, retryAfter: "7", path: "/api/users.info" });
    await expect(bot.member(ken)).resolves.toMatchObject({ id: ken });
    expect(harness.deps.slept).toEqual([7000]);
    expect(await harness.fake.calls("GET /api/users.info")).toBe(2);
  });

  it("answers 429 with Retry-After and ok:false ratelimited, as Slack does", async () => {
    await harness.fake.control("/rate-limit", { count: 1, retryAfter: "3", path: "/api/auth.test" });
    const response = await fetch(`${harness.fake.baseUrl}/api/auth.test`, {
      headers: { authorization: `Bearer ${botToken}` },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("3");
    expect(await response.json()).toEqual({ ok: false, error: "ratelimited" });
  });

  it("gives up after maxAttempts 429s with the ratelimited code and the wait Slack asked for", async () => {
    await harness.fake.control("/rate-limit", { count: 3, retryAfter: "2", path: "/api/conversations.open" });
    await expect(bot.openDirectMessage(ken)).rejects.toMatchObject({
      status: 429,
      code: "ratelimited",
      retryAfterMs: 2000,
    });
    expect(harness.deps.slept).toEqual([2000, 2000]);
  });

  it("retries chat.postMessage on 429 (never processed) but not on 5xx (maybe posted)", async () => {
    const { channelId } = await bot.openDirectMessage(ken);
    await harness.fake.control("/rate-limit", { count: 1, retryAfter: "1", path: "/api/chat.postMessage" });
    await expect(bot.postMessage(channelId, "after a 429")).resolves.toMatchObject({ ts: expect.any(String) });
    expect(harness.deps.slept).toEqual([1000]);
    await harness.fake.control("/fail", { count: 1, status: 503, path: "/api/chat.postMessage" });
    await expect(bot.postMessage(channelId, "after a 503")).rejects.toMatchObject({
      status: 503,
      code: "service_unavailable",
    });
    expect(await harness.fake.calls("POST /api/chat.postMessage")).toBe(3);
    expect((await messages()).map((message) => message.text)).toEqual(["after a 429"]);
  });

  it("retries idempotent calls through injected 5xx failures (fail next N)", async () => {
    await harness.fake.control("/fail", { count: 2, status: 500, path: "/api/users.info" });
    await expect(bot.member(olivia)).resolves.toMatchObject({ isGuest: true });
    expect(harness.deps.slept).toHaveLength(2);
    await harness.fake.control("/fail", { count: 3, status: 502, path: "/api/users.info" });
    await expect(bot.member(olivia)).rejects.toMatchObject({ status: 502, code: "internal_error" });
  });

  it("retries oauth.v2.access on 429 only: a refresh token must not be spent twice", async () => {
    await harness.fake.control("/rate-limit", { count: 1, retryAfter: "1", path: "/api/oauth.v2.access" });
    await expect(harness.client.oauth.refresh("xoxe-1-unknown")).rejects.toBeInstanceOf(InvalidGrantError);
    expect(harness.deps.slept).toEqual([1000]);
    await harness.fake.control("/fail", { count: 1, status: 500, path: "/api/oauth.v2.access" });
    await expect(harness.client.oauth.refresh("xoxe-1-unknown")).rejects.toMatchObject({ status: 500 });
    expect(harness.deps.slept).toEqual([1000]);
  });
});
