/**
 * Contract: the Slack install (oauth/v2/authorize + oauth.v2.access) through
 * our production client against the Slack fake. providers.md §4 "Install
 * OAuth (v2)" and the faithful-fake bullets on oauth.v2.access and rotation.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidGrantError, ProviderError } from "../../src/providers/errors.ts";
import { createOAuth2Client } from "../../src/providers/oauth2.ts";
import { createSlackClient, slackInstallProfile, slackScopes } from "../../src/providers/slack.ts";
import { slackEndpointsFor } from "../../src/providers/slack/oauth.ts";
import { slackSandboxEndpoints } from "../../src/sandbox/slack/index.ts";
import {
  decide,
  hanako,
  installCode,
  kenta,
  labs,
  labsHanako,
  olivia,
  openConsent,
  pkcePair,
  redirectUri,
  sakura,
  type SlackHarness,
  startSlack,
} from "./slack-support.ts";

let harness: SlackHarness;
beforeAll(async () => {
  harness = await startSlack();
});
afterAll(() => harness.fake.close());
beforeEach(async () => {
  await harness.fake.control("/reset");
  harness.deps.slept.length = 0;
});

const exchange = (code: string, overrides: { redirectUri?: string } = {}) =>
  harness.client.oauth.exchangeInstall({
    code,
    codeVerifier: pkcePair().verifier,
    redirectUri: overrides.redirectUri ?? redirectUri,
  });

describe("install authorization URL", () => {
  it(
    "asks for the bot scopes comma-separated, with state and redirect_uri, and no PKCE (Slack keeps PKCE for public " +
      "clients)",
    () => {
      const url = harness.client.oauth.authorizationUrl({
        state: "s1",
        codeChallenge: "c".repeat(43),
        redirectUri,
        scopes: [...slackScopes.bot],
        teamId: sakura,
      });
      expect(url.pathname).toBe("/oauth/v2/authorize");
      expect(Object.fromEntries(url.searchParams)).toEqual({
        client_id: harness.fake.context.clientId,
        scope: "chat:write,im:write,users:read,users:read.email",
        redirect_uri: redirectUri,
        state: "s1",
        team: sakura,
      });
      expect(slackInstallProfile.pkceMethod).toBe("none");
    },
  );

  it(
    "shows a consent page listing the members of both " + "workspaces, guests included, and no deactivated member",
    async () => {
      const url = harness.client.oauth.authorizationUrl({
        state: "s1",
        codeChallenge: "x",
        redirectUri,
        scopes: [...slackScopes.bot],
      });
      const form = await openConsent(url);
      expect(form.accounts).toEqual(expect.arrayContaining([hanako, olivia, kenta, labsHanako, "U0L002KEN"]));
      expect(form.accounts).not.toContain("U0D001MAIO");
    },
  );
});

describe("oauth.v2.access", () => {
  it("returns the bot token, bot user, team and the installing user", async () => {
    const installation = await exchange(await installCode(harness, hanako));
    expect(installation).toMatchObject({
      appId: expect.any(String),
      team: { id: sakura, name: "Sakura Recruit" },
      enterprise: null,
      isEnterpriseInstall: false,
      botUserId: expect.stringMatching(/^U/),
      authedUser: { id: hanako, tokens: undefined },
    });
    expect(installation.bot?.accessToken).toMatch(/^xoxb-/);
    expect(installation.bot?.scopes).toEqual([...slackScopes.bot]);
    expect(installation.bot?.expiresAt).toBeUndefined();
    const whoAmI = await harness.client.api(installation.bot?.accessToken ?? "").whoAmI();
    expect(whoAmI).toMatchObject({
      teamId: sakura,
      userId: installation.botUserId,
      botId: expect.stringMatching(/^B/),
    });
  });

  it("installs into the chosen member's workspace", async () => {
    const installation = await exchange(await installCode(harness, labsHanako));
    expect(installation.team).toEqual({ id: labs, name: "Sakura Labs" });
  });

  it("adds the user token under authed_user when user_scope was asked", async () => {
    const installation = await exchange(await installCode(harness, hanako, { userScopes: ["users:read"] }));
    expect(installation.authedUser.tokens).toMatchObject({
      accessToken: expect.stringMatching(/^xoxp-/),
      scopes: ["users:read"],
    });
    const whoAmI = await harness.client.api(installation.authedUser.tokens?.accessToken ?? "").whoAmI();
    expect(whoAmI).toMatchObject({ teamId: sakura, userId: hanako, botId: undefined });
  });

  it("refuses a reused code with invalid_code", async () => {
    const code = await installCode(harness, hanako);
    await exchange(code);
    await expect(exchange(code)).rejects.toMatchObject({
      name: "ProviderError",
      provider: "slack",
      status: 200,
      code: "invalid_code",
    });
  });

  it("refuses another redirect_uri with bad_redirect_uri", async () => {
    const code = await installCode(harness, hanako);
    await expect(exchange(code, { redirectUri: `${redirectUri}/elsewhere` })).rejects.toMatchObject({
      code: "bad_redirect_uri",
    });
  });

  it("refuses a code older than ten minutes by the sandbox clock", async () => {
    const code = await installCode(harness, hanako);
    harness.fake.clock.advance(10 * 60_000 + 1000);
    await expect(exchange(code)).rejects.toMatchObject({ code: "invalid_code" });
  });

  it("refuses a wrong client secret and an unknown client id", async () => {
    const code = await installCode(harness, hanako);
    const endpoints = slackSandboxEndpoints(harness.fake.baseUrl);
    const wrongSecret = createSlackClient(
      { clientId: harness.fake.context.clientId, clientSecret: "nope", endpoints },
      harness.deps,
    );
    await expect(wrongSecret.oauth.exchangeCode({ code, codeVerifier: "v", redirectUri })).rejects.toMatchObject({
      code: "bad_client_secret",
    });
    const wrongId = createSlackClient(
      { clientId: "someone-else", clientSecret: harness.fake.context.clientSecret, endpoints },
      harness.deps,
    );
    await expect(wrongId.oauth.exchangeCode({ code, codeVerifier: "v", redirectUri })).rejects.toMatchObject({
      code: "invalid_client_id",
    });
  });

  it(
    "checks PKCE for apps that send a challenge (Slack's public-client mode): a wrong verifier gives " +
      "invalid_code_verifier",
    async () => {
      const { verifier, challenge } = pkcePair();
      // What our client sends if the install profile ever turns PKCE on.
      const app = { clientId: harness.fake.context.clientId, clientSecret: harness.fake.context.clientSecret };
      const withPkce = createOAuth2Client(
        { ...slackInstallProfile, pkceMethod: "S256" },
        app,
        slackEndpointsFor(slackSandboxEndpoints(harness.fake.baseUrl), "install"),
        harness.deps,
      );
      const authorize = (codeChallenge: string) =>
        withPkce.authorizationUrl({ state: "p", codeChallenge, redirectUri, scopes: ["chat:write"] });
      const token = (code: string, code_verifier: string) =>
        fetch(`${harness.fake.baseUrl}/api/oauth.v2.access`, {
          method: "POST",
          body: new URLSearchParams({
            code,
            code_verifier,
            redirect_uri: redirectUri,
            client_id: harness.fake.context.clientId,
            client_secret: harness.fake.context.clientSecret,
          }),
        }).then((response) => response.json());
      const wrong = (await decide(await openConsent(authorize(challenge)), hanako)).searchParams.get("code") ?? "";
      expect(await token(wrong, pkcePair().verifier)).toEqual({ ok: false, error: "invalid_code_verifier" });
      const right = (await decide(await openConsent(authorize(challenge)), hanako)).searchParams.get("code") ?? "";
      expect(await token(right, verifier)).toMatchObject({ ok: true, access_token: expect.stringMatching(/^xoxb-/) });
    },
  );

  it("redirects a denied consent back with error=access_denied and the state", async () => {
    const url = harness.client.oauth.authorizationUrl({
      state: "deny-me",
      codeChallenge: "x",
      redirectUri,
      scopes: [...slackScopes.bot],
    });
    const back = await decide(await openConsent(url), hanako, "deny");
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: "access_denied", state: "deny-me" });
  });

  it("shows Slack's error page for an unknown client id instead of redirecting", async () => {
    const response = await fetch(
      `${harness.fake.baseUrl}/oauth/v2/authorize?client_id=nobody&scope=chat:write` +
        `&redirect_uri=${encodeURIComponent(redirectUri)}`,
      { redirect: "manual" },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("invalid_client_id");
  });
});

describe("token rotation (opt-in)", () => {
  it("without rotation, refresh tokens do not exist and refreshing fails as a dead grant", async () => {
    await expect(harness.client.oauth.refresh("xoxe-1-made-up")).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it("gives 12 h tokens with a single-use refresh token that each refresh replaces", async () => {
    await harness.fake.control("/rotation", { enabled: true });
    const code = await installCode(harness, hanako);
    const before = harness.fake.clock.now().getTime();
    const first = (await exchange(code)).bot;
    const after = harness.fake.clock.now().getTime();
    expect(first?.accessToken).toMatch(/^xoxe\.xoxb-1-/);
    expect(first?.refreshToken).toMatch(/^xoxe-1-/);
    // expires_in 43200 seconds, counted from when the answer arrived.
    const expiresAt = Date.parse(first?.expiresAt ?? "");
    expect(expiresAt).toBeGreaterThanOrEqual(before + 43_200_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 43_200_000);

    const second = await harness.client.oauth.refresh(first?.refreshToken ?? "");
    expect(second.refreshToken).toMatch(/^xoxe-1-/);
    expect(second.refreshToken).not.toBe(first?.refreshToken);
    expect(second.scopes).toEqual([...slackScopes.bot]);
    await expect(harness.client.api(second.accessToken).whoAmI()).resolves.toMatchObject({ teamId: sakura });

    const reused = await harness.client.oauth.refresh(first?.refreshToken ?? "").catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(InvalidGrantError);
    expect((reused as Error).message).toContain("invalid_refresh_token");
  });

  it("refuses an access token past its 12 hours with token_expired, which a refresh cures", async () => {
    await harness.fake.control("/rotation", { enabled: true });
    const bot = (await exchange(await installCode(harness, hanako))).bot;
    harness.fake.clock.advance(43_200_000);
    const error = await harness.client
      .api(bot?.accessToken ?? "")
      .whoAmI()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).not.toBeInstanceOf(InvalidGrantError);
    expect(error).toMatchObject({ code: "token_expired", status: 200 });
    const renewed = await harness.client.oauth.refresh(bot?.refreshToken ?? "");
    await expect(harness.client.api(renewed.accessToken).whoAmI()).resolves.toMatchObject({ teamId: sakura });
  });
});

describe("revoke", () => {
  it("auth.revoke kills the token, after which Slack refuses it; revoking again is not an error", async () => {
    const bot = (await exchange(await installCode(harness, hanako))).bot?.accessToken ?? "";
    await harness.client.oauth.revoke(bot);
    const refused = await harness.client
      .api(bot)
      .whoAmI()
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidGrantError);
    expect((refused as Error).message).toContain("token_revoked");
    await expect(harness.client.oauth.revoke(bot)).resolves.toBeUndefined();
  });

  it("answers revoked:true, and with test=1 revoked:false without revoking", async () => {
    const bot = (await exchange(await installCode(harness, hanako))).bot?.accessToken ?? "";
    const call = (body: string) =>
      fetch(`${harness.fake.baseUrl}/api/auth.revoke`, {
        method: "POST",
        headers: { authorization: `Bearer ${bot}`, "content-type": "application/x-www-form-urlencoded" },
        body,
      }).then((response) => response.json());
    expect(await call("test=1")).toEqual({ ok: true, revoked: false });
    expect(await call("")).toEqual({ ok: true, revoked: true });
  });
});
