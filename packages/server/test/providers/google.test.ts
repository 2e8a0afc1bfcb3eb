/**
 * Contract tests for Google OAuth: the production client against the fake,
 * with the consent page driven over HTTP like a browser.
 * Bullets of providers.md "What a faithful fake must reproduce" (Google) covered here:
 * single-use code with redirect_uri and PKCE checks; refresh_token only for
 * access_type=offline on first consent or with prompt=consent; refresh without
 * a new refresh token; revoked grant → 400 invalid_grant; revoke → 200 and an
 * access token's revocation kills its refresh token; a verifiable id_token.
 */
import { decodeJwt } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidGrantError, ProviderError, ProviderResponseError } from "../../src/providers/errors.ts";
import { createGoogleClient, googleScopes, missingGoogleScopes } from "../../src/providers/google.ts";
import {
  authorize,
  calendarEvents,
  consumer,
  decide,
  type GoogleHarness,
  hanako,
  link,
  openConsent,
  pkcePair,
  redirectUri,
  startGoogle,
} from "./google-support.ts";

let harness: GoogleHarness;
beforeAll(async () => {
  harness = await startGoogle();
});
afterAll(() => harness.fake.close());
beforeEach(async () => {
  await harness.fake.control("/reset");
  harness.deps.slept.length = 0;
});

const authorizationUrl = (options: { forceConsent?: boolean } = {}) =>
  harness.client.oauth.authorizationUrl({
    state: "s-1",
    codeChallenge: pkcePair().challenge,
    redirectUri,
    scopes: [...googleScopes],
    loginHint: hanako,
    ...options,
  });

describe("authorization URL", () => {
  it("asks for offline access with PKCE S256, earlier grants included, and consent only when forced", () => {
    const url = authorizationUrl();
    expect(`${url.origin}${url.pathname}`).toBe(harness.app.endpoints.authorizeUrl);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: harness.app.clientId,
      response_type: "code",
      redirect_uri: redirectUri,
      scope: googleScopes.join(" "),
      state: "s-1",
      code_challenge_method: "S256",
      access_type: "offline",
      include_granted_scopes: "true",
      login_hint: hanako,
    });
    expect(url.searchParams.has("prompt")).toBe(false);
    expect(authorizationUrl({ forceConsent: true }).searchParams.get("prompt")).toBe("consent");
  });

  it(
    "shows a consent page with the hinted account first, " + "sign-in scopes fixed and calendar scopes as checkboxes",
    async () => {
      const form = await openConsent(authorizationUrl());
      expect(form.accounts[0]).toBe(hanako);
      expect(form.accounts).toContain(consumer);
      expect(form.fixedScopes).toEqual(["openid", "https://www.googleapis.com/auth/userinfo.email"]);
      expect(form.optionalScopes).toEqual([calendarEvents, "https://www.googleapis.com/auth/calendar.freebusy"]);
    },
  );

  it("shows Google's error page for an unknown client or a missing scope", async () => {
    const url = authorizationUrl();
    url.searchParams.set("client_id", "someone-else");
    const unknownClient = await fetch(url);
    expect(unknownClient.status).toBe(401);
    expect(await unknownClient.text()).toContain("invalid_client");
    url.searchParams.set("client_id", harness.app.clientId);
    url.searchParams.delete("scope");
    expect((await fetch(url)).status).toBe(400);
  });
});

describe("code exchange", () => {
  it("returns tokens, granted scopes as Google names them, and an expiry from the injected clock", async () => {
    const before = harness.fake.clock.now().getTime();
    const tokens = await link(harness, hanako);
    expect(tokens.accessToken).toMatch(/^ya29\./);
    expect(tokens.refreshToken).toMatch(/^1\/\//);
    expect(tokens.scopes).toContain("https://www.googleapis.com/auth/userinfo.email");
    expect(missingGoogleScopes(tokens.scopes)).toEqual([]);
    const expiresAt = new Date(tokens.expiresAt ?? "").getTime();
    expect(expiresAt - before).toBeGreaterThanOrEqual(3599_000);
    expect(expiresAt - before).toBeLessThan(3599_000 + 60_000);
  });

  it("redirects back with state, code, the granted scopes and the Workspace domain", async () => {
    const { back } = await authorize(harness, hanako);
    expect(back.origin + back.pathname).toBe(redirectUri);
    expect(back.searchParams.get("state")).toBe("state-1");
    expect(back.searchParams.get("hd")).toBe("sakura-recruit.example");
    expect(back.searchParams.get("scope")?.split(" ")).toContain(calendarEvents);
  });

  it("refuses a code used twice", async () => {
    const { code, verifier } = await authorize(harness, hanako);
    await harness.client.oauth.exchangeCode({ code, codeVerifier: verifier, redirectUri });
    const again = harness.client.oauth.exchangeCode({ code, codeVerifier: verifier, redirectUri });
    await expect(again).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it("refuses another redirect_uri than the one authorized", async () => {
    const { code, verifier } = await authorize(harness, hanako);
    const error = await harness.client.oauth
      .exchangeCode({ code, codeVerifier: verifier, redirectUri: "http://127.0.0.1:8787/elsewhere" })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ provider: "google", status: 400, code: "redirect_uri_mismatch" });
  });

  it("refuses a code_verifier that does not match the challenge", async () => {
    const { code } = await authorize(harness, hanako);
    const error = await harness.client.oauth
      .exchangeCode({ code, codeVerifier: pkcePair().verifier, redirectUri })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect((error as Error).message).toBe("Invalid code verifier.");
  });

  it(
    "refuses the verifier our client always sends when the authorize request's code_challenge was stripped, as " +
      "Google does",
    async () => {
      const url = authorizationUrl();
      url.searchParams.delete("code_challenge");
      url.searchParams.delete("code_challenge_method");
      const code = (await decide(await openConsent(url), hanako)).searchParams.get("code") ?? "";
      const error = await harness.client.oauth
        .exchangeCode({ code, codeVerifier: pkcePair().verifier, redirectUri })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidGrantError);
      expect((error as Error).message).toBe("code_verifier or verifier is not needed.");
    },
  );

  it("refuses a code older than ten minutes", async () => {
    const { code, verifier } = await authorize(harness, hanako);
    await harness.fake.control("/clock", { advanceSeconds: 601 });
    await expect(
      harness.client.oauth.exchangeCode({ code, codeVerifier: verifier, redirectUri }),
    ).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it("redirects with error=access_denied and the state when the person denies", async () => {
    const back = await decide(await openConsent(authorizationUrl()), hanako, { decision: "deny" });
    expect(back.searchParams.get("error")).toBe("access_denied");
    expect(back.searchParams.get("state")).toBe("s-1");
    expect(back.searchParams.has("code")).toBe(false);
  });

  it("refuses a client with the wrong secret", async () => {
    const client = createGoogleClient({ ...harness.app, clientSecret: "wrong" }, harness.deps);
    const { code, verifier } = await authorize(harness, hanako);
    await expect(client.oauth.exchangeCode({ code, codeVerifier: verifier, redirectUri })).rejects.toMatchObject({
      status: 401,
      code: "invalid_client",
    });
  });
});

describe("refresh tokens", () => {
  it("come only on the first offline consent, or again with prompt=consent", async () => {
    const first = await link(harness, hanako);
    const second = await link(harness, hanako);
    const forced = await link(harness, hanako, { forceConsent: true });
    expect(first.refreshToken).toBeDefined();
    expect(second.refreshToken).toBeUndefined();
    expect(forced.refreshToken).toBeDefined();
    expect(forced.refreshToken).not.toBe(first.refreshToken);
    // The first one still works after a new one was issued.
    await expect(harness.client.oauth.refresh(first.refreshToken ?? "")).resolves.toMatchObject({
      refreshToken: first.refreshToken,
    });
  });

  it("never come without access_type=offline", async () => {
    const pkce = pkcePair();
    const url = harness.client.oauth.authorizationUrl({
      state: "s",
      codeChallenge: pkce.challenge,
      redirectUri,
      scopes: [...googleScopes],
      forceConsent: true,
    });
    url.searchParams.delete("access_type");
    const code = (await decide(await openConsent(url), hanako)).searchParams.get("code") ?? "";
    const tokens = await harness.client.oauth.exchangeCode({ code, codeVerifier: pkce.verifier, redirectUri });
    expect(tokens.refreshToken).toBeUndefined();
  });

  it("refresh without rotating: the answer carries no refresh token and the old one keeps working", async () => {
    const { refreshToken = "" } = await link(harness, hanako);
    const raw = await fetch(harness.app.endpoints.tokenUrl, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: harness.app.clientId,
        client_secret: harness.app.clientSecret,
      }),
    });
    expect(Object.keys((await raw.json()) as object).sort()).toEqual([
      "access_token",
      "expires_in",
      "id_token",
      "scope",
      "token_type",
    ]);
    const refreshed = await harness.client.oauth.refresh(refreshToken);
    expect(refreshed.refreshToken).toBe(refreshToken);
    const again = await harness.client.oauth.refresh(refreshToken);
    expect(again.accessToken).not.toBe(refreshed.accessToken);
    await expect(harness.client.api(again.accessToken).whoAmI()).resolves.toMatchObject({ email: hanako });
  });

  it("fail with invalid_grant once revoked, and revoking the access token revokes its refresh token", async () => {
    const tokens = await link(harness, hanako);
    await harness.client.oauth.revoke(tokens.accessToken);
    const error = await harness.client.oauth.refresh(tokens.refreshToken ?? "").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(error).toMatchObject({ status: 400, code: "invalid_grant", message: "Token has been expired or revoked." });
    await expect(harness.client.api(tokens.accessToken).whoAmI()).rejects.toMatchObject({
      status: 401,
      code: "unauthorized",
    });
    // After a revocation the next consent is a first consent again.
    expect((await link(harness, hanako)).refreshToken).toBeDefined();
  });

  it("revoking the refresh token kills the access token too; an unknown token is a 400", async () => {
    const tokens = await link(harness, hanako);
    await harness.client.oauth.revoke(tokens.refreshToken ?? "");
    await expect(harness.client.api(tokens.accessToken).whoAmI()).rejects.toMatchObject({ code: "unauthorized" });
    await expect(harness.client.oauth.revoke(tokens.refreshToken ?? "")).rejects.toMatchObject({
      status: 400,
      code: "invalid_token",
    });
  });

  it("die when the control API revokes the person's grants, by email or by Google id", async () => {
    const byEmail = await link(harness, hanako);
    expect(await harness.fake.control("/revoke", { subject: hanako })).toEqual({ ok: true, revoked: 1 });
    await expect(harness.client.oauth.refresh(byEmail.refreshToken ?? "")).rejects.toBeInstanceOf(InvalidGrantError);
    const bySub = await link(harness, hanako);
    const { sub } = await harness.client.api(bySub.accessToken).whoAmI();
    expect(await harness.fake.control("/revoke", { subject: sub })).toEqual({ ok: true, revoked: 1 });
    await expect(harness.client.oauth.refresh(bySub.refreshToken ?? "")).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it("expire after six months unused", async () => {
    const tokens = await link(harness, hanako);
    await harness.fake.control("/clock", { advanceSeconds: 184 * 86_400 });
    await expect(harness.client.oauth.refresh(tokens.refreshToken ?? "")).rejects.toBeInstanceOf(InvalidGrantError);
  });
});

describe("access tokens", () => {
  it("stop working after an hour, and when the control API expires them; a refresh brings a working one", async () => {
    const tokens = await link(harness, hanako);
    await harness.fake.control("/expire-tokens");
    await expect(harness.client.api(tokens.accessToken).whoAmI()).rejects.toMatchObject({
      status: 401,
      code: "unauthorized",
    });
    const refreshed = await harness.client.oauth.refresh(tokens.refreshToken ?? "");
    await expect(harness.client.api(refreshed.accessToken).whoAmI()).resolves.toMatchObject({ email: hanako });
    await harness.fake.control("/clock", { advanceSeconds: 3600 });
    await expect(harness.client.api(refreshed.accessToken).whoAmI()).rejects.toMatchObject({ code: "unauthorized" });
  });
});

describe("granular consent", () => {
  it("lets the person untick a calendar permission; the grant then lacks it and the calendar refuses", async () => {
    const tokens = await link(harness, hanako, { untick: [calendarEvents] });
    expect(tokens.scopes).not.toContain(calendarEvents);
    expect(missingGoogleScopes(tokens.scopes)).toEqual([calendarEvents]);
    const api = harness.client.api(tokens.accessToken);
    await expect(
      api.createEvent({
        summary: "x",
        start: new Date("2030-01-07T01:00:00Z"),
        end: new Date("2030-01-07T02:00:00Z"),
        timeZone: "Asia/Tokyo",
        attendees: [],
      }),
    ).rejects.toMatchObject({
      status: 403,
      code: "insufficientPermissions",
    });
    await expect(
      api.freeBusy(
        [hanako],
        { start: new Date("2030-01-07T00:00:00Z"), end: new Date("2030-01-08T00:00:00Z") },
        "Asia/Tokyo",
      ),
    ).resolves.toHaveLength(1);
  });

  it("includes earlier grants in a new token (include_granted_scopes)", async () => {
    await link(harness, hanako);
    const narrower = await link(harness, hanako, { scopes: ["openid", "email"] });
    expect(missingGoogleScopes(narrower.scopes)).toEqual([]);
  });
});

describe("identity", () => {
  it("reads who linked from userinfo: sub, email and the Workspace domain (the name only with `profile`)", async () => {
    const tokens = await link(harness, hanako);
    const me = await harness.client.api(tokens.accessToken).whoAmI();
    expect(me).toMatchObject({ email: hanako, emailVerified: true, hd: "sakura-recruit.example", name: undefined });
    expect(me.sub).toMatch(/^\d{21}$/);
    expect(decodeJwt(tokens.idToken ?? "").sub).toBe(me.sub);
    const withProfile = await link(harness, hanako, { scopes: [...googleScopes, "profile"] });
    await expect(harness.client.api(withProfile.accessToken).whoAmI()).resolves.toMatchObject({
      name: "Hanako Yamada",
    });
    await expect(harness.client.oauth.verifyIdToken(withProfile.idToken ?? "")).resolves.toMatchObject({
      name: "Hanako Yamada",
    });
  });

  it("has no hd for a consumer account", async () => {
    const tokens = await link(harness, consumer);
    await expect(harness.client.api(tokens.accessToken).whoAmI()).resolves.toMatchObject({
      email: consumer,
      hd: undefined,
    });
    await expect(harness.client.oauth.verifyIdToken(tokens.idToken ?? "")).resolves.toMatchObject({
      email: consumer,
      hd: undefined,
    });
  });

  it("verifies the id_token against the JWKS, and refuses a forged or expired one", async () => {
    const tokens = await link(harness, hanako);
    const idToken = tokens.idToken ?? "";
    await expect(harness.client.oauth.verifyIdToken(idToken)).resolves.toMatchObject({
      email: hanako,
      hd: "sakura-recruit.example",
    });
    const [header, _payload, signature] = idToken.split(".");
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...decodeJwt(idToken), email: "ceo@sakura-recruit.example" }),
    ).toString("base64url");
    await expect(harness.client.oauth.verifyIdToken(`${header}.${forgedPayload}.${signature}`)).rejects.toBeInstanceOf(
      ProviderResponseError,
    );
    await harness.fake.control("/clock", { advanceSeconds: 7200 });
    await expect(harness.client.oauth.verifyIdToken(idToken)).rejects.toBeInstanceOf(ProviderResponseError);
  });
});

describe("token endpoint retries", () => {
  it("retries a 429 after its Retry-After, then succeeds", async () => {
    const { refreshToken = "" } = await link(harness, hanako);
    await harness.fake.control("/rate-limit", { count: 1, retryAfter: "2", path: "/token" });
    await expect(harness.client.oauth.refresh(refreshToken)).resolves.toMatchObject({ refreshToken });
    expect(harness.deps.slept).toEqual([2000]);
  });

  it("retries a refresh on 503, but never a code exchange on 5xx (the code may be spent)", async () => {
    const { refreshToken = "" } = await link(harness, hanako, { forceConsent: true });
    await harness.fake.control("/fail", { count: 1, status: 503, path: "/token" });
    await expect(harness.client.oauth.refresh(refreshToken)).resolves.toBeDefined();
    expect(harness.deps.slept).toHaveLength(1);
    const { code, verifier } = await authorize(harness, hanako);
    await harness.fake.control("/fail", { count: 1, status: 500, path: "/token" });
    const error = await harness.client.oauth
      .exchangeCode({ code, codeVerifier: verifier, redirectUri })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 500 });
    expect(harness.deps.slept).toHaveLength(1);
  });
});
