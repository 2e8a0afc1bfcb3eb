/**
 * Each language's table is its own module, loaded when an element first
 * speaks it: a Japanese page never fetches the English table. (This file runs
 * in a page of its own, so what was fetched is this file's doing alone.)
 * A portal adds a language with registerTranslation, without forking. The
 * error messages are a chunk of each table's own, fetched on the first error.
 */
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { LitElement } from "lit";
import { customElement, property } from "lit/decorators.js";
import { TsunaguApiError } from "./api-error.ts";
import { LocalizeController, registerTranslation } from "./localize-controller.ts";
import type { ErrorMessages, Translation } from "./translation.ts";
import { fetchedTables } from "../test-support/locale-fetches.ts";

@customElement("tsunagu-test-locale-loading")
class TestLocaleLoading extends LitElement {
  @property() locale: string | null = null;
  @property({ attribute: false }) error: unknown;
  /** Shows a step after the first screen: a term of the later ones. */
  @property({ type: Boolean }) step = false;
  readonly localize = new LocalizeController(this);

  protected override async scheduleUpdate(): Promise<void> {
    await this.localize.ready();
    super.scheduleUpdate();
  }

  override render() {
    return html`<p>${this.localize.term("loading")}</p>
      ${this.error === undefined ? "" : html`<output>${this.localize.errorMessage(this.error)}</output>`}
      ${this.step ? html`<h2>${this.localize.term("summaryHeading")}</h2>` : ""}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tsunagu-test-locale-loading": TestLocaleLoading;
  }
}

describe("locale tables", () => {
  it("a Japanese element loads the Japanese table alone, and its first frame is already translated", async () => {
    const el = await fixture<TestLocaleLoading>(
      html`<tsunagu-test-locale-loading locale="ja"></tsunagu-test-locale-loading>`,
    );
    expect(el.shadowRoot?.querySelector("p")?.textContent).to.equal("読み込み中…");
    expect(fetchedTables()).to.deep.equal(["ja.ts"]);
  });

  it("switching to English loads the English table then, and renders in it", async () => {
    const el = await fixture<TestLocaleLoading>(
      html`<tsunagu-test-locale-loading locale="ja"></tsunagu-test-locale-loading>`,
    );
    el.locale = "en";
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector("p")?.textContent).to.equal("Loading…");
    expect(fetchedTables().sort()).to.deep.equal(["en.ts", "ja.ts"]);
  });

  it("speaks a language a portal registers, by its primary subtag, typed by Translation", async () => {
    const { en } = await import("./locales/en.ts");
    const korean: Translation = { ...en, loading: "불러오는 중…" };
    registerTranslation("ko", async () => korean);
    const el = await fixture<TestLocaleLoading>(
      html`<tsunagu-test-locale-loading locale="ko-KR"></tsunagu-test-locale-loading>`,
    );
    expect(el.localize.language).to.equal("ko");
    expect(el.localize.intlLocale).to.equal("ko-KR");
    expect(el.shadowRoot?.querySelector("p")?.textContent).to.equal("불러오는 중…");
  });

  it("falls back to English for a language nobody registered, and refuses a tag that is not a language", async () => {
    const el = await fixture<TestLocaleLoading>(
      html`<tsunagu-test-locale-loading locale="fr"></tsunagu-test-locale-loading>`,
    );
    expect(el.localize.language).to.equal("en");
    expect(el.shadowRoot?.querySelector("p")?.textContent).to.equal("Loading…");
    expect(() => registerTranslation("not a language", async () => ({}) as Translation)).to.throw(
      /primary language subtag/,
    );
  });

  it("fetches the error messages on the first error, then renders the error again with them", async () => {
    const el = await fixture<TestLocaleLoading>(
      html`<tsunagu-test-locale-loading locale="ja"></tsunagu-test-locale-loading>`,
    );
    expect(fetchedTables()).to.not.include("ja-errors.ts");
    el.error = new TsunaguApiError(0, "network_error", "Could not reach the Tsunagu server.");
    await el.updateComplete;
    const shownError = () => el.shadowRoot?.querySelector("output")?.textContent;
    await waitUntil(() => shownError() !== "", "the error message never came");
    expect(shownError()).to.equal(
      "Tsunagu サーバーに接続できませんでした。ネットワークを確認して、もう一度お試しください。",
    );
    expect(fetchedTables()).to.include("ja-errors.ts");
    expect(fetchedTables()).to.not.include("en-errors.ts");
  });

  it("shows the table's errorHeading when the error messages cannot load, and tries again when asked", async () => {
    const { en } = await import("./locales/en.ts");
    const { enErrors } = await import("./locales/en-errors.ts");
    let reachable = false;
    const errors = async (): Promise<ErrorMessages> => {
      if (!reachable) throw new TypeError("Failed to fetch dynamically imported module");
      return { ...enErrors, network_error: "Offline (Danish)." };
    };
    registerTranslation("da", { ...en, errorHeading: "Noget gik galt.", errors });
    const el = await fixture<TestLocaleLoading>(
      html`<tsunagu-test-locale-loading locale="da"></tsunagu-test-locale-loading>`,
    );
    el.error = new TsunaguApiError(0, "network_error", "Could not reach the Tsunagu server.");
    await el.updateComplete;
    const shownError = () => el.shadowRoot?.querySelector("output")?.textContent;
    await waitUntil(() => shownError() === "Noget gik galt.", "the fallback never showed");
    reachable = true;
    await el.localize.loadErrorMessages();
    el.requestUpdate();
    await el.updateComplete;
    expect(shownError()).to.equal("Offline (Danish).");
  });

  it("renders a step whole when it started loading the later terms", async () => {
    const { en } = await import("./locales/en.ts");
    const { enLater } = await import("./locales/en-later.ts");
    const later = enLater({
      providerNames: {} as never,
      personalAccounts: {} as never,
      connectionKinds: {} as never,
      count: () => "",
    });
    let loads = 0;
    registerTranslation("fi", {
      ...en,
      later: async () => {
        loads++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { ...later, summaryHeading: "Tarkista tiedot" };
      },
    });
    const el = await fixture<TestLocaleLoading>(
      html`<tsunagu-test-locale-loading locale="fi"></tsunagu-test-locale-loading>`,
    );
    expect(loads).to.equal(0);
    void el.localize.loadLaterTerms();
    el.step = true;
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector("h2")?.textContent).to.equal("Tarkista tiedot");
    expect(loads).to.equal(1);
  });

  it("fills in a later term rendered before any step loaded it, once its chunk arrives", async () => {
    const el = await fixture<TestLocaleLoading>(
      html`<tsunagu-test-locale-loading locale="ja" step></tsunagu-test-locale-loading>`,
    );
    const heading = () => el.shadowRoot?.querySelector("h2")?.textContent;
    await waitUntil(() => heading() !== "", "the later term never came");
    expect(heading()).to.equal("内容の確認");
    expect(fetchedTables()).to.include("ja-later.ts");
  });

  it("uses error messages a registered table holds itself at once", async () => {
    const { en } = await import("./locales/en.ts");
    const { enErrors } = await import("./locales/en-errors.ts");
    registerTranslation("nl", { ...en, errors: { ...enErrors, timeout: "Te laat." } });
    const el = await fixture<TestLocaleLoading>(
      html`<tsunagu-test-locale-loading locale="nl"></tsunagu-test-locale-loading>`,
    );
    el.error = new TsunaguApiError(0, "timeout", "The Tsunagu server did not answer in time.");
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector("output")?.textContent).to.equal("Te laat.");
  });
});
