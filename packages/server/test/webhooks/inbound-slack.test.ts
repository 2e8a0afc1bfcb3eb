import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenSet } from "../../src/providers/types.ts";
import { seedAccount, seedConnection } from "../accounts/fixtures.ts";
import { createTestApp, type WebhookTestApp } from "../support/test-app.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const sakuraTeam = "T0SAKURA01";
const labsTeam = "T0LABS0002";
const sakura = { hostId: "portal-a", orgId: "sakura" };
const otherCo = { hostId: "portal-a", orgId: "other-co" };

const tokens = (): TokenSet => ({ accessToken: `xoxp-${randomBytes(8).toString("hex")}`, scopes: ["openid"] });
const account = (id: string) => t.db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const connection = (id: string) =>
  t.db.selectFrom("connections").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const credentialExists = async (id: string | null) =>
  id !== null &&
  (await t.db.selectFrom("credentials").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;

function signedBySlack(
  body: string,
  at = t.clock.now(),
  secret = t.slack.fake.context.webhookSecret,
): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    "content-type": "application/json",
    "x-slack-request-timestamp": timestamp,
    "x-slack-signature": `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`,
  };
}

const postSlack = (body: string, headers: Record<string, string> = signedBySlack(body)) =>
  t.app.request("/webhooks/slack", { method: "POST", headers, body });

function eventCallback(eventId: string, teamId: string, event: Record<string, unknown>): string {
  const eventTime = Math.floor(t.clock.now().getTime() / 1000);
  return JSON.stringify({
    token: "legacy",
    team_id: teamId,
    api_app_id: "A0TSUNAGU01",
    event: { ...event, event_ts: `${eventTime}.000000` },
    type: "event_callback",
    event_id: eventId,
    event_time: eventTime,
  });
}

let sakuraConnection: { connectionId: string; credentialId: string | null };
let otherConnection: { connectionId: string; credentialId: string | null };
let kenSakura: { accountId: string; owner: { credentialId: string } };
let kenOther: { accountId: string; owner: { credentialId: string } };
let hanakoSakura: { accountId: string; owner: { credentialId: string } };
let hanakoLabs: { accountId: string; owner: { credentialId: string } };

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], serve: true, webhooks: {} });
  const deps = { db: t.db, vault: t.vault, clock: t.clock };
  sakuraConnection = await seedConnection(deps, { ...sakura, userId: "hanako" }, "slack", sakuraTeam, tokens());
  otherConnection = await seedConnection(deps, { ...otherCo, userId: "aiko" }, "slack", sakuraTeam, tokens());
  kenSakura = await seedAccount(deps, { ...sakura, userId: "ken" }, "slack", tokens(), {
    externalUserId: "U0S002KEN",
    externalAccountId: sakuraTeam,
  });
  kenOther = await seedAccount(deps, { ...otherCo, userId: "ken" }, "slack", tokens(), {
    externalUserId: "U0S002KEN",
    externalAccountId: sakuraTeam,
  });
  hanakoSakura = await seedAccount(deps, { ...sakura, userId: "hanako" }, "slack", tokens(), {
    externalUserId: "U0S001HANA",
    externalAccountId: sakuraTeam,
  });
  hanakoLabs = await seedAccount(deps, { ...sakura, userId: "hanako" }, "slack", tokens(), {
    externalUserId: "U0L001HANA",
    externalAccountId: labsTeam,
    isDefault: false,
  });
});
afterAll(async () => {
  await t.close();
});

describe("POST /webhooks/slack: verification", () => {
  it("answers url_verification with the challenge when it is signed", async () => {
    const body = JSON.stringify({
      token: "legacy",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const response = await postSlack(body);
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" },
    });
  });

  it("refuses unsigned, badly signed and stale requests with 401", async () => {
    const body = eventCallback("Ev0BAD", sakuraTeam, { type: "app_uninstalled" });
    const cases = [
      { headers: { "content-type": "application/json" }, reason: "missing_headers" },
      { headers: signedBySlack(body, t.clock.now(), "wrong-secret"), reason: "bad_signature" },
      { headers: signedBySlack(body, new Date(t.clock.now().getTime() + 6 * 60_000)), reason: "stale_timestamp" },
    ];
    for (const { headers, reason } of cases) {
      const response = await postSlack(body, headers);
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 401,
        body: {
          error: { code: "webhook_signature", message: `The Slack webhook signature did not verify (${reason}).` },
        },
      });
    }
    expect((await connection(sakuraConnection.connectionId)).status).toBe("active");
  });

  it("says so when no signing secret is configured", async () => {
    const bare = await createTestApp();
    try {
      const body = JSON.stringify({ type: "url_verification", challenge: "x" });
      const response = await bare.app.request("/webhooks/slack", {
        method: "POST",
        headers: signedBySlack(body),
        body,
      });
      expect({ status: response.status, body: await response.json() }).toMatchObject({
        status: 404,
        body: { error: { code: "webhook_not_configured" } },
      });
    } finally {
      await bare.close();
    }
  });

  it(
    "acknowledges events and envelopes it does not act on, " + "and refuses a known envelope in the wrong shape",
    async () => {
      for (const body of [
        eventCallback("Ev0MENTION", sakuraTeam, { type: "app_mention", user: "U0S002KEN", text: "hi" }),
        JSON.stringify({ type: "block_actions", team: { id: sakuraTeam } }),
        JSON.stringify({
          type: "app_rate_limited",
          team_id: sakuraTeam,
          minute_rate_limited: 1518467820,
          api_app_id: "A0TSUNAGU01",
        }),
      ]) {
        const response = await postSlack(body);
        expect({ status: response.status, body: await response.json() }).toEqual({
          status: 200,
          body: { ok: true, ignored: true },
        });
      }
      const broken = JSON.stringify({ type: "event_callback", event: { type: "app_uninstalled" } });
      const refused = await postSlack(broken);
      expect({ status: refused.status, body: await refused.json() }).toMatchObject({
        status: 400,
        body: { error: { code: "webhook_malformed" } },
      });
      const notJson = await postSlack("not json");
      expect(notJson.status).toBe(400);
    },
  );
});

describe("POST /webhooks/slack: revocations", () => {
  it(
    "tokens_revoked for users revokes their accounts of that " + "workspace in every organisation, and nothing else",
    async () => {
      const answer = (await (
        await fetch(`${t.slack.fake.baseUrl}/_control/events`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ type: "tokens_revoked", teamId: sakuraTeam, userIds: ["U0S002KEN"] }),
        })
      ).json()) as { deliveries: Array<{ status: number }> };
      expect(answer.deliveries.map((delivery) => delivery.status)).toEqual([200]);

      for (const seeded of [kenSakura, kenOther]) {
        expect(await account(seeded.accountId)).toMatchObject({ status: "revoked", status_reason: "tokens_revoked" });
        expect(await credentialExists(seeded.owner.credentialId)).toBe(false);
      }
      expect((await account(hanakoSakura.accountId)).status).toBe("active");
      expect((await connection(sakuraConnection.connectionId)).status).toBe("active");
      await t.delivery.deliverDue();
      expect(
        t.receiver
          .events()
          .map((event) => [event.type, event.org, event.reason])
          .sort(),
      ).toEqual([
        ["account.unlinked", "other-co", "tokens_revoked"],
        ["account.unlinked", "sakura", "tokens_revoked"],
      ]);
      t.receiver.clear();
    },
  );

  it("tokens_revoked for the bot revokes the workspace connections and keeps people's own links", async () => {
    const response = await postSlack(
      eventCallback("Ev0BOT0001", sakuraTeam, { type: "tokens_revoked", tokens: { bot: ["U0BOTSAKUR"] } }),
    );
    expect(await response.json()).toEqual({ ok: true, duplicate: false });
    for (const seeded of [sakuraConnection, otherConnection]) {
      expect(await connection(seeded.connectionId)).toMatchObject({
        status: "revoked",
        status_reason: "tokens_revoked",
        credential_id: null,
      });
      expect(await credentialExists(seeded.credentialId)).toBe(false);
    }
    expect((await account(hanakoSakura.accountId)).status).toBe("active");
  });

  it("applies an event once, however often Slack retries it", async () => {
    const body = eventCallback("Ev0ONCE001", sakuraTeam, { type: "tokens_revoked", tokens: { oauth: ["U0S001HANA"] } });
    const answers = await Promise.all(
      [postSlack(body), postSlack(body)].map(async (response) => (await response).json()),
    );
    expect(answers).toEqual(
      expect.arrayContaining([
        { ok: true, duplicate: false },
        { ok: true, duplicate: true },
      ]),
    );
    // A retry arrives later, signed afresh, with its retry headers.
    t.clock.advance(60);
    const retry = await postSlack(body, {
      ...signedBySlack(body),
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    expect(await retry.json()).toEqual({ ok: true, duplicate: true });
    const audit = await t.db
      .selectFrom("audit_log")
      .select("id")
      .where("target", "=", hanakoSakura.accountId)
      .where("action", "=", "account.revoked")
      .execute();
    expect(audit).toHaveLength(1);
  });

  it("app_uninstalled revokes everything of that workspace and leaves other workspaces alone", async () => {
    const deps = { db: t.db, vault: t.vault, clock: t.clock };
    const fresh = await seedAccount(deps, { ...sakura, userId: "misaki" }, "slack", tokens(), {
      externalUserId: "U0S003MISA",
      externalAccountId: sakuraTeam,
    });
    await t.delivery.deliverDue();
    t.receiver.clear();
    const response = await postSlack(eventCallback("Ev0UNINST01", sakuraTeam, { type: "app_uninstalled" }));
    expect(await response.json()).toEqual({ ok: true, duplicate: false });
    expect(await account(fresh.accountId)).toMatchObject({ status: "revoked", status_reason: "app_uninstalled" });
    // Already revoked links keep their first reason, and the portal hears about each link once.
    expect(await account(kenSakura.accountId)).toMatchObject({ status: "revoked", status_reason: "tokens_revoked" });
    expect((await account(hanakoLabs.accountId)).status).toBe("active");
    await t.delivery.deliverDue();
    expect(t.receiver.events().map((event) => [event.type, event.user, event.reason])).toEqual([
      ["account.unlinked", "misaki", "app_uninstalled"],
    ]);
  });
});
