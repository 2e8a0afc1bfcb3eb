/**
 * The form's controls: the title and the candidate, the length, the days and
 * the hours, and the organiser's calendar account. Native inputs with
 * visible labels; the element keeps the values (a failure never loses them).
 */
import type { AccountView } from "@tsunagu/contract";
import { html, nothing, type TemplateResult } from "lit";
import type { LocalizeController } from "../shared/localize-controller.ts";

/** The lengths offered, besides the current one. */
const durations = [15, 30, 45, 60, 90, 120];

export interface ControlsView {
  localize: LocalizeController;
  title: string;
  candidateName: string;
  candidateEmail: string;
  /** Editing an interview: the candidate is who they are. */
  candidateLocked: boolean;
  duration: number;
  firstDay: string;
  lastDay: string;
  hoursStart: string;
  hoursEnd: string;
  set: (field: ControlField, value: string) => void;
}

export type ControlField =
  | "title"
  | "candidateName"
  | "candidateEmail"
  | "duration"
  | "rangeStart"
  | "rangeEnd"
  | "hoursStart"
  | "hoursEnd";

export function renderControls(view: ControlsView): TemplateResult {
  const { localize } = view;
  const lengths = [...new Set([...durations, view.duration])].sort((a, b) => a - b);
  return html`<div part="controls" class="controls">
    ${text(view, "title", "titleLabel", view.title, false)}
    ${text(view, "candidateName", "candidateNameLabel", view.candidateName, view.candidateLocked)}
    ${text(view, "candidateEmail", "candidateEmailLabel", view.candidateEmail, view.candidateLocked, "email")}
    <label class="field"><span>${localize.term("durationLabel")}</span>
      <select id="duration"
        @change=${(event: Event) => view.set("duration", (event.target as HTMLSelectElement).value)}>
        ${lengths.map(
          (minutes) => html`<option value=${minutes} ?selected=${minutes === view.duration}>
            ${localize.term("minutes", minutes)}
          </option>`,
        )}
      </select>
    </label>
    ${input(view, "rangeStart", "rangeStartLabel", "date", view.firstDay)}
    ${input(view, "rangeEnd", "rangeEndLabel", "date", view.lastDay)}
    ${input(view, "hoursStart", "hoursStartLabel", "time", view.hoursStart)}
    ${input(view, "hoursEnd", "hoursEndLabel", "time", view.hoursEnd)}
  </div>`;
}

export function renderCalendarAccount(
  localize: LocalizeController,
  accounts: readonly AccountView[] | undefined,
  chosen: string,
  locked: boolean,
  choose: (accountId: string) => void,
): TemplateResult | typeof nothing {
  if (!accounts) return nothing;
  if (accounts.length === 0) return html`<p part="notice" class="error">${localize.term("calendarAccountNone")}</p>`;
  return html`<label class="field"><span>${localize.term("calendarAccountLabel")}</span>
    <select id="calendar-account" ?disabled=${locked}
      @change=${(event: Event) => choose((event.target as HTMLSelectElement).value)}>
      ${accounts.map(
        (account) => html`<option value=${account.id} ?selected=${account.id === chosen}>
          ${accountName(localize, account)}
        </option>`,
      )}
    </select>
  </label>`;
}

/** "Google: recruit@sakura.example". */
export function accountName(localize: LocalizeController, account: AccountView): string {
  // The language's own colon: "Google：recruit@…" in Japanese.
  return (
    localize.term("labelOf", localize.term("providerName", account.provider)) + (account.email ?? account.displayName)
  );
}

/** The ids the tests and the page reach the inputs by: `candidateName` → `candidate-name`. */
function idOf(field: ControlField): string {
  return field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function text(
  view: ControlsView,
  field: ControlField,
  label: "titleLabel" | "candidateNameLabel" | "candidateEmailLabel",
  value: string,
  locked: boolean,
  type = "text",
): TemplateResult {
  return html`<label class="field"><span>${view.localize.term(label)}</span>
    <input id=${idOf(field)} type=${type} .value=${value} ?readonly=${locked}
      @input=${(event: Event) => view.set(field, (event.target as HTMLInputElement).value)} />
  </label>`;
}

function input(
  view: ControlsView,
  field: ControlField,
  label: "rangeStartLabel" | "rangeEndLabel" | "hoursStartLabel" | "hoursEndLabel",
  type: "date" | "time",
  value: string,
): TemplateResult {
  return html`<label class="field"><span>${view.localize.term(label)}</span>
    <input id=${idOf(field)} type=${type} .value=${value} step=${type === "time" ? 1800 : nothing}
      @change=${(event: Event) => {
        const entered = (event.target as HTMLInputElement).value;
        if (entered) view.set(field, entered);
      }} />
  </label>`;
}
