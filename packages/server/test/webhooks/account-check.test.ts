import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTokens } from "../../src/accounts/tokens.ts";
import { seedAccount } from "../accounts/fixtures.ts";
import { type Caller, createTestApp, type WebhookTestApp } from "../support/test-app.ts";
import { link } from "../oauth/zoom-links.ts";
import { postedMessage } from "../support/round-trip.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const admin: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const ken: Caller = { sub: "ken", org: "sakura", role: "recruiter" };
const misaki: Caller = { sub: "misaki", org: "sakura", role: "assistant" };
const sho: Caller = { sub: "sho", org: "sakura", role: "recruiter" };
const otherOrg: Caller = { sub: "ken", org: "other-co", role: "recruiter" };
const otherHost: Caller = { host: "portal-b", sub: "ken", org: "sakura", role: "recruiter" };

async function linked(caller: Caller, zoomUser: string, purpose: "org" | "personal" = "personal"): Promise<string> {
  const { response } = await link(t, caller, zoomUser, { purpose, returnMode: "popup" });
  const message = postedMessage(await response.text())?.message;
  if (message?.status !== "linked") throw new Error(`linking ${zoomUser} failed: ${JSON.stringify(message)}`);
  return String(message.accountId ?? message.connectionId);
}

const calls = (key: string) => t.zoom.running.calls(key);
const account = (id: string) => t.db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
async function check(caller: Caller, id: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await t.api(caller, "POST", `/v1/accounts/${id}/check`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
/** Two hours on, on both sides: every Zoom access token (one hour) has expired. */
function letTokensExpire(): void {
  t.clock.advance(2 * 3600);
  t.zoom.running.clock.advance(2 * 3600_000);
}

let kenZoom: string;
let misakiZoom: string;
let shoZoom: string;

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], serve: true, webhooks: {} });
  await linked(admin, "zU_hanako", "org");
  kenZoom = await linked(ken, "zU_ken");
  misakiZoom = await linked(misaki, "zU_misaki");
  shoZoom = await linked(sho, "zU_sho");
});
afterAll(async () => {
  await t.close();
});

describe("POST /v1/accounts/:id/check", () => {
  it("asks Zoom who the token belongs to and answers active, without refreshing a fresh token", async () => {
    const [me, tokenCalls] = [await calls("GET /v2/users/me"), await calls("POST /oauth/token")];
    expect(await check(ken, kenZoom)).toEqual({
      status: 200,
      body: { status: "active", checkedAt: t.clock.now().toISOString() },
    });
    expect(await calls("GET /v2/users/me")).toBe(me + 1);
    expect(await calls("POST /oauth/token")).toBe(tokenCalls);
  });

  it("refreshes an expired token first, stores it, and answers active", async () => {
    letTokensExpire();
    const row = await account(kenZoom);
    const before = await readTokens(
      { db: t.db, vault: t.vault, clock: t.clock },
      { hostId: "portal-a", orgId: "sakura" },
      row.credential_id,
    );
    const tokenCalls = await calls("POST /oauth/token");
    expect(await check(ken, kenZoom)).toMatchObject({ status: 200, body: { status: "active" } });
    expect(await calls("POST /oauth/token")).toBe(tokenCalls + 1);
    const after = await readTokens(
      { db: t.db, vault: t.vault, clock: t.clock },
      { hostId: "portal-a", orgId: "sakura" },
      row.credential_id,
    );
    expect(after?.version).toBe(before!.version + 1);
    expect(after?.tokens.accessToken).not.toBe(before!.tokens.accessToken);
    expect((await account(kenZoom)).status).toBe("active");
  });

  it("refreshes once more when Zoom refuses a token before its expiry, and answers active", async () => {
    await check(ken, kenZoom);
    await t.zoom.running.control("/expire-tokens");
    const tokenCalls = await calls("POST /oauth/token");
    expect(await check(ken, kenZoom)).toMatchObject({ status: 200, body: { status: "active" } });
    expect(await calls("POST /oauth/token")).toBe(tokenCalls + 1);
  });

  it("refreshes once when several checks find the token refused at the same time", async () => {
    await t.zoom.running.control("/expire-tokens");
    const tokenCalls = await calls("POST /oauth/token");
    const answers = await Promise.all(Array.from({ length: 10 }, () => check(ken, kenZoom)));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 10 }, () => 200));
    expect(await calls("POST /oauth/token")).toBe(tokenCalls + 1);
  });

  it("turns the account to needs_reauth when Zoom refuses even a freshly refreshed token", async () => {
    await check(sho, shoZoom);
    await t.zoom.running.control("/fail", { status: 401, count: 2, path: "/v2/users/me" });
    const tokenCalls = await calls("POST /oauth/token");
    expect(await check(sho, shoZoom)).toEqual({
      status: 409,
      body: {
        error: {
          code: "needs_reauth",
          message: "This zoom account must be linked again (unauthorized).",
          details: { status: "needs_reauth", reason: "unauthorized" },
        },
      },
    });
    expect(await calls("POST /oauth/token")).toBe(tokenCalls + 1);
    expect(await account(shoZoom)).toMatchObject({ status: "needs_reauth", status_reason: "unauthorized" });
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor_user_id"])
      .where("target", "=", shoZoom)
      .where("action", "=", "account.needs_reauth")
      .execute();
    expect(audit).toEqual([{ action: "account.needs_reauth", actor_user_id: null }]);
    expect(
      (await t.outbox()).filter((row) => row.type === "account.needs_reauth" && row.payload.includes(shoZoom)),
    ).toHaveLength(1);

    // From now on the check answers at once, without asking Zoom.
    const me = await calls("GET /v2/users/me");
    expect(await check(sho, shoZoom)).toMatchObject({
      status: 409,
      body: { error: { code: "needs_reauth", details: { reason: "unauthorized" } } },
    });
    expect(await calls("GET /v2/users/me")).toBe(me);
  });

  it("turns the account to needs_reauth when the grant was revoked at Zoom (invalid_grant)", async () => {
    await t.zoom.running.control("/revoke", { subject: "zU_misaki" });
    letTokensExpire();
    expect(await check(misaki, misakiZoom)).toMatchObject({
      status: 409,
      body: { error: { code: "needs_reauth", details: { status: "needs_reauth", reason: "invalid_grant" } } },
    });
    expect(await account(misakiZoom)).toMatchObject({ status: "needs_reauth", status_reason: "invalid_grant" });
  });

  it("answers 503 provider_unavailable when Zoom cannot refresh now, and leaves the account active", async () => {
    letTokensExpire();
    await t.zoom.running.control("/fail", { status: 503, count: 1, path: "/oauth/token" });
    expect(await check(ken, kenZoom)).toMatchObject({ status: 503, body: { error: { code: "provider_unavailable" } } });
    expect((await account(kenZoom)).status).toBe("active");
    // After the refresher's short cool-down, the next check goes through.
    t.clock.advance(6);
    expect(await check(ken, kenZoom)).toMatchObject({ status: 200, body: { status: "active" } });
  });

  it("answers 503 provider_unavailable when Zoom's API keeps failing, and leaves the account active", async () => {
    await t.zoom.running.control("/fail", { status: 500, count: 4, path: "/v2/users/me" });
    expect(await check(ken, kenZoom)).toMatchObject({ status: 503, body: { error: { code: "provider_unavailable" } } });
    expect((await account(kenZoom)).status).toBe("active");
  });

  it("checks only the caller's own accounts", async () => {
    for (const stranger of [misaki, otherOrg, otherHost]) {
      expect(await check(stranger, kenZoom)).toMatchObject({
        status: 404,
        body: { error: { code: "account_not_found" } },
      });
    }
  });

  it("answers 501 check_not_supported for a provider this server is not configured for", async () => {
    const bare = await createTestApp();
    try {
      const scope = { hostId: "portal-a", orgId: "sakura", userId: "ken" };
      const seeded = await seedAccount({ db: bare.db, vault: bare.vault, clock: bare.clock }, scope, "google", {
        accessToken: "g",
        scopes: [],
      });
      const response = await bare.api(ken, "POST", `/v1/accounts/${seeded.accountId}/check`);
      expect({ status: response.status, body: await response.json() }).toMatchObject({
        status: 501,
        body: { error: { code: "check_not_supported" } },
      });
    } finally {
      await bare.close();
    }
  });
});
