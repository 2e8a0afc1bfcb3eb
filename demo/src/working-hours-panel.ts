/**
 * The portal's working-hours settings (not a Tsunagu widget): the
 * organisation's 営業日 and 勤務時間 in its time zone, which an admin sets,
 * and the signed-in person's own hours, which override them for their
 * availability until they go back to the organisation's. Read and written
 * through Tsunagu's API (README, "Working hours"); availability follows at
 * once, in <schedule-interview> and in the scheduling links.
 */
import type { AvailabilityWeekday } from "@tsunagu/contract";
import type { HostTokenProvider } from "@tsunagu/widgets";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { customElement, property } from "lit/decorators.js";
import { SettingsController } from "./settings-controller.ts";

interface Hours {
  days: AvailabilityWeekday[];
  start: string;
  end: string;
  /** null (own hours only): the zone the portal's host token carries for the person. */
  timeZone: string | null;
}
type Scope = "organisation" | "own";
interface Settings {
  organisation: Hours;
  own: Hours | null;
}

/** Monday first, as Japanese calendars at work show the week. */
const weekOrder: AvailabilityWeekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/** The zones the portal offers; a zone set elsewhere (through the API) is offered too. */
const zones = ["Asia/Tokyo", "UTC", "Asia/Singapore", "Europe/London", "America/New_York", "America/Los_Angeles"];
/**
 * The own form while the person follows the organisation: its days and hours, and no zone of its own ("As the portal
 * says"), since a person's zone is then the one their host token carries, not the organisation's (README, "Working
 * hours"); a saved copy of the organisation's zone would move their hours (09:00 UTC is 18:00 in Tokyo).
 */
function followingOrganisation(organisation: Hours): Hours {
  return { ...organisation, timeZone: null };
}

/** What an empty start or end field shows: a working day's usual hours. */
const examples = { start: "09:00", end: "18:00" };
/** HH:MM from 00:00 to 24:00, as the server reads it. */
const clockPattern = "([01][0-9]|2[0-3]):[0-5][0-9]|24:00";

const words = {
  ja: {
    heading: "勤務時間",
    organisation: "組織の勤務時間",
    own: "自分の勤務時間",
    days: "営業日",
    ownDays: "勤務日",
    start: "始業",
    end: "終業",
    zone: "タイムゾーン",
    tokenZone: "ポータルの設定に従う",
    saveOrganisation: "組織の勤務時間を保存",
    saveOwn: "自分の勤務時間を保存",
    resetOwn: "組織の勤務時間に戻す",
    followsOrganisation: "現在は組織の勤務時間を使っています。変更すると、自分の面接可能な時間にだけ反映されます。",
    ownInUse: "現在は自分の勤務時間を使っています。",
    adminOnly: "組織の勤務時間は管理者だけが変更できます。",
    timeHint: "24時間表記（例：09:00）",
    endBeforeStart: "終業は始業より後の時刻にしてください。",
    saved: { organisation: "組織の勤務時間を保存しました。", own: "自分の勤務時間を保存しました。" },
    reset: "組織の勤務時間に戻しました。",
    zoneLabel: (name: string, zone: string) => `${name}（${zone}）`,
    weekdays: { mon: "月", tue: "火", wed: "水", thu: "木", fri: "金", sat: "土", sun: "日" },
    zoneNames: {
      "Asia/Tokyo": "日本時間",
      UTC: "協定世界時",
      "Asia/Singapore": "シンガポール",
      "Europe/London": "ロンドン",
      "America/New_York": "ニューヨーク",
      "America/Los_Angeles": "ロサンゼルス",
    } as Record<string, string>,
  },
  en: {
    heading: "Working hours",
    organisation: "Organisation's working hours",
    own: "My working hours",
    days: "Business days",
    ownDays: "Working days",
    start: "From",
    end: "To",
    zone: "Time zone",
    tokenZone: "As the portal says",
    saveOrganisation: "Save the organisation's hours",
    saveOwn: "Save my hours",
    resetOwn: "Use the organisation's hours",
    followsOrganisation: "You follow the organisation's hours. Hours of your own apply to your availability only.",
    ownInUse: "You use hours of your own.",
    adminOnly: "Only an administrator can change the organisation's working hours.",
    timeHint: "24-hour clock (e.g. 09:00)",
    endBeforeStart: "The end must be later than the start.",
    saved: { organisation: "The organisation's hours are saved.", own: "Your hours are saved." },
    reset: "You follow the organisation's hours again.",
    zoneLabel: (name: string, zone: string) => `${name} (${zone})`,
    weekdays: { mon: "Mon", tue: "Tue", wed: "Wed", thu: "Thu", fri: "Fri", sat: "Sat", sun: "Sun" },
    zoneNames: {
      "Asia/Tokyo": "Japan",
      UTC: "Coordinated Universal Time",
      "Asia/Singapore": "Singapore",
      "Europe/London": "London",
      "America/New_York": "New York",
      "America/Los_Angeles": "Los Angeles",
    } as Record<string, string>,
  },
};
type Words = (typeof words)["ja"];

@customElement("sakura-working-hours-panel")
export class SakuraWorkingHoursPanel extends LitElement {
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
    form {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem 0.75rem;
      align-items: end;
    }
    fieldset {
      border: 0;
      margin: 0;
      padding: 0;
      display: flex;
      gap: 0.25rem 0.5rem;
      flex-wrap: wrap;
      flex-basis: 100%;
    }
    legend {
      padding: 0;
      margin-bottom: 0.125rem;
    }
    label {
      display: grid;
      gap: 0.125rem;
    }
    fieldset label {
      display: inline-flex;
      align-items: center;
      gap: 0.25rem;
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
    input[name="start"],
    input[name="end"] {
      width: 5rem;
    }
    :is(input, select, button):focus-visible {
      outline: 2px solid #b0194f;
      outline-offset: 2px;
    }
    p {
      margin: 0.25rem 0;
    }
    .hint {
      color: #5b4b52;
    }
    .error {
      color: #a4161a;
      font-weight: 600;
    }
  `;

  @property() server: string | null = null;
  @property({ attribute: false }) tokenProvider: HostTokenProvider | null = null;

  private readonly panel = new SettingsController(this, (api) => api.get<Settings>("/v1/working-hours"));
  private readonly hostToken = this.panel.hostToken;
  private readonly api = this.panel.api;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("server") || changed.has("tokenProvider")) void this.panel.load();
  }

  private get text(): Words {
    return words[this.panel.localize.language === "ja" ? "ja" : "en"];
  }

  private save(scope: Scope, event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const hours = hoursOf(new FormData(event.target as HTMLFormElement));
    if (hours.end !== "24:00" && hours.end <= hours.start) {
      this.panel.refuse(this.text.endBeforeStart);
      return Promise.resolve();
    }
    return this.panel.attempt(async () => {
      const settings = this.panel.settings;
      if (scope === "organisation") {
        const answer = await this.api.put<{ organisation: Hours }>("/v1/working-hours", hours);
        if (settings) this.panel.settings = { ...settings, organisation: answer.organisation };
      } else {
        const answer = await this.api.put<{ own: Hours | null }>("/v1/working-hours/me", hours);
        if (settings) this.panel.settings = { ...settings, own: answer.own };
      }
      return this.text.saved[scope];
    });
  }

  private resetOwn(): Promise<void> {
    return this.panel.attempt(async () => {
      await this.api.delete("/v1/working-hours/me");
      if (this.panel.settings) this.panel.settings = { ...this.panel.settings, own: null };
      return this.text.reset;
    });
  }

  override render() {
    const text = this.text;
    const isAdmin = this.hostToken.claims?.role === "admin";
    const { error, saved, settings } = this.panel;
    return html`
      <section aria-labelledby="working-hours-heading">
        <h2 id="working-hours-heading">${text.heading}</h2>
        ${error === undefined ? nothing : html`<p class="error" role="alert">${error}</p>`}
        <p role="status" data-saved>${saved ?? ""}</p>
        ${
          settings
            ? html`
              <h3 id="organisation-hours-heading">${text.organisation}</h3>
              ${this.renderForm("organisation", settings.organisation, !isAdmin)}
              ${isAdmin ? nothing : html`<p>${text.adminOnly}</p>`}
              <h3 id="own-hours-heading">${text.own}</h3>
              <p data-own-state=${settings.own ? "own" : "organisation"}>
                ${settings.own ? text.ownInUse : text.followsOrganisation}
              </p>
              ${this.renderForm("own", settings.own ?? followingOrganisation(settings.organisation), false)}
            `
            : nothing
        }
      </section>
    `;
  }

  private renderForm(scope: Scope, hours: Hours, readOnly: boolean) {
    const text = this.text;
    const id = (name: string) => `${scope}-${name}`;
    const zoneChoices = [...zones];
    if (hours.timeZone && !zoneChoices.includes(hours.timeZone)) zoneChoices.push(hours.timeZone);
    return html`
      <form data-scope=${scope} aria-labelledby=${`${scope}-hours-heading`}
        @submit=${(event: SubmitEvent) => this.save(scope, event)}>
        <fieldset ?disabled=${readOnly}>
          <legend>${scope === "organisation" ? text.days : text.ownDays}</legend>
          ${weekOrder.map(
            (day) => html`<label><input type="checkbox" name="days" value=${day}
              .checked=${hours.days.includes(day)} />${text.weekdays[day]}</label>`,
          )}
        </fieldset>
        ${(["start", "end"] as const).map(
          (name) => html`<label
            >${text[name]}
            <input name=${name} .value=${hours[name]} ?disabled=${readOnly} required inputmode="numeric"
              pattern=${clockPattern} maxlength="5" placeholder=${examples[name]} aria-describedby=${id("time-hint")} />
          </label>`,
        )}
        <label
          >${text.zone}
          <select name="timeZone" ?disabled=${readOnly}>
            ${
              scope === "own"
                ? html`<option value="" ?selected=${hours.timeZone === null}>${text.tokenZone}</option>`
                : nothing
            }
            ${zoneChoices.map(
              (zone) => html`<option value=${zone} ?selected=${hours.timeZone === zone}>
                ${text.zoneNames[zone] ? text.zoneLabel(text.zoneNames[zone], zone) : zone}
              </option>`,
            )}
          </select>
        </label>
        ${
          readOnly
            ? nothing
            : html`<button type="submit">${scope === "organisation" ? text.saveOrganisation : text.saveOwn}</button>`
        }
        ${
          scope === "own" && this.panel.settings?.own
            ? html`<button type="button" data-action="reset-own" @click=${() => this.resetOwn()}>
              ${text.resetOwn}</button>`
            : nothing
        }
        <p class="hint" id=${id("time-hint")}>${text.timeHint}</p>
      </form>
    `;
  }
}

/** The form's hours as the API takes them (an own zone left to the portal is null). */
function hoursOf(data: FormData): Hours {
  return {
    days: data.getAll("days").map(String) as AvailabilityWeekday[],
    start: String(data.get("start") ?? ""),
    end: String(data.get("end") ?? ""),
    timeZone: String(data.get("timeZone") ?? "") || null,
  };
}

declare global {
  interface HTMLElementTagNameMap {
    "sakura-working-hours-panel": SakuraWorkingHoursPanel;
  }
}
