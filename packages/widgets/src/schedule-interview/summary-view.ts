/**
 * The confirmation summary: what will be booked (or changed), and the flags
 * on the chosen time (someone busy, a day off, a calendar that could not
 * confirm it), before the one button that sends it.
 */
import { html, type TemplateResult } from "lit";
import { renderButton } from "../shared/button.ts";
import { renderBadge } from "../shared/card.ts";
import { type HeadingLevel, heading } from "../shared/heading.ts";
import type { LocalizeController } from "../shared/localize-controller.ts";
import type { WeekCell } from "./week.ts";
import { dayOffText, namesOf } from "./week-grid.ts";

export interface SummaryView {
  localize: LocalizeController;
  level: HeadingLevel;
  title: string;
  when: string;
  names: ReadonlyMap<string, string>;
  candidate: string;
  calendar: string;
  webInterview: string;
  /** The chosen time's cell, for its flags (undefined when the answer has none for it). */
  cell: WeekCell | undefined;
  editing: boolean;
  waiting: boolean;
  back: () => void;
  confirm: () => void;
}

/** Why the chosen time may not suit: who is busy, the days off, whose calendars could not confirm it. */
export function summaryWarnings(
  localize: LocalizeController,
  names: ReadonlyMap<string, string>,
  cell: WeekCell | undefined,
): string[] {
  if (!cell) return [];
  return [
    ...(!cell.free && cell.busy.length ? [localize.term("pickedBusy", namesOf(localize, names, cell.busy))] : []),
    ...cell.daysOff.map((off) => dayOffText(localize, off)),
    ...(cell.unconfirmed.length ? [localize.term("unconfirmedFor", namesOf(localize, names, cell.unconfirmed))] : []),
  ];
}

/** `failure`: the last attempt's failure, rendered where it happened (here). */
export function renderSummary(view: SummaryView, failure: unknown): TemplateResult {
  const { localize, names } = view;
  const rows: Array<[string, string]> = [
    [localize.term("titleLabel"), view.title],
    [localize.term("whenLabel"), view.when],
    [localize.term("interviewersLabel"), namesOf(localize, names, [...names.keys()])],
    [localize.term("candidateLabel"), view.candidate],
    [localize.term("calendarAccountLabel"), view.calendar],
    [localize.term("webInterviewLabel"), view.webInterview],
  ];
  return html`<section part="summary" class="summary" aria-labelledby="summary-heading">
    ${heading(view.level, "summary-heading", localize.term("summaryHeading"), "section-heading")}
    <dl>${rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>
    ${summaryWarnings(localize, names, view.cell).map(
      (warning) => html`<p>${renderBadge(warning, "warning", "warning")}</p>`,
    )}
    ${failure}
    <div class="actions">
      ${renderButton({
        label: localize.term("back"),
        waiting: view.waiting,
        data: { back: true },
        onClick: view.back,
      })}
      ${renderButton({
        label: localize.term(view.editing ? "saveChanges" : "confirm"),
        tone: "primary",
        waiting: view.waiting,
        data: { confirm: true },
        onClick: view.confirm,
      })}
    </div>
  </section>`;
}
