/**
 * The Slack link adapter through the whole round trip: the real app, the real
 * Slack fake (install and Sign in with Slack consent pages, id_tokens, Web
 * API), and the database of this project.
 *
 * The member guard reads users.info with the organisation's bot token, which
 * the engine hands over as `CompletionParams.connectionTokens`; it is also
 * checked below against the fake by calling the adapter directly (a dead bot
 * token, no token at all).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompletionParams, LinkFlow, LinkOutcome } from "../../../src/oauth/provider-link.ts";
import { slackScopes } from "../../../src/providers/slack.ts";
import type { TokenSet } from "../../../src/providers/types.ts";
import {
  decide,
  hanako as hanakoMember,
  installBot,
  kenta,
  olivia,
  openConsent,
  sakura,
} from "../../providers/slack-support.ts";
import { accountRow, expectLinked, linkSlack, storedTokens, type ZoomSlackApp } from "./zoom-slack-links.ts";
import { beginLink } from "../../support/round-trip.ts";
import { type Caller, createTestApp, publicUrl } from "../../support/test-app.ts";

let t: ZoomSlackApp;
const hanako: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const ken: Caller = { sub: "ken", org: "sakura", role: "recruiter" };
const olive: Caller = { sub: "olivia", org: "sakura", role: "guest" };
const partner: Caller = { sub: "kenta", org: "sakura", role: "guest" };
const kenMember = "U0S002KEN";
const kenInLabs = "U0L002KEN";

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"] });
});
afterAll(async () => {
  await t.close();
});

const connectionRow = () =>
  t.db
    .selectFrom("connections")
    .selectAll()
    .where("org_id", "=", "sakura")
    .where("provider", "=", "slack")
    .executeTakeFirst();
const accountsOf = (caller: Caller) =>
  t.db
    .selectFrom("accounts")
    .selectAll()
    .where("org_id", "=", caller.org)
    .where("user_id", "=", caller.sub)
    .where("provider", "=", "slack")
    .execute();
const slackCalls = (method: string) => t.slack.fake.calls(`POST /api/${method}`);

/** What the fake answers a bearer token on auth.test: `ok`, or the error code (token_revoked…). */
async function authTest(token: string): Promise<string> {
  const response = await fetch(`${t.slack.fake.baseUrl}/api/auth.test`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { ok: boolean; error?: string };
  return body.ok ? "ok" : String(body.error);
}

describe("organisation connection (bot install)", () => {
  it(
    "installs the bot into the admin's workspace: the " + "workspace is the connection and the bot token its grant",
    async () => {
      const { providerUrl, outcome } = await linkSlack(t, hanako, "org", hanakoMember);
      expect(providerUrl.pathname).toBe("/oauth/v2/authorize");
      expect(providerUrl.searchParams.get("scope")).toBe(slackScopes.bot.join(","));
      expect(providerUrl.searchParams.has("user_scope")).toBe(false);
      expectLinked(outcome);
      // No user token was asked for, so the installer gets no personal account from the install.
      expect(outcome.accountId).toBeUndefined();

      const connection = await connectionRow();
      expect(connection).toMatchObject({
        id: outcome.connectionId,
        external_id: sakura,
        display_name: "Sakura Recruit",
        status: "active",
        connected_by: "hanako",
      });
      expect(JSON.parse(connection?.detail ?? "{}")).toEqual({
        teamId: sakura,
        teamName: "Sakura Recruit",
        botUserId: "U0BOTSAKUR",
        installedBy: hanakoMember,
      });
      const bot = await storedTokens(t, { org_id: "sakura", credential_id: connection?.credential_id ?? null });
      expect(bot.accessToken).toMatch(/^xoxb-/);
      // The bot can read member records: what the personal guard needs.
      await expect(t.slack.client.api(bot.accessToken).member(olivia)).resolves.toMatchObject({
        isRestricted: true,
        isUltraRestricted: false,
      });
      expect(await accountsOf(hanako)).toEqual([]);
    },
  );
});

describe("personal accounts (Sign in with Slack)", () => {
  it("sends Slack's OpenID Connect page our flow's nonce and the openid email profile scopes", async () => {
    const { flow, providerUrl } = await beginLink(t, ken, "slack", "personal");
    expect(providerUrl.pathname).toBe("/openid/connect/authorize");
    expect(providerUrl.searchParams.get("scope")).toBe("openid email profile");
    const row = await t.db.selectFrom("oauth_flows").select("nonce").where("id", "=", flow).executeTakeFirstOrThrow();
    expect(providerUrl.searchParams.get("nonce")).toBe(row.nonce);
  });

  it(
    "refuses an account of another workspace " + "(slack_wrong_workspace), naming both, and ends that sign-in's token",
    async () => {
      const revokes = await slackCalls("auth.revoke");
      const { outcome } = await linkSlack(t, ken, "personal", kenInLabs);
      expect(outcome.error).toEqual({
        code: "slack_wrong_workspace",
        message:
          'You signed in to the Slack workspace "Sakura Labs", but your organisation connected "Sakura Recruit". ' +
          "Link " +
          "again and choose Sakura Recruit in the Slack workspace menu (top right of the sign-in page).",
      });
      expect(await slackCalls("auth.revoke")).toBe(revokes + 1);
      expect(await accountsOf(ken)).toEqual([]);
    },
  );

  it("links a full member's own Slack account", async () => {
    const { outcome } = await linkSlack(t, ken, "personal", kenMember);
    expectLinked(outcome);
    expect(await accountRow(t, String(outcome.accountId))).toMatchObject({
      user_id: "ken",
      external_user_id: kenMember,
      external_account_id: sakura,
      email: "ken.sato@sakura-recruit.example",
      display_name: "佐藤 健",
      status: "active",
      is_default: 1,
    });
  });

  it("refuses a multi-channel guest (slack_guest_not_allowed)", async () => {
    const { outcome } = await linkSlack(t, olive, "personal", olivia);
    expect(outcome.error).toEqual({
      code: "slack_guest_not_allowed",
      message: expect.stringContaining('is a multi-channel guest in "Sakura Recruit"'),
    });
    expect(await accountsOf(olive)).toEqual([]);
  });

  it("refuses a single-channel guest (slack_guest_not_allowed)", async () => {
    const { outcome } = await linkSlack(t, partner, "personal", kenta);
    expect(outcome.error).toEqual({
      code: "slack_guest_not_allowed",
      message: expect.stringContaining('is a single-channel guest in "Sakura Recruit"'),
    });
    expect(await accountsOf(partner)).toEqual([]);
  });

  it("unlinking revokes the token at Slack, which then answers token_revoked", async () => {
    const [account] = await accountsOf(ken);
    if (!account) throw new Error("ken's Slack account is not linked");
    const token = (await storedTokens(t, account)).accessToken;
    expect(await authTest(token)).toBe("ok");
    const response = await t.api(ken, "DELETE", `/v1/accounts/${account.id}`);
    expect(await response.json()).toMatchObject({
      unlinked: { id: account.id, provider: "slack" },
      revokedAtProvider: true,
    });
    expect(await authTest(token)).toBe("token_revoked");
  });
});

describe("the member guard, called as the engine calls it", () => {
  const redirectUri = `${publicUrl}/oauth/slack/callback`;
  const nonce = "nonce-of-this-flow";
  const personalFlow = (): LinkFlow => {
    const flow = {
      id: "flow-1",
      hostId: "portal-a",
      orgId: "sakura",
      userId: "ken",
      userEmail: "ken@sakura.example",
      provider: "slack" as const,
      purpose: "personal" as const,
      step: null,
    };
    return flow;
  };

  /** Signs in as `member` through the adapter's own authorize URL, then completes with the given organisation tokens.
   * */
  async function completeAs(
    member: string,
    connectionTokens: (() => Promise<TokenSet | undefined>) | undefined,
  ): Promise<LinkOutcome> {
    const url = t.adapters.slack.authorizationUrl(personalFlow(), {
      state: "state-1",
      codeChallenge: "unused-without-pkce",
      redirectUri,
      nonce,
    });
    const back = await decide(await openConsent(url), member);
    const connection = await connectionRow();
    const params: CompletionParams & { connectionTokens?: typeof connectionTokens } = {
      codeVerifier: "unused-without-pkce",
      redirectUri,
      nonce,
      connection: { externalId: sakura, displayName: connection?.display_name ?? "", detail: {} },
      ...(connectionTokens ? { connectionTokens } : {}),
    };
    return t.adapters.slack.complete(personalFlow(), back.searchParams, params);
  }
  const organisationTokens = async () =>
    storedTokens(t, { org_id: "sakura", credential_id: (await connectionRow())?.credential_id ?? null });

  it("lets a full member through, with the identity Slack signed", async () => {
    const outcome = await completeAs(kenMember, organisationTokens);
    expect(outcome).toMatchObject({
      kind: "personal",
      account: {
        externalUserId: kenMember,
        externalAccountId: sakura,
        email: "ken.sato@sakura-recruit.example",
        displayName: "佐藤 健",
        detail: { teamId: sakura, teamName: "Sakura Recruit", locale: "ja-JP" },
      },
      tokens: { accessToken: expect.stringMatching(/^xoxp-/), scopes: ["openid", "email", "profile"] },
    });
  });

  it("refuses a multi-channel guest, saying so, and ends the guest's sign-in token", async () => {
    const revokes = await slackCalls("auth.revoke");
    const outcome = await completeAs(olivia, organisationTokens);
    expect(outcome).toEqual({
      kind: "refused",
      code: "slack_guest_not_allowed",
      message:
        'Your Slack account is a multi-channel guest in "Sakura Recruit", and guest accounts cannot be linked: ' +
        ("Tsunagu sends interview details by direct message. Link your full member account, or ask a Slack " +
          "workspace admin to make you a full member."),
    });
    expect(await slackCalls("auth.revoke")).toBe(revokes + 1);
  });

  it("refuses a single-channel guest, saying so", async () => {
    expect(await completeAs(kenta, organisationTokens)).toMatchObject({
      kind: "refused",
      code: "slack_guest_not_allowed",
      message: expect.stringContaining("is a single-channel guest in"),
    });
  });

  it(
    "asks for the connection to be made again when the " +
      "organisation's bot token is dead (slack_reconnect_required)",
    async () => {
      const deadBot = await installBot(t.slack, hanakoMember);
      await t.slack.client.oauth.revoke(deadBot);
      const outcome = await completeAs(kenMember, async () => ({ accessToken: deadBot, scopes: [...slackScopes.bot] }));
      expect(outcome).toMatchObject({
        kind: "refused",
        code: "slack_reconnect_required",
        message: expect.stringContaining("Ask an administrator to connect Slack again"),
      });
    },
  );

  it(
    "makes no personal link when it gets no way to the organisation's tokens: it fails rather than let a guest " +
      "through",
    async () => {
      await expect(completeAs(olivia, undefined)).rejects.toThrow(/connectionTokens/);
    },
  );

  it("checks the workspace first: another workspace's account is refused before any member lookup", async () => {
    const lookups = await t.slack.fake.calls("GET /api/users.info");
    expect(await completeAs(kenInLabs, undefined)).toMatchObject({ kind: "refused", code: "slack_wrong_workspace" });
    expect(await t.slack.fake.calls("GET /api/users.info")).toBe(lookups);
  });
});

describe("disconnecting the organisation", () => {
  it("revokes the bot token at Slack, which then answers token_revoked", async () => {
    const bot = await storedTokens(t, {
      org_id: "sakura",
      credential_id: (await connectionRow())?.credential_id ?? null,
    });
    expect(await authTest(bot.accessToken)).toBe("ok");
    const response = await t.api(hanako, "DELETE", "/v1/connections/slack");
    expect(await response.json()).toMatchObject({
      disconnected: { provider: "slack", externalId: sakura, displayName: "Sakura Recruit" },
      revokedAtProvider: true,
    });
    expect(await authTest(bot.accessToken)).toBe("token_revoked");
  });
});
