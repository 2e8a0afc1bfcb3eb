/**
 * Sign in with Slack through the whole round trip: the login page starts with
 * a sign-in token, the popup goes through the Slack fake's OpenID Connect
 * page, and our callback posts the server-signed assertion to the login page,
 * which the portal verifies against /.well-known/jwks.json.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertionLifetimeSeconds } from "../../src/signin/assertion.ts";
import { decide, openConsent } from "../providers/slack-support.ts";
import { beginRequest, errorCodeOnPage, type StartedFlow } from "../support/round-trip.ts";
import { createTestApp } from "../support/test-app.ts";
import {
  begin,
  callback,
  connectSlack,
  expectApiError,
  hanako,
  ken,
  olivia,
  outcomeOf,
  type Person,
  portalOrigin,
  publicUrl,
  sakuraTeam,
  setSignIn,
  type SignInApp,
  signInAs,
  signInToken,
  slackAccountsOf,
  slackMembers,
  startSignIn,
  verifyAssertion,
} from "./sign-in-steps.ts";

let t: SignInApp;

beforeAll(async () => {
  t = await createTestApp({ providers: ["slack"] });
  expect(await connectSlack(t, hanako)).toMatchObject({ status: "linked" });
});
afterAll(async () => {
  await t.close();
});

async function expectRefused(response: Response, code: string): Promise<string> {
  const outcome = await outcomeOf(response);
  expect(outcome).toMatchObject({ status: "error", purpose: "signin", error: { code } });
  expect(outcome.assertion).toBeUndefined();
  return outcome.error?.message ?? "";
}

describe("while sign-in is off", () => {
  it("refuses the start with signin_disabled, before anyone is sent to Slack", async () => {
    const error = await expectApiError(await startSignIn(t, ken), 403, "signin_disabled");
    expect(error.message).toBe(
      "Sign in with Slack is not turned on for your organisation. Sign in another way, or ask an administrator to " +
        "turn on Sign in with Slack.",
    );
    expect(await t.db.selectFrom("oauth_flows").select("id").where("purpose", "=", "signin").execute()).toEqual([]);
  });

  it("refuses an organisation that has not connected Slack with org_connection_missing", async () => {
    await expectApiError(
      await startSignIn(t, { sub: "aiko", org: "umeda", role: "recruiter", email: "aiko@umeda.example" }),
      409,
      "org_connection_missing",
    );
  });
});

describe("the sign-in token", () => {
  beforeAll(async () => {
    expect((await setSignIn(t, hanako, true)).status).toBe(200);
  });

  it("is the only token a sign-in start accepts: a signed-in user's host token is refused", async () => {
    const hostToken = await signInToken(t, ken, { aud: "tsunagu" });
    const error = await expectApiError(await startSignIn(t, ken, undefined, hostToken), 401, "token_audience");
    expect(error.message).toBe('The token\'s aud must be "tsunagu:signin".');
  });

  it("opens nothing else: every host-token route refuses it", async () => {
    const loginToken = await signInToken(t, ken);
    for (const [method, path] of [
      ["GET", "/v1/me"],
      ["GET", "/v1/accounts"],
      ["GET", "/v1/signin/slack"],
    ]) {
      const response = await t.app.request(path ?? "", {
        method,
        headers: { Authorization: `Bearer ${loginToken}`, Origin: portalOrigin },
      });
      await expectApiError(response, 401, "token_audience");
    }
    const linkStart = await t.app.request("/v1/oauth/slack/start", {
      method: "POST",
      headers: { Authorization: `Bearer ${loginToken}`, Origin: portalOrigin, "Content-Type": "application/json" },
      body: JSON.stringify({ purpose: "personal", returnMode: "popup" }),
    });
    await expectApiError(linkStart, 401, "token_audience");
  });

  it("lives at most ten minutes", async () => {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const longLived = await signInToken(t, ken, { iat: now, exp: now + 11 * 60 });
    await expectApiError(await startSignIn(t, ken, undefined, longLived), 401, "token_lifetime");
  });

  it("carries no NUL in a claim (PostgreSQL could not store it), as a host token", async () => {
    for (const claim of ["sub", "org", "name", "jti"]) {
      const token = await signInToken(t, ken, { [claim]: "ken\u0000" });
      await expectApiError(await startSignIn(t, ken, undefined, token), 401, "token_claims");
    }
  });

  it("is refused from an origin the host does not register", async () => {
    const response = await t.app.request("/v1/oauth/slack/start", {
      method: "POST",
      headers: {
        Authorization: `Bearer ${await signInToken(t, ken)}`,
        Origin: "https://evil.example",
        "Content-Type": "application/json",
      },
      body: JSON.stringify({ purpose: "signin", returnMode: "popup" }),
    });
    await expectApiError(response, 403, "origin_not_allowed");
  });

  it("needs a well-formed body", async () => {
    await expectApiError(await startSignIn(t, ken, { purpose: "signin", returnMode: "tab" }), 400, "invalid_body");
    await expectApiError(
      await startSignIn(t, ken, { purpose: "signin", returnMode: "redirect", returnUrl: "https://evil.example/" }),
      400,
      "return_url_invalid",
    );
  });
});

describe("a successful sign-in", () => {
  let firstAccountId: string | undefined;

  it("posts a server-signed assertion to the login page's exact origin, which verifies against the JWKS", async () => {
    const { flow, providerUrl, response } = await signInAs(t, ken, slackMembers.ken);
    // OpenID Connect with our nonce, the narrowest scopes.
    expect(providerUrl.pathname).toBe("/openid/connect/authorize");
    expect(providerUrl.searchParams.get("scope")).toBe("openid email profile");
    expect(providerUrl.searchParams.get("nonce")).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(response.status).toBe(200);

    const outcome = await outcomeOf(response);
    expect(outcome).toMatchObject({
      type: "tsunagu:oauth",
      status: "signed_in",
      flow,
      provider: "slack",
      purpose: "signin",
    });
    const claims = await verifyAssertion(t, outcome.assertion ?? "");
    const now = Math.floor(t.clock.now().getTime() / 1000);
    expect(claims).toEqual({
      iss: publicUrl,
      aud: "portal-a",
      sub: "ken",
      org: "sakura",
      email: "ken.sato@sakura-recruit.example",
      "https://tsunagu.dev/slack": { team_id: sakuraTeam, user_id: slackMembers.ken },
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat: now,
      exp: now + assertionLifetimeSeconds,
    });
    firstAccountId = outcome.accountId;
  });

  it("links the Slack account on the first sign-in, as a personal account with the workspace", async () => {
    const accounts = await slackAccountsOf(t, ken);
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({
      id: firstAccountId,
      external_user_id: slackMembers.ken,
      external_account_id: sakuraTeam,
      email: "ken.sato@sakura-recruit.example",
      status: "active",
    });
    const listed = (await (await t.api(ken, "GET", "/v1/accounts")).json()) as {
      accounts: Array<{ id: string; provider: string }>;
    };
    expect(listed.accounts.filter((account) => account.provider === "slack").map((account) => account.id)).toEqual([
      firstAccountId,
    ]);
  });

  it("reuses the link on the next sign-in: no second account, a new assertion, and the new token revoked", async () => {
    const credentialBefore = (await slackAccountsOf(t, ken))[0]?.credential_id;
    const revokes = await t.slack.fake.calls("POST /api/auth.revoke");
    const { response } = await signInAs(t, ken, slackMembers.ken);
    const outcome = await outcomeOf(response);
    expect(outcome).toMatchObject({ status: "signed_in", accountId: firstAccountId });
    const accounts = await slackAccountsOf(t, ken);
    expect(accounts.map((account) => [account.id, account.credential_id])).toEqual([
      [firstAccountId, credentialBefore],
    ]);
    expect(await t.slack.fake.calls("POST /api/auth.revoke")).toBe(revokes + 1);
    expect((await verifyAssertion(t, outcome.assertion ?? "")).sub).toBe("ken");
  });

  it("writes an audit entry per sign-in, with the assertion's jti", async () => {
    const entries = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor_user_id", "target", "detail"])
      .where("action", "like", "%.%")
      .where("actor_user_id", "=", "ken")
      .orderBy("id")
      .execute();
    expect(entries.map((entry) => entry.action)).toEqual(["account.linked", "signin.succeeded", "signin.succeeded"]);
    expect(JSON.parse(entries[1]?.detail ?? "{}")).toMatchObject({
      provider: "slack",
      externalUserId: slackMembers.ken,
      jti: expect.any(String),
    });
  });

  it("compares emails without regard to case", async () => {
    const shouting: Person = { ...hanako, email: "Hanako.Yamada@SAKURA-RECRUIT.example" };
    const outcome = await outcomeOf((await signInAs(t, shouting, slackMembers.hanako)).response);
    expect(outcome.status).toBe("signed_in");
    expect((await verifyAssertion(t, outcome.assertion ?? "")).email).toBe(shouting.email);
  });

  it("in redirect mode, sends the browser back to the return URL with the assertion in tsunagu_assertion", async () => {
    const returnUrl = `${portalOrigin}/login/slack/done`;
    const { flow, response } = await signInAs(t, ken, slackMembers.ken, {
      purpose: "signin",
      returnMode: "redirect",
      returnUrl,
    });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get("location") ?? "");
    expect(back.origin + back.pathname).toBe(returnUrl);
    expect(back.searchParams.get("tsunagu_oauth")).toBe("signed_in");
    expect(back.searchParams.get("flow")).toBe(flow);
    expect((await verifyAssertion(t, back.searchParams.get("tsunagu_assertion") ?? "")).sub).toBe("ken");
  });

  it("cannot be replayed: the callback's second visit gets a plain page and no assertion", async () => {
    const { location, cookie, response } = await signInAs(t, ken, slackMembers.ken);
    expect((await outcomeOf(response)).status).toBe("signed_in");
    const again = await callback(t, location, cookie);
    expect(again.status).toBe(400);
    const html = await again.text();
    expect(errorCodeOnPage(html)).toBe("state_replayed");
    expect(html).not.toContain("var message");
  });

  it(
    "begins only from the login page's form: the begin URL opened by itself, or posted from another origin, sends " +
      "nobody to Slack",
    async () => {
      const started = (await (await startSignIn(t, ken)).json()) as StartedFlow;
      const { path } = beginRequest(started, portalOrigin);
      const opened = await t.app.request(path);
      expect(errorCodeOnPage(await opened.text())).toBe("begin_not_from_portal");
      const elsewhere = beginRequest(started, "https://evil.example");
      expect(errorCodeOnPage(await (await t.app.request(elsewhere.path, elsewhere.init)).text())).toBe(
        "begin_not_from_portal",
      );
      const fromLoginPage = beginRequest(started, portalOrigin);
      expect((await t.app.request(fromLoginPage.path, fromLoginPage.init)).status).toBe(303);
    },
  );
});

describe("refusals", () => {
  it(
    "refuses a Slack account of another workspace with slack_wrong_workspace, without naming the organisation's " +
      "workspace to someone not signed in",
    async () => {
      const { response } = await signInAs(t, hanako, slackMembers.hanakoInLabs);
      const page = await response.clone().text();
      const message = await expectRefused(response, "slack_wrong_workspace");
      expect(message).toBe(
        'You signed in to the Slack workspace "Sakura Labs", which is not the one your organisation signs in with. ' +
          "Sign in again and choose your organisation's workspace in the Slack workspace menu (top right of Slack's " +
          "page).",
      );
      // Anyone who typed a member's email at the login page gets this far: neither the page nor its message to the
      // login page says which workspace the organisation connected.
      expect(page).not.toMatch(/Sakura Recruit|sakura-recruit\.slack|T0SAKURA/i);
    },
  );

  it("says on a refused sign-in's page that the person is not signed in, in their language", async () => {
    for (const [locale, title, lead] of [
      ["ja", "サインインできませんでした", "<p>サインインは完了していません。理由は次のとおりです。</p>"],
      ["en", "Not signed in", '<p role="status">You signed in to the Slack workspace'],
    ] as const) {
      t.clock.advance(1);
      const token = await signInToken(t, hanako, { locale });
      const begun = await begin(t, await startSignIn(t, hanako, undefined, token));
      const location = await decide(await openConsent(begun.providerUrl), slackMembers.hanakoInLabs);
      const page = await (await callback(t, location, begun.cookie)).text();
      expect(page).toContain(`<h1>${title}</h1>`);
      expect(page).toContain(lead);
      expect(page).not.toMatch(/連携|linked/i);
    }
  });

  it("refuses a Slack guest, even with the right email, with slack_guest_not_allowed", async () => {
    const message = await expectRefused(
      (await signInAs(t, olivia, slackMembers.olivia)).response,
      "slack_guest_not_allowed",
    );
    expect(message).toMatch(
      /^Your Slack account is a multi-channel guest in "Sakura Recruit", and guest accounts cannot sign in\./,
    );
    expect(await slackAccountsOf(t, olivia)).toEqual([]);
  });

  it("refuses a Slack account whose email is not the portal user's, naming only the Slack email", async () => {
    const message = await expectRefused(
      (await signInAs(t, ken, slackMembers.hanako)).response,
      "signin_email_mismatch",
    );
    expect(message).toContain("hanako.yamada@sakura-recruit.example");
    expect(message).not.toContain("ken.sato");
    // Ken's own account is still the only one linked to him.
    expect((await slackAccountsOf(t, ken)).map((account) => account.external_user_id)).toEqual([slackMembers.ken]);
  });

  it("refuses an id_token carrying another nonce (a tampered authorize request)", async () => {
    t.clock.advance(1);
    const begun = await begin(t, await startSignIn(t, ken));
    const tampered = new URL(begun.providerUrl);
    tampered.searchParams.set("nonce", "chosen-by-an-attacker");
    const location = await decide(await openConsent(tampered), slackMembers.ken);
    await expectRefused(await callback(t, location, begun.cookie), "signin_id_token_invalid");
  });

  it("refuses a code from another sign-in injected into this one (its id_token names the other nonce)", async () => {
    t.clock.advance(1);
    // The attacker's own sign-in, stopped before our callback: they keep its code.
    const attacker = await begin(t, await startSignIn(t, ken));
    const attackerCode =
      (await decide(await openConsent(attacker.providerUrl), slackMembers.ken)).searchParams.get("code") ?? "";
    // The victim's sign-in comes back with the victim's state, carrying the attacker's code.
    const victim = await begin(t, await startSignIn(t, ken));
    const victimBack = await decide(await openConsent(victim.providerUrl), slackMembers.ken);
    victimBack.searchParams.set("code", attackerCode);
    await expectRefused(await callback(t, victimBack, victim.cookie), "signin_id_token_invalid");
  });

  it("refuses at the callback when an admin turned sign-in off meanwhile, and links nothing", async () => {
    const misaki: Person = {
      sub: "misaki",
      org: "sakura",
      role: "recruiter",
      email: "misaki.suzuki@sakura-recruit.example",
    };
    const begun = await begin(t, await startSignIn(t, misaki));
    const location = await decide(await openConsent(begun.providerUrl), "U0S003MISA");
    expect((await setSignIn(t, hanako, false)).status).toBe(200);
    try {
      await expectRefused(await callback(t, location, begun.cookie), "signin_disabled");
      expect(await slackAccountsOf(t, misaki)).toEqual([]);
    } finally {
      expect((await setSignIn(t, hanako, true)).status).toBe(200);
    }
  });
});

describe("when the workspace's connection no longer works", () => {
  it("refuses with slack_reconnect_required: without the bot token no guest can be told apart", async () => {
    await t.slack.fake.control("/revoke", { subject: sakuraTeam });
    const message = await expectRefused(
      (await signInAs(t, ken, slackMembers.ken)).response,
      "slack_reconnect_required",
    );
    expect(message).toMatch(/ask an administrator to connect Slack again/);
  });
});
