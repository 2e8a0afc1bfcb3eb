/**
 * The Zoom link adapter through the whole round trip: the real app, the real
 * Zoom fake (consent page, token rules), and the database of this project.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RefreshFunction } from "../../../src/accounts/refresh.ts";
import { createZoomLinkAdapter, zoomAuthorizeRefusal } from "../../../src/oauth/adapters/zoom.ts";
import { defaultHttpDeps } from "../../../src/providers/http.ts";
import { zoomScopes } from "../../../src/providers/zoom.ts";
import { walkConsent } from "../../providers/zoom-support.ts";
import {
  accountOwner,
  accountRow,
  expectLinked,
  linkZoom,
  storedTokens,
  type ZoomSlackApp,
} from "./zoom-slack-links.ts";
import { beginLink } from "../../support/round-trip.ts";
import { type Caller, createTestApp } from "../../support/test-app.ts";

let t: ZoomSlackApp;
const hanako: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const ken: Caller = { sub: "ken", org: "sakura", role: "recruiter" };
const ai: Caller = { sub: "ai", org: "sakura", role: "recruiter" };
const daisuke: Caller = { sub: "daisuke", org: "sakura", role: "assistant" };
const yui: Caller = { sub: "yui", org: "sakura", role: "recruiter" };
/** The admin of another organisation on the same host, who tries to connect with a Zoom member. */
const kaedeAdmin: Caller = { sub: "misaki", org: "kaede", role: "admin" };
const sakuraZoomAccount = "zAcSakura0001";

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"] });
});
afterAll(async () => {
  await t.close();
});

const connectionOf = (org: string) =>
  t.db
    .selectFrom("connections")
    .selectAll()
    .where("org_id", "=", org)
    .where("provider", "=", "zoom")
    .executeTakeFirst();
const accountsOf = (caller: Caller) =>
  t.db
    .selectFrom("accounts")
    .selectAll()
    .where("org_id", "=", caller.org)
    .where("user_id", "=", caller.sub)
    .orderBy("created_at")
    .execute();
const zoomCalls = (key: string) => t.zoom.running.calls(key);

describe("organisation connection (admin-managed app)", () => {
  it(
    "connects the Zoom account when its owner installs the app, and makes the owner's Zoom user their personal " +
      "account on the same tokens",
    async () => {
      const { providerUrl, outcome } = await linkZoom(t, hanako, "org", "zU_hanako");
      expect(providerUrl.searchParams.get("scope")?.split(" ")).toEqual([...zoomScopes.admin]);
      expectLinked(outcome);

      const connection = await connectionOf("sakura");
      expect(connection).toMatchObject({
        id: outcome.connectionId,
        external_id: sakuraZoomAccount,
        display_name: "Sakura Recruit Inc.",
        status: "active",
        connected_by: "hanako",
      });
      expect(JSON.parse(connection?.detail ?? "{}")).toEqual({
        accountId: sakuraZoomAccount,
        installedBy: "hanako.yamada@sakura-recruit.example",
      });
      const own = await accountRow(t, String(outcome.accountId));
      expect(own).toMatchObject({
        user_id: "hanako",
        external_user_id: "zU_hanako",
        external_account_id: sakuraZoomAccount,
        email: "hanako.yamada@sakura-recruit.example",
        display_name: "Hanako Yamada",
        is_default: 1,
        status: "active",
      });
      expect(JSON.parse(own.detail ?? "{}")).toMatchObject({ userType: 2, roleName: "Owner" });
      expect(own.credential_id).toBe(connection?.credential_id);

      // The grant is the account-wide one: it lists every user of the Zoom account (host picking needs that).
      const tokens = await storedTokens(t, own);
      expect(tokens.scopes).toContain("user:read:list_users:admin");
      const users = await t.zoom.client.api(tokens.accessToken).listUsers();
      expect(users.map((user) => user.id)).toEqual(expect.arrayContaining(["zU_ken", "zU_recruiting"]));
    },
  );

  it("connects nothing when a Zoom member tries to install the app", async () => {
    const { outcome } = await linkZoom(t, kaedeAdmin, "org", "zU_misaki");
    expect(outcome.status).toBe("error");
    expect(await connectionOf("kaede")).toBeUndefined();
    expect(await zoomCalls("POST /oauth/token")).toBe(1);
  });

  // Engine 1: the engine answers every access_denied as consent_denied before asking the adapter.
  it("tells the admin to ask their Zoom account owner or admin (zoom_admin_required)", async () => {
    const { outcome } = await linkZoom(t, kaedeAdmin, "org", "zU_misaki");
    expect(outcome.error).toEqual({
      code: "zoom_admin_required",
      message: expect.stringMatching(/^Ask your Zoom account owner or admin to connect Zoom/),
    });
  });
});

describe("personal accounts (user-managed app)", () => {
  it("links two Zoom users of the organisation's account for one person; the first stays the default", async () => {
    const first = await linkZoom(t, ken, "personal", "zU_ken");
    expect(first.providerUrl.searchParams.get("scope")?.split(" ")).toEqual([...zoomScopes.user]);
    expectLinked(first.outcome);
    expectLinked((await linkZoom(t, ken, "personal", "zU_james")).outcome);

    const listed = (await (await t.api(ken, "GET", "/v1/accounts")).json()) as {
      accounts: Array<Record<string, unknown>>;
    };
    expect(
      listed.accounts.map((account) => [
        account.externalUserId,
        account.externalAccountId,
        account.status,
        account.isDefault,
      ]),
    ).toEqual([
      ["zU_ken", sakuraZoomAccount, "active", true],
      ["zU_james", sakuraZoomAccount, "active", false],
    ]);
    // Each works at Zoom with its own grant: the user-managed scopes reach the person's own user.
    for (const row of await accountsOf(ken)) {
      const tokens = await storedTokens(t, row);
      expect(tokens.scopes).not.toContain("user:read:list_users:admin");
      await expect(t.zoom.client.api(tokens.accessToken).me()).resolves.toMatchObject({ id: row.external_user_id });
    }
  });

  it("links the shared recruiting Zoom user for two people, both active", async () => {
    expectLinked((await linkZoom(t, ai, "personal", "zU_recruiting")).outcome);
    expectLinked((await linkZoom(t, daisuke, "personal", "zU_recruiting")).outcome);
    const rows = [...(await accountsOf(ai)), ...(await accountsOf(daisuke))];
    expect(rows.map((row) => [row.user_id, row.external_user_id, row.status])).toEqual([
      ["ai", "zU_recruiting", "active"],
      ["daisuke", "zU_recruiting", "active"],
    ]);
  });

  // Engine 3: Zoom ended ai's grant when daisuke authorised the same Zoom user; today ai's account keeps the dead
  // tokens.
  it(
    "keeps both people's accounts of the shared Zoom user " + "working on the newest tokens, refreshed once for both",
    async () => {
      const [aiAccount] = await accountsOf(ai);
      const [daisukeAccount] = await accountsOf(daisuke);
      if (!aiAccount || !daisukeAccount) throw new Error("the shared Zoom user is not linked");
      for (const row of [aiAccount, daisukeAccount]) {
        await expect(t.zoom.client.api((await storedTokens(t, row)).accessToken).me()).resolves.toMatchObject({
          id: "zU_recruiting",
        });
      }
      // An hour on, both need a refresh: one token call serves both, and both stay active. The Zoom adapter reads
      // the server's clock, as main.ts wires it (the harness's adapters keep the fake's, which was not moved).
      t.clock.advance(3600);
      const refreshes = await zoomCalls("POST /oauth/token");
      const settings = t.providers.zoom;
      if (!settings) throw new Error("the Zoom fake is not started");
      const zoom = createZoomLinkAdapter(settings, defaultHttpDeps(t.clock));
      const refresh: RefreshFunction = (current) => zoom.refresh(current);
      const [forAi, forDaisuke] = await Promise.all([
        t.refresher.getFreshAccessToken(accountOwner(aiAccount), refresh),
        t.refresher.getFreshAccessToken(accountOwner(daisukeAccount), refresh),
      ]);
      expect(forAi.accessToken).toBe(forDaisuke.accessToken);
      expect(await zoomCalls("POST /oauth/token")).toBe(refreshes + 1);
      expect([(await accountRow(t, aiAccount.id)).status, (await accountRow(t, daisukeAccount.id)).status]).toEqual([
        "active",
        "active",
      ]);
    },
  );

  it("refuses a Zoom user of another company's account (zoom_foreign_account) and ends the grant it gave", async () => {
    const revokes = await zoomCalls("POST /oauth/revoke");
    const { outcome } = await linkZoom(t, ken, "personal", "zU_taro");
    expect(outcome.error?.code).toBe("zoom_foreign_account");
    expect(outcome.error?.message).toMatch(
      /^This Zoom user belongs to another Zoom account than the one your organisation connected\. /,
    );
    expect(outcome.error?.message).toMatch(
      /\(taro\.toyama@other-company\.example; your organisation's: Sakura Recruit Inc.\)$/,
    );
    expect(await zoomCalls("POST /oauth/revoke")).toBe(revokes + 1);
    expect((await accountsOf(ken)).map((row) => row.external_user_id)).toEqual(["zU_ken", "zU_james"]);
  });

  it("links nothing for a person their Zoom account has not pre-approved the app for", async () => {
    const { outcome } = await linkZoom(t, yui, "personal", "zU_yui");
    expect(outcome.status).toBe("error");
    expect(await accountsOf(yui)).toEqual([]);
  });

  // Engine 1, as above.
  it("tells them to ask their Zoom admin to pre-approve the app (zoom_preapproval_required)", async () => {
    const { outcome } = await linkZoom(t, yui, "personal", "zU_yui");
    expect(outcome.error).toEqual({
      code: "zoom_preapproval_required",
      message: expect.stringMatching(/^Ask your Zoom admin to pre-approve Tsunagu/),
    });
  });
});

describe("reading Zoom's refusals at authorize", () => {
  /** Where the Zoom fake sends the browser back for `zoomUserId`, on the authorize URL our adapter builds for
   * `purpose`. */
  async function zoomAnswer(
    caller: Caller,
    purpose: "org" | "personal",
    zoomUserId: string,
    decision: "allow" | "deny" = "allow",
  ): Promise<URLSearchParams> {
    const begun = await beginLink(t, caller, "zoom", purpose);
    return (await walkConsent(t.zoom, { url: begun.providerUrl, account: zoomUserId, decision })).location.searchParams;
  }

  it("reads a member's refused install as zoom_admin_required, and only for the organisation purpose", async () => {
    const answer = await zoomAnswer(kaedeAdmin, "org", "zU_sho");
    expect(answer.get("error")).toBe("access_denied");
    expect(zoomAuthorizeRefusal("org", answer)).toMatchObject({
      code: "zoom_admin_required",
      message: expect.stringMatching(/^Ask your Zoom account owner or admin/),
    });
    expect(zoomAuthorizeRefusal("personal", answer)).toBeUndefined();
  });

  it("reads a refusal for want of pre-approval as zoom_preapproval_required", async () => {
    const answer = await zoomAnswer(yui, "personal", "zU_yui");
    expect(answer.get("error")).toBe("access_denied");
    expect(zoomAuthorizeRefusal("personal", answer)).toMatchObject({
      code: "zoom_preapproval_required",
      message: expect.stringMatching(/^Ask your Zoom admin to pre-approve Tsunagu/),
    });
  });

  it("leaves a plain Deny to the engine (consent_denied)", async () => {
    const answer = await zoomAnswer(ken, "personal", "zU_ken", "deny");
    expect(answer.get("error")).toBe("access_denied");
    expect(zoomAuthorizeRefusal("personal", answer)).toBeUndefined();
    expect(zoomAuthorizeRefusal("org", answer)).toBeUndefined();
  });
});
