/**
 * Connecting the organisation's Google Workspace domain, over HTTP through the
 * real app, the real Google adapter and the Google fake's consent page.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { google as seedGoogle } from "../../../src/sandbox/seed.ts";
import { calendarEvents, calendarFreeBusy, consumer, hanako } from "../../providers/google-support.ts";
import { accountsOf, linkGoogle, type LinkingApp } from "./google-microsoft-links.ts";
import { beginLink } from "../../support/round-trip.ts";
import { type Caller, createTestApp } from "../../support/test-app.ts";

let t: LinkingApp;
beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft"] });
});
afterAll(() => t.close());
// Google remembers every scope an account granted (include_granted_scopes): each test starts from no grants.
beforeEach(() => t.google.control("/reset"));

const admin = (org: string): Caller => ({ sub: "u-admin", org, role: "admin" });

describe("Google organisation connection", () => {
  it("sends the admin to Google with PKCE, offline access, prompt=consent and the calendar scopes", async () => {
    const { providerUrl } = await beginLink(t, admin("org-url"), "google", "org");
    expect(providerUrl.origin).toBe(t.google.baseUrl);
    expect(providerUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(providerUrl.searchParams.get("access_type")).toBe("offline");
    expect(providerUrl.searchParams.get("prompt")).toBe("consent");
    expect(providerUrl.searchParams.get("scope")?.split(" ")).toEqual(
      expect.arrayContaining(["openid", "email", calendarEvents, calendarFreeBusy]),
    );
  });

  it("connects the admin's Workspace domain and makes the admin's account their personal account", async () => {
    const caller = admin("org-connect");
    const { outcome } = await linkGoogle(t, caller, "org", hanako);
    expect(outcome).toMatchObject({ status: "linked", connectionId: expect.any(String) });

    const { connections, accounts } = await accountsOf(t, caller);
    expect(connections).toEqual([
      expect.objectContaining({
        id: outcome.connectionId,
        provider: "google",
        externalId: seedGoogle.domain,
        displayName: seedGoogle.domain,
        status: "active",
      }),
    ]);
    expect(accounts).toEqual([
      expect.objectContaining({
        provider: "google",
        email: hanako,
        externalAccountId: seedGoogle.domain,
        status: "active",
        isDefault: true,
      }),
    ]);
  });

  it("connects the domain but links no account when the admin unticked the calendar permissions", async () => {
    const caller = admin("org-no-calendar");
    const { outcome } = await linkGoogle(t, caller, "org", hanako, { untick: [calendarEvents, calendarFreeBusy] });
    expect(outcome.status).toBe("linked");
    const { connections, accounts } = await accountsOf(t, caller);
    expect(connections.map((connection) => connection.externalId)).toEqual([seedGoogle.domain]);
    expect(accounts).toEqual([]);
  });

  it("refuses a personal Google account: google_workspace_required", async () => {
    const caller = admin("org-consumer");
    const { outcome } = await linkGoogle(t, caller, "org", consumer);
    expect(outcome).toMatchObject({
      status: "error",
      error: {
        code: "google_workspace_required",
        message: expect.stringContaining("company Google Workspace account"),
      },
    });
    expect(await accountsOf(t, caller)).toMatchObject({ connections: [], accounts: [] });
  });

  it("ends in consent_denied when the admin clicks Deny", async () => {
    const caller = admin("org-deny");
    const { outcome } = await linkGoogle(t, caller, "org", hanako, { decision: "deny" });
    expect(outcome).toMatchObject({ status: "error", error: { code: "consent_denied" } });
    expect((await accountsOf(t, caller)).connections).toEqual([]);
  });

  it("refuses the admin's own account as a second personal link: account_already_linked", async () => {
    const caller = admin("org-twice");
    expect((await linkGoogle(t, caller, "org", hanako)).outcome.status).toBe("linked");
    const again = await linkGoogle(t, caller, "personal", hanako);
    expect(again.outcome).toMatchObject({
      status: "error",
      error: { code: "account_already_linked", message: expect.stringContaining(hanako) },
    });
    expect((await accountsOf(t, caller)).accounts).toHaveLength(1);
  });
});
