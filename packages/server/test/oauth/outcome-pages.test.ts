import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plainPage, popupPage } from "../../src/oauth/outcome.ts";
import { type Caller, createTestApp, type TestApp } from "../support/test-app.ts";
import { begin, callback, consent, link, startFlow } from "./zoom-links.ts";

const message = { type: "tsunagu:oauth", flow: "f1", provider: "zoom", purpose: "personal" } as const;
const bodyOf = async (page: { body: unknown }) => String(await page.body);

describe("the popup's pages, in the starter's language", () => {
  it("say in English that the account is linked, with an English document language", async () => {
    const html = await bodyOf(popupPage({ ...message, status: "linked" }, "https://portal-a.example", "en"));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<h1>Linked</h1>");
    expect(html).toContain("The account is linked. You can close this window.");
  });

  it("say it in Japanese for a Japanese starter, sign-ins too", async () => {
    const linked = await bodyOf(popupPage({ ...message, status: "linked" }, "https://portal-a.example", "ja"));
    expect(linked).toContain('<html lang="ja">');
    expect(linked).toContain("<h1>連携しました</h1>");
    expect(linked).toContain("アカウントの連携が完了しました。このウィンドウは閉じて構いません。");
    const signedIn = await bodyOf(popupPage({ ...message, status: "signed_in" }, "https://portal-a.example", "ja"));
    expect(signedIn).toContain("サインインが完了しました。このウィンドウは閉じて構いません。");
  });

  it("say the organisation is connected, not an account linked, for an organisation connection", async () => {
    const org = { ...message, purpose: "org" };
    const connected = await bodyOf(popupPage({ ...org, status: "linked" }, "https://portal-a.example", "en"));
    expect(connected).toContain("<h1>Connected</h1>");
    expect(connected).toContain("The organisation is connected. You can close this window.");
    const refused = await bodyOf(
      popupPage(
        { ...org, status: "error", error: { code: "admin_required", message: "Only an administrator…" } },
        "https://portal-a.example",
        "en",
      ),
    );
    expect(refused).toContain("<h1>Not connected</h1>");
    expect(refused).not.toMatch(/linked/i);
    const ja = await bodyOf(popupPage({ ...org, status: "linked" }, "https://portal-a.example", "ja"));
    expect(ja).toContain("<h1>連携しました</h1>");
    expect(ja).toContain("組織の連携が完了しました。このウィンドウは閉じて構いません。");
    expect(ja).not.toContain("アカウント");
  });

  it(
    "lead a Japanese refusal with Japanese words and mark the " + "server's English message as English, with its code",
    async () => {
      const html = await bodyOf(
        plainPage(
          { code: "state_replayed", message: "This sign-in was already completed." },
          { locale: "ja", returnUrl: "https://portal-a.example/settings" },
        ),
      );
      expect(html).toContain("<h1>連携できませんでした</h1>");
      expect(html).toContain('<p role="status" lang="en">This sign-in was already completed.</p>');
      expect(html).toContain('data-error-code="state_replayed"');
      expect(html).toContain('<a href="https://portal-a.example/settings">戻る</a>');
    },
  );

  it("escape whatever a message or link carries, and keep the script's JSON inert", async () => {
    const hostile = "</p><script>alert(1)</script>";
    const html = await bodyOf(
      popupPage(
        { ...message, status: "error", error: { code: "provider_error", message: hostile } },
        "https://portal-a.example",
        "en",
      ),
    );
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
    // Inside the script element the message is JSON with < escaped, so it cannot close the element.
    expect(html).toContain("\\u003c/p\\u003e\\u003cscript\\u003e");
    const link = await bodyOf(
      plainPage(
        { code: "state_replayed", message: "m" },
        { returnUrl: 'https://portal-a.example/"><script>x</script>' },
      ),
    );
    expect(link).not.toContain('"><script>x</script>');
  });
});

describe("a flow remembers its starter's locale", () => {
  let t: TestApp<"zoom">;
  const admin: Caller = { sub: "hanako", org: "sakura", role: "admin", email: "hanako.yamada@sakura-recruit.example" };
  const recruiter: Caller = { sub: "ken", org: "sakura", role: "recruiter", email: "ken.sato@sakura-recruit.example" };

  beforeAll(async () => {
    t = await createTestApp({ providers: ["zoom"] });
    expect((await link(t, admin, "zU_hanako", { purpose: "org", returnMode: "popup" })).response.status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it("records the host token's locale at start and answers the callback in it", async () => {
    const started = await startFlow(t, recruiter, { purpose: "personal", returnMode: "popup" });
    const row = await t.db
      .selectFrom("oauth_flows")
      .select("locale")
      .where("id", "=", started.flow)
      .executeTakeFirstOrThrow();
    // The test portal's tokens carry locale "ja" (test/support/hosts.ts).
    expect(row.locale).toBe("ja");
    const { response } = await link(t, recruiter, "zU_ken");
    const html = await response.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("<h1>連携しました</h1>");
  });

  it("refuses a begin from another origin in the starter's language, as the flow's other refusals", async () => {
    for (const [locale, title, lead] of [
      ["ja", "<h1>連携できませんでした</h1>", "<p>連携は完了していません。理由は次のとおりです。</p>"],
      ["en", "<h1>Not linked</h1>", '<p role="status">Linking can only be started with the Link button'],
    ] as const) {
      const started = await startFlow(t, { ...recruiter, locale }, { purpose: "personal", returnMode: "popup" });
      const refused = await begin(t, started, { origin: "https://evil.example" });
      expect(refused.status).toBe(400);
      const html = await refused.text();
      expect(html, locale).toContain(`<html lang="${locale}">`);
      expect(html, locale).toContain(title);
      expect(html, locale).toContain(lead);
      expect(html, locale).toContain('data-error-code="begin_not_from_portal"');
      // The secret alone (a wrong origin, the flow untouched) is refused in the same language.
      const wrongSecret = await (await begin(t, started, { secret: "x".repeat(43) })).text();
      expect(wrongSecret, locale).toContain(`<html lang="${locale}">`);
    }
  });

  it(
    "answers in English for a flow that recorded no locale (a token without one, or a flow from before migration " +
      "0009)",
    async () => {
      t.clock.advance(1);
      const consented = await consent(t, { sub: "james", org: "sakura", role: "recruiter" }, "zU_james");
      await t.db.updateTable("oauth_flows").set({ locale: null }).where("id", "=", consented.flow).execute();
      const html = await (await callback(t, consented.location, consented.cookie)).text();
      expect(html).toContain('<html lang="en">');
      expect(html).toContain("The account is linked. You can close this window.");
    },
  );
});
