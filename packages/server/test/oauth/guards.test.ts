import { describe, expect, it } from "vitest";
import { slackRefusals } from "../../src/oauth/adapters/slack.ts";
import {
  googlePersonalVerdict,
  googleWorkspaceVerdict,
  microsoftOrgVerdict,
  microsoftPersonalVerdict,
  slackMemberVerdict,
  slackWorkspaceVerdict,
  wordVerdict,
  zoomPersonalVerdict,
} from "../../src/oauth/guards.ts";
import { slackSignInRefusals } from "../../src/signin/slack.ts";

const connection = (externalId: string, displayName = externalId) => ({ externalId, displayName, detail: {} });
const member = { deleted: false, isRestricted: false, isUltraRestricted: false };

describe("Slack guards, shared by linking and sign-in", () => {
  it("let a full, active member of the connected workspace through", () => {
    expect(
      slackWorkspaceVerdict({ teamId: "T1", teamName: "Acme", teamDomain: "acme" }, connection("T1", "Acme")),
    ).toBeUndefined();
    expect(slackMemberVerdict(member, "Acme")).toBeUndefined();
  });

  it("name the workspace signed in to, falling back from its name to its domain to its id", () => {
    expect(
      slackWorkspaceVerdict({ teamId: "T2", teamName: "Other", teamDomain: "other" }, connection("T1", "Acme")),
    ).toEqual({ code: "slack_wrong_workspace", args: ["Other", "Acme"] });
    expect(
      slackWorkspaceVerdict({ teamId: "T2", teamName: undefined, teamDomain: "other" }, connection("T1", "Acme"))
        ?.args[0],
    ).toBe("other");
    expect(
      slackWorkspaceVerdict({ teamId: "T2", teamName: undefined, teamDomain: undefined }, connection("T1", "Acme"))
        ?.args[0],
    ).toBe("T2");
  });

  it(
    "refuse a gone bot token, a deactivated member, and guests, single-channel ones as such even when also " +
      "restricted",
    () => {
      expect(slackMemberVerdict("reconnect", "Acme")).toEqual({ code: "slack_reconnect_required", args: ["Acme"] });
      expect(slackMemberVerdict({ ...member, deleted: true, isRestricted: true }, "Acme")).toEqual({
        code: "slack_account_deactivated",
        args: ["Acme"],
      });
      expect(slackMemberVerdict({ ...member, isRestricted: true, isUltraRestricted: true }, "Acme")).toEqual({
        code: "slack_guest_not_allowed",
        args: ["single-channel", "Acme"],
      });
      expect(slackMemberVerdict({ ...member, isRestricted: true }, "Acme")).toEqual({
        code: "slack_guest_not_allowed",
        args: ["multi-channel", "Acme"],
      });
    },
  );

  it("word one verdict with the same code for linking and for signing in, each in its own words", () => {
    const verdict = slackMemberVerdict({ ...member, isRestricted: true }, "Acme");
    if (!verdict) throw new Error("a guest must be refused");
    const linking = wordVerdict(slackRefusals, verdict);
    const signingIn = wordVerdict(slackSignInRefusals, verdict);
    expect(linking.code).toBe("slack_guest_not_allowed");
    expect(signingIn.code).toBe("slack_guest_not_allowed");
    expect(linking.message).toContain("cannot be linked");
    expect(signingIn.message).toContain("cannot sign in");
  });
});

describe("Google, Microsoft and Zoom guards", () => {
  it(
    "refuse a Google account without a Workspace domain, of " + "another domain, or without the calendar permissions",
    () => {
      expect(googleWorkspaceVerdict("")).toEqual({ code: "google_workspace_required", args: [] });
      expect(googleWorkspaceVerdict("acme.example")).toBeUndefined();
      expect(googlePersonalVerdict("other.example", true, connection("ACME.example"))).toEqual({
        code: "google_wrong_domain",
        args: ["other.example", "acme.example"],
      });
      expect(googlePersonalVerdict("acme.example", false, connection("acme.example"))).toEqual({
        code: "google_calendar_permission_missing",
        args: [],
      });
      expect(googlePersonalVerdict("acme.example", true, connection("acme.example"))).toBeUndefined();
    },
  );

  it("let only an admin of the consented Microsoft tenant connect it, and only its accounts link", () => {
    const tenant = "11111111-2222-3333-4444-555555555555";
    const admin = { tenantId: tenant.toUpperCase(), directoryRoleIds: ["global-admin"] };
    expect(microsoftOrgVerdict(admin, tenant, ["global-admin"])).toBeUndefined();
    expect(microsoftOrgVerdict({ ...admin, tenantId: "other" }, tenant, ["global-admin"])).toEqual({
      code: "microsoft_tenant_mismatch",
      args: [],
    });
    expect(microsoftOrgVerdict({ ...admin, directoryRoleIds: [] }, tenant, ["global-admin"])).toEqual({
      code: "microsoft_admin_required",
      args: [],
    });
    const person = { tenantId: "other", username: "kim@other.example", email: undefined };
    expect(microsoftPersonalVerdict(person, connection(tenant, "acme.example"))).toEqual({
      code: "microsoft_wrong_tenant",
      args: ["kim@other.example", "acme.example"],
    });
    expect(microsoftPersonalVerdict({ ...person, tenantId: tenant }, connection(tenant))).toBeUndefined();
  });

  it("let only users of the connected Zoom account link", () => {
    expect(zoomPersonalVerdict({ accountId: "A2", email: "kim@example.com" }, connection("A1", "Acme"))).toEqual({
      code: "zoom_foreign_account",
      args: ["kim@example.com", "Acme"],
    });
    expect(
      zoomPersonalVerdict({ accountId: "A1", email: "kim@example.com" }, connection("A1", "Acme")),
    ).toBeUndefined();
  });
});
