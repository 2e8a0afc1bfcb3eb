import { createHmac, timingSafeEqual } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTokens } from "../../src/accounts/tokens.ts";
import { emitAccountEvent } from "../../src/webhooks/outbox.ts";
import { verifySignature } from "../../src/webhooks/signature.ts";
import { type Caller, createTestApp, type WebhookTestApp } from "../support/test-app.ts";
import { link } from "../oauth/zoom-links.ts";
import { postedMessage } from "../support/round-trip.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const admin: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const recruiter: Caller = { sub: "ken", org: "sakura", role: "recruiter" };
const assistant: Caller = { sub: "misaki", org: "sakura", role: "assistant" };
const otherHostAdmin: Caller = { host: "portal-b", sub: "boss", org: "sakura", role: "admin" };

async function linked(caller: Caller, zoomUser: string, purpose: "org" | "personal" = "personal"): Promise<string> {
  const { response } = await link(t, caller, zoomUser, { purpose, returnMode: "popup" });
  const message = postedMessage(await response.text())?.message;
  if (message?.status !== "linked") throw new Error(`linking ${zoomUser} failed: ${JSON.stringify(message)}`);
  return String(message.accountId ?? message.connectionId);
}

/** Runs the worker and returns the bodies that reached the portal in this pass. */
async function deliver(): Promise<Array<Record<string, unknown>>> {
  const before = t.receiver.received.length;
  await t.delivery.deliverDue();
  return t.receiver.events().slice(before);
}

/** README "Webhooks", verbatim in spirit: what a portal in plain Node does. */
function portalVerifies(header: string, body: string, secret: string, nowSeconds: number): boolean {
  const fields = Object.fromEntries(header.split(",").map((part) => part.split("=") as [string, string]));
  if (Math.abs(nowSeconds - Number(fields.t)) > 300) return false;
  const expected = createHmac("sha256", Buffer.from(secret, "base64url")).update(`${fields.t}.${body}`).digest("hex");
  return (
    fields.v1 !== undefined &&
    fields.v1.length === expected.length &&
    timingSafeEqual(Buffer.from(fields.v1), Buffer.from(expected))
  );
}

let kenZoom: string;
let hanakoOwn: string;
let misakiZoom: string;

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], serve: true, webhooks: { policy: { maxAttempts: 3 } } });
});
afterAll(async () => {
  await t.close();
});

describe("account and connection events", () => {
  it(
    "emits connection.linked and the admin's account.linked on " + "connecting, and account.linked on a personal link",
    async () => {
      await linked(admin, "zU_hanako", "org");
      kenZoom = await linked(recruiter, "zU_ken");
      const sent = await deliver();
      expect(sent.map((event) => event.type).sort()).toEqual(["account.linked", "account.linked", "connection.linked"]);
      const connection = sent.find((event) => event.type === "connection.linked")!;
      expect(connection).toEqual({
        id: expect.stringMatching(/^evt_/),
        type: "connection.linked",
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        host: "portal-a",
        org: "sakura",
        user: "hanako",
        reason: "connected",
        connection: {
          id: expect.any(String),
          provider: "zoom",
          externalId: "zAcSakura0001",
          displayName: expect.any(String),
          status: "active",
        },
      });
      const own = sent.find((event) => event.type === "account.linked" && event.user === "hanako")!;
      hanakoOwn = (own.account as { id: string }).id;
      expect(own).toMatchObject({
        reason: "linked",
        account: { provider: "zoom", email: "hanako.yamada@sakura-recruit.example", status: "active" },
      });
      expect(sent.find((event) => event.user === "ken")).toEqual({
        id: expect.stringMatching(/^evt_/),
        type: "account.linked",
        createdAt: expect.any(String),
        host: "portal-a",
        org: "sakura",
        user: "ken",
        reason: "linked",
        account: {
          id: kenZoom,
          provider: "zoom",
          email: "ken.sato@sakura-recruit.example",
          displayName: expect.any(String),
          status: "active",
        },
      });
    },
  );

  it("signs each delivery so the portal can verify it, with the event id and type in headers", async () => {
    const nowSeconds = Math.floor(t.clock.now().getTime() / 1000);
    expect(t.receiver.received).toHaveLength(3);
    for (const { headers, body } of t.receiver.received) {
      const event = JSON.parse(body) as { id: string; type: string };
      expect(headers["content-type"]).toBe("application/json");
      expect(headers["tsunagu-event-id"]).toBe(event.id);
      expect(headers["tsunagu-event-type"]).toBe(event.type);
      const signature = String(headers["tsunagu-signature"]);
      expect(signature).toMatch(new RegExp(`^t=${nowSeconds},v1=[0-9a-f]{64}$`));
      expect(verifySignature({ header: signature, body, secret: t.webhookSecret, now: t.clock.now() })).toEqual({
        ok: true,
        timestamp: nowSeconds,
      });
      expect(portalVerifies(signature, body, t.webhookSecret, nowSeconds)).toBe(true);
      // A changed body, another secret, or a replay ten minutes on do not verify.
      expect(
        verifySignature({
          header: signature,
          body: body.replace("zoom", "ZOOM"),
          secret: t.webhookSecret,
          now: t.clock.now(),
        }),
      ).toEqual({ ok: false, reason: "mismatch" });
      expect(portalVerifies(signature, body, Buffer.alloc(32, 1).toString("base64url"), nowSeconds)).toBe(false);
      expect(
        verifySignature({
          header: signature,
          body,
          secret: t.webhookSecret,
          now: new Date(t.clock.now().getTime() + 600_000),
        }),
      ).toEqual({ ok: false, reason: "stale" });
    }
  });

  it("never carries tokens or credential ids", async () => {
    const account = await t.db.selectFrom("accounts").selectAll().where("id", "=", kenZoom).executeTakeFirstOrThrow();
    const stored = await readTokens(
      { db: t.db, vault: t.vault, clock: t.clock },
      { hostId: "portal-a", orgId: "sakura" },
      account.credential_id,
    );
    for (const { body } of t.receiver.received) {
      expect(body).not.toContain(stored!.tokens.accessToken);
      expect(body).not.toContain(stored!.tokens.refreshToken!);
      expect(body).not.toContain(account.credential_id);
      expect(body).not.toMatch(/token|credential|secret/i);
    }
  });

  it("emits account.unlinked when a person unlinks", async () => {
    const response = await t.api(recruiter, "DELETE", `/v1/accounts/${kenZoom}`);
    expect(response.status).toBe(200);
    expect(await deliver()).toEqual([
      expect.objectContaining({
        type: "account.unlinked",
        user: "ken",
        reason: "unlinked_by_user",
        account: expect.objectContaining({ id: kenZoom, status: "revoked" }),
      }),
    ]);
  });

  it("emits account.needs_reauth when the grant turns out dead (invalid_grant on refresh)", async () => {
    misakiZoom = await linked(assistant, "zU_misaki");
    await deliver();
    await t.zoom.running.control("/revoke", { subject: "zU_misaki" });
    const check = await t.api(assistant, "POST", `/v1/accounts/${misakiZoom}/check`);
    expect(check.status).toBe(409);
    expect(await deliver()).toEqual([
      expect.objectContaining({
        type: "account.needs_reauth",
        user: "misaki",
        reason: "invalid_grant",
        account: expect.objectContaining({ id: misakiZoom, status: "needs_reauth" }),
      }),
    ]);
  });

  it("emits account.needs_reauth for the organisation's accounts and connection.unlinked on a disconnect", async () => {
    const response = await t.api(admin, "DELETE", "/v1/connections/zoom");
    expect(response.status).toBe(200);
    const sent = await deliver();
    // Misaki's account was needs_reauth already: no second event for it.
    expect(
      sent.map((event) => [event.type, event.reason, (event.account ?? event.connection) as { id: string }]).sort(),
    ).toEqual(
      [
        [
          "account.needs_reauth",
          "org_disconnected",
          expect.objectContaining({ id: hanakoOwn, status: "needs_reauth" }),
        ],
        [
          "connection.unlinked",
          "disconnected",
          expect.objectContaining({ provider: "zoom", externalId: "zAcSakura0001", status: "revoked" }),
        ],
      ].sort(),
    );
  });
});

describe("delivery", () => {
  it("retries a failed delivery after 30 s, then 1 min, and stops once it is delivered", async () => {
    await linked(admin, "zU_hanako", "org");
    await deliver();
    const account = await t.db.selectFrom("accounts").selectAll().where("id", "=", hanakoOwn).executeTakeFirstOrThrow();
    const eventId = await emitAccountEvent(t.db, t.clock, "linked", account, "linked");
    t.receiver.failNext(500, 503);

    expect(await t.delivery.deliverDue()).toEqual({ delivered: 0, retrying: 1, failed: 0, skipped: 0 });
    const first = (await t.outbox()).find((row) => row.id === eventId)!;
    expect(first).toMatchObject({
      status: "pending",
      attempts: 1,
      last_error: "HTTP 500",
      next_attempt_at: new Date(t.clock.now().getTime() + 30_000).toISOString(),
    });

    // Not due yet: nothing is sent.
    t.clock.advance(29);
    expect(await t.delivery.deliverDue()).toEqual({ delivered: 0, retrying: 0, failed: 0, skipped: 0 });
    t.clock.advance(1);
    expect(await t.delivery.deliverDue()).toEqual({ delivered: 0, retrying: 1, failed: 0, skipped: 0 });
    expect((await t.outbox()).find((row) => row.id === eventId)).toMatchObject({
      attempts: 2,
      last_error: "HTTP 503",
      next_attempt_at: new Date(t.clock.now().getTime() + 60_000).toISOString(),
    });

    t.clock.advance(60);
    expect(await t.delivery.deliverDue()).toEqual({ delivered: 1, retrying: 0, failed: 0, skipped: 0 });
    expect((await t.outbox()).find((row) => row.id === eventId)).toMatchObject({
      status: "delivered",
      attempts: 3,
      last_error: null,
    });
    const attempts = t.receiver.received.filter((request) => request.headers["tsunagu-event-id"] === eventId);
    expect(attempts).toHaveLength(3);
    // Every attempt carries the same body and event id, signed afresh.
    expect(new Set(attempts.map((request) => request.body)).size).toBe(1);
    expect(new Set(attempts.map((request) => request.headers["tsunagu-signature"])).size).toBe(3);
  });

  it("gives up after the last attempt and marks the event failed", async () => {
    const account = await t.db.selectFrom("accounts").selectAll().where("id", "=", hanakoOwn).executeTakeFirstOrThrow();
    const eventId = await emitAccountEvent(t.db, t.clock, "linked", account, "linked");
    t.receiver.failNext(500, 500, 500);
    await t.delivery.deliverDue();
    t.clock.advance(30);
    await t.delivery.deliverDue();
    t.clock.advance(60);
    expect(await t.delivery.deliverDue()).toEqual({ delivered: 0, retrying: 0, failed: 1, skipped: 0 });
    expect((await t.outbox()).find((row) => row.id === eventId)).toMatchObject({
      status: "failed",
      attempts: 3,
      last_error: "HTTP 500",
    });
    t.clock.advance(24 * 3600);
    expect(await t.delivery.deliverDue()).toEqual({ delivered: 0, retrying: 0, failed: 0, skipped: 0 });
  });

  it("skips the events of a host that has no webhook URL and never sends them", async () => {
    t.receiver.clear();
    await linked(otherHostAdmin, "zU_ken", "org");
    expect(await t.delivery.deliverDue()).toEqual({ delivered: 0, retrying: 0, failed: 0, skipped: 2 });
    expect(t.receiver.received).toEqual([]);
    const rows = (await t.outbox()).filter((row) => row.host_id === "portal-b");
    expect(rows.map((row) => row.status)).toEqual(["skipped", "skipped"]);
  });

  it("sends each event once when two server processes run the worker at the same time", async () => {
    t.receiver.clear();
    const account = await t.db.selectFrom("accounts").selectAll().where("id", "=", hanakoOwn).executeTakeFirstOrThrow();
    const ids = [];
    for (let index = 0; index < 30; index++)
      ids.push(await emitAccountEvent(t.db, t.clock, "linked", account, "linked"));
    const second = await t.secondDelivery();
    try {
      const reports = await Promise.all([
        t.delivery.deliverDue(),
        second.delivery.deliverDue(),
        t.delivery.deliverDue(),
      ]);
      expect(reports.reduce((sum, report) => sum + report.delivered, 0)).toBe(30);
    } finally {
      await second.close();
    }
    const received = t.receiver.received.map((request) => String(request.headers["tsunagu-event-id"]));
    expect(received).toHaveLength(30);
    expect(new Set(received)).toEqual(new Set(ids));
  });
});
