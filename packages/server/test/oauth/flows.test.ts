import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/oauth/crypto.ts";
import { recordCaller } from "../../src/store/tenancy.ts";
import { walkConsent } from "../providers/zoom-support.ts";
import { begin, callback, consent, link, startAndBegin, startFlow } from "./zoom-links.ts";
import {
  type Caller,
  createTestApp,
  originA,
  originB,
  otherOriginA,
  publicUrl,
  type TestApp,
} from "../support/test-app.ts";
import { withHostRemoved } from "../support/hosts.ts";
import { errorCodeOnPage, postedMessage } from "../support/round-trip.ts";

let t: TestApp<"zoom">;
const admin: Caller = { sub: "hanako", org: "sakura", role: "admin", email: "hanako.yamada@sakura-recruit.example" };
const recruiter: Caller = { sub: "ken", org: "sakura", role: "recruiter", email: "ken.sato@sakura-recruit.example" };

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom"] });
  // The organisation connection every personal link below needs.
  const { response } = await link(t, admin, "zU_hanako", { purpose: "org", returnMode: "popup" });
  expect(response.status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

const flowRow = (id: string) =>
  t.db.selectFrom("oauth_flows").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

async function expectApiError(response: Response, status: number, code: string) {
  expect({ status: response.status, body: await response.json() }).toMatchObject({ status, body: { error: { code } } });
}

describe("POST /v1/oauth/:provider/start", () => {
  it(
    "records the flow for the caller and the embedding origin, and answers a one-time URL on this server with a " +
      "begin secret",
    async () => {
      const response = await t.api(
        recruiter,
        "POST",
        "/v1/oauth/zoom/start",
        { purpose: "personal", returnMode: "popup" },
        { origin: otherOriginA },
      );
      expect(response.status).toBe(201);
      const body = (await response.json()) as { flow: string; url: string; beginSecret: string; expiresAt: string };
      expect(body.url).toBe(`${publicUrl}/oauth/zoom/begin?flow=${body.flow}`);
      expect(Date.parse(body.expiresAt) - t.clock.now().getTime()).toBe(10 * 60_000);
      const row = await flowRow(body.flow);
      expect(row).toMatchObject({
        host_id: "portal-a",
        org_id: "sakura",
        user_id: "ken",
        provider: "zoom",
        purpose: "personal",
        embed_origin: otherOriginA,
        return_mode: "popup",
        status: "created",
      });
      // The begin secret goes to the calling script only: the database keeps its hash.
      expect(body.beginSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(row.begin_hash).toBe(sha256(body.beginSecret));
      expect(JSON.stringify(row)).not.toContain(body.beginSecret);
    },
  );

  it("refuses the organisation purpose to anyone but an admin", async () => {
    await expectApiError(
      await t.api(recruiter, "POST", "/v1/oauth/zoom/start", { purpose: "org", returnMode: "popup" }),
      403,
      "admin_required",
    );
  });

  it("needs the Origin header of one of the host's registered origins", async () => {
    await expectApiError(
      await t.api(
        recruiter,
        "POST",
        "/v1/oauth/zoom/start",
        { purpose: "personal", returnMode: "popup" },
        { origin: null },
      ),
      403,
      "origin_not_allowed",
    );
    await expectApiError(
      await t.api(
        recruiter,
        "POST",
        "/v1/oauth/zoom/start",
        { purpose: "personal", returnMode: "popup" },
        { origin: "https://portal-b.example" },
      ),
      403,
      "origin_not_allowed",
    );
  });

  it("needs a return URL on the host's origins in redirect mode", async () => {
    const start = (returnUrl?: string) =>
      t.api(recruiter, "POST", "/v1/oauth/zoom/start", { purpose: "personal", returnMode: "redirect", returnUrl });
    await expectApiError(await start(), 400, "return_url_invalid");
    await expectApiError(await start("https://evil.example/settings"), 400, "return_url_invalid");
    await expectApiError(await start("javascript:alert(1)"), 400, "return_url_invalid");
    expect((await start(`${otherOriginA}/settings/integrations`)).status).toBe(201);
  });

  it("refuses unknown providers, purposes the provider lacks, and malformed bodies", async () => {
    await expectApiError(
      await t.api(recruiter, "POST", "/v1/oauth/google/start", { purpose: "personal", returnMode: "popup" }),
      404,
      "provider_unavailable",
    );
    await expectApiError(
      await t.api(recruiter, "POST", "/v1/oauth/zoom/start", { purpose: "signin", returnMode: "popup" }),
      400,
      "purpose_unsupported",
    );
    await expectApiError(
      await t.api(recruiter, "POST", "/v1/oauth/zoom/start", { purpose: "personal", returnMode: "tab" }),
      400,
      "invalid_body",
    );
    await expectApiError(
      await t.app.request("/v1/oauth/zoom/start", { method: "POST", headers: { Origin: originA } }),
      401,
      "token_missing",
    );
  });

  it("refuses a personal link while the organisation has no connection for the provider", async () => {
    await expectApiError(
      await t.api({ sub: "yui", org: "no-zoom-yet", role: "recruiter" }, "POST", "/v1/oauth/zoom/start", {
        purpose: "personal",
        returnMode: "popup",
      }),
      409,
      "org_connection_missing",
    );
  });
});

describe("POST /oauth/:provider/begin", () => {
  it(
    "binds the browser with an HttpOnly SameSite=Lax cookie and sends it to the provider with one-time state and " +
      "PKCE S256",
    async () => {
      const started = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" });
      const response = await begin(t, started);
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get("location") ?? "");
      expect(location.origin).toBe(t.zoom.running.baseUrl);
      expect(location.searchParams.get("redirect_uri")).toBe(`${publicUrl}/oauth/zoom/callback`);
      expect(location.searchParams.get("code_challenge_method")).toBe("S256");
      const state = location.searchParams.get("state") ?? "";
      expect(state.length).toBeGreaterThanOrEqual(43);

      const setCookie = response.headers.get("set-cookie") ?? "";
      expect(setCookie).toMatch(
        new RegExp(
          `^tsunagu_oauth_${started.flow}=[A-Za-z0-9_-]{43}; Max-Age=600; Path=/oauth/zoom/; HttpOnly; SameSite=Lax$`,
        ),
      );
      const cookieValue = setCookie.split(";")[0]!.split("=")[1]!;

      const row = await flowRow(started.flow);
      expect(row.status).toBe("started");
      expect(row.state_hash).toBe(sha256(state));
      expect(row.browser_hash).toBe(sha256(cookieValue));
      // The verifier is sealed: it is neither stored in clear nor the challenge's preimage in clear.
      expect(row.code_verifier_sealed).toMatch(/^v1\.test\./);
      expect(JSON.stringify(row)).not.toContain(state);
      expect(JSON.stringify(row)).not.toContain(cookieValue);
    },
  );

  it(
    "answers a GET of the begin URL (a clicked link) with a " + "page saying where linking starts, creating no state",
    async () => {
      const started = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" });
      const response = await t.app.request(new URL(started.url).pathname + new URL(started.url).search, {
        headers: { Cookie: "unrelated=1" },
      });
      expect(response.status).toBe(400);
      expect(response.headers.get("set-cookie")).toBeNull();
      const html = await response.text();
      expect(errorCodeOnPage(html)).toBe("begin_not_from_portal");
      expect(postedMessage(html)).toBeUndefined();
      expect(await flowRow(started.flow)).toMatchObject({
        status: "created",
        state_hash: null,
        browser_hash: null,
        code_verifier_sealed: null,
      });
      // The page that started the flow can still begin it.
      expect((await begin(t, started)).status).toBe(303);
    },
  );

  it(
    "refuses the right secret sent from any origin but the " + "recorded one, or with no Origin, and changes nothing",
    async () => {
      const started = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" });
      // Another site; another origin of the same host; another host's; an opaque origin; none (a navigation carries
      // none).
      for (const origin of ["https://evil.example", otherOriginA, originB, "null", null]) {
        const response = await begin(t, started, { origin });
        expect(response.status, String(origin)).toBe(400);
        expect(response.headers.get("set-cookie")).toBeNull();
        expect(errorCodeOnPage(await response.text())).toBe("begin_not_from_portal");
      }
      expect(await flowRow(started.flow)).toMatchObject({ status: "created", state_hash: null });
      expect((await begin(t, started)).status).toBe(303);
    },
  );

  it("refuses a begin without the secret or with a wrong one, from the right origin", async () => {
    const started = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" });
    const other = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" });
    for (const secret of [null, "", "x".repeat(43), other.beginSecret]) {
      const response = await begin(t, started, { secret });
      expect(response.status, String(secret)).toBe(400);
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(errorCodeOnPage(await response.text())).toBe("begin_secret_invalid");
    }
    expect(await flowRow(started.flow)).toMatchObject({ status: "created", state_hash: null });
    expect((await begin(t, started)).status).toBe(303);
  });

  it("begins from the origin the flow was started from, when the host has several", async () => {
    const started = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" }, otherOriginA);
    expect((await begin(t, started, { origin: originA })).status).toBe(400);
    expect((await begin(t, started)).status).toBe(303);
  });

  it("works once: a second begin, even with the secret, is flow_used", async () => {
    const started = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" });
    expect((await begin(t, started)).status).toBe(303);
    const again = await begin(t, started);
    expect(again.status).toBe(400);
    expect(errorCodeOnPage(await again.text())).toBe("flow_used");
  });

  it("answers flow_unknown for a made-up flow or another provider's path", async () => {
    const started = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" });
    for (const url of [
      `${publicUrl}/oauth/zoom/begin?flow=nope`,
      `${publicUrl}/oauth/zoom/begin`,
      started.url.replace("/oauth/zoom/", "/oauth/slack/"),
    ]) {
      const response = await begin(t, { ...started, url });
      expect(response.status).toBe(400);
      expect(errorCodeOnPage(await response.text())).toBe("flow_unknown");
    }
  });

  it("answers flow_expired to the opener once the ten minutes are over", async () => {
    const started = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" });
    t.clock.advance(10 * 60);
    const response = await begin(t, started);
    expect(response.status).toBe(400);
    expect(postedMessage(await response.text())).toMatchObject({
      origin: originA,
      message: { status: "error", error: { code: "flow_expired" } },
    });
  });
});

describe("GET /oauth/:provider/callback", () => {
  it("links the account and posts the outcome to the exact recorded origin from a CSP-nonced page", async () => {
    const { response, flow } = await link(t, recruiter, "zU_ken");
    expect(response.status).toBe(200);
    const html = await response.text();
    const posted = postedMessage(html);
    expect(posted?.origin).toBe(originA);
    expect(posted?.message).toMatchObject({
      type: "tsunagu:oauth",
      flow,
      status: "linked",
      provider: "zoom",
      purpose: "personal",
    });
    expect(html).toContain("window.opener.postMessage(message, origin)");
    expect(html).not.toContain('"*"');
    // The test tokens say `locale: "ja"`: the page speaks Japanese (test/oauth/outcome-pages.test.ts has English).
    expect(html).toContain("アカウントの連携が完了しました。このウィンドウは閉じて構いません。");
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
    expect(response.headers.get("content-security-policy")).toContain(`script-src 'nonce-${nonce}'`);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("set-cookie")).toMatch(
      new RegExp(`^tsunagu_oauth_${flow}=; Max-Age=0; Path=/oauth/zoom/`),
    );

    const account = await t.db
      .selectFrom("accounts")
      .selectAll()
      .where("id", "=", String(posted?.message.accountId))
      .executeTakeFirstOrThrow();
    expect(account).toMatchObject({
      host_id: "portal-a",
      org_id: "sakura",
      user_id: "ken",
      provider: "zoom",
      external_user_id: "zU_ken",
      external_account_id: "zAcSakura0001",
      status: "active",
    });
    expect(await flowRow(flow)).toMatchObject({ status: "done", result_id: account.id, code_verifier_sealed: null });
    const status = await t.api(recruiter, "GET", `/v1/oauth/flows/${flow}`);
    expect(await status.json()).toMatchObject({ flow, status: "linked", accountId: account.id });
  });

  it("redirects back to the recorded return URL in redirect mode", async () => {
    const { response, flow } = await link(t, recruiter, "zU_recruiting", {
      purpose: "personal",
      returnMode: "redirect",
      returnUrl: `${otherOriginA}/settings?tab=integrations#top`,
    });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get("location") ?? "");
    expect(back.origin + back.pathname).toBe(`${otherOriginA}/settings`);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({ tab: "integrations", tsunagu_oauth: "linked", flow });
    expect(back.searchParams.get("account")).toMatch(/^[0-9a-f-]{36}$/);
    expect(back.hash).toBe("");
  });

  it("refuses a replayed callback with state_replayed, posting nothing", async () => {
    const { location, cookie } = await link(t, { sub: "misaki", org: "sakura", role: "recruiter" }, "zU_misaki");
    const replay = await callback(t, location, cookie);
    expect(replay.status).toBe(400);
    const html = await replay.text();
    expect(errorCodeOnPage(html)).toBe("state_replayed");
    expect(postedMessage(html)).toBeUndefined();
  });

  it("refuses a HEAD of the callback without spending its state: the browser's GET then links", async () => {
    const { location, cookie } = await consent(t, { sub: "kaito", org: "sakura", role: "recruiter" }, "zU_recruiting");
    const url = new URL(location);
    const head = await t.app.request(url.pathname + url.search, { method: "HEAD", headers: { Cookie: cookie } });
    expect(head.status).toBe(405);
    expect(head.headers.get("allow")).toBe("GET");
    const linked = await callback(t, location, cookie);
    expect(postedMessage(await linked.text())?.message.status).toBe("linked");
  });

  it("lets only one of two simultaneous callbacks with the same state through", async () => {
    const { location, cookie } = await consent(t, { sub: "ai", org: "sakura", role: "recruiter" }, "zU_recruiting");
    const answers = await Promise.all([callback(t, location, cookie), callback(t, location, cookie)]);
    const codes = await Promise.all(
      answers.map(
        async (answer) =>
          postedMessage(await answer.clone().text())?.message.status ?? errorCodeOnPage(await answer.text()),
      ),
    );
    expect(codes.sort()).toEqual(["linked", "state_replayed"]);
  });

  it("refuses a different browser finishing the flow, and the state is spent", async () => {
    const { location, cookie, flow } = await consent(t, { sub: "sho", org: "sakura", role: "recruiter" }, "zU_sho");
    for (const otherBrowser of [undefined, `tsunagu_oauth_${flow}=${"x".repeat(43)}`]) {
      const response = await callback(t, location, otherBrowser);
      const html = await response.text();
      expect(response.status).toBe(400);
      expect(postedMessage(html)).toBeUndefined();
      expect(errorCodeOnPage(html)).toBe(otherBrowser ? "state_replayed" : "flow_browser_mismatch");
    }
    expect(await flowRow(flow)).toMatchObject({ status: "failed", error_code: "flow_browser_mismatch" });
    expect(errorCodeOnPage(await (await callback(t, location, cookie)).text())).toBe("state_replayed");
  });

  it("refuses an unknown state, and a state presented on another provider's callback (mix-up)", async () => {
    const { location, cookie } = await consent(t, { sub: "emily", org: "sakura", role: "recruiter" }, "zU_emily");
    const forged = new URL(location);
    forged.searchParams.set("state", "not-a-state");
    const mixedUp = new URL(location);
    mixedUp.pathname = "/oauth/slack/callback";
    for (const url of [forged, mixedUp, new URL(`${publicUrl}/oauth/zoom/callback?code=abc`)]) {
      const response = await callback(t, url, cookie);
      expect(response.status).toBe(400);
      expect(errorCodeOnPage(await response.text())).toBe("state_invalid");
    }
    // The genuine callback still works afterwards: failed guesses spend nothing.
    expect((await callback(t, location, cookie)).status).toBe(200);
  });

  it("answers state_expired when the provider comes back after the ten minutes", async () => {
    const { location, cookie } = await consent(t, { sub: "james", org: "sakura", role: "recruiter" }, "zU_james");
    t.clock.advance(10 * 60 + 1);
    const response = await callback(t, location, cookie);
    expect(postedMessage(await response.text())).toMatchObject({
      origin: originA,
      message: { status: "error", error: { code: "state_expired" } },
    });
  });

  it(
    "refuses an organisation connection with admin_required when the admin who began it was demoted meanwhile, " +
      "exchanging nothing",
    async () => {
      const kaedeAdmin: Caller = { sub: "hanako", org: "kaede", role: "admin", email: "hanako@kaede.example" };
      const connections = () =>
        t.db
          .selectFrom("connections")
          .select("id")
          .where("org_id", "=", "kaede")
          .where("provider", "=", "zoom")
          .execute();
      const consented = await consent(t, kaedeAdmin, "zU_hanako", { purpose: "org", returnMode: "popup" });
      // Within the flow's ten minutes the portal makes her a recruiter, and her next token says so.
      expect((await t.api({ ...kaedeAdmin, role: "recruiter" }, "GET", "/v1/me")).status).toBe(200);
      const exchanges = await t.zoom.running.calls("POST /oauth/token");
      const response = await callback(t, consented.location, consented.cookie);
      expect(postedMessage(await response.text())).toMatchObject({
        origin: originA,
        message: { status: "error", flow: consented.flow, error: { code: "admin_required" } },
      });
      expect(await t.zoom.running.calls("POST /oauth/token")).toBe(exchanges);
      expect(await connections()).toEqual([]);
      expect(await flowRow(consented.flow)).toMatchObject({ status: "failed", error_code: "admin_required" });

      // An admin again (the latest token the server saw says so): the connection goes through.
      expect((await t.api(kaedeAdmin, "GET", "/v1/me")).status).toBe(200);
      const { response: again } = await link(t, kaedeAdmin, "zU_hanako", { purpose: "org", returnMode: "popup" });
      expect(postedMessage(await again.text())?.message).toMatchObject({ status: "linked" });
      expect(await connections()).toHaveLength(1);
    },
  );

  /** What another server process on the database records on first sight of a token of `caller` issued at `iat`. */
  const seenElsewhere = (caller: Caller, iat: number) =>
    recordCaller(
      t.db,
      { iss: "portal-a", org: caller.org, sub: caller.sub, email: caller.email ?? "", role: caller.role, iat },
      t.clock,
    );
  const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);

  it(
    "refuses the demoted admin although another process then sees the page's token from before the demotion " +
      "(valid for its hour)",
    async () => {
      const sumireAdmin: Caller = { sub: "sumire", org: "sumire-org", role: "admin", email: "sumire@sumire.example" };
      const issuedAsAdmin = nowSeconds();
      const consented = await consent(t, sumireAdmin, "zU_hanako", { purpose: "org", returnMode: "popup" });
      t.clock.advance(2);
      // Demoted: her next token says so (seen here). The page that began the flow still holds its admin token and
      // polls the flow's status with it, on whichever process the load balancer picks.
      expect((await t.api({ ...sumireAdmin, role: "recruiter" }, "GET", "/v1/me")).status).toBe(200);
      await seenElsewhere(sumireAdmin, issuedAsAdmin);
      const response = await callback(t, consented.location, consented.cookie);
      expect(postedMessage(await response.text())?.message).toMatchObject({
        status: "error",
        error: { code: "admin_required" },
      });
      const connection = await t.db
        .selectFrom("connections")
        .select("id")
        .where("org_id", "=", "sumire-org")
        .executeTakeFirst();
      expect(connection).toBeUndefined();
    },
  );

  it("connects for an admin made a recruiter and an admin again, the recruiter seen by another process", async () => {
    const kikyoAdmin: Caller = { sub: "kikyo", org: "kikyo-org", role: "admin", email: "kikyo@kikyo.example" };
    expect((await t.api(kikyoAdmin, "GET", "/v1/me")).status).toBe(200);
    t.clock.advance(2);
    await seenElsewhere({ ...kikyoAdmin, role: "recruiter" }, nowSeconds());
    t.clock.advance(2);
    // An admin again: this process wrote her admin profile within the minute and skips writing it again.
    const { response } = await link(t, kikyoAdmin, "zU_hanako", { purpose: "org", returnMode: "popup" });
    expect(postedMessage(await response.text())?.message).toMatchObject({ status: "linked" });
  });

  it("logs the code a provider failed the exchange with, and never the authorization code", async () => {
    const consented = await consent(t, { sub: "ai", org: "sakura", role: "recruiter" }, "zU_ken");
    const authorizationCode = consented.location.searchParams.get("code") ?? "";
    expect(authorizationCode).not.toBe("");
    await t.zoom.running.control("/fail", { count: 1, status: 401, path: "/oauth/token" });
    const html = await (await callback(t, consented.location, consented.cookie)).text();
    expect(postedMessage(html)?.message).toMatchObject({
      status: "error",
      error: { code: "provider_error", message: expect.stringContaining("zoom: invalid_client") },
    });
    const failed = t.logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.message === "oauth completion failed at the provider");
    expect(failed.at(-1)).toMatchObject({
      level: "warn",
      provider: "zoom",
      flow: consented.flow,
      status: 401,
      code: "invalid_client",
    });
    expect(t.logLines.join("\n")).not.toContain(authorizationCode);
  });

  it("answers consent_denied when the person clicks Deny, and provider_error for other provider errors", async () => {
    const denied = await consent(t, { sub: "ai", org: "sakura", role: "recruiter" }, "zU_ken", undefined, "deny");
    expect(denied.location.searchParams.get("error")).toBe("access_denied");
    const response = await callback(t, denied.location, denied.cookie);
    expect(postedMessage(await response.text())?.message).toMatchObject({
      status: "error",
      error: { code: "consent_denied" },
    });
    // The request line says only 400: the refusal's code is logged too.
    const refused = t.logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.message === "oauth flow refused");
    expect(refused.at(-1)).toMatchObject({
      level: "info",
      provider: "zoom",
      purpose: "personal",
      flow: denied.flow,
      refusal: "consent_denied",
    });

    const failed = await startAndBegin(t, { sub: "ai", org: "sakura", role: "recruiter" });
    const url = new URL(`${publicUrl}/oauth/zoom/callback`);
    url.searchParams.set("state", failed.authorizeUrl.searchParams.get("state") ?? "");
    url.searchParams.set("error", "server_error<script>");
    const html = await (await callback(t, url, failed.cookie)).text();
    expect(postedMessage(html)?.message).toMatchObject({ status: "error", error: { code: "provider_error" } });
    expect(html).not.toContain("<script>alert");
    expect(html).not.toMatch(/server_error<script>/);
  });

  it("answers code_invalid for a provider code used before (the adapter's refusal)", async () => {
    const first = await link(t, { sub: "daisuke", org: "sakura", role: "assistant" }, "zU_emily");
    expect(first.response.status).toBe(200);
    const second = await startAndBegin(t, { sub: "daisuke", org: "sakura", role: "assistant" });
    const reused = new URL(first.location);
    reused.searchParams.set("state", second.authorizeUrl.searchParams.get("state") ?? "");
    const html = await (await callback(t, reused, second.cookie)).text();
    expect(postedMessage(html)?.message).toMatchObject({
      flow: second.flow,
      status: "error",
      error: { code: "code_invalid" },
    });
  });

  it(
    "passes an adapter's guard refusal through with its own " + "code, and says the same account is already linked",
    async () => {
      const foreign = await link(t, { sub: "ren", org: "sakura", role: "recruiter" }, "zU_taro");
      expect(postedMessage(await foreign.response.text())?.message).toMatchObject({
        status: "error",
        error: { code: "zoom_foreign_account" },
      });
      expect(await t.db.selectFrom("accounts").select("id").where("user_id", "=", "ren").execute()).toEqual([]);

      const again = await link(t, recruiter, "zU_ken");
      expect(postedMessage(await again.response.text())?.message).toMatchObject({
        status: "error",
        error: { code: "account_already_linked" },
      });
      const kens = await t.db
        .selectFrom("accounts")
        .select(["external_user_id", "status"])
        .where("user_id", "=", "ken")
        .where("external_user_id", "=", "zU_ken")
        .execute();
      expect(kens).toEqual([{ external_user_id: "zU_ken", status: "active" }]);
    },
  );

  it("redirects a refusal back in redirect mode with its code", async () => {
    const denied = await consent(
      t,
      recruiter,
      "zU_ken",
      { purpose: "personal", returnMode: "redirect", returnUrl: `${originA}/settings` },
      "deny",
    );
    const response = await callback(t, denied.location, denied.cookie);
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get("location") ?? "");
    expect(Object.fromEntries(back.searchParams)).toEqual({
      tsunagu_oauth: "error",
      flow: denied.flow,
      code: "consent_denied",
    });
  });

  it(
    "ends in provider_error when the provider fails mid-way, and in internal_error for our own failures, never " +
      "showing a stack",
    async () => {
      await t.zoom.running.control("/fail", { status: 500, count: 5, path: "/v2/users/me" });
      const failing = await link(t, { sub: "yui", org: "sakura", role: "recruiter" }, "zU_sho");
      const failingHtml = await failing.response.text();
      expect(postedMessage(failingHtml)?.message).toMatchObject({ status: "error", error: { code: "provider_error" } });
      await t.zoom.running.control("/reset");

      const broken = await consent(t, { sub: "yui", org: "sakura", role: "recruiter" }, "zU_sho");
      // A damaged row: the sealed verifier no longer opens.
      await t.db
        .updateTable("oauth_flows")
        .set({ code_verifier_sealed: "v1.test.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA" })
        .where("id", "=", broken.flow)
        .execute();
      const html = await (await callback(t, broken.location, broken.cookie)).text();
      expect(postedMessage(html)?.message).toMatchObject({ status: "error", error: { code: "internal_error" } });
      for (const page of [failingHtml, html]) {
        expect(page).not.toMatch(/\n\s+at /);
        expect(page).not.toMatch(/VaultError|ProviderError|\.ts:\d+/);
      }
    },
  );
});

describe("GET /v1/oauth/flows/:flow", () => {
  it("shows a flow only to the user who started it", async () => {
    const started = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" });
    expect(await (await t.api(recruiter, "GET", `/v1/oauth/flows/${started.flow}`)).json()).toMatchObject({
      flow: started.flow,
      status: "created",
    });
    await expectApiError(
      await t.api({ sub: "misaki", org: "sakura", role: "recruiter" }, "GET", `/v1/oauth/flows/${started.flow}`),
      404,
      "flow_unknown",
    );
    await expectApiError(
      await t.api({ ...recruiter, org: "other" }, "GET", `/v1/oauth/flows/${started.flow}`),
      404,
      "flow_unknown",
    );
  });

  it("explains a failed flow with its code and message", async () => {
    const denied = await consent(t, recruiter, "zU_ken", undefined, "deny");
    await callback(t, denied.location, denied.cookie);
    const body = await (await t.api(recruiter, "GET", `/v1/oauth/flows/${denied.flow}`)).json();
    expect(body).toMatchObject({
      status: "error",
      error: { code: "consent_denied", message: expect.stringContaining("Allow") },
    });
  });

  it(
    "reports a flow begun but never finished as expired once " + "its ten minutes are over, in the shape of a failure",
    async () => {
      const begun = await startAndBegin(t, recruiter);
      t.clock.advance(10 * 60 - 1);
      expect(await (await t.api(recruiter, "GET", `/v1/oauth/flows/${begun.flow}`)).json()).toMatchObject({
        status: "started",
      });
      t.clock.advance(1);
      const body = await (await t.api(recruiter, "GET", `/v1/oauth/flows/${begun.flow}`)).json();
      expect(body).toEqual({
        flow: begun.flow,
        provider: "zoom",
        purpose: "personal",
        status: "expired",
        expiresAt: t.clock.now().toISOString(),
        error: { code: "flow_expired", message: expect.stringContaining("expired") },
      });
    },
  );

  it("reports a flow created but never begun as expired too", async () => {
    const started = await startFlow(t, recruiter, {
      purpose: "personal",
      returnMode: "redirect",
      returnUrl: `${originA}/settings`,
    });
    t.clock.advance(10 * 60);
    expect(await (await t.api(recruiter, "GET", `/v1/oauth/flows/${started.flow}`)).json()).toMatchObject({
      status: "expired",
      error: { code: "flow_expired" },
    });
  });

  it("keeps the outcome of a finished flow after its expiry", async () => {
    const { flow, response } = await link(t, { sub: "sho", org: "sakura", role: "recruiter" }, "zU_sho");
    expect(response.status).toBe(200);
    t.clock.advance(60 * 60);
    expect(
      await (await t.api({ sub: "sho", org: "sakura", role: "recruiter" }, "GET", `/v1/oauth/flows/${flow}`)).json(),
    ).toMatchObject({ status: "linked", accountId: expect.any(String) });
  });
});

describe("walking the consent page", () => {
  it("uses the redirect URI of this provider only", async () => {
    const begun = await startAndBegin(t, recruiter);
    const { location } = await walkConsent(t.zoom, { url: begun.authorizeUrl, account: "zU_ken", decision: "deny" });
    expect(location.origin + location.pathname).toBe(`${publicUrl}/oauth/zoom/callback`);
  });
});

describe("a portal removed from the hosts file", () => {
  it("neither begins nor completes its flow, posting nothing to its origin; registered again, it does", async () => {
    const aoi: Caller = { sub: "aoi", org: "sakura", role: "recruiter" };
    const started = await startFlow(t, aoi, { purpose: "personal", returnMode: "popup" });
    const { location, cookie, flow } = await consent(t, aoi, "zU_james");
    await withHostRemoved(t, "portal-a", async () => {
      const begun = await begin(t, started);
      expect(begun.status).toBe(400);
      expect(errorCodeOnPage(await begun.text())).toBe("flow_unknown");
      const completed = await callback(t, location, cookie);
      expect(completed.status).toBe(400);
      const html = await completed.text();
      expect(errorCodeOnPage(html)).toBe("state_invalid");
      expect(postedMessage(html)).toBeUndefined();
      const linked = await t.db.selectFrom("accounts").select("id").where("user_id", "=", "aoi").execute();
      expect(linked).toEqual([]);
    });
    // Registered again within the ten minutes, the flow completes as it would have.
    const completed = await callback(t, location, cookie);
    expect(postedMessage(await completed.text())?.message).toMatchObject({ flow, status: "linked" });
  });
});
