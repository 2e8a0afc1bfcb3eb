/**
 * Personal Microsoft 365 accounts and their guards, over HTTP through the real
 * app, the real Microsoft adapter and the Microsoft fake's sign-in page.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { microsoft as seedMicrosoft } from "../../../src/sandbox/seed.ts";
import { hanako, ken, taro } from "../../providers/microsoft-helpers.ts";
import {
  accountsOf,
  connectMicrosoft,
  type LinkingApp,
  linkMicrosoft,
  storedTokens,
} from "./google-microsoft-links.ts";
import { beginLink } from "../../support/round-trip.ts";
import { type Caller, createTestApp } from "../../support/test-app.ts";

let t: LinkingApp;
beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft"] });
});
afterAll(() => t.close());
beforeEach(() => t.microsoft.control("/reset"));

/** An organisation whose admin connected the sandbox's tenant; returns one of its recruiters. */
async function connectedOrg(org: string): Promise<Caller> {
  const { outcome } = await connectMicrosoft(t, { sub: "u-admin", org, role: "admin" }, hanako);
  expect(outcome.status).toBe("linked");
  return { sub: "u-ken", org, role: "recruiter" };
}

describe("personal Microsoft accounts", () => {
  it("signs people in through organizations (work and school accounts) with PKCE", async () => {
    const recruiter = await connectedOrg("mp-url");
    const { providerUrl } = await beginLink(t, recruiter, "microsoft", "personal");
    expect(providerUrl.pathname).toBe("/organizations/oauth2/v2.0/authorize");
    expect(providerUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(providerUrl.searchParams.get("scope")?.split(" ")).toEqual(
      expect.arrayContaining(["offline_access", "https://graph.microsoft.com/Calendars.ReadWrite"]),
    );
  });

  it("links a work account of the connected tenant, with tokens that refresh", async () => {
    const recruiter = await connectedOrg("mp-link");
    const { outcome } = await linkMicrosoft(t, recruiter, ken);
    expect(outcome).toMatchObject({ status: "linked", accountId: expect.any(String) });
    const { accounts } = await accountsOf(t, recruiter);
    expect(accounts).toEqual([
      expect.objectContaining({
        id: outcome.accountId,
        provider: "microsoft",
        email: ken,
        externalAccountId: seedMicrosoft.tenantId,
        status: "active",
        isDefault: true,
      }),
    ]);

    const tokens = await storedTokens(t, recruiter, outcome.accountId ?? "");
    const refreshed = await t.adapters.microsoft.refresh({ ...tokens!, refreshToken: tokens?.refreshToken ?? "" });
    expect(refreshed.refreshToken).toEqual(expect.any(String));
    expect(refreshed.refreshToken).not.toBe(tokens?.refreshToken);
  });

  it(
    "refuses an account of another tenant, naming the account and the connected organisation: " +
      "microsoft_wrong_tenant",
    async () => {
      const recruiter = await connectedOrg("mp-other-tenant");
      const { outcome } = await linkMicrosoft(t, recruiter, taro);
      expect(outcome).toMatchObject({ status: "error", error: { code: "microsoft_wrong_tenant" } });
      expect(outcome.error?.message).toContain(taro);
      expect(outcome.error?.message).toContain(seedMicrosoft.tenantDomain);
      expect((await accountsOf(t, recruiter)).accounts).toEqual([]);
    },
  );

  it("refuses the same account twice: account_already_linked", async () => {
    const recruiter = await connectedOrg("mp-twice");
    expect((await linkMicrosoft(t, recruiter, ken)).outcome.status).toBe("linked");
    const again = await linkMicrosoft(t, recruiter, ken);
    expect(again.outcome).toMatchObject({ status: "error", error: { code: "account_already_linked" } });
    expect((await accountsOf(t, recruiter)).accounts).toHaveLength(1);
  });

  it("refuses to start before the organisation connected Microsoft 365: org_connection_missing", async () => {
    const response = await t.api(
      { sub: "u-ken", org: "mp-unconnected", role: "recruiter" },
      "POST",
      "/v1/oauth/microsoft/start",
      { purpose: "personal", returnMode: "popup" },
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "org_connection_missing" } });
  });

  it("unlinking says plainly that Microsoft cannot revoke, and that our tokens are deleted and expire", async () => {
    const recruiter = await connectedOrg("mp-unlink");
    const { outcome } = await linkMicrosoft(t, recruiter, ken);
    const response = await t.api(recruiter, "DELETE", `/v1/accounts/${outcome.accountId}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { unlinked: unknown; revokedAtProvider: boolean; note: string };
    expect(body).toMatchObject({
      unlinked: { id: outcome.accountId, provider: "microsoft" },
      revokedAtProvider: false,
    });
    expect(body.note).toMatch(/Microsoft offers no way for an app to revoke its access, so Tsunagu deleted its tokens/);
    expect(body.note).toContain("90 days");
    expect((await accountsOf(t, recruiter)).accounts).toEqual([]);
  });
});
