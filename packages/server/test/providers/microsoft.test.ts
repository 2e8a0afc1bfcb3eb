/**
 * Contract: our Microsoft OAuth client against the fake identity platform,
 * driven through its consent page like a browser.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidGrantError, ProviderError } from "../../src/providers/errors.ts";
import { createMicrosoftClient, microsoftOAuthProfile, microsoftQuirks } from "../../src/providers/microsoft.ts";
import { microsoft as seedMicrosoft, people } from "../../src/sandbox/seed.ts";
import {
  decide,
  hanako,
  link,
  type MicrosoftTestEnv,
  openConsentPage,
  pkcePair,
  redirectUri,
  signInNonce,
  startMicrosoft,
  taro,
} from "./microsoft-helpers.ts";

let env: MicrosoftTestEnv;
beforeAll(async () => {
  env = await startMicrosoft();
});
afterAll(() => env.running.close());
beforeEach(async () => {
  await env.running.control("/reset");
  env.deps.slept.length = 0;
});

const allScopes = [...microsoftQuirks.scopes];

async function codeFor(email = hanako, scopes = allScopes) {
  const { verifier, challenge } = pkcePair();
  const url = env.client.oauth.authorizationUrl({ state: "s1", codeChallenge: challenge, redirectUri, scopes });
  const callback = await decide(url, email, "allow");
  return { code: callback.searchParams.get("code") ?? "", verifier, callback };
}

async function totalCalls(): Promise<number> {
  const stats = (await (await fetch(`${env.running.baseUrl}/_control/stats`)).json()) as {
    calls: Record<string, number>;
  };
  return Object.entries(stats.calls).reduce((sum, [key, count]) => (key.includes("/_control/") ? sum : sum + count), 0);
}

describe("authorization URL and consent page", () => {
  it("asks the organizations authority with PKCE S256, every scope and account selection", () => {
    const url = env.client.oauth.authorizationUrl({
      state: "s1",
      codeChallenge: "c".repeat(43),
      redirectUri,
      scopes: allScopes,
      loginHint: hanako,
    });
    expect(url.pathname).toBe("/organizations/oauth2/v2.0/authorize");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: env.running.context.clientId,
      response_type: "code",
      response_mode: "query",
      code_challenge_method: "S256",
      scope:
        "openid profile email offline_access https://graph.microsoft.com/Calendars.ReadWrite " +
        "https://graph.microsoft.com/User.Read",
      prompt: "select_account",
      login_hint: hanako,
    });
    expect(
      env.client.oauth
        .authorizationUrl({ state: "s", codeChallenge: "c", redirectUri, scopes: allScopes, forceConsent: true })
        .searchParams.get("prompt"),
    ).toBe("consent");
    expect(
      env.client
        .oauthForTenant(seedMicrosoft.tenantId)
        .authorizationUrl({ state: "s", codeChallenge: "c", redirectUri, scopes: allScopes }).pathname,
    ).toBe(`/${seedMicrosoft.tenantId}/oauth2/v2.0/authorize`);
  });

  it(
    "lists the tenant's people plus the other tenant's account under organizations, and only the tenant's people " +
      "under its id",
    async () => {
      const { challenge } = pkcePair();
      const organizations = await openConsentPage(
        env.client.oauth.authorizationUrl({ state: "s", codeChallenge: challenge, redirectUri, scopes: allScopes }),
      );
      expect(organizations.accounts.map((account) => account.detail.split(" ")[0])).toEqual([
        ...people.map((person) => person.email),
        taro,
      ]);
      const pinned = await openConsentPage(
        env.client
          .oauthForTenant(seedMicrosoft.tenantId)
          .authorizationUrl({ state: "s", codeChallenge: challenge, redirectUri, scopes: allScopes }),
      );
      expect(pinned.accounts).toHaveLength(people.length);
      expect(pinned.accounts.every((account) => account.detail.endsWith(seedMicrosoft.tenantId))).toBe(true);
    },
  );

  it("shows an error page, not a redirect, for an unknown tenant or client", async () => {
    const bad = new URL(
      env.client.oauth.authorizationUrl({ state: "s", codeChallenge: "c", redirectUri, scopes: allScopes }),
    );
    bad.pathname = "/no-such-tenant.example/oauth2/v2.0/authorize";
    const tenantPage = await fetch(bad, { redirect: "manual" });
    expect(tenantPage.status).toBe(400);
    expect(await tenantPage.text()).toContain("AADSTS90002");
    bad.pathname = "/organizations/oauth2/v2.0/authorize";
    bad.searchParams.set("client_id", "someone-else");
    expect((await fetch(bad, { redirect: "manual" })).status).toBe(400);
  });

  it("redirects a denial with access_denied and the state", async () => {
    const callback = await decide(
      env.client.oauth.authorizationUrl({
        state: "deny-state",
        codeChallenge: pkcePair().challenge,
        redirectUri,
        scopes: allScopes,
      }),
      hanako,
      "deny",
    );
    expect(`${callback.origin}${callback.pathname}`).toBe(redirectUri);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("error_description")).toMatch(/^AADSTS65004/);
    expect(callback.searchParams.get("state")).toBe("deny-state");
  });
});

describe("response_mode", () => {
  /** Opens the consent page with `response_mode` set, chooses Hanako and allows; the fake's answer. */
  async function allowWith(mode: string) {
    const { verifier, challenge } = pkcePair();
    const url = env.client.oauth.authorizationUrl({
      state: `state-${mode}`,
      codeChallenge: challenge,
      redirectUri,
      scopes: allScopes,
    });
    url.searchParams.set("response_mode", mode);
    const page = await openConsentPage(url);
    const account = page.accounts.find((candidate) => candidate.detail.startsWith(`${hanako} `));
    const form = new URLSearchParams([...page.hidden, ["account", account?.id ?? ""], ["decision", "allow"]]);
    return { verifier, answer: await fetch(page.action, { method: "POST", body: form, redirect: "manual" }) };
  }

  it(
    "form_post: answers with Microsoft's auto-submitting form that POSTs code, state and session_state to the " +
      "redirect URI",
    async () => {
      const { verifier, answer } = await allowWith("form_post");
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toContain("text/html");
      const page = await answer.text();
      expect(page).toContain(`<form method="POST" name="hiddenform" action="${redirectUri}">`);
      expect(page).toContain('<script language="javascript">document.forms[0].submit();</script>');
      const fields = Object.fromEntries(
        [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)" \/>/g)].map((match) => [
          match[1],
          match[2],
        ]),
      );
      expect(fields).toMatchObject({
        code: expect.any(String),
        state: "state-form_post",
        session_state: expect.any(String),
      });
      await expect(
        env.client.oauth.exchangeCode({ code: fields.code ?? "", codeVerifier: verifier, redirectUri }),
      ).resolves.toMatchObject({ accessToken: expect.any(String) });
    },
  );

  it("form_post: a denial is posted the same way", async () => {
    const { challenge } = pkcePair();
    const url = env.client.oauth.authorizationUrl({
      state: "s-deny",
      codeChallenge: challenge,
      redirectUri,
      scopes: allScopes,
    });
    url.searchParams.set("response_mode", "form_post");
    const page = await openConsentPage(url);
    const denied = await fetch(page.action, {
      method: "POST",
      body: new URLSearchParams([...page.hidden, ["account", page.accounts[0]?.id ?? ""], ["decision", "deny"]]),
      redirect: "manual",
    });
    const html = await denied.text();
    expect(html).toContain('name="error" value="access_denied"');
    expect(html).toContain('name="state" value="s-deny"');
  });

  it("fragment: redirects with the answer after #", async () => {
    const { answer } = await allowWith("fragment");
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get("location") ?? "");
    expect(location.search).toBe("");
    expect(Object.fromEntries(new URLSearchParams(location.hash.slice(1)))).toMatchObject({
      code: expect.any(String),
      state: "state-fragment",
    });
  });

  it("refuses a response_mode Microsoft does not offer", async () => {
    const url = env.client.oauth.authorizationUrl({
      state: "s-bad",
      codeChallenge: pkcePair().challenge,
      redirectUri,
      scopes: allScopes,
    });
    url.searchParams.set("response_mode", "web_message");
    const answer = await fetch(url, { redirect: "manual" });
    expect(answer.status).toBe(302);
    expect(Object.fromEntries(new URL(answer.headers.get("location") ?? "").searchParams)).toMatchObject({
      error: "invalid_request",
      state: "s-bad",
    });
  });

  it(
    "our client asks for query: the flow's browser cookie is SameSite=Lax, which a cross-site form_post would not " +
      "carry",
    () => {
      const url = env.client.oauth.authorizationUrl({
        state: "s",
        codeChallenge: "c",
        redirectUri,
        scopes: allScopes,
        nonce: "n-1",
      });
      expect(url.searchParams.get("response_mode")).toBe("query");
      expect(url.searchParams.get("nonce")).toBe("n-1");
    },
  );
});

describe("code exchange", () => {
  it("returns tokens, a 60–90 minute expiry and an id_token whose claims name the tenant", async () => {
    const before = env.deps.clock.now().getTime();
    const tokens = await link(env);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.scopes).toEqual(
      expect.arrayContaining([
        "https://graph.microsoft.com/Calendars.ReadWrite",
        "https://graph.microsoft.com/User.Read",
      ]),
    );
    const lifetime = new Date(tokens.expiresAt ?? "").getTime() - before;
    expect(lifetime).toBeGreaterThanOrEqual(3600_000);
    expect(lifetime).toBeLessThanOrEqual(5400_000 + 5_000);
    const identity = await env.client.oauth.verifyIdToken(tokens.idToken ?? "", { nonce: signInNonce });
    expect(identity).toMatchObject({
      tenantId: seedMicrosoft.tenantId,
      username: hanako,
      email: hanako,
      name: "Hanako Yamada",
    });
    expect(identity.objectId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("tells a person from another tenant apart by tid", async () => {
    const tokens = await link(env, taro);
    expect((await env.client.oauth.verifyIdToken(tokens.idToken ?? "", { nonce: signInNonce })).tenantId).toBe(
      seedMicrosoft.otherTenantId,
    );
  });

  it("gives a refresh token only with offline_access, and an id_token only with openid", async () => {
    const tokens = await link(env, hanako, ["https://graph.microsoft.com/User.Read"]);
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.idToken).toBeUndefined();
    expect(tokens.accessToken).toBeTruthy();
  });

  it("refuses a reused code as invalid_grant", async () => {
    const { code, verifier } = await codeFor();
    await env.client.oauth.exchangeCode({ code, codeVerifier: verifier, redirectUri });
    const reuse = env.client.oauth.exchangeCode({ code, codeVerifier: verifier, redirectUri });
    await expect(reuse).rejects.toBeInstanceOf(InvalidGrantError);
    await expect(reuse).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^AADSTS54005/) });
  });

  it("refuses the verifier our client always sends when the authorize URL's code_challenge was stripped", async () => {
    const url = env.client.oauth.authorizationUrl({
      state: "s1",
      codeChallenge: pkcePair().challenge,
      redirectUri,
      scopes: allScopes,
    });
    url.searchParams.delete("code_challenge");
    url.searchParams.delete("code_challenge_method");
    const code = (await decide(url, hanako, "allow")).searchParams.get("code") ?? "";
    await expect(
      env.client.oauth.exchangeCode({ code, codeVerifier: pkcePair().verifier, redirectUri }),
    ).rejects.toMatchObject({ name: "InvalidGrantError", message: expect.stringMatching(/^AADSTS501481/) });
  });

  it("refuses a different redirect_uri, a wrong PKCE verifier and an expired code", async () => {
    const wrongRedirect = await codeFor();
    await expect(
      env.client.oauth.exchangeCode({
        code: wrongRedirect.code,
        codeVerifier: wrongRedirect.verifier,
        redirectUri: `${redirectUri}/other`,
      }),
    ).rejects.toMatchObject({
      name: "InvalidGrantError",
      message: expect.stringMatching(/^AADSTS500112/),
    });
    const wrongVerifier = await codeFor();
    await expect(
      env.client.oauth.exchangeCode({ code: wrongVerifier.code, codeVerifier: pkcePair().verifier, redirectUri }),
    ).rejects.toMatchObject({
      name: "InvalidGrantError",
      message: expect.stringMatching(/^AADSTS501481/),
    });
    const expired = await codeFor();
    await env.running.control("/clock", { advanceSeconds: 10 * 60 + 1 });
    await expect(
      env.client.oauth.exchangeCode({ code: expired.code, codeVerifier: expired.verifier, redirectUri }),
    ).rejects.toMatchObject({
      name: "InvalidGrantError",
      message: expect.stringMatching(/^AADSTS70008/),
    });
  });

  it("keeps the AADSTS details (error_codes, trace_id, correlation_id) in the error's cause", async () => {
    const error = await env.client.oauth
      .exchangeCode({ code: "never-issued", codeVerifier: pkcePair().verifier, redirectUri })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect((error as InvalidGrantError).cause).toMatchObject({
      error: "invalid_grant",
      error_codes: [9002313],
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
      timestamp: expect.any(String),
    });
  });

  it("reports a wrong client secret as invalid_client, not as a dead grant", async () => {
    const { code, verifier } = await codeFor();
    const wrong = createMicrosoftClient(
      {
        clientId: env.running.context.clientId,
        clientSecret: "not-the-secret",
        endpoints: { authority: env.running.baseUrl, graphBaseUrl: `${env.running.baseUrl}/` },
      },
      env.deps,
    );
    const error = await wrong.oauth
      .exchangeCode({ code, codeVerifier: verifier, redirectUri })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).not.toBeInstanceOf(InvalidGrantError);
    expect(error).toMatchObject({ provider: "microsoft", status: 401, code: "invalid_client" });
  });
});

describe("refresh", () => {
  it("returns a new refresh token each time, and the old one keeps working", async () => {
    const first = await link(env);
    const second = await env.client.oauth.refresh(first.refreshToken ?? "");
    expect(second.refreshToken).toBeTruthy();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    const again = await env.client.oauth.refresh(first.refreshToken ?? "");
    expect(again.refreshToken).not.toBe(second.refreshToken);
    await expect(env.client.oauth.refresh(second.refreshToken ?? "")).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });

  it("fails with InvalidGrantError once the grant is revoked through the control API", async () => {
    const tokens = await link(env);
    const rotated = await env.client.oauth.refresh(tokens.refreshToken ?? "");
    expect(await env.running.control("/revoke", { subject: hanako })).toEqual({ ok: true, revoked: 1 });
    for (const refreshToken of [tokens.refreshToken, rotated.refreshToken]) {
      await expect(env.client.oauth.refresh(refreshToken ?? "")).rejects.toMatchObject({
        name: "InvalidGrantError",
        code: "invalid_grant",
        message: expect.stringMatching(/^AADSTS50173/),
      });
    }
  });

  it("fails with InvalidGrantError for a refresh token the server never issued", async () => {
    await expect(env.client.oauth.refresh("M.C5-made-up")).rejects.toBeInstanceOf(InvalidGrantError);
  });
});

describe("revoke", () => {
  it("resolves without calling Microsoft, which has no revocation endpoint", async () => {
    const tokens = await link(env);
    const before = await totalCalls();
    await expect(env.client.oauth.revoke(tokens.refreshToken ?? "")).resolves.toBeUndefined();
    expect(await totalCalls()).toBe(before);
    expect(microsoftOAuthProfile.revocation).toBe("none");
  });
});

describe("control API on the token endpoint", () => {
  it("retries an injected 503 and a 429 with a fractional Retry-After, then succeeds", async () => {
    const tokens = await link(env);
    await env.running.control("/fail", { status: 503, path: "/organizations/oauth2/v2.0/token" });
    await expect(env.client.oauth.refresh(tokens.refreshToken ?? "")).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
    expect(env.deps.slept).toHaveLength(1);
    await env.running.control("/rate-limit", { retryAfter: "0.05", path: "/organizations/oauth2/v2.0/token" });
    await expect(env.client.oauth.refresh(tokens.refreshToken ?? "")).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
    expect(env.deps.slept.at(-1)).toBe(50);
  });

  it("does not resend a code exchange after a 503 (the code may be spent), but does after a 429", async () => {
    const first = await codeFor();
    await env.running.control("/fail", { status: 503, path: "/organizations/oauth2/v2.0/token" });
    await expect(
      env.client.oauth.exchangeCode({ code: first.code, codeVerifier: first.verifier, redirectUri }),
    ).rejects.toMatchObject({ status: 503 });
    expect(env.deps.slept).toEqual([]);
    const second = await codeFor();
    await env.running.control("/rate-limit", { retryAfter: "0.05", path: "/organizations/oauth2/v2.0/token" });
    await expect(
      env.client.oauth.exchangeCode({ code: second.code, codeVerifier: second.verifier, redirectUri }),
    ).resolves.toMatchObject({ accessToken: expect.any(String) });
    expect(env.deps.slept).toEqual([50]);
  });

  it("does not retry an injected 400 and keeps the AADSTS code", async () => {
    const tokens = await link(env);
    await env.running.control("/fail", { status: 400, path: "/organizations/oauth2/v2.0/token" });
    await expect(env.client.oauth.refresh(tokens.refreshToken ?? "")).rejects.toMatchObject({
      status: 400,
      code: "invalid_request",
    });
    expect(env.deps.slept).toEqual([]);
  });
});
