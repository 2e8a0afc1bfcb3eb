import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountView, ConnectionView } from "../../src/accounts/views.ts";
import { createTokenRefresher } from "../../src/accounts/refresh.ts";
import { readTokens } from "../../src/accounts/tokens.ts";
import { silentLogger } from "../../src/log.ts";
import { openDatabase } from "../../src/store/database.ts";
import { type Caller, createTestApp, type TestApp } from "../support/test-app.ts";
import { link } from "../oauth/zoom-links.ts";
import { postedMessage } from "../support/round-trip.ts";
import { letHeldCallsGo } from "../support/fake-server.ts";
import { waitFor } from "../support/wait.ts";

let t: TestApp<"zoom">;
const admin: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const recruiter: Caller = { sub: "ken", org: "sakura", role: "recruiter" };
const assistant: Caller = { sub: "misaki", org: "sakura", role: "assistant" };
const otherOrgAdmin: Caller = { sub: "hanako", org: "other-co", role: "admin" };
const otherHostAdmin: Caller = { host: "portal-b", sub: "hanako", org: "sakura", role: "admin" };

interface AccountsBody {
  providers: Array<{ provider: string; purposes: string[] }>;
  connections: ConnectionView[];
  accounts: AccountView[];
}

async function linked(caller: Caller, zoomUser: string, purpose: "org" | "personal" = "personal"): Promise<string> {
  const { response } = await link(t, caller, zoomUser, { purpose, returnMode: "popup" });
  const message = postedMessage(await response.text())?.message;
  if (message?.status !== "linked") throw new Error(`linking ${zoomUser} failed: ${JSON.stringify(message)}`);
  return String(message.accountId ?? message.connectionId);
}

async function accountsOf(caller: Caller): Promise<AccountsBody> {
  const response = await t.api(caller, "GET", "/v1/accounts");
  expect(response.status).toBe(200);
  return (await response.json()) as AccountsBody;
}

/**
 * Sends one request twice at once and lets them go on only once both wait at Zoom for `heldAt` (each has read the row
 * it removes, and asks Zoom whether the user hosts meetings before removing it; any other call, such as a token
 * refresh, goes on as it comes): the two then race for the row as a double click's do.
 */
async function bothPastTheirRead(send: () => Promise<Response>, heldAt: string): Promise<Response[]> {
  await t.zoom.running.control("/latency", { ms: 60_000 });
  const answers = Promise.all([send(), send()]);
  await waitFor(`both requests to wait at ${heldAt}`, async () => {
    const held = await t.zoom.running.held();
    if (held.filter((call) => call === heldAt).length === 2) return true;
    const others = held.filter((call) => call !== heldAt);
    if (others.length > 0) await t.zoom.running.control("/release", { calls: others });
    return undefined;
  });
  await letHeldCallsGo(t.zoom.running);
  return answers;
}

const accountRow = (id: string) => t.db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
const zoomCalls = (key: string) => t.zoom.running.calls(key);

let kenZoom: string;
let kenRecruitingZoom: string;
let misakiZoom: string;

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom"] });
  await linked(admin, "zU_hanako", "org");
  kenZoom = await linked(recruiter, "zU_ken");
  kenRecruitingZoom = await linked(recruiter, "zU_recruiting");
  misakiZoom = await linked(assistant, "zU_misaki");
  // Another organisation of the same host links the same shared Zoom user: occupancy is per Zoom user, not per tenant.
  await linked(otherOrgAdmin, "zU_ken", "org");
});
afterAll(async () => {
  await t.close();
});

describe("GET /v1/accounts", () => {
  it("shows the organisation's connections to everyone, manageable by admins only", async () => {
    const asAdmin = await accountsOf(admin);
    const asRecruiter = await accountsOf(recruiter);
    expect(asAdmin.connections).toEqual([
      expect.objectContaining({
        provider: "zoom",
        externalId: "zAcSakura0001",
        status: "active",
        connectedBy: "hanako",
        canManage: true,
      }),
    ]);
    expect(asRecruiter.connections).toEqual([
      expect.objectContaining({ provider: "zoom", externalId: "zAcSakura0001", canManage: false }),
    ]);
    expect(asRecruiter.providers).toEqual([{ provider: "zoom", purposes: ["org", "personal"] }]);
  });

  it("lists the caller's own accounts only, the admin's organisation identity among theirs", async () => {
    expect(
      (await accountsOf(recruiter)).accounts.map((account) => [account.externalUserId, account.isDefault]),
    ).toEqual([
      ["zU_ken", true],
      ["zU_recruiting", false],
    ]);
    expect((await accountsOf(admin)).accounts).toEqual([
      expect.objectContaining({
        externalUserId: "zU_hanako",
        externalAccountId: "zAcSakura0001",
        email: "hanako.yamada@sakura-recruit.example",
        status: "active",
      }),
    ]);
  });

  it("never shows tokens or credential ids", async () => {
    const text = await (await t.api(recruiter, "GET", "/v1/accounts")).text();
    const row = await accountRow(kenZoom);
    const stored = await readTokens(
      { db: t.db, vault: t.vault, clock: t.clock },
      { hostId: "portal-a", orgId: "sakura" },
      row!.credential_id,
    );
    expect(text).not.toContain(stored!.tokens.accessToken);
    expect(text).not.toContain(stored!.tokens.refreshToken ?? "-");
    expect(text).not.toContain(row!.credential_id);
    expect(text).not.toMatch(/token|credential/i);
  });
});

describe("POST /v1/accounts/:id/default", () => {
  it("makes one account the default for its provider and the others not", async () => {
    const response = await t.api(recruiter, "POST", `/v1/accounts/${kenRecruitingZoom}/default`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ account: { id: kenRecruitingZoom, isDefault: true } });
    expect(
      (await accountsOf(recruiter)).accounts.map((account) => [account.externalUserId, account.isDefault]),
    ).toEqual([
      ["zU_ken", false],
      ["zU_recruiting", true],
    ]);
    await t.api(recruiter, "POST", `/v1/accounts/${kenZoom}/default`);
  });

  it("refuses someone else's account as not found, and an account that needs relinking", async () => {
    for (const stranger of [recruiter, otherOrgAdmin, otherHostAdmin]) {
      const foreign = await t.api(stranger, "POST", `/v1/accounts/${misakiZoom}/default`);
      expect({ status: foreign.status, body: await foreign.json() }).toMatchObject({
        status: 404,
        body: { error: { code: "account_not_found" } },
      });
    }
    await t.db
      .updateTable("accounts")
      .set({ status: "needs_reauth", status_reason: "invalid_grant" })
      .where("id", "=", misakiZoom)
      .execute();
    const stale = await t.api(assistant, "POST", `/v1/accounts/${misakiZoom}/default`);
    expect({ status: stale.status, body: await stale.json() }).toMatchObject({
      status: 409,
      body: { error: { code: "account_not_active" } },
    });
    await t.db
      .updateTable("accounts")
      .set({ status: "active", status_reason: null })
      .where("id", "=", misakiZoom)
      .execute();
  });
});

describe("the refresh coordinator through the Zoom fake", () => {
  it(
    "has 50 concurrent callers in two processes cause one " + "token refresh at Zoom, and the account stays active",
    async () => {
      const row = (await accountRow(misakiZoom))!;
      const owner = {
        kind: "account" as const,
        id: row.id,
        hostId: row.host_id,
        orgId: row.org_id,
        provider: "zoom" as const,
        credentialId: row.credential_id,
      };
      // The Zoom access token lives an hour: two hours on, it is stale for everyone.
      t.clock.advance(2 * 3600);
      t.zoom.running.clock.advance(2 * 3600_000);
      const secondDb = openDatabase(t.databaseOptions);
      try {
        const processes = [
          t.refresher,
          createTokenRefresher({ db: secondDb, vault: t.vault, clock: t.clock, logger: silentLogger }),
        ];
        const before = await zoomCalls("POST /oauth/token");
        const refresh = ({ refreshToken }: { refreshToken: string }) => t.zoom.client.oauth.refresh(refreshToken);
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, index) => processes[index % 2]!.getFreshAccessToken(owner, refresh)),
        );
        expect((await zoomCalls("POST /oauth/token")) - before).toBe(1);
        expect(new Set(results.map((tokens) => tokens.accessToken)).size).toBe(1);
        expect((await accountRow(misakiZoom))?.status).toBe("active");
        expect((await t.zoom.client.api(results[0]!.accessToken).me()).id).toBe("zU_misaki");
      } finally {
        await secondDb.destroy();
      }
    },
  );
});

describe("DELETE /v1/accounts/:id", () => {
  it("revokes at the provider, deletes the tokens, promotes the next default and writes an audit entry", async () => {
    const row = (await accountRow(kenZoom))!;
    const stored = await readTokens(
      { db: t.db, vault: t.vault, clock: t.clock },
      { hostId: row.host_id, orgId: row.org_id },
      row.credential_id,
    );
    const revokes = await zoomCalls("POST /oauth/revoke");
    const response = await t.api(recruiter, "DELETE", `/v1/accounts/${kenZoom}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      unlinked: { id: kenZoom, provider: "zoom" },
      revokedAtProvider: true,
      newDefaultAccountId: kenRecruitingZoom,
    });
    expect(await zoomCalls("POST /oauth/revoke")).toBe(revokes + 1);
    await expect(t.zoom.client.api(stored!.tokens.accessToken).me()).rejects.toMatchObject({ status: 401 });
    expect(await accountRow(kenZoom)).toBeUndefined();
    expect(
      await t.db.selectFrom("credentials").select("id").where("id", "=", row.credential_id).executeTakeFirst(),
    ).toBeUndefined();
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "actor_user_id", "detail"])
      .where("target", "=", kenZoom)
      .execute();
    expect(audit).toContainEqual({
      action: "account.unlinked",
      actor_user_id: "ken",
      detail: JSON.stringify({ provider: "zoom", externalUserId: "zU_ken", revokedAtProvider: true }),
    });
    expect((await accountsOf(recruiter)).accounts).toEqual([
      expect.objectContaining({ id: kenRecruitingZoom, isDefault: true }),
    ]);
  });

  it("keeps tokens the admin's own account shares with the organisation connection", async () => {
    const own = (await accountsOf(admin)).accounts[0]!;
    const response = await t.api(admin, "DELETE", `/v1/accounts/${own.id}`);
    expect(await response.json()).toMatchObject({
      unlinked: { id: own.id },
      revokedAtProvider: false,
      note: expect.stringContaining("shared with the organisation connection"),
    });
    const connection = await t.db
      .selectFrom("connections")
      .selectAll()
      .where("org_id", "=", "sakura")
      .executeTakeFirstOrThrow();
    const tokens = await t.refresher.getFreshAccessToken(
      {
        kind: "connection",
        id: connection.id,
        hostId: "portal-a",
        orgId: "sakura",
        provider: "zoom",
        credentialId: connection.credential_id!,
      },
      ({ refreshToken }) => t.zoom.client.oauth.refresh(refreshToken),
    );
    expect((await t.zoom.client.api(tokens.accessToken).me()).id).toBe("zU_hanako");
  });

  it("unlinks once when the same unlink arrives twice at once (a double click, two tabs)", async () => {
    const sho: Caller = { sub: "sho", org: "sakura", role: "recruiter" };
    const shoZoom = await linked(sho, "zU_sho");
    const revokes = await zoomCalls("POST /oauth/revoke");
    const answers = await bothPastTheirRead(
      () => t.api(sho, "DELETE", `/v1/accounts/${shoZoom}`),
      "GET /v2/users/zU_sho/meetings",
    );
    const outcomes = await Promise.all(
      answers.map(async (answer) => ({ status: answer.status, body: await answer.json() })),
    );
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([200, 404]);
    expect(outcomes.find((outcome) => outcome.status === 404)?.body).toMatchObject({
      error: { code: "account_not_found" },
    });
    expect(await zoomCalls("POST /oauth/revoke")).toBe(revokes + 1);
    const audit = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("target", "=", shoZoom)
      .where("action", "=", "account.unlinked")
      .execute();
    expect(audit).toHaveLength(1);
    const events = await t.db
      .selectFrom("webhook_outbox")
      .select("payload")
      .where("type", "=", "account.unlinked")
      .execute();
    expect(events.filter((event) => event.payload.includes(shoZoom))).toHaveLength(1);
  });

  it("cannot touch another user's, organisation's or host's account", async () => {
    for (const stranger of [recruiter, otherOrgAdmin, otherHostAdmin]) {
      const response = await t.api(stranger, "DELETE", `/v1/accounts/${misakiZoom}`);
      expect({ status: response.status, body: await response.json() }).toMatchObject({
        status: 404,
        body: { error: { code: "account_not_found" } },
      });
    }
    expect((await accountRow(misakiZoom))?.status).toBe("active");
  });
});

describe("DELETE /v1/connections/:provider", () => {
  it("is for admins only", async () => {
    const response = await t.api(recruiter, "DELETE", "/v1/connections/zoom");
    expect({ status: response.status, body: await response.json() }).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden_role" } },
    });
  });

  it("never reaches another organisation's or host's connection", async () => {
    const otherHost = await t.api(otherHostAdmin, "DELETE", "/v1/connections/zoom");
    expect({ status: otherHost.status, body: await otherHost.json() }).toMatchObject({
      status: 404,
      body: { error: { code: "connection_not_found" } },
    });
    expect((await accountsOf(otherHostAdmin)).connections).toEqual([]);
    expect((await accountsOf(otherOrgAdmin)).connections).toEqual([
      expect.objectContaining({ externalId: "zAcSakura0001", connectedBy: "hanako" }),
    ]);
    expect((await accountsOf(otherOrgAdmin)).accounts.map((account) => account.externalUserId)).toEqual(["zU_ken"]);
  });

  it(
    "says what stops working, marks the organisation's accounts of that provider, revokes, and leaves other " +
      "organisations alone",
    async () => {
      const revokes = await zoomCalls("POST /oauth/revoke");
      const response = await t.api(admin, "DELETE", "/v1/connections/zoom");
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        stopsWorking: Array<{ feature: string }>;
        affectedAccounts: Array<{ id: string; userId: string }>;
        revokedAtProvider: boolean;
        disconnected: unknown;
      };
      expect(body.disconnected).toMatchObject({ provider: "zoom", externalId: "zAcSakura0001" });
      expect(body.stopsWorking.map((item) => item.feature)).toEqual(["meeting_urls", "personal_links"]);
      expect(body.affectedAccounts.map((account) => [account.userId, account.id]).sort()).toEqual(
        [
          ["ken", kenRecruitingZoom],
          ["misaki", misakiZoom],
        ].sort(),
      );
      expect(body.revokedAtProvider).toBe(true);
      expect(await zoomCalls("POST /oauth/revoke")).toBe(revokes + 1);

      for (const id of [kenRecruitingZoom, misakiZoom])
        expect(await accountRow(id)).toMatchObject({ status: "needs_reauth", status_reason: "org_disconnected" });
      expect((await accountsOf(recruiter)).connections).toEqual([]);
      const audit = await t.db
        .selectFrom("audit_log")
        .select(["action", "actor_user_id"])
        .where("action", "=", "connection.disconnected")
        .execute();
      expect(audit).toEqual([{ action: "connection.disconnected", actor_user_id: "hanako" }]);

      // The other organisation keeps its connection and its account.
      expect((await accountsOf(otherOrgAdmin)).connections).toHaveLength(1);
      expect((await accountsOf(otherOrgAdmin)).accounts).toEqual([
        expect.objectContaining({ externalUserId: "zU_ken", status: "active" }),
      ]);
    },
  );

  it("answers connection_not_found once it is gone", async () => {
    const response = await t.api(admin, "DELETE", "/v1/connections/zoom");
    expect({ status: response.status, body: await response.json() }).toMatchObject({
      status: 404,
      body: { error: { code: "connection_not_found" } },
    });
  });

  it("disconnects once when the same disconnect arrives twice at once", async () => {
    const revokes = await zoomCalls("POST /oauth/revoke");
    const answers = await bothPastTheirRead(
      () => t.api(otherOrgAdmin, "DELETE", "/v1/connections/zoom"),
      "GET /v2/users/zU_ken/meetings",
    );
    const outcomes = await Promise.all(
      answers.map(async (answer) => ({ status: answer.status, body: await answer.json() })),
    );
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([200, 404]);
    expect(outcomes.find((outcome) => outcome.status === 404)?.body).toMatchObject({
      error: { code: "connection_not_found" },
    });
    expect(await zoomCalls("POST /oauth/revoke")).toBe(revokes + 1);
    const audit = await t.db
      .selectFrom("audit_log")
      .select("action")
      .where("org_id", "=", "other-co")
      .where("action", "=", "connection.disconnected")
      .execute();
    expect(audit).toHaveLength(1);
    const events = await t.db
      .selectFrom("webhook_outbox")
      .select("id")
      .where("org_id", "=", "other-co")
      .where("type", "=", "connection.unlinked")
      .execute();
    expect(events).toHaveLength(1);
  });
});
