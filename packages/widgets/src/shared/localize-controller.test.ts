import { expect, fixture, html } from "@open-wc/testing";
import { LitElement } from "lit";
import { customElement, property } from "lit/decorators.js";
import { TsunaguApiError } from "./api-error.ts";
import type { HostTokenClaims } from "./host-token-claims.ts";
import { LocalizeController } from "./localize-controller.ts";

/** Renders one term; its claims come from a property instead of a real token. */
@customElement("tsunagu-test-localized")
class TestLocalized extends LitElement {
  @property() locale: string | null = null;
  @property({ attribute: "time-zone" }) timeZone: string | null = null;
  @property({ attribute: false }) claims: HostTokenClaims | undefined;

  readonly localize = new LocalizeController(this, { claims: () => this.claims });

  protected override async scheduleUpdate(): Promise<void> {
    await this.localize.ready();
    super.scheduleUpdate();
  }

  override render() {
    return html`<p>${this.localize.term("loading")}</p>
      <button type="button">${this.localize.term("retry")}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tsunagu-test-localized": TestLocalized;
  }
}

// 2025-01-15 05:30 UTC = 14:30 in Tokyo, 21:30 the day before in Los Angeles.
const interviewStart = new Date("2025-01-15T05:30:00Z");
const interviewEnd = new Date("2025-01-15T06:30:00Z");

function shown(el: TestLocalized): string | undefined {
  return el.shadowRoot?.querySelector("p")?.textContent ?? undefined;
}

describe("LocalizeController", () => {
  let documentLang: string;
  beforeEach(() => {
    documentLang = document.documentElement.lang;
  });
  afterEach(() => {
    document.documentElement.lang = documentLang;
  });

  describe("language", () => {
    it("speaks Japanese when the locale attribute says ja", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="ja"></tsunagu-test-localized>`);
      expect(el.localize.language).to.equal("ja");
      expect(shown(el)).to.equal("読み込み中…");
    });

    it("prefers the locale attribute over the token and the document", async () => {
      document.documentElement.lang = "ja";
      const el = await fixture<TestLocalized>(
        html`<tsunagu-test-localized locale="en" .claims=${{ locale: "ja" }}></tsunagu-test-localized>`,
      );
      expect(el.localize.language).to.equal("en");
      expect(shown(el)).to.equal("Loading…");
    });

    it("follows the element's own lang attribute", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized lang="ja-JP"></tsunagu-test-localized>`);
      expect(el.localize.language).to.equal("ja");
      expect(el.localize.intlLocale).to.equal("ja-JP");
    });

    it("follows the token's locale claim before the document's lang", async () => {
      document.documentElement.lang = "ja";
      const el = await fixture<TestLocalized>(
        html`<tsunagu-test-localized .claims=${{ locale: "en" }}></tsunagu-test-localized>`,
      );
      expect(el.localize.language).to.equal("en");
    });

    it("falls back to the document's lang", async () => {
      document.documentElement.lang = "ja";
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized></tsunagu-test-localized>`);
      expect(el.localize.language).to.equal("ja");
      expect(el.localize.intlLocale).to.equal("ja-JP");
    });

    it("speaks English when nothing says ja", async () => {
      document.documentElement.lang = "";
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized></tsunagu-test-localized>`);
      expect(el.localize.language).to.equal("en");
      document.documentElement.lang = "fr";
      expect(el.localize.language).to.equal("en");
    });

    it("keeps a regional English tag for Intl", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="en-GB"></tsunagu-test-localized>`);
      expect(el.localize.intlLocale).to.equal("en-GB");
    });

    it("re-renders when the document's lang changes", async () => {
      document.documentElement.lang = "en";
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized></tsunagu-test-localized>`);
      expect(shown(el)).to.equal("Loading…");
      document.documentElement.lang = "ja";
      await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
      await el.updateComplete;
      expect(shown(el)).to.equal("読み込み中…");
    });

    it("re-renders when its own lang attribute changes", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized lang="en"></tsunagu-test-localized>`);
      el.setAttribute("lang", "ja");
      await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
      await el.updateComplete;
      expect(shown(el)).to.equal("読み込み中…");
    });
  });

  describe("terms", () => {
    it("says English plurals by count", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="en"></tsunagu-test-localized>`);
      expect(el.localize.term("accountCount", 1)).to.equal("1 account");
      expect(el.localize.term("accountCount", 2)).to.equal("2 accounts");
      expect(el.localize.term("accountCount", 0)).to.equal("0 accounts");
      // A Zoom card counts the Zoom users its button links.
      expect(el.localize.term("accountCount", 2, "zoom")).to.equal("2 Zoom users");
      expect(el.localize.term("minutes", 1)).to.equal("1 minute");
      expect(el.localize.term("minutes", 45)).to.equal("45 minutes");
    });

    it("counts in Japanese without plural forms", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="ja"></tsunagu-test-localized>`);
      expect(el.localize.term("accountCount", 1)).to.equal("アカウント：1件");
      expect(el.localize.term("accountCount", 3)).to.equal("アカウント：3件");
      expect(el.localize.term("accountCount", 1, "zoom")).to.equal("Zoom ユーザー：1件");
      expect(el.localize.term("accountCount", 1, "google")).to.equal("アカウント：1件");
      expect(el.localize.term("minutes", 45)).to.equal("45分");
    });

    it("passes arguments to terms that take them", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="ja"></tsunagu-test-localized>`);
      expect(el.localize.term("providerName", "microsoft")).to.equal("Microsoft 365");
      expect(el.localize.term("accountStatus", "needs_reauth")).to.equal("再連携が必要");
      expect(el.localize.term("requestId", "abc")).to.equal("リクエスト ID：abc");
    });
  });

  describe("errors", () => {
    it("shows our own message for a code we know, in the viewer's language", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="ja"></tsunagu-test-localized>`);
      await el.localize.loadErrorMessages();
      const error = new TsunaguApiError(0, "network_error", "Could not reach the Tsunagu server.");
      expect(el.localize.errorMessage(error)).to.equal(
        "Tsunagu サーバーに接続できませんでした。ネットワークを確認して、もう一度お試しください。",
      );
    });

    it("shows the server's message for a code it alone knows", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="ja"></tsunagu-test-localized>`);
      await el.localize.loadErrorMessages();
      const error = new TsunaguApiError(409, "portal_quota_exceeded", "This portal has used its quota for today.");
      expect(el.localize.errorMessage(error)).to.equal("This portal has used its quota for today.");
    });

    it("does not show the text of unexpected errors", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="en"></tsunagu-test-localized>`);
      await el.localize.loadErrorMessages();
      expect(el.localize.errorMessage(new Error("TypeError: x is undefined"))).to.equal(
        "Something went wrong on the server. Try again in a moment.",
      );
    });
  });

  describe("dates and times", () => {
    it("uses a 24-hour clock in Japanese", async () => {
      const el = await fixture<TestLocalized>(
        html`<tsunagu-test-localized locale="ja" time-zone="Asia/Tokyo"></tsunagu-test-localized>`,
      );
      expect(el.localize.time(interviewStart)).to.equal("14:30");
      expect(el.localize.dateTime(interviewStart)).to.equal("2025/01/15 14:30");
      expect(el.localize.timeRange(interviewStart, interviewEnd)).to.equal("14:30〜15:30");
    });

    it("writes Japanese days and times as the server's notices do, a morning hour without a leading zero", async () => {
      const el = await fixture<TestLocalized>(
        html`<tsunagu-test-localized locale="ja" time-zone="Asia/Tokyo"></tsunagu-test-localized>`,
      );
      // Fixed instants, never "now": 9:00 in Tokyo is 00:00 UTC.
      const nine = "2026-12-01T00:00:00Z";
      const ten = "2026-12-01T01:00:00Z";
      expect(el.localize.clock(nine)).to.equal("9:00");
      expect(el.localize.day(nine)).to.equal("12月1日（火）");
      expect(el.localize.day(nine, { withYear: true })).to.equal("2026年12月1日（火）");
      expect(el.localize.when(nine, ten, { withYear: true })).to.equal("2026年12月1日（火）9:00〜10:00");
      expect(el.localize.inZone(el.localize.when(nine, ten))).to.equal("12月1日（火）9:00〜10:00（Asia/Tokyo）");
      expect(el.localize.when("2026-12-31T14:30:00Z", "2026-12-31T15:30:00Z")).to.equal(
        "12月31日（木）23:30〜2027年1月1日（金）0:30",
      );
    });

    it("writes English days and times with the short weekday, a 12-hour clock on both ends, an en dash", async () => {
      const el = await fixture<TestLocalized>(
        html`<tsunagu-test-localized locale="en" time-zone="America/New_York"></tsunagu-test-localized>`,
      );
      const nine = "2026-12-01T14:00:00Z";
      expect(el.localize.moment(nine, { withYear: true })).to.equal("Tue, Dec 1, 2026, 9:00 AM");
      expect(el.localize.when(nine, "2026-12-01T15:00:00Z")).to.equal("Tue, Dec 1, 9:00 AM – 10:00 AM");
      expect(el.localize.clock("2026-12-01T05:00:00Z")).to.equal("12:00 AM");
      expect(el.localize.inZone("9:00 AM")).to.equal("9:00 AM (America/New_York)");
    });

    it("uses the 12-hour clock in English", async () => {
      const el = await fixture<TestLocalized>(
        html`<tsunagu-test-localized locale="en" time-zone="Asia/Tokyo"></tsunagu-test-localized>`,
      );
      expect(el.localize.time(interviewStart)).to.match(/^2:30\sPM$/);
      expect(el.localize.date(interviewStart, { dateStyle: "long" })).to.equal("January 15, 2025");
      expect(el.localize.timeRange(interviewStart, interviewEnd)).to.equal("2:30 PM – 3:30 PM");
    });

    it("shows times in the token's tz claim", async () => {
      const el = await fixture<TestLocalized>(
        html`<tsunagu-test-localized locale="ja" .claims=${{ tz: "America/Los_Angeles" }}></tsunagu-test-localized>`,
      );
      expect(el.localize.timeZone).to.equal("America/Los_Angeles");
      expect(el.localize.dateTime(interviewStart)).to.equal("2025/01/14 21:30");
    });

    it("prefers the time-zone attribute over the claim and ignores a zone that does not exist", async () => {
      const el = await fixture<TestLocalized>(
        html`<tsunagu-test-localized locale="ja" time-zone="Asia/Tokyo"
          .claims=${{ tz: "America/Los_Angeles" }}></tsunagu-test-localized>`,
      );
      expect(el.localize.timeZone).to.equal("Asia/Tokyo");
      el.timeZone = "Mars/Olympus_Mons";
      expect(el.localize.timeZone).to.equal("America/Los_Angeles");
    });

    it("falls back to the browser's zone", async () => {
      const el = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="en"></tsunagu-test-localized>`);
      expect(el.localize.timeZone).to.equal(new Intl.DateTimeFormat().resolvedOptions().timeZone);
    });

    it("formats numbers and lists for the language", async () => {
      const ja = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="ja"></tsunagu-test-localized>`);
      const en = await fixture<TestLocalized>(html`<tsunagu-test-localized locale="en"></tsunagu-test-localized>`);
      expect(ja.localize.list(["Google", "Zoom"])).to.equal("Google、Zoom");
      expect(en.localize.list(["Google", "Slack", "Zoom"])).to.equal("Google, Slack, and Zoom");
      expect(en.localize.number(12345)).to.equal("12,345");
    });
  });

  describe("accessibility", () => {
    it("renders accessibly in both languages", async () => {
      await expect(
        await fixture(html`<tsunagu-test-localized locale="ja"></tsunagu-test-localized>`),
      ).to.be.accessible();
      await expect(
        await fixture(html`<tsunagu-test-localized locale="en"></tsunagu-test-localized>`),
      ).to.be.accessible();
    });
  });
});
