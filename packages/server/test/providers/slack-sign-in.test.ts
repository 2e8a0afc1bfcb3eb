/**
 * Contract: Sign in with Slack (OIDC) through our production client against
 * the Slack fake: id_token signed with a published key and verified with jose
 * (issuer, audience, expiry, nonce), Slack's claims, userInfo, discovery.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidGrantError } from "../../src/providers/errors.ts";
import { createSlackClient, slackScopes } from "../../src/providers/slack.ts";
import { slackSandboxEndpoints } from "../../src/sandbox/slack/index.ts";
import {
  decide,
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
});

/** Signs in as `account` the way the oauth layer does: PKCE pair per flow, the challenge doubling as nonce. */
async function signIn(account: string, options: { nonce?: string; teamId?: string } = {}) {
  const { verifier, challenge } = pkcePair();
  const url = harness.client.signIn.authorizationUrl({
    state: "st",
    codeChallenge: challenge,
    redirectUri,
    scopes: [...slackScopes.personal],
    nonce: options.nonce,
    teamId: options.teamId,
  });
  const back = await decide(await openConsent(url), account);
  return { code: back.searchParams.get("code") ?? "", verifier, challenge, back };
}

describe("Sign in with Slack", () => {
  it("builds the OIDC authorize URL with openid email profile, state and a nonce", () => {
    const url = harness.client.signIn.authorizationUrl({
      state: "st",
      codeChallenge: "challenge-value",
      redirectUri,
      scopes: [...slackScopes.personal],
      teamId: sakura,
    });
    expect(url.pathname).toBe("/openid/connect/authorize");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: "code",
      client_id: harness.fake.context.clientId,
      scope: "openid email profile",
      redirect_uri: redirectUri,
      state: "st",
      nonce: "challenge-value",
      team: sakura,
    });
  });

  it("exchanges the code and verifies the id_token, reading Slack's claims", async () => {
    const { code, verifier, back } = await signIn(olivia);
    expect(back.searchParams.get("state")).toBe("st");
    const { tokens, identity } = await harness.client.signIn.identify({ code, codeVerifier: verifier, redirectUri });
    expect(tokens.accessToken).toMatch(/^xoxp-/);
    expect(tokens.idToken).toMatch(/^ey/);
    expect(tokens.scopes).toEqual(["openid", "email", "profile"]);
    expect(identity).toEqual({
      userId: olivia,
      teamId: sakura,
      teamName: "Sakura Recruit",
      teamDomain: "sakura-recruit",
      email: "olivia.brown@talent-agency.example",
      emailVerified: true,
      emailVerifiedAt: new Date("2024-04-01T00:00:00Z"),
      name: "Olivia Brown",
      givenName: "Olivia",
      familyName: "Brown",
      // The id_token has no `picture`: the 192 px user image stands in.
      picture: `${harness.fake.baseUrl}/avatars/${olivia}_192.svg`,
      locale: "en-US",
    });
    const claims = JSON.parse(Buffer.from(tokens.idToken?.split(".")[1] ?? "", "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      iss: harness.fake.baseUrl,
      sub: olivia,
      aud: harness.fake.context.clientId,
      "https://slack.com/user_id": olivia,
      "https://slack.com/team_id": sakura,
    });
    expect(claims.exp).toEqual(expect.any(Number));
    expect(claims.auth_time).toEqual(expect.any(Number));
    // The claims of Slack's id_token sample (https://docs.slack.dev/reference/methods/openid.connect.token).
    expect(claims).toMatchObject({
      email_verified: true,
      date_email_verified: expect.any(Number),
      given_name: "Olivia",
      family_name: "Brown",
      locale: "en-US",
      "https://slack.com/team_image_default": false,
    });
    for (const size of [24, 32, 48, 72, 192, 512])
      expect(claims[`https://slack.com/user_image_${size}`]).toEqual(expect.stringMatching(/^http/));
    for (const size of [34, 44, 68, 88, 102, 132, 230])
      expect(claims[`https://slack.com/team_image_${size}`]).toEqual(expect.stringMatching(/^http/));
  });

  it(
    "answers openid.connect.userInfo with the documented " + "claims, and the client reads the display fields",
    async () => {
      const { code, verifier } = await signIn(kenta);
      const { tokens } = await harness.client.signIn.identify({ code, codeVerifier: verifier, redirectUri });
      const raw = (await (
        await fetch(`${harness.fake.baseUrl}/api/openid.connect.userInfo`, {
          headers: { authorization: `Bearer ${tokens.accessToken}` },
        })
      ).json()) as Record<string, unknown>;
      // https://docs.slack.dev/reference/methods/openid.connect.userInfo (response sample), with @slack/web-api's
      // OpenIDConnectUserInfoResponse for user_image_1024.
      const documented = [
        "ok",
        "sub",
        "https://slack.com/user_id",
        "https://slack.com/team_id",
        "email",
        "email_verified",
        "date_email_verified",
        "name",
        "picture",
        "given_name",
        "family_name",
        "locale",
        "https://slack.com/team_name",
        "https://slack.com/team_domain",
        ...[24, 32, 48, 72, 192, 512, 1024].map((size) => `https://slack.com/user_image_${size}`),
        ...[34, 44, 68, 88, 102, 132, 230].map((size) => `https://slack.com/team_image_${size}`),
        "https://slack.com/team_image_default",
      ];
      expect(Object.keys(raw).sort()).toEqual([...documented].sort());
      expect(raw).toMatchObject({
        ok: true,
        sub: kenta,
        email_verified: true,
        date_email_verified: 1_711_929_600,
        given_name: "健太",
        family_name: "小林",
        name: "小林 健太",
        locale: "ja-JP",
      });
      expect(raw.picture).toBe(raw["https://slack.com/user_image_192"]);
      const picture = await fetch(String(raw.picture));
      expect(picture.status).toBe(200);
      expect(picture.headers.get("content-type")).toBe("image/svg+xml");
      expect(await picture.text()).toContain("<svg");
      await expect(harness.client.signIn.userInfo(tokens.accessToken)).resolves.toMatchObject({
        userId: kenta,
        givenName: "健太",
        familyName: "小林",
        picture: raw.picture,
        emailVerifiedAt: new Date(1_711_929_600_000),
      });
    },
  );

  it("reads Slack's real sample answer, empty names and gravatar picture included", async () => {
    const sample = {
      ok: true,
      sub: "U0R7JM",
      "https://slack.com/user_id": "U0R7JM",
      "https://slack.com/team_id": "T0R7GR",
      email: "krane@slack-corp.com",
      email_verified: true,
      date_email_verified: 1622128723,
      name: "krane",
      picture: "https://secure.gravatar.com/avatar/x.png",
      given_name: "",
      family_name: "",
      locale: "en-US",
      "https://slack.com/team_name": "kraneflannel",
      "https://slack.com/team_domain": "kraneflannel",
      "https://slack.com/user_image_24": "https://secure.gravatar.com/avatar/x-24.png",
      "https://slack.com/team_image_34": "https://a.slack-edge.com/team-34.png",
      "https://slack.com/team_image_default": true,
    };
    const sampleFetch: typeof fetch = async () =>
      new Response(JSON.stringify(sample), { status: 200, headers: { "content-type": "application/json" } });
    const client = createSlackClient(
      { clientId: "x", clientSecret: "y", endpoints: slackSandboxEndpoints(harness.fake.baseUrl) },
      { ...harness.deps, fetch: sampleFetch },
    );
    await expect(client.signIn.userInfo("xoxp-sample")).resolves.toEqual({
      userId: "U0R7JM",
      teamId: "T0R7GR",
      teamName: "kraneflannel",
      teamDomain: "kraneflannel",
      email: "krane@slack-corp.com",
      emailVerified: true,
      emailVerifiedAt: new Date(1622128723_000),
      name: "krane",
      givenName: undefined,
      familyName: undefined,
      picture: "https://secure.gravatar.com/avatar/x.png",
      locale: "en-US",
    });
  });

  it("works for a member of the other workspace and keeps that workspace in the claims", async () => {
    const { code, verifier } = await signIn(labsHanako, { teamId: labs });
    const { identity } = await harness.client.signIn.identify({ code, codeVerifier: verifier, redirectUri });
    expect(identity).toMatchObject({
      userId: labsHanako,
      teamId: labs,
      teamName: "Sakura Labs",
      locale: "ja-JP",
      name: "山田 花子",
    });
  });

  it("restricts the consent page to the requested workspace", async () => {
    const url = harness.client.signIn.authorizationUrl({
      state: "st",
      codeChallenge: "c",
      redirectUri,
      scopes: [...slackScopes.personal],
      teamId: labs,
    });
    const form = await openConsent(url);
    expect(form.accounts).toEqual([labsHanako, "U0L002KEN"]);
  });

  it("rejects an id_token whose nonce is not the one this flow sent", async () => {
    const { code, verifier } = await signIn(kenta, { nonce: "nonce-sent" });
    const refused = harness.client.signIn.identify({
      code,
      codeVerifier: verifier,
      redirectUri,
      nonce: "another-nonce",
    });
    await expect(refused).rejects.toMatchObject({ provider: "slack", code: "invalid_id_token" });
  });

  it("accepts an explicit nonce when the same one is expected", async () => {
    const { code, verifier } = await signIn(kenta, { nonce: "nonce-sent" });
    await expect(
      harness.client.signIn.identify({ code, codeVerifier: verifier, redirectUri, nonce: "nonce-sent" }),
    ).resolves.toMatchObject({ identity: { userId: kenta } });
  });

  it("rejects an id_token for another audience and an expired one", async () => {
    const { code, verifier, challenge } = await signIn(olivia);
    const { tokens } = await harness.client.signIn.identify({ code, codeVerifier: verifier, redirectUri });
    const idToken = tokens.idToken ?? "";
    const otherApp = createSlackClient(
      { clientId: "another-app", clientSecret: "x", endpoints: slackSandboxEndpoints(harness.fake.baseUrl) },
      harness.deps,
    );
    await expect(otherApp.signIn.verifyIdToken(idToken, { nonce: challenge })).rejects.toMatchObject({
      code: "invalid_id_token",
      message: expect.stringContaining("aud"),
    });
    await expect(harness.client.signIn.verifyIdToken(idToken, { nonce: challenge })).resolves.toMatchObject({
      userId: olivia,
    });
    harness.fake.clock.advance(301_000);
    await expect(harness.client.signIn.verifyIdToken(idToken, { nonce: challenge })).rejects.toMatchObject({
      code: "invalid_id_token",
      message: expect.stringContaining("exp"),
    });
  });

  it("rejects an id_token paired with another access token (at_hash)", async () => {
    const first = await signIn(olivia);
    const { tokens } = await harness.client.signIn.identify({
      code: first.code,
      codeVerifier: first.verifier,
      redirectUri,
    });
    await expect(
      harness.client.signIn.verifyIdToken(tokens.idToken ?? "", {
        nonce: first.challenge,
        accessToken: "xoxp-someone-else",
      }),
    ).rejects.toMatchObject({ code: "invalid_id_token" });
  });

  it("refuses a reused code and a wrong redirect_uri at openid.connect.token", async () => {
    const first = await signIn(olivia);
    await harness.client.signIn.exchangeCode({ code: first.code, codeVerifier: first.verifier, redirectUri });
    await expect(
      harness.client.signIn.exchangeCode({ code: first.code, codeVerifier: first.verifier, redirectUri }),
    ).rejects.toMatchObject({ code: "invalid_code" });
    const second = await signIn(olivia);
    await expect(
      harness.client.signIn.exchangeCode({
        code: second.code,
        codeVerifier: second.verifier,
        redirectUri: "http://127.0.0.1:9/other",
      }),
    ).rejects.toMatchObject({
      code: "bad_redirect_uri",
    });
  });

  it("userInfo returns the same identity; after auth.revoke the token is refused", async () => {
    const { code, verifier } = await signIn(kenta);
    const { tokens, identity } = await harness.client.signIn.identify({ code, codeVerifier: verifier, redirectUri });
    await expect(harness.client.signIn.userInfo(tokens.accessToken)).resolves.toEqual(identity);
    await harness.client.signIn.revoke(tokens.accessToken);
    await expect(harness.client.signIn.userInfo(tokens.accessToken)).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it("with rotation, refreshes through openid.connect.token once per refresh token", async () => {
    await harness.fake.control("/rotation", { enabled: true });
    const { code, verifier } = await signIn(kenta);
    const tokens = await harness.client.signIn.exchangeCode({ code, codeVerifier: verifier, redirectUri });
    expect(tokens.refreshToken).toMatch(/^xoxe-1-/);
    const renewed = await harness.client.signIn.refresh(tokens.refreshToken ?? "");
    await expect(harness.client.signIn.userInfo(renewed.accessToken)).resolves.toMatchObject({ userId: kenta });
    await expect(harness.client.signIn.refresh(tokens.refreshToken ?? "")).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it("redirects a denied sign-in with access_denied", async () => {
    const url = harness.client.signIn.authorizationUrl({
      state: "st",
      codeChallenge: "c",
      redirectUri,
      scopes: [...slackScopes.personal],
    });
    const back = await decide(await openConsent(url), olivia, "deny");
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: "access_denied", state: "st" });
  });

  it("publishes discovery and keys where the endpoints say", async () => {
    const discovery = (await (
      await fetch(`${harness.fake.baseUrl}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    const endpoints = slackSandboxEndpoints(harness.fake.baseUrl);
    expect(discovery).toMatchObject({
      issuer: endpoints.oidcIssuer,
      authorization_endpoint: endpoints.oidcAuthorizeUrl,
      jwks_uri: endpoints.jwksUrl,
      id_token_signing_alg_values_supported: ["RS256"],
    });
    const jwks = (await (await fetch(endpoints.jwksUrl)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });
});
