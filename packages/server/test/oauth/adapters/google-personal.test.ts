/**
 * Personal Google accounts and their guards, over HTTP through the real app,
 * the real Google adapter and the Google fake's consent page.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { google as seedGoogle } from "../../../src/sandbox/seed.ts";
import { seedConnection } from "../../accounts/fixtures.ts";
import { calendarEvents, calendarFreeBusy, consumer, hanako, ken } from "../../providers/google-support.ts";
import { accountsOf, linkGoogle, type LinkingApp, storedTokens } from "./google-microsoft-links.ts";
import { type Caller, createTestApp } from "../../support/test-app.ts";

let t: LinkingApp;
beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft"] });
});
afterAll(() => t.close());
// Google remembers every scope an account granted (include_granted_scopes): each test starts from no grants.
beforeEach(() => t.google.control("/reset"));

/** An organisation whose admin connected the sandbox's Workspace domain; returns one of its recruiters. */
async function connectedOrg(org: string): Promise<Caller> {
  const { outcome } = await linkGoogle(t, { sub: "u-admin", org, role: "admin" }, "org", hanako);
  expect(outcome.status).toBe("linked");
  return { sub: "u-ken", org, role: "recruiter" };
}

describe("personal Google accounts", () => {
  it("links a Workspace account of the connected domain, with a refresh token", async () => {
    const recruiter = await connectedOrg("p-link");
    const { outcome } = await linkGoogle(t, recruiter, "personal", ken);
    expect(outcome).toMatchObject({ status: "linked", accountId: expect.any(String) });
    const { accounts } = await accountsOf(t, recruiter);
    expect(accounts).toEqual([
      expect.objectContaining({
        id: outcome.accountId,
        provider: "google",
        email: ken,
        externalAccountId: seedGoogle.domain,
        status: "active",
        isDefault: true,
      }),
    ]);

    const tokens = await storedTokens(t, recruiter, outcome.accountId ?? "");
    expect(tokens?.scopes).toEqual(expect.arrayContaining([calendarEvents, calendarFreeBusy]));
    const refreshed = await t.adapters.google.refresh({ ...tokens!, refreshToken: tokens?.refreshToken ?? "" });
    expect(refreshed.accessToken).not.toBe(tokens?.accessToken);
  });

  it("gets a new refresh token when a person links the same account again (prompt=consent)", async () => {
    const recruiter = await connectedOrg("p-relink");
    const first = await linkGoogle(t, recruiter, "personal", ken);
    const before = await storedTokens(t, recruiter, first.outcome.accountId ?? "");
    // The account broke on our side (say the refresh token was dropped); the person links it again.
    await t.db
      .updateTable("accounts")
      .set({ status: "needs_reauth", status_reason: "invalid_grant" })
      .where("id", "=", first.outcome.accountId ?? "")
      .execute();

    const again = await linkGoogle(t, recruiter, "personal", ken);
    expect(again.outcome).toMatchObject({ status: "linked", accountId: first.outcome.accountId });
    const after = await storedTokens(t, recruiter, first.outcome.accountId ?? "");
    expect(after?.refreshToken).toEqual(expect.any(String));
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect((await accountsOf(t, recruiter)).accounts).toEqual([expect.objectContaining({ status: "active" })]);
  });

  it("refuses an account of another Workspace domain, naming both domains: google_wrong_domain", async () => {
    const org = "p-other-domain";
    await seedConnection(t, { hostId: "portal-a", orgId: org, userId: "u-admin" }, "google", "acme-corp.example");
    const recruiter: Caller = { sub: "u-ken", org, role: "recruiter" };
    const { outcome } = await linkGoogle(t, recruiter, "personal", ken);
    expect(outcome).toMatchObject({ status: "error", error: { code: "google_wrong_domain" } });
    expect(outcome.error?.message).toContain(seedGoogle.domain);
    expect(outcome.error?.message).toContain("acme-corp.example");
    expect((await accountsOf(t, recruiter)).accounts).toEqual([]);
  });

  it("refuses a personal Google account: google_workspace_required", async () => {
    const recruiter = await connectedOrg("p-consumer");
    const { outcome } = await linkGoogle(t, recruiter, "personal", consumer);
    expect(outcome).toMatchObject({
      status: "error",
      error: {
        code: "google_workspace_required",
        message: expect.stringContaining("company Google Workspace account"),
      },
    });
    expect((await accountsOf(t, recruiter)).accounts).toEqual([]);
  });

  it.each([
    ["both calendar permissions", [calendarEvents, calendarFreeBusy]],
    ["the free/busy permission", [calendarFreeBusy]],
  ])(
    "refuses consent without %s, telling the person to tick the calendar boxes: google_calendar_permission_missing",
    async (_what, untick) => {
      const recruiter = await connectedOrg(`p-unticked-${untick.length}`);
      const { outcome } = await linkGoogle(t, recruiter, "personal", ken, { untick });
      expect(outcome).toMatchObject({ status: "error", error: { code: "google_calendar_permission_missing" } });
      expect(outcome.error?.message).toMatch(/link again.*tick both calendar checkboxes/i);
      expect((await accountsOf(t, recruiter)).accounts).toEqual([]);
    },
  );

  it("refuses the same account twice: account_already_linked", async () => {
    const recruiter = await connectedOrg("p-twice");
    expect((await linkGoogle(t, recruiter, "personal", ken)).outcome.status).toBe("linked");
    const again = await linkGoogle(t, recruiter, "personal", ken);
    expect(again.outcome).toMatchObject({ status: "error", error: { code: "account_already_linked" } });
    expect((await accountsOf(t, recruiter)).accounts).toHaveLength(1);
  });

  it("refuses to start before the organisation connected Google: org_connection_missing", async () => {
    const response = await t.api(
      { sub: "u-ken", org: "p-unconnected", role: "recruiter" },
      "POST",
      "/v1/oauth/google/start",
      { purpose: "personal", returnMode: "popup" },
    );
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: "org_connection_missing" } });
  });

  it("revokes the grant at Google on unlink", async () => {
    const recruiter = await connectedOrg("p-unlink");
    const { outcome } = await linkGoogle(t, recruiter, "personal", ken);
    const tokens = await storedTokens(t, recruiter, outcome.accountId ?? "");
    const response = await t.api(recruiter, "DELETE", `/v1/accounts/${outcome.accountId}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      unlinked: { id: outcome.accountId, provider: "google" },
      revokedAtProvider: true,
    });
    await expect(
      t.adapters.google.refresh({ ...tokens!, refreshToken: tokens?.refreshToken ?? "" }),
    ).rejects.toMatchObject({ code: "invalid_grant" });
  });
});
