/**
 * The free times section around the week grid: what is loading or failed
 * (with a retry), that nobody is free, the week's name with the previous and
 * next week buttons, and the grid itself.
 */
import { html, nothing, type TemplateResult } from "lit";
import { renderButton } from "../shared/button.ts";
import type { LocalizeController } from "../shared/localize-controller.ts";
import type { GridPosition } from "./grid-keys.ts";
import type { WeekCell, WeekModel } from "./week.ts";
import { dayLabel, renderWeekGrid } from "./week-grid.ts";

export interface SlotsView {
  localize: LocalizeController;
  phase: "idle" | "loading" | "ready" | "failed";
  /** How many free times the answer has. */
  count: number;
  /** Whether some of them count without an interviewer whose calendar could not be read. */
  unconfirmed: boolean;
  loadError: unknown;
  model: WeekModel;
  names: ReadonlyMap<string, string>;
  focus: GridPosition;
  chosen: string | undefined;
  /** Whether the range goes on before and after the week shown. */
  earlier: boolean;
  later: boolean;
  retry: () => void;
  moveWeek: (days: number) => void;
  choose: (cell: WeekCell, at: GridPosition, target: HTMLElement) => void;
  keydown: (event: KeyboardEvent) => void;
}

export function renderSlots(view: SlotsView): TemplateResult {
  const { localize, model, phase } = view;
  const status =
    phase === "loading"
      ? localize.term("slotsLoading")
      : phase === "ready"
        ? localize.term("slotsLoaded", view.count, view.unconfirmed)
        : "";
  const first = model.days[0];
  const last = model.days.at(-1);
  const label = first && last ? localize.term("weekLabel", dayLabel(localize, first), dayLabel(localize, last)) : "";
  return html`<p part="loading" role="status" class=${phase === "loading" ? "muted" : "visually-hidden"}>${status}</p>
    ${phase === "idle" ? html`<p part="notice" class="muted">${localize.term("slotsNeedInput")}</p>` : nothing}
    ${
      phase === "failed"
        ? html`<div part="error" class="error" role="alert">
            <p>${localize.failure(localize.term("slotsLoadFailed"), view.loadError)}</p>
            ${renderButton({ label: localize.term("retry"), data: { "retry-free-times": true }, onClick: view.retry })}
          </div>`
        : nothing
    }
    ${phase === "ready" && view.count === 0 ? html`<p part="notice">${localize.term("slotsNone")}</p>` : nothing}
    <div part="week-nav" class="week-nav">
      <span id="week-label">${label}</span>
      ${
        view.earlier
          ? renderButton({
              label: localize.term("previousWeek"),
              data: { "previous-week": true },
              onClick: () => view.moveWeek(-7),
            })
          : nothing
      }
      ${
        view.later
          ? renderButton({
              label: localize.term("nextWeek"),
              data: { "next-week": true },
              onClick: () => view.moveWeek(7),
            })
          : nothing
      }
    </div>
    <div class="week-scroll" aria-busy=${phase === "loading" ? "true" : "false"}>
      ${renderWeekGrid({
        localize,
        model,
        names: view.names,
        focus: view.focus,
        chosen: view.chosen,
        labelledBy: "week-label",
        choose: view.choose,
        keydown: view.keydown,
      })}
    </div>`;
}
