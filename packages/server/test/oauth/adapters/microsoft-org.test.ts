/**
 * Connecting the organisation's Microsoft 365 tenant: admin consent, then the
 * admin's own sign-in pinned to that tenant, in one flow, over HTTP through
 * the real app, the real Microsoft adapter and the Microsoft fake's pages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { microsoft as seedMicrosoft } from "../../../src/sandbox/seed.ts";
import { ai, decide, hanako, ken, taro } from "../../providers/microsoft-helpers.ts";
import { accountsOf, connectMicrosoft, type LinkingApp, signInAtMicrosoft } from "./google-microsoft-links.ts";
import { beginLink, followToCallback, outcomeOf } from "../../support/round-trip.ts";
import { type Caller, createTestApp, publicUrl } from "../../support/test-app.ts";

let t: LinkingApp;
beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft"] });
});
afterAll(() => t.close());
beforeEach(() => t.microsoft.control("/reset"));

const admin = (org: string): Caller => ({ sub: "u-admin", org, role: "admin" });

describe("Microsoft 365 organisation connection", () => {
  it("asks admin consent for organizations first, then a PKCE sign-in pinned to the consenting tenant", async () => {
    const begun = await beginLink(t, admin("m-urls"), "microsoft", "org");
    expect(begun.providerUrl.origin).toBe(t.microsoft.baseUrl);
    expect(begun.providerUrl.pathname).toBe("/organizations/v2.0/adminconsent");

    const afterConsent = await signInAtMicrosoft(t, begun.providerUrl, hanako, begun.cookie);
    expect(afterConsent.status).toBe(302);
    const signIn = new URL(afterConsent.headers.get("location") ?? "");
    expect(signIn.pathname).toBe(`/${seedMicrosoft.tenantId}/oauth2/v2.0/authorize`);
    expect(signIn.searchParams.get("code_challenge_method")).toBe("S256");
    expect(signIn.searchParams.get("scope")).toContain("https://graph.microsoft.com/Calendars.ReadWrite");
    // The state of the second stop is a new one.
    expect(signIn.searchParams.get("state")).not.toBe(begun.providerUrl.searchParams.get("state"));
  });

  it(
    "connects the tenant after an administrator's consent and " + "makes the admin's account their personal account",
    async () => {
      const caller = admin("m-connect");
      const { outcome } = await connectMicrosoft(t, caller, hanako);
      expect(outcome).toMatchObject({ status: "linked", connectionId: expect.any(String) });

      const { connections, accounts } = await accountsOf(t, caller);
      expect(connections).toEqual([
        expect.objectContaining({
          id: outcome.connectionId,
          provider: "microsoft",
          externalId: seedMicrosoft.tenantId,
          displayName: seedMicrosoft.tenantDomain,
          status: "active",
        }),
      ]);
      expect(accounts).toEqual([
        expect.objectContaining({
          provider: "microsoft",
          email: hanako,
          externalAccountId: seedMicrosoft.tenantId,
          status: "active",
          isDefault: true,
        }),
      ]);
      const status = await t.api(caller, "GET", `/v1/oauth/flows/${outcome.flow}`);
      expect(await status.json()).toMatchObject({ status: "linked", connectionId: outcome.connectionId });
    },
  );

  it.each([
    ["a non-admin of the tenant", ken],
    ["someone of another tenant", taro],
  ])("refuses admin consent by %s: microsoft_admin_required", async (_who, email) => {
    const caller = admin(`m-not-admin-${email.split("@")[0]}`);
    const { outcome, signInUrl } = await connectMicrosoft(t, caller, email);
    expect(signInUrl).toBeUndefined();
    expect(outcome).toMatchObject({
      status: "error",
      error: { code: "microsoft_admin_required", message: expect.stringContaining("administrator") },
    });
    expect(await accountsOf(t, caller)).toMatchObject({ connections: [], accounts: [] });
  });

  it(
    "connects for a Cloud Application Administrator too: any " + "role that can grant tenant-wide consent will do",
    async () => {
      const caller = admin("m-cloud-app-admin");
      expect((await connectMicrosoft(t, caller, ai)).outcome).toMatchObject({ status: "linked" });
      expect((await accountsOf(t, caller)).connections).toEqual([
        expect.objectContaining({ externalId: seedMicrosoft.tenantId }),
      ]);
    },
  );

  it(
    "refuses a forged admin-consent redirect followed by a non-admin's sign-in: microsoft_admin_required, nothing " +
      "connected",
    async () => {
      const caller = admin("m-forged");
      const begun = await beginLink(t, caller, "microsoft", "org");
      // The browser never visits /adminconsent: it types the success redirect itself.
      const forged = new URL(`${publicUrl}/oauth/microsoft/callback`);
      forged.search = new URLSearchParams({
        admin_consent: "True",
        tenant: seedMicrosoft.tenantId,
        scope: "https://graph.microsoft.com/.default",
        state: begun.providerUrl.searchParams.get("state") ?? "",
      }).toString();
      const afterForgery = await followToCallback(t, forged, begun.cookie);
      expect(afterForgery.status).toBe(302);
      // Ken is a member of the tenant: Microsoft lets him sign in and consent for himself.
      const signIn = await signInAtMicrosoft(t, new URL(afterForgery.headers.get("location") ?? ""), ken, begun.cookie);
      expect(await outcomeOf(signIn)).toMatchObject({
        status: "error",
        error: { code: "microsoft_admin_required", message: expect.stringContaining("administrator") },
      });
      expect(await accountsOf(t, caller)).toMatchObject({ connections: [], accounts: [] });
      const status = await t.api(caller, "GET", `/v1/oauth/flows/${begun.flow}`);
      expect(await status.json()).toMatchObject({ status: "error", error: { code: "microsoft_admin_required" } });
    },
  );

  it("refuses an administrator's consent followed by a non-admin's sign-in", async () => {
    const caller = admin("m-admin-then-member");
    const { outcome, signInUrl } = await connectMicrosoft(t, caller, hanako, ken);
    expect(signInUrl).toBeDefined();
    expect(outcome).toMatchObject({ status: "error", error: { code: "microsoft_admin_required" } });
    expect((await accountsOf(t, caller)).connections).toEqual([]);
  });

  it("ends in consent_denied when the admin declines", async () => {
    const caller = admin("m-deny");
    const { outcome } = await connectMicrosoft(t, caller, hanako, hanako, "deny");
    expect(outcome).toMatchObject({ status: "error", error: { code: "consent_denied" } });
    expect((await accountsOf(t, caller)).connections).toEqual([]);
  });

  it("does not accept the admin-consent answer twice once the flow has moved on", async () => {
    const caller = admin("m-replay");
    const begun = await beginLink(t, caller, "microsoft", "org");
    const consented = await decide(begun.providerUrl, hanako, "allow");
    const afterConsent = await followToCallback(t, consented, begun.cookie);
    expect(afterConsent.status).toBe(302);

    const replayed = await followToCallback(t, consented, begun.cookie);
    expect(await replayed.text()).toContain('data-error-code="state_invalid"');
    // The flow itself goes on.
    const signIn = new URL(afterConsent.headers.get("location") ?? "");
    expect(await outcomeOf(await signInAtMicrosoft(t, signIn, hanako, begun.cookie))).toMatchObject({
      status: "linked",
    });
  });

  it("refuses a sign-in taken to another tenant than the one that consented", async () => {
    const caller = admin("m-swap");
    const begun = await beginLink(t, caller, "microsoft", "org");
    const afterConsent = await signInAtMicrosoft(t, begun.providerUrl, hanako, begun.cookie);
    const swapped = new URL(afterConsent.headers.get("location") ?? "");
    swapped.pathname = `/${seedMicrosoft.otherTenantId}/oauth2/v2.0/authorize`;
    const outcome = await outcomeOf(await signInAtMicrosoft(t, swapped, taro, begun.cookie));
    // Microsoft's token endpoint for the consenting tenant refuses a code of another (AADSTS700005).
    expect(outcome).toMatchObject({
      status: "error",
      error: { code: "code_invalid", message: expect.stringContaining("another organisation") },
    });
    expect((await accountsOf(t, caller)).connections).toEqual([]);
  });

  it("disconnecting says Microsoft cannot revoke, and that our tokens are deleted", async () => {
    const caller = admin("m-disconnect");
    expect((await connectMicrosoft(t, caller, hanako)).outcome.status).toBe("linked");
    const response = await t.api(caller, "DELETE", "/v1/connections/microsoft");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { revokedAtProvider: boolean; note: string; affectedAccounts: unknown[] };
    expect(body.revokedAtProvider).toBe(false);
    expect(body.note).toMatch(/Microsoft offers no way .* revoke.*Tsunagu deleted its tokens/);
    expect(body.affectedAccounts).toHaveLength(1);
  });
});
