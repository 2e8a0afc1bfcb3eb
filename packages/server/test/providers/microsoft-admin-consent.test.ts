/**
 * Contract: admin consent for a Microsoft 365 tenant, through the fake's
 * `/{tenant}/v2.0/adminconsent` page, read back by our redirect parser.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError, ProviderResponseError } from "../../src/providers/errors.ts";
import { microsoft as seedMicrosoft } from "../../src/sandbox/seed.ts";
import {
  decide,
  hanako,
  ken,
  type MicrosoftTestEnv,
  openConsentPage,
  redirectUri,
  startMicrosoft,
  taro,
} from "./microsoft-helpers.ts";

let env: MicrosoftTestEnv;
beforeAll(async () => {
  env = await startMicrosoft();
});
afterAll(() => env.running.close());
beforeEach(() => env.running.control("/reset"));

const consentUrl = (state = "admin-state", tenant?: string) =>
  env.client.oauth.adminConsentUrl({ state, redirectUri, ...(tenant && { tenant }) });

describe("admin consent URL", () => {
  it("uses organizations, our client, every scope and the state", () => {
    const url = consentUrl();
    expect(url.pathname).toBe("/organizations/v2.0/adminconsent");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: env.running.context.clientId,
      scope:
        "openid profile email offline_access https://graph.microsoft.com/Calendars.ReadWrite " +
        "https://graph.microsoft.com/User.Read",
      redirect_uri: redirectUri,
      state: "admin-state",
    });
    expect(consentUrl("s", seedMicrosoft.tenantId).pathname).toBe(`/${seedMicrosoft.tenantId}/v2.0/adminconsent`);
  });

  it("refuses the common tenant, as Microsoft does", async () => {
    expect(() => consentUrl("s", "common")).toThrow(ProviderError);
    const forced = new URL(consentUrl());
    forced.pathname = "/common/v2.0/adminconsent";
    const page = await fetch(forced, { redirect: "manual" });
    expect(page.status).toBe(400);
  });

  it("lists the tenant's people and the other tenant's account", async () => {
    const page = await openConsentPage(consentUrl());
    const emails = page.accounts.map((account) => account.detail.split(" ")[0]);
    expect(emails).toContain(hanako);
    expect(emails).toContain(taro);
  });
});

describe("admin consent redirect", () => {
  it("grants for the tenant when an admin allows: admin_consent=True&tenant=<guid>", async () => {
    const callback = await decide(consentUrl(), hanako, "allow");
    expect(callback.searchParams.get("admin_consent")).toBe("True");
    const result = env.client.oauth.parseAdminConsentRedirect(callback.searchParams);
    expect(result).toEqual({
      granted: true,
      tenantId: seedMicrosoft.tenantId,
      scopes: expect.arrayContaining(["https://graph.microsoft.com/Calendars.ReadWrite"]),
      state: "admin-state",
    });
  });

  it("reports a denial as access_denied", async () => {
    const callback = await decide(consentUrl(), hanako, "deny");
    expect(env.client.oauth.parseAdminConsentRedirect(callback.searchParams)).toEqual({
      granted: false,
      error: "access_denied",
      description: expect.stringMatching(/^AADSTS65004/),
      state: "admin-state",
    });
  });

  it.each([
    ["a non-admin of the tenant", ken],
    ["someone from another tenant", taro],
  ])("refuses %s with consent_required", async (_who, email) => {
    const callback = await decide(consentUrl(), email, "allow");
    expect(callback.searchParams.get("tenant")).toBeNull();
    expect(env.client.oauth.parseAdminConsentRedirect(callback.searchParams)).toMatchObject({
      granted: false,
      error: "consent_required",
      state: "admin-state",
    });
  });

  it("refuses to read a redirect that is neither a grant nor an error", () => {
    expect(() => env.client.oauth.parseAdminConsentRedirect(new URLSearchParams({ state: "s" }))).toThrow(
      ProviderResponseError,
    );
    expect(() =>
      env.client.oauth.parseAdminConsentRedirect(new URLSearchParams({ admin_consent: "True", state: "s" })),
    ).toThrow(ProviderResponseError);
  });
});
