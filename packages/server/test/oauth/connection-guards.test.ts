import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, createTestApp, type TestApp } from "../support/test-app.ts";
import { callback, consent, link } from "./zoom-links.ts";
import { postedMessage } from "../support/round-trip.ts";

let t: TestApp<"zoom">;
const admin: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const recruiter: Caller = { sub: "ken", org: "sakura", role: "recruiter" };

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom"] });
});
afterAll(async () => {
  await t.close();
});

const messageOf = async (response: Response) => postedMessage(await response.text())?.message;

describe("organisation links", () => {
  it(
    "connects the organisation and makes the admin's own Zoom identity their personal account, sharing one " +
      "credential",
    async () => {
      const { response, flow } = await link(t, admin, "zU_hanako", { purpose: "org", returnMode: "popup" });
      const message = await messageOf(response);
      expect(message).toMatchObject({
        status: "linked",
        purpose: "org",
        connectionId: expect.any(String),
        accountId: expect.any(String),
      });
      const connection = await t.db
        .selectFrom("connections")
        .selectAll()
        .where("id", "=", String(message?.connectionId))
        .executeTakeFirstOrThrow();
      const account = await t.db
        .selectFrom("accounts")
        .selectAll()
        .where("id", "=", String(message?.accountId))
        .executeTakeFirstOrThrow();
      expect(connection).toMatchObject({
        host_id: "portal-a",
        org_id: "sakura",
        provider: "zoom",
        external_id: "zAcSakura0001",
        status: "active",
        connected_by: "hanako",
      });
      expect(account).toMatchObject({
        user_id: "hanako",
        external_user_id: "zU_hanako",
        is_default: 1,
        credential_id: connection.credential_id,
      });
      expect(await (await t.api(admin, "GET", `/v1/oauth/flows/${flow}`)).json()).toMatchObject({
        status: "linked",
        connectionId: connection.id,
      });
      const audit = await t.db.selectFrom("audit_log").select("action").where("target", "=", connection.id).execute();
      expect(audit).toEqual([{ action: "connection.connected" }]);
    },
  );

  it("reconnects the same Zoom account in place, with fresh tokens", async () => {
    const before = await t.db.selectFrom("connections").select(["id", "credential_id"]).executeTakeFirstOrThrow();
    const { response } = await link(t, admin, "zU_ken", { purpose: "org", returnMode: "popup" });
    expect(await messageOf(response)).toMatchObject({ status: "linked", connectionId: before.id });
    const after = await t.db.selectFrom("connections").select(["id", "credential_id", "connected_by"]).execute();
    expect(after).toHaveLength(1);
    expect(after[0]?.credential_id).not.toBe(before.credential_id);
    // hanako's own account still holds the old tokens, so the old credential stays for it.
    expect(
      await t.db.selectFrom("credentials").select("id").where("id", "=", before.credential_id!).executeTakeFirst(),
    ).toBeDefined();
  });

  it(
    "refuses another Zoom account while one is connected (connection_exists), and revokes the tokens it will not " +
      "keep",
    async () => {
      const revokes = await t.zoom.running.calls("POST /oauth/revoke");
      const { response } = await link(t, admin, "zU_taro", { purpose: "org", returnMode: "popup" });
      expect(await messageOf(response)).toMatchObject({ status: "error", error: { code: "connection_exists" } });
      expect(await t.zoom.running.calls("POST /oauth/revoke")).toBe(revokes + 1);
      expect(await t.db.selectFrom("connections").select("external_id").execute()).toEqual([
        { external_id: "zAcSakura0001" },
      ]);
    },
  );
});

describe("a personal link when the organisation connection goes mid-flow", () => {
  it("ends in org_connection_missing, keeps nothing and revokes the new grant", async () => {
    const pending = await consent(t, recruiter, "zU_sho");
    const disconnected = await t.api(admin, "DELETE", "/v1/connections/zoom");
    expect(disconnected.status).toBe(200);
    const revokes = await t.zoom.running.calls("POST /oauth/revoke");
    const response = await callback(t, pending.location, pending.cookie);
    expect(await messageOf(response)).toMatchObject({ status: "error", error: { code: "org_connection_missing" } });
    expect(await t.zoom.running.calls("POST /oauth/revoke")).toBe(revokes + 1);
    expect(await t.db.selectFrom("accounts").select("id").where("user_id", "=", "ken").execute()).toEqual([]);
  });
});
