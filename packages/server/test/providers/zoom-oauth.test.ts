import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidGrantError, ProviderError } from "../../src/providers/errors.ts";
import { zoomScopes } from "../../src/providers/zoom.ts";
import { zoom as seed } from "../../src/sandbox/seed.ts";
import { link, newPkce, redirectUri, startZoom, walkConsent, type ZoomHarness } from "./zoom-support.ts";

let zoom: ZoomHarness;
beforeAll(async () => {
  zoom = await startZoom();
});
afterAll(() => zoom.close());
beforeEach(async () => {
  await zoom.running.control("/reset");
});

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

describe("Zoom authorization URL and consent page", () => {
  it("asks for a code with an S256 PKCE challenge, the state and the scopes, space-separated", () => {
    const url = zoom.client.oauth.authorizationUrl({
      state: "s1",
      codeChallenge: "c".repeat(43),
      redirectUri,
      scopes: [...zoomScopes.admin],
    });
    expect(url.origin + url.pathname).toBe(`${zoom.running.baseUrl}/oauth/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: "code",
      client_id: "test-client",
      redirect_uri: redirectUri,
      state: "s1",
      code_challenge: "c".repeat(43),
      code_challenge_method: "S256",
    });
    expect(url.searchParams.get("scope")).toBe(zoomScopes.admin.join(" "));
  });

  it("lists every seeded Zoom user, the shared recruiting user and the other company's user included", async () => {
    const { page } = await walkConsent(zoom, { account: "zU_ken", decision: "deny" });
    for (const user of seed.users) expect(page).toContain(`value="${user.id}"`);
    expect(page).toContain("recruiting@sakura-recruit.example");
    expect(page).toContain("taro.toyama@other-company.example");
  });

  it("sends the browser back with a code and the state when allowed", async () => {
    const { location } = await walkConsent(zoom, { account: "zU_sho", state: "xyz" });
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect(location.searchParams.get("state")).toBe("xyz");
    expect(location.searchParams.get("code")).toMatch(/^zc_/);
  });

  it("sends the browser back with access_denied when denied", async () => {
    const { location } = await walkConsent(zoom, { account: "zU_sho", decision: "deny", state: "xyz" });
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ error: "access_denied", state: "xyz" });
    expect(location.searchParams.has("code")).toBe(false);
  });

  it("refuses an admin-managed install by a plain member with an error redirect", async () => {
    const { location } = await walkConsent(zoom, { account: "zU_misaki", scopes: [...zoomScopes.admin] });
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("error_description")).toMatch(/owner or admin/);
  });

  it("refuses a request that mixes user and admin scopes", async () => {
    const { location } = await walkConsent(zoom, {
      account: "zU_hanako",
      scopes: ["user:read:user", "user:read:list_users:admin"],
    });
    expect(location.searchParams.get("error")).toBe("invalid_scope");
  });

  it("shows an error page, not a redirect, for an unknown client_id", async () => {
    const response = await fetch(
      `${zoom.running.baseUrl}/oauth/authorize?response_type=code&client_id=nope` +
        `&redirect_uri=${encodeURIComponent(redirectUri)}`,
      { redirect: "manual" },
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Invalid client_id");
  });
});

describe("Zoom code exchange", () => {
  it("gives user-level tokens to a user-managed link, and admin scopes to an owner's account install", async () => {
    const personal = await link(zoom, "zU_sho");
    expect(personal).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      scopes: expect.arrayContaining(["user:read:user", "meeting:write:meeting"]),
    });
    expect(Date.parse(personal.expiresAt ?? "") - zoom.running.clock.now().getTime()).toBeGreaterThan(3500_000);
    const install = await link(zoom, "zU_hanako", [...zoomScopes.admin]);
    expect(install.scopes).toEqual([...zoomScopes.admin]);
  });

  it("refuses a code used twice", async () => {
    const pkce = newPkce();
    const code = (await walkConsent(zoom, { account: "zU_sho", pkce })).location.searchParams.get("code") ?? "";
    await zoom.client.oauth.exchangeCode({ code, codeVerifier: pkce.verifier, redirectUri });
    await expect(
      zoom.client.oauth.exchangeCode({ code, codeVerifier: pkce.verifier, redirectUri }),
    ).rejects.toMatchObject({
      provider: "zoom",
      status: 400,
      code: "invalid_request",
      message: expect.stringContaining("Invalid authorization code"),
    });
  });

  it("refuses a different redirect_uri", async () => {
    const pkce = newPkce();
    const code = (await walkConsent(zoom, { account: "zU_sho", pkce })).location.searchParams.get("code") ?? "";
    await expect(
      zoom.client.oauth.exchangeCode({ code, codeVerifier: pkce.verifier, redirectUri: `${redirectUri}/` }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("Redirect URI mismatch") });
  });

  it("refuses a verifier that does not match the challenge", async () => {
    const code = (await walkConsent(zoom, { account: "zU_sho" })).location.searchParams.get("code") ?? "";
    await expect(
      zoom.client.oauth.exchangeCode({ code, codeVerifier: newPkce().verifier, redirectUri }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("code_verifier") });
  });

  it("refuses the verifier our client always sends when the authorize URL's code_challenge was stripped", async () => {
    const pkce = newPkce();
    const url = zoom.client.oauth.authorizationUrl({
      state: "s",
      codeChallenge: pkce.challenge,
      redirectUri,
      scopes: [],
    });
    url.searchParams.delete("code_challenge");
    url.searchParams.delete("code_challenge_method");
    const code = (await walkConsent(zoom, { account: "zU_sho", url })).location.searchParams.get("code") ?? "";
    await expect(
      zoom.client.oauth.exchangeCode({ code, codeVerifier: pkce.verifier, redirectUri }),
    ).rejects.toMatchObject({
      status: 400,
      code: "invalid_request",
      message: expect.stringContaining("code_verifier"),
    });
  });

  it("refuses a code older than five minutes", async () => {
    const pkce = newPkce();
    const code = (await walkConsent(zoom, { account: "zU_sho", pkce })).location.searchParams.get("code") ?? "";
    zoom.running.clock.advance(5 * 60_000 + 1000);
    await expect(
      zoom.client.oauth.exchangeCode({ code, codeVerifier: pkce.verifier, redirectUri }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("expired") });
  });

  it("treats a missing code_challenge_method as plain, as Zoom does", async () => {
    const verifier = newPkce().verifier;
    const url = new URL(`${zoom.running.baseUrl}/oauth/authorize`);
    for (const [name, value] of Object.entries({
      response_type: "code",
      client_id: "test-client",
      redirect_uri: redirectUri,
      state: "p",
      code_challenge: verifier,
    }))
      url.searchParams.set(name, value);
    const code = (await walkConsent(zoom, { account: "zU_sho", url })).location.searchParams.get("code") ?? "";
    await expect(zoom.client.oauth.exchangeCode({ code, codeVerifier: verifier, redirectUri })).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });

  it("requires HTTP Basic client authentication at the token endpoint", async () => {
    const tokenUrl = `${zoom.running.baseUrl}/oauth/token`;
    const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: "whatever" });
    const missing = await fetch(tokenUrl, { method: "POST", body });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ reason: "Invalid client_id or client_secret", error: "invalid_client" });
    const inBody = await fetch(tokenUrl, {
      method: "POST",
      body: new URLSearchParams({
        ...Object.fromEntries(body),
        client_id: "test-client",
        client_secret: zoom.running.context.clientSecret,
      }),
    });
    expect(inBody.status).toBe(401);
    const wrong = await fetch(tokenUrl, {
      method: "POST",
      body,
      headers: { authorization: basic("test-client", "wrong") },
    });
    expect(wrong.status).toBe(401);
    const tokens = await link(zoom, "zU_sho");
    await expect(
      zoom.clientWith({ clientSecret: "wrong" }).oauth.refresh(tokens.refreshToken ?? ""),
    ).rejects.toMatchObject({ status: 401, code: "invalid_client" });
  });
});

describe("Zoom refresh, re-authorization and revocation", () => {
  it("rotates the refresh token on every refresh; the previous one then fails with Invalid Token!", async () => {
    const first = await link(zoom, "zU_sho");
    const second = await zoom.client.oauth.refresh(first.refreshToken ?? "");
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    await expect(zoom.client.api(second.accessToken).me()).resolves.toMatchObject({ id: "zU_sho" });
    const reused = await zoom.client.oauth.refresh(first.refreshToken ?? "").catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(InvalidGrantError);
    expect(reused).toMatchObject({
      provider: "zoom",
      status: 400,
      code: "invalid_grant",
      message: expect.stringContaining("Invalid Token!"),
    });
    await expect(zoom.client.oauth.refresh(second.refreshToken ?? "")).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });

  it("kills the earlier access and refresh tokens when the same user authorizes again", async () => {
    const before = await link(zoom, "zU_recruiting");
    const after = await link(zoom, "zU_recruiting");
    await expect(zoom.client.api(before.accessToken).me()).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    await expect(zoom.client.oauth.refresh(before.refreshToken ?? "")).rejects.toBeInstanceOf(InvalidGrantError);
    await expect(zoom.client.api(after.accessToken).me()).resolves.toMatchObject({ id: "zU_recruiting" });
  });

  it("keeps an account install alive when its admin also links personally", async () => {
    const install = await link(zoom, "zU_ken", [...zoomScopes.admin]);
    await link(zoom, "zU_ken");
    await expect(zoom.client.api(install.accessToken).listUsers()).resolves.not.toHaveLength(0);
  });

  it("revokes with {status: success}; the grant is dead afterwards and revoking again is not an error", async () => {
    const tokens = await link(zoom, "zU_sho");
    await expect(zoom.client.oauth.revoke(tokens.accessToken)).resolves.toBeUndefined();
    await expect(zoom.client.api(tokens.accessToken).me()).rejects.toMatchObject({ code: "unauthorized" });
    await expect(zoom.client.oauth.refresh(tokens.refreshToken ?? "")).rejects.toBeInstanceOf(InvalidGrantError);
    await expect(zoom.client.oauth.revoke(tokens.accessToken)).resolves.toBeUndefined();
    const raw = await fetch(`${zoom.running.baseUrl}/oauth/revoke`, {
      method: "POST",
      body: new URLSearchParams({ token: (await link(zoom, "zU_sho")).accessToken }),
      headers: { authorization: basic("test-client", zoom.running.context.clientSecret) },
    });
    expect(await raw.json()).toEqual({ status: "success" });
  });

  it(
    "control revoke ends a person's grants by email; control " + "expire-tokens stops access tokens but not refresh",
    async () => {
      const sho = await link(zoom, "zU_sho");
      const james = await link(zoom, "zU_james");
      expect(await zoom.running.control("/revoke", { subject: "sho.takahashi@sakura-recruit.example" })).toMatchObject({
        revoked: 1,
      });
      await expect(zoom.client.oauth.refresh(sho.refreshToken ?? "")).rejects.toMatchObject({
        status: 401,
        code: "invalid_grant",
      });
      await zoom.running.control("/expire-tokens");
      const expired = await zoom.client
        .api(james.accessToken)
        .me()
        .catch((error: unknown) => error);
      expect(expired).toBeInstanceOf(ProviderError);
      expect(expired).toMatchObject({ status: 401, code: "unauthorized", message: expect.stringContaining("expired") });
      const renewed = await zoom.client.oauth.refresh(james.refreshToken ?? "");
      await expect(zoom.client.api(renewed.accessToken).me()).resolves.toMatchObject({ id: "zU_james" });
    },
  );
});
