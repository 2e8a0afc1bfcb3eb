/**
 * Failures queued at the Slack fake (`POST /_control/fail`) on the two code
 * exchanges, seen through the real app: the workspace install redeems its code
 * at `oauth.v2.access`, a personal link (Sign in with Slack) at
 * `openid.connect.token`. A failure queued for one exchange is left for that
 * exchange: a personal link goes through it, the next install meets it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hanako as hanakoMember, ken as kenMember } from "../../providers/slack-support.ts";
import { type Caller, createTestApp } from "../../support/test-app.ts";
import { expectLinked, linkSlack, type ZoomSlackApp } from "./zoom-slack-links.ts";

let t: ZoomSlackApp;
const hanako: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const ken: Caller = { sub: "ken", org: "sakura", role: "recruiter" };

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"] });
});
afterAll(async () => {
  await t.close();
});

const slackConnections = () =>
  t.db.selectFrom("connections").select("id").where("org_id", "=", "sakura").where("provider", "=", "slack").execute();
const slackAccountsOf = (caller: Caller) =>
  t.db
    .selectFrom("accounts")
    .select("id")
    .where("org_id", "=", caller.org)
    .where("user_id", "=", caller.sub)
    .where("provider", "=", "slack")
    .execute();

/** The last "oauth completion failed at the provider" line the server logged. */
function lastProviderFailure(): Record<string, unknown> | undefined {
  return t.logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.message === "oauth completion failed at the provider")
    .at(-1);
}

describe("a failure queued for Slack's code exchanges", () => {
  it("fails the workspace install at oauth.v2.access: provider_error, and nothing is connected", async () => {
    await t.slack.fake.control("/fail", { count: 1, status: 500, path: "/api/oauth.v2.access" });
    const { flow, outcome } = await linkSlack(t, hanako, "org", hanakoMember);
    expect(outcome).toMatchObject({
      status: "error",
      error: { code: "provider_error", message: expect.stringContaining("slack: internal_error") },
    });
    expect(lastProviderFailure()).toMatchObject({ provider: "slack", flow, status: 500, code: "internal_error" });
    expect(await t.slack.fake.calls("POST /api/oauth.v2.access")).toBe(1);
    expect(await slackConnections()).toEqual([]);
  });

  it("is spent by that one install: the admin's next install connects the workspace", async () => {
    const { outcome } = await linkSlack(t, hanako, "org", hanakoMember);
    expectLinked(outcome);
    expect(await slackConnections()).toHaveLength(1);
  });

  it("at oauth.v2.access is not met by a personal link, which redeems its code at openid.connect.token", async () => {
    await t.slack.fake.control("/fail", { count: 1, status: 503, path: "/api/oauth.v2.access" });
    const { outcome } = await linkSlack(t, ken, "personal", kenMember);
    expectLinked(outcome);
    expect(await slackAccountsOf(ken)).toHaveLength(1);
    // Still queued: the next install meets it.
    const install = await linkSlack(t, hanako, "org", hanakoMember);
    expect(install.outcome).toMatchObject({
      status: "error",
      error: { code: "provider_error", message: expect.stringContaining("slack: service_unavailable") },
    });
  });

  it("at openid.connect.token fails a personal link: provider_error, and no account is linked", async () => {
    const tokenCalls = await t.slack.fake.calls("POST /api/openid.connect.token");
    await t.slack.fake.control("/fail", { count: 1, status: 500, path: "/api/openid.connect.token" });
    const { flow, outcome } = await linkSlack(t, hanako, "personal", hanakoMember);
    expect(outcome).toMatchObject({
      status: "error",
      error: { code: "provider_error", message: expect.stringContaining("slack: internal_error") },
    });
    expect(lastProviderFailure()).toMatchObject({ provider: "slack", flow, status: 500, code: "internal_error" });
    expect(await t.slack.fake.calls("POST /api/openid.connect.token")).toBe(tokenCalls + 1);
    expect(await slackAccountsOf(hanako)).toEqual([]);
  });

  it("is named by its path: the method's name alone is refused, pointing at /api/oauth.v2.access", async () => {
    const response = await fetch(`${t.slack.fake.baseUrl}/_control/fail`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: 500, path: "oauth.v2.access" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: "invalid_control_request",
        message: expect.stringContaining('did you mean "/api/oauth.v2.access"'),
      },
    });
    const { outcome } = await linkSlack(t, hanako, "org", hanakoMember);
    expectLinked(outcome);
  });
});
