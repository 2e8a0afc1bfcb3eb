/**
 * The organisation's Sign in with Slack switch: `GET/PUT /v1/signin/slack`,
 * changed by admins only, turned on only once the workspace is connected,
 * audited, and scoped to the organisation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSlack, expectApiError, hanako, ken, type Person, setSignIn, type SignInApp } from "./sign-in-steps.ts";
import { createTestApp } from "../support/test-app.ts";

let t: SignInApp;
const otherOrgAdmin: Person = { sub: "aiko", org: "umeda", role: "admin", email: "aiko@umeda.example" };

beforeAll(async () => {
  t = await createTestApp({ providers: ["slack"] });
});
afterAll(async () => {
  await t.close();
});

const settingOf = async (person: Person) => {
  const response = await t.api(person, "GET", "/v1/signin/slack");
  expect(response.status).toBe(200);
  return response.json();
};

describe("before the workspace is connected", () => {
  it("reads as off and not connected, for anyone in the organisation", async () => {
    expect(await settingOf(ken)).toEqual({
      provider: "slack",
      enabled: false,
      updatedBy: null,
      updatedAt: null,
      connected: false,
    });
  });

  it(
    "refuses to turn sign-in on without the organisation's " + "Slack connection, but lets an admin turn it off",
    async () => {
      const error = await expectApiError(await setSignIn(t, hanako, true), 409, "org_connection_missing");
      expect(error.message).toMatch(/not connected this provider yet/);
      const off = await setSignIn(t, hanako, false);
      expect(off.status).toBe(200);
      expect(await off.json()).toMatchObject({ enabled: false, connected: false, updatedBy: "hanako" });
    },
  );
});

describe("once the workspace is connected", () => {
  beforeAll(async () => {
    expect(await connectSlack(t, hanako)).toMatchObject({ status: "linked" });
  });

  it("lets an admin turn it on, and everyone in the organisation sees it", async () => {
    const response = await setSignIn(t, hanako, true);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      provider: "slack",
      enabled: true,
      updatedBy: "hanako",
      updatedAt: t.clock.now().toISOString(),
      connected: true,
    });
    expect(await settingOf(ken)).toMatchObject({ enabled: true, connected: true });
  });

  it("refuses anyone but an admin, and leaves the setting as it was", async () => {
    const error = await expectApiError(await setSignIn(t, ken, false), 403, "admin_required");
    expect(error.message).toBe("Only an administrator can turn Sign in with Slack on or off.");
    expect(await settingOf(ken)).toMatchObject({ enabled: true });
  });

  it("writes an audit entry for each change, and none for a PUT that changes nothing", async () => {
    const audits = () =>
      t.db
        .selectFrom("audit_log")
        .select(["action", "actor_user_id", "target"])
        .where("org_id", "=", "sakura")
        .where("action", "like", "signin.%")
        .orderBy("id")
        .execute();
    const before = (await audits()).length;
    t.clock.advance(60);
    expect((await setSignIn(t, hanako, true)).status).toBe(200);
    expect(await audits()).toHaveLength(before);
    expect(await (await setSignIn(t, hanako, false)).json()).toMatchObject({
      enabled: false,
      updatedAt: t.clock.now().toISOString(),
    });
    expect((await audits()).slice(before)).toEqual([
      { action: "signin.disabled", actor_user_id: "hanako", target: "slack" },
    ]);
    expect((await setSignIn(t, hanako, true)).status).toBe(200);
    expect((await audits()).slice(before).map((row) => row.action)).toEqual(["signin.disabled", "signin.enabled"]);
  });

  it("belongs to the organisation: another organisation of the same portal is untouched", async () => {
    expect(await settingOf(otherOrgAdmin)).toMatchObject({ enabled: false, connected: false });
    await expectApiError(await setSignIn(t, otherOrgAdmin, true), 409, "org_connection_missing");
    expect(await settingOf(hanako)).toMatchObject({ enabled: true });
  });
});

describe("malformed requests", () => {
  it("needs {enabled: boolean} and nothing else", async () => {
    await expectApiError(await t.api(hanako, "PUT", "/v1/signin/slack", { enabled: "yes" }), 400, "invalid_body");
    await expectApiError(
      await t.api(hanako, "PUT", "/v1/signin/slack", { enabled: true, everyone: true }),
      400,
      "invalid_body",
    );
    await expectApiError(await t.api(hanako, "PUT", "/v1/signin/slack"), 400, "invalid_body");
  });

  it("answers provider_unavailable for a provider without sign-in", async () => {
    await expectApiError(await t.api(hanako, "GET", "/v1/signin/zoom"), 404, "provider_unavailable");
    await expectApiError(
      await t.api(hanako, "PUT", "/v1/signin/google", { enabled: true }),
      404,
      "provider_unavailable",
    );
  });

  it("needs a host token", async () => {
    await expectApiError(await t.app.request("/v1/signin/slack"), 401, "token_missing");
  });
});
