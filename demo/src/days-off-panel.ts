/**
 * The portal's days-off settings (not a Tsunagu widget): the organisation's
 * language, whether Japan's national holidays (祝日) are days off (by default
 * when the organisation's language is Japanese), its closures (年末年始, お盆,
 * 創立記念日) and the signed-in person's own days off, read and written
 * through Tsunagu's API (README, "Holidays and days off"). Admins change the
 * organisation's settings; everyone their own days off. The working hours
 * have their own panel (working-hours-panel.ts).
 */
import { type OrganisationDaysOffView, type OrganisationLocale, organisationLocales } from "@tsunagu/contract";
import type { HostTokenProvider } from "@tsunagu/widgets";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import { SettingsController } from "./settings-controller.ts";

interface DaySpan {
  start: string;
  end: string;
  name: string;
}
interface Settings {
  organisation: OrganisationDaysOffView;
  own: DaySpan[];
}

/** The panel's own words, Japanese first (the portal's other words are in strings.ts). */
const words = {
  ja: {
    heading: "休日の設定",
    locale: "組織の言語",
    localeUnset: "未設定（閲覧者の言語）",
    localeChoices: { ja: "日本語", en: "English" },
    holidays: "祝日",
    holidayChoices: { default: "組織の言語に従う（日本語なら休み）", on: "休みにする", off: "休みにしない" },
    closures: "組織の休業日",
    own: "自分の休暇",
    none: "なし",
    start: "開始日",
    end: "終了日",
    name: "名称",
    add: "追加",
    remove: (what: string) => `${what}を削除`,
    adminOnly: "組織の設定は管理者だけが変更できます。",
  },
  en: {
    heading: "Days off",
    locale: "Organisation's language",
    localeUnset: "Not set (the viewer's language)",
    localeChoices: { ja: "日本語", en: "English" },
    holidays: "Japanese national holidays",
    holidayChoices: {
      default: "Follow the organisation's language (days off when it is Japanese)",
      on: "Days off",
      off: "Working days",
    },
    closures: "Organisation closures",
    own: "My days off",
    none: "None",
    start: "From",
    end: "To",
    name: "Name",
    add: "Add",
    remove: (what: string) => `Remove ${what}`,
    adminOnly: "Only an administrator can change the organisation's settings.",
  },
};

@customElement("sakura-days-off-panel")
export class SakuraDaysOffPanel extends LitElement {
  static override styles = css`
    :host {
      display: block;
      border: 1px solid #e4d4da;
      border-radius: 10px;
      background: #fff;
      padding: 1rem 1.25rem;
      font-size: 0.875rem;
    }
    h2 {
      font-size: 1rem;
      margin: 0 0 0.5rem;
    }
    h3 {
      font-size: 0.875rem;
      margin: 0.75rem 0 0.25rem;
    }
    ul {
      margin: 0;
      padding-left: 1.25rem;
    }
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: end;
      margin-top: 0.5rem;
    }
    label {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 0.125rem;
    }
    input,
    select,
    button {
      font: inherit;
      padding: 0.25rem 0.5rem;
      border: 1px solid #c9b3bc;
      border-radius: 6px;
      background: #fff;
    }
    /* A long choice (the 祝日 rule in English) is cut in the closed select, not a page wider than a phone. */
    select {
      max-width: 100%;
    }
    :is(input, select, button):focus-visible {
      outline: 2px solid #b0194f;
      outline-offset: 2px;
    }
    .error {
      color: #a4161a;
      font-weight: 600;
    }
  `;

  @property() server: string | null = null;
  @property({ attribute: false }) tokenProvider: HostTokenProvider | null = null;

  private readonly panel = new SettingsController(this, (api) => api.get<Settings>("/v1/days-off"));
  private readonly api = this.panel.api;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("server") || changed.has("tokenProvider")) void this.panel.load();
  }

  private saveOrganisation(change: Partial<Settings["organisation"]>): Promise<void> {
    return this.panel.attempt(async () => {
      const { locale, ...current } = this.panel.settings?.organisation ?? { japaneseHolidays: null, closures: [] };
      // No locale: the server keeps the one it has (an admin's earlier choice, or the first admin's language).
      const { organisation } = await this.api.put<{ organisation: Settings["organisation"] }>("/v1/days-off", {
        ...current,
        ...(locale && { locale }),
        ...change,
      });
      if (this.panel.settings) this.panel.settings = { ...this.panel.settings, organisation };
    });
  }

  private saveOwn(own: DaySpan[]): Promise<void> {
    return this.panel.attempt(async () => {
      const saved = await this.api.put<{ own: DaySpan[] }>("/v1/days-off/me", { daysOff: own });
      if (this.panel.settings) this.panel.settings = { ...this.panel.settings, own: saved.own };
    });
  }

  override render() {
    const text = words[this.panel.localize.language === "ja" ? "ja" : "en"];
    const { error, settings } = this.panel;
    const isAdmin = this.panel.hostToken.claims?.role === "admin";
    return html`
      <section aria-labelledby="days-off-heading">
        <h2 id="days-off-heading">${text.heading}</h2>
        ${error === undefined ? nothing : html`<p class="error" role="alert">${error}</p>`}
        ${settings ? this.renderSettings(settings, isAdmin, text) : nothing}
      </section>
    `;
  }

  private renderSettings(settings: Settings, isAdmin: boolean, text: (typeof words)["ja"]) {
    const { organisation } = settings;
    const choice = organisation.japaneseHolidays === null ? "default" : organisation.japaneseHolidays ? "on" : "off";
    return html`
      <label
        >${text.locale}
        <select
          name="locale"
          ?disabled=${!isAdmin}
          @change=${(event: Event) => {
            const locale = (event.target as HTMLSelectElement).value as OrganisationLocale;
            void this.saveOrganisation({ locale });
          }}
        >
          ${
            organisation.locale === null
              ? html`<option value="" selected disabled>${text.localeUnset}</option>`
              : nothing
          }
          ${organisationLocales.map(
            (key) =>
              html`<option value=${key} lang=${key} ?selected=${organisation.locale === key}>
                ${text.localeChoices[key]}
              </option>`,
          )}
        </select>
      </label>
      <label
        >${text.holidays}
        <select
          name="japaneseHolidays"
          ?disabled=${!isAdmin}
          @change=${(event: Event) => {
            const value = (event.target as HTMLSelectElement).value;
            void this.saveOrganisation({ japaneseHolidays: value === "default" ? null : value === "on" });
          }}
        >
          ${(["default", "on", "off"] as const).map(
            (key) => html`<option value=${key} ?selected=${choice === key}>${text.holidayChoices[key]}</option>`,
          )}
        </select>
      </label>
      ${isAdmin ? nothing : html`<p>${text.adminOnly}</p>`}
      <h3>${text.closures}</h3>
      ${this.renderSpans(organisation.closures, isAdmin, (closures) => this.saveOrganisation({ closures }), text, true)}
      <h3>${text.own}</h3>
      ${this.renderSpans(settings.own, true, (own) => this.saveOwn(own), text, false)}
    `;
  }

  private renderSpans(
    spans: DaySpan[],
    editable: boolean,
    save: (spans: DaySpan[]) => Promise<void>,
    text: (typeof words)["ja"],
    nameRequired: boolean,
  ) {
    // 2026年12月28日（月）〜2027年1月3日（日） 年末年始 / Mon, Dec 28, 2026 – Sun, Jan 3, 2027: the days as every
    // date in the product is written (the spans are calendar days: read at UTC midnight, no zone shift).
    const localize = this.panel.localize;
    const day = (date: string) => localize.day(`${date}T00:00:00Z`, { timeZone: "UTC", withYear: true });
    const describe = (span: DaySpan) => {
      const days =
        span.end === span.start ? day(span.start) : localize.term("rangeText", day(span.start), day(span.end));
      return `${days}${span.name ? ` ${span.name}` : ""}`;
    };
    const add = (event: SubmitEvent) => {
      event.preventDefault();
      const data = new FormData(event.target as HTMLFormElement);
      const start = String(data.get("start") ?? "");
      const end = String(data.get("end") || start);
      void save([...spans, { start, end, name: String(data.get("name") ?? "") }]);
    };
    return html`
      ${
        spans.length === 0
          ? html`<p>${text.none}</p>`
          : html`<ul>
            ${spans.map(
              (span, index) =>
                html`<li>
                  ${describe(span)}
                  ${
                    editable
                      ? html`<button type="button" aria-label=${text.remove(describe(span))}
                        @click=${() => save(spans.filter((_, other) => other !== index))}>×</button>`
                      : nothing
                  }
                </li>`,
            )}
          </ul>`
      }
      ${
        editable
          ? html`<form @submit=${add}>
            <label>${text.start}<input type="date" name="start" required /></label>
            <label>${text.end}<input type="date" name="end" /></label>
            <label>${text.name}<input name="name" maxlength="100" ?required=${nameRequired} /></label>
            <button type="submit">${text.add}</button>
          </form>`
          : nothing
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sakura-days-off-panel": SakuraDaysOffPanel;
  }
}
