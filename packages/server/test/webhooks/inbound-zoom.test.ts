import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ReauthRequiredError } from "../../src/accounts/refresh.ts";
import { type Caller, createTestApp, type WebhookTestApp } from "../support/test-app.ts";
import { link } from "../oauth/zoom-links.ts";
import { postedMessage } from "../support/round-trip.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const admin: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const ken: Caller = { sub: "ken", org: "sakura", role: "recruiter" };
const misaki: Caller = { sub: "misaki", org: "sakura", role: "assistant" };
const sho: Caller = { sub: "sho", org: "sakura", role: "recruiter" };
const otherAdmin: Caller = { sub: "aiko", org: "other-co", role: "admin" };
const otherRecruiter: Caller = { sub: "jun", org: "other-co", role: "recruiter" };

async function linked(caller: Caller, zoomUser: string, purpose: "org" | "personal" = "personal"): Promise<string> {
  const { response } = await link(t, caller, zoomUser, { purpose, returnMode: "popup" });
  const message = postedMessage(await response.text())?.message;
  if (message?.status !== "linked") throw new Error(`linking ${zoomUser} failed: ${JSON.stringify(message)}`);
  return String(message.accountId ?? message.connectionId);
}

const account = (id: string) => t.db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const connectionOf = (org: string) =>
  t.db
    .selectFrom("connections")
    .selectAll()
    .where("org_id", "=", org)
    .where("provider", "=", "zoom")
    .executeTakeFirstOrThrow();
const credentialExists = async (id: string | null) =>
  id !== null &&
  (await t.db.selectFrom("credentials").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;

/** Signs a body as Zoom does, with the fake's secret token. */
function signedByZoom(
  body: string,
  at = t.clock.now(),
  secret = t.zoom.running.context.webhookSecret,
): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return {
    "content-type": "application/json",
    "x-zm-request-timestamp": timestamp,
    "x-zm-signature": `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`,
  };
}

const postZoom = (body: string, headers: Record<string, string>) =>
  t.app.request("/webhooks/zoom", { method: "POST", headers, body });

function deauthorization(zoomUserId: string, eventTs: number): string {
  return JSON.stringify({
    event: "app_deauthorized",
    event_ts: eventTs,
    payload: {
      account_id: "zAcSakura0001",
      user_id: zoomUserId,
      signature: "legacy",
      deauthorization_time: new Date(eventTs).toISOString(),
      client_id: t.zoom.running.context.clientId,
    },
  });
}

let hanakoOwn: string;
let kenRecruiting: string;
let misakiRecruiting: string;
let junRecruiting: string;
let kenZoom: string;
let shoZoom: string;
let otherAdminOwn: string;

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], serve: true, webhooks: {} });
  await linked(admin, "zU_hanako", "org");
  hanakoOwn = (await t.db.selectFrom("accounts").select("id").where("user_id", "=", "hanako").executeTakeFirstOrThrow())
    .id;
  kenZoom = await linked(ken, "zU_ken");
  kenRecruiting = await linked(ken, "zU_recruiting");
  misakiRecruiting = await linked(misaki, "zU_recruiting");
  shoZoom = await linked(sho, "zU_sho");
  // Another organisation of the same portal: its admin is Zoom user zU_ken, and it links the shared recruiting user
  // too.
  await linked(otherAdmin, "zU_ken", "org");
  otherAdminOwn = (
    await t.db
      .selectFrom("accounts")
      .select("id")
      .where("org_id", "=", "other-co")
      .where("user_id", "=", "aiko")
      .executeTakeFirstOrThrow()
  ).id;
  junRecruiting = await linked(otherRecruiter, "zU_recruiting");
  await t.delivery.deliverDue();
  t.receiver.clear();
});
afterAll(async () => {
  await t.close();
});

describe("POST /webhooks/zoom: verification", () => {
  it("answers Zoom's URL validation challenge so that Zoom accepts the endpoint", async () => {
    expect(await t.zoom.running.control("/url-validation")).toEqual({ ok: true, validated: true, status: 200 });
  });

  it("answers the challenge only when it is signed: unsigned, badly signed or stale requests get 401", async () => {
    const body = JSON.stringify({
      event: "endpoint.url_validation",
      event_ts: Date.now(),
      payload: { plainToken: "abc" },
    });
    const good = await postZoom(body, signedByZoom(body));
    expect(await good.json()).toEqual({
      plainToken: "abc",
      encryptedToken: createHmac("sha256", t.zoom.running.context.webhookSecret).update("abc").digest("hex"),
    });
    const cases = [
      { headers: { "content-type": "application/json" }, reason: "missing_headers" },
      { headers: signedByZoom(body, t.clock.now(), "not-the-secret"), reason: "bad_signature" },
      { headers: signedByZoom(body, new Date(t.clock.now().getTime() - 6 * 60_000)), reason: "stale_timestamp" },
    ];
    for (const { headers, reason } of cases) {
      const response = await postZoom(body, headers);
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 401,
        body: {
          error: { code: "webhook_signature", message: `The Zoom webhook signature did not verify (${reason}).` },
        },
      });
    }
  });

  it("says so when no Zoom webhook secret is configured", async () => {
    const bare = await createTestApp();
    try {
      const body = JSON.stringify({ event: "app_deauthorized", payload: {} });
      const response = await bare.app.request("/webhooks/zoom", { method: "POST", headers: signedByZoom(body), body });
      expect({ status: response.status, body: await response.json() }).toMatchObject({
        status: 404,
        body: { error: { code: "webhook_not_configured" } },
      });
    } finally {
      await bare.close();
    }
  });

  it("acknowledges events it does not act on, and refuses a signed body that breaks Zoom's shape", async () => {
    const other = JSON.stringify({ event: "meeting.started", event_ts: Date.now(), payload: { object: { id: 1 } } });
    const ignored = await postZoom(other, signedByZoom(other));
    expect({ status: ignored.status, body: await ignored.json() }).toEqual({
      status: 200,
      body: { ok: true, ignored: true },
    });
    const broken = JSON.stringify({
      event: "app_deauthorized",
      event_ts: Date.now(),
      payload: { account_id: "zAcSakura0001" },
    });
    const refused = await postZoom(broken, signedByZoom(broken));
    expect({ status: refused.status, body: await refused.json() }).toMatchObject({
      status: 400,
      body: { error: { code: "webhook_malformed" } },
    });
  });
});

describe("POST /webhooks/zoom: app_deauthorized", () => {
  it(
    "revokes every link to that Zoom user in every " + "organisation, deletes the tokens, audits and tells the portal",
    async () => {
      const before = await Promise.all([kenRecruiting, misakiRecruiting, junRecruiting].map(account));
      const answer = (await t.zoom.running.control("/deauthorize", { userId: "zU_recruiting" })) as {
        delivery: { status: number };
      };
      expect(answer.delivery.status).toBe(200);

      for (const row of before) {
        expect(await account(row.id)).toMatchObject({ status: "revoked", status_reason: "deauthorized" });
        expect(await credentialExists(row.credential_id)).toBe(false);
        const audit = await t.db
          .selectFrom("audit_log")
          .select(["action", "actor_user_id", "detail"])
          .where("target", "=", row.id)
          .where("action", "=", "account.revoked")
          .execute();
        expect(audit).toEqual([
          {
            action: "account.revoked",
            actor_user_id: null,
            detail: expect.stringContaining('"reason":"deauthorized"'),
          },
        ]);
      }
      // Links to other Zoom users stay as they were.
      for (const id of [kenZoom, shoZoom, hanakoOwn]) expect((await account(id)).status).toBe("active");
      expect((await connectionOf("sakura")).status).toBe("active");

      await expect(
        t.refresher.getFreshAccessToken(
          {
            kind: "account",
            id: kenRecruiting,
            hostId: "portal-a",
            orgId: "sakura",
            provider: "zoom",
            credentialId: before[0]!.credential_id,
          },
          async () => {
            throw new Error("must not refresh");
          },
        ),
      ).rejects.toBeInstanceOf(ReauthRequiredError);
      const listed = (await (await t.api(ken, "GET", "/v1/accounts")).json()) as {
        accounts: Array<{ id: string; status: string; statusReason: string }>;
      };
      expect(listed.accounts.find((row) => row.id === kenRecruiting)).toMatchObject({
        status: "revoked",
        statusReason: "deauthorized",
      });

      await t.delivery.deliverDue();
      expect(
        t.receiver
          .events()
          .map((event) => [
            event.type,
            event.org,
            event.user,
            event.reason,
            (event.account as { id: string; status: string }).id,
          ])
          .sort(),
      ).toEqual(
        [
          ["account.unlinked", "sakura", "ken", "deauthorized", kenRecruiting],
          ["account.unlinked", "sakura", "misaki", "deauthorized", misakiRecruiting],
          ["account.unlinked", "other-co", "jun", "deauthorized", junRecruiting],
        ].sort(),
      );
      t.receiver.clear();
    },
  );

  it("revokes the organisation connection whose tokens are that user's, with the admin's own account", async () => {
    const connection = await connectionOf("sakura");
    await t.zoom.running.control("/deauthorize", { userId: "zU_hanako" });
    expect(await connectionOf("sakura")).toMatchObject({
      status: "revoked",
      status_reason: "deauthorized",
      credential_id: null,
    });
    expect(await account(hanakoOwn)).toMatchObject({ status: "revoked", status_reason: "deauthorized" });
    expect(await credentialExists(connection.credential_id)).toBe(false);
    await t.delivery.deliverDue();
    expect(
      t.receiver
        .events()
        .map((event) => [event.type, event.user])
        .sort(),
    ).toEqual([
      ["account.unlinked", "hanako"],
      ["connection.unlinked", "hanako"],
    ]);
    t.receiver.clear();
  });

  it("finds the connection by its grant even after the admin unlinked their own account", async () => {
    const unlink = await t.api(otherAdmin, "DELETE", `/v1/accounts/${otherAdminOwn}`);
    expect(await unlink.json()).toMatchObject({ revokedAtProvider: false });
    await t.zoom.running.control("/deauthorize", { userId: "zU_ken" });
    expect(await connectionOf("other-co")).toMatchObject({
      status: "revoked",
      status_reason: "deauthorized",
      credential_id: null,
    });
    // Ken's own personal link to the same Zoom user, in the other organisation, goes too.
    expect(await account(kenZoom)).toMatchObject({ status: "revoked", status_reason: "deauthorized" });
  });

  it(
    "applies a delivery once: Zoom's retries and a duplicate " + "arriving at the same time change nothing more",
    async () => {
      const body = deauthorization("zU_sho", t.clock.now().getTime());
      const [first, second] = await Promise.all([
        postZoom(body, signedByZoom(body)),
        postZoom(body, signedByZoom(body)),
      ]);
      const answers = [await first.json(), await second.json()];
      expect(answers).toEqual(
        expect.arrayContaining([
          { ok: true, duplicate: false },
          { ok: true, duplicate: true },
        ]),
      );
      t.clock.advance(60);
      const retry = await postZoom(body, signedByZoom(body));
      expect(await retry.json()).toEqual({ ok: true, duplicate: true });
      expect(await account(shoZoom)).toMatchObject({ status: "revoked", status_reason: "deauthorized" });
      const audit = await t.db
        .selectFrom("audit_log")
        .select("id")
        .where("target", "=", shoZoom)
        .where("action", "=", "account.revoked")
        .execute();
      expect(audit).toHaveLength(1);
      const events = (await t.outbox()).filter(
        (row) => row.payload.includes(shoZoom) && row.type === "account.unlinked",
      );
      expect(events).toHaveLength(1);
    },
  );

  it("relinking a deauthorized account makes it active again and tells the portal", async () => {
    await t.delivery.deliverDue();
    t.receiver.clear();
    const again = await linked(sho, "zU_sho");
    expect(again).toBe(shoZoom);
    expect(await account(shoZoom)).toMatchObject({ status: "active", status_reason: null });
    await t.delivery.deliverDue();
    expect(t.receiver.events().filter((event) => event.user === "sho")).toEqual([
      expect.objectContaining({ type: "account.linked", reason: "relinked" }),
    ]);
  });
});
