/**
 * The week view: an ARIA grid (a `<table role="grid">`) of start times by
 * day, each cell a common free slot or the interviewers busy then, with the
 * days off in the column headers; and above it each interviewer's calendar
 * state, so unreadable calendars and people without one are flagged where
 * the slots are read. One Tab stop (roving tabindex); grid-keys.ts moves it.
 */
import { html, nothing, type TemplateResult } from "lit";
import type { AvailabilityPerson } from "@tsunagu/contract";
import { type BadgeTone, renderBadge } from "../shared/card.ts";
import type { LocalizeController } from "../shared/localize-controller.ts";
import type { GridPosition } from "./grid-keys.ts";
import type { WeekCell, WeekModel } from "./week.ts";

export interface WeekGridView {
  localize: LocalizeController;
  model: WeekModel;
  /** Portal user id → the name the portal gave. */
  names: ReadonlyMap<string, string>;
  focus: GridPosition;
  /** The chosen start (ISO), if any. */
  chosen: string | undefined;
  labelledBy: string;
  choose: (cell: WeekCell, at: GridPosition, target: HTMLElement) => void;
  keydown: (event: KeyboardEvent) => void;
}

/** A date as a column header: 12月3日（水） / Wed, Dec 3. */
export function dayLabel(localize: LocalizeController, date: string): string {
  return localize.day(`${date}T00:00:00Z`, { timeZone: "UTC" });
}

/** Minutes after midnight as a row header, on the language's clock (9:00 in Japanese, 9:00 AM in English). */
export function clockLabel(localize: LocalizeController, minutes: number): string {
  return localize.clock(minutes * 60_000, { timeZone: "UTC" });
}

/** The names of `ids` as one phrase: "Ken Sato、田中 愛子" / "Ken Sato and Aiko Tanaka". */
export function namesOf(localize: LocalizeController, names: ReadonlyMap<string, string>, ids: string[]): string {
  return localize.list(ids.map((id) => names.get(id) ?? id));
}

/**
 * A day off in the viewer's table's words: its reason and name, the Japanese name in Japanese, else the English one.
 * Not the server's own label ("祝日：成人の日"), which is in Japanese whatever the viewer's language.
 */
export function dayOffText(localize: LocalizeController, day: WeekCell["daysOff"][number]): string {
  return localize.term("dayOff", day.reason, localize.language === "ja" ? day.name : (day.nameEn ?? day.name));
}

export function renderWeekGrid(view: WeekGridView): TemplateResult {
  const { localize, model } = view;
  return html`<table role="grid" part="week" class="week" aria-labelledby=${view.labelledBy}>
    <thead>
      <tr>
        <th scope="col" class="corner">${localize.term("timeHeader")}</th>
        ${model.days.map(
          (day) => html`<th scope="col" part="day">
            <span class="day-name">${dayLabel(localize, day)}</span>
            ${(model.daysOff.get(day) ?? []).map((off) => renderBadge(dayOffText(localize, off), "warning", "day-off"))}
          </th>`,
        )}
      </tr>
    </thead>
    <tbody @keydown=${view.keydown}>
      ${model.rows.map(
        (minutes, row) => html`<tr>
          <th scope="row" part="time">${clockLabel(localize, minutes)}</th>
          ${model.cells[row]?.map((cell, column) => renderCell(view, cell, { row, column }))}
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function renderCell(view: WeekGridView, cell: WeekCell, at: GridPosition): TemplateResult {
  const { localize, names } = view;
  const selected = cell.start === view.chosen;
  const focused = at.row === view.focus.row && at.column === view.focus.column;
  const parts = [
    "slot",
    cell.free ? "free" : "taken",
    selected ? "selected" : "",
    cell.daysOff.length ? "on-day-off" : "",
  ];
  return html`<td
    part=${parts.filter(Boolean).join(" ")}
    class=${cell.free ? "free" : "taken"}
    aria-selected=${selected ? "true" : "false"}
    tabindex=${focused ? "0" : "-1"}
    data-start=${cell.start}
    data-row=${at.row}
    data-column=${at.column}
    @click=${(event: Event) => view.choose(cell, at, event.currentTarget as HTMLElement)}
  >
    ${cell.free ? html`<span class="free-mark">${localize.term("slotFree")}</span>` : nothing}
    ${
      cell.unconfirmed.length
        ? html`<span part="unconfirmed" class="flag">
            ${localize.term("unconfirmedFor", namesOf(localize, names, cell.unconfirmed))}
          </span>`
        : nothing
    }
    ${
      !cell.free && cell.busyInRow.length
        ? html`<span part="busy-block" class="busy">
            ${localize.term("busyWith", namesOf(localize, names, cell.busyInRow))}
          </span>`
        : nothing
    }
  </td>`;
}

const personTones: Record<AvailabilityPerson["status"], BadgeTone> = {
  ok: "success",
  unconfirmed: "warning",
  no_calendar: "danger",
};

/** Each interviewer with the state of their calendars: what makes a slot unconfirmed is said by name. */
export function renderPeople(
  localize: LocalizeController,
  names: ReadonlyMap<string, string>,
  ids: string[],
  people: readonly AvailabilityPerson[],
): TemplateResult {
  const byId = new Map(people.map((person) => [person.id, person]));
  return html`<ul part="people" class="people">
    ${ids.map((id) => {
      const person = byId.get(id);
      return html`<li part="person">
        <span class="person-name">${names.get(id) ?? id}</span>
        ${
          person
            ? renderBadge(
                localize.term("personStatus", person.status),
                personTones[person.status],
                `person-${person.status}`,
              )
            : nothing
        }
        ${person?.calendars
          .filter((calendar) => calendar.status === "unreadable")
          .map(
            (calendar) => html`<span part="calendar-unreadable" class="flag">
              ${localize.term("labelOf", calendar.email ?? localize.term("providerName", calendar.provider))}${
                calendar.reason ? localize.term("calendarUnreadable", calendar.reason) : calendar.detail
              }
            </span>`,
          )}
      </li>`;
    })}
  </ul>`;
}
