/**
 * 日程調整リンク: the recruiter picks a candidate, the interviewers and a
 * length, asks `POST /v1/availability` for their common free slots, ticks
 * the ones to offer, and `POST /v1/scheduling-links` makes a public link
 * where the candidate books one of them. The page shows the link (shown only
 * once by the server) and opens the candidate's page in a new tab.
 */
import type { OfferedSlot, SchedulingLinkCreated } from "@tsunagu/contract";
import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, state } from "lit/decorators.js";
import { candidateName, candidates, findCandidate } from "../candidates.ts";
import { PortalPage } from "../portal-page.ts";
import { pageStyles } from "../portal-styles.ts";
import { portalTimeZone, portalUsers } from "../users.ts";

const durations = [30, 45, 60] as const;
const rangeDays = [7, 14] as const;

type Search =
  | { state: "idle" | "searching" }
  | { state: "found"; slots: OfferedSlot[] }
  | { state: "failed"; error: unknown };
type Creation =
  | { state: "idle" | "creating" }
  | { state: "created"; link: SchedulingLinkCreated }
  | { state: "failed"; error: unknown };

@customElement("sakura-scheduling-link-page")
export class SakuraSchedulingLinkPage extends PortalPage {
  static override styles = [
    pageStyles,
    css`
      form {
        display: grid;
        gap: 0.75rem;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
      }
      .slots {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
        gap: 0.25rem 1rem;
        max-height: 20rem;
        overflow: auto;
      }
      .url {
        font-family: ui-monospace, "SFMono-Regular", Menlo, monospace;
        overflow-wrap: anywhere;
      }
    `,
  ];

  @state() private candidateId = candidates[0]?.id ?? "";
  @state() private interviewerIds: string[] = [];
  @state() private durationMinutes: number = 60;
  @state() private days: number = 7;
  @state() private zoom = true;
  @state() private search: Search = { state: "idle" };
  @state() private chosen: string[] = [];
  @state() private creation: Creation = { state: "idle" };
  @state() private copied = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("user")) this.interviewerIds = this.user && this.canBook ? [this.user.id] : [];
  }

  private candidateTitle(): string {
    return findCandidate(this.candidateId)?.nextInterview[this.locale] ?? "";
  }

  /** The range starts tomorrow at 00:00 in the portal's zone (Tokyo has no DST). */
  private range(): { start: string; end: string } {
    const tokyoToday = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const start = new Date(`${tokyoToday}T00:00:00+09:00`);
    start.setUTCDate(start.getUTCDate() + 1);
    const end = new Date(start);
    end.setUTCDate(end.getUTCDate() + this.days);
    return { start: start.toISOString(), end: end.toISOString() };
  }

  private changed(): void {
    this.search = { state: "idle" };
    this.chosen = [];
    this.creation = { state: "idle" };
  }

  private async findSlots(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.interviewerIds.length === 0) return;
    this.search = { state: "searching" };
    this.chosen = [];
    this.creation = { state: "idle" };
    try {
      const answer = await this.api.post<{ slots: OfferedSlot[] }>("/v1/availability", {
        participants: this.interviewerIds,
        ...this.range(),
        durationMinutes: this.durationMinutes,
        stepMinutes: 30,
        timeZone: portalTimeZone,
      });
      this.search = { state: "found", slots: answer.slots.map(({ start, end }) => ({ start, end })) };
    } catch (error) {
      this.search = { state: "failed", error };
    }
  }

  private async create(slots: OfferedSlot[]): Promise<void> {
    const candidate = findCandidate(this.candidateId);
    const offered = slots.filter((slot) => this.chosen.includes(slot.start));
    if (!candidate || offered.length === 0) return;
    this.creation = { state: "creating" };
    this.copied = false;
    try {
      const link = await this.api.post<SchedulingLinkCreated>("/v1/scheduling-links", {
        title: this.candidateTitle(),
        durationMinutes: this.durationMinutes,
        interviewers: this.interviewerIds,
        slots: offered,
        candidate: {
          name: candidateName(candidate, this.locale),
          email: candidate.email,
          timeZone: portalTimeZone,
          language: this.locale,
        },
        ...(this.zoom ? { zoom: {} } : {}),
      });
      this.creation = { state: "created", link };
    } catch (error) {
      this.creation = { state: "failed", error };
    }
  }

  override render() {
    const text = this.text.links;
    if (!this.canBook)
      return html`<section class="panel"><p class="muted" data-guest-note>${this.cannotBookNote}</p></section>`;
    const ja = this.locale === "ja";
    return html`
      <section class="panel" aria-labelledby="offer-heading">
        <h2 id="offer-heading">${this.text.pages.links}</h2>
        <form @submit=${(event: SubmitEvent) => this.findSlots(event)}>
          <div class="row">
            <label>${text.candidate}
              <select name="candidate" @change=${(event: Event) => {
                this.candidateId = (event.target as HTMLSelectElement).value;
                this.creation = { state: "idle" };
              }}>
                ${candidates.map(
                  (candidate) => html`<option value=${candidate.id} ?selected=${candidate.id === this.candidateId}>
                    ${ja ? candidate.name : candidate.nameLatin}</option>`,
                )}
              </select>
            </label>
            <label>${text.duration}
              <select name="duration" @change=${(event: Event) => {
                this.durationMinutes = Number((event.target as HTMLSelectElement).value);
                this.changed();
              }}>
                ${durations.map(
                  (minutes) =>
                    html`<option value=${minutes} ?selected=${minutes === this.durationMinutes}>
                      ${text.minutes(minutes)}</option>`,
                )}
              </select>
            </label>
            <label>${text.days}
              <select name="days" @change=${(event: Event) => {
                this.days = Number((event.target as HTMLSelectElement).value);
                this.changed();
              }}>
                ${rangeDays.map(
                  (days) =>
                    html`<option value=${days} ?selected=${days === this.days}>${text.daysOption(days)}</option>`,
                )}
              </select>
            </label>
          </div>
          <fieldset>
            <legend>${text.interviewers}</legend>
            <div class="choices">
              ${portalUsers.map(
                (user) => html`<label><input type="checkbox" name="interviewer" value=${user.id}
                  .checked=${this.interviewerIds.includes(user.id)}
                  @change=${(event: Event) => {
                    const others = this.interviewerIds.filter((id) => id !== user.id);
                    this.interviewerIds = (event.target as HTMLInputElement).checked ? [...others, user.id] : others;
                    this.changed();
                  }} />${ja ? user.name : user.nameLatin}</label>`,
              )}
            </div>
          </fieldset>
          <label class="choices"><span><input type="checkbox" name="zoom" .checked=${this.zoom}
            @change=${(event: Event) => (this.zoom = (event.target as HTMLInputElement).checked)} />
            ${text.zoom}</span></label>
          ${this.interviewerIds.length === 0 ? html`<p class="muted">${text.chooseInterviewer}</p>` : nothing}
          <div class="actions">
            <button type="submit" ?disabled=${this.interviewerIds.length === 0 || this.search.state === "searching"}>
              ${this.search.state === "searching" ? text.finding : text.find}</button>
          </div>
        </form>
      </section>
      ${this.renderSlots()}
      ${this.renderCreation()}
    `;
  }

  private renderSlots() {
    const text = this.text.links;
    const search = this.search;
    if (search.state === "failed")
      return html`<p class="error" role="alert">${this.localize.errorMessage(search.error)}</p>`;
    if (search.state !== "found") return nothing;
    return html`
      <section class="panel" aria-labelledby="slots-heading">
        <h2 id="slots-heading">${text.slots}</h2>
        ${
          search.slots.length === 0
            ? html`<p>${text.noSlots}</p>`
            : html`<fieldset>
              <legend>${text.slotsHint}</legend>
              <div class="slots">
                ${search.slots.map(
                  (slot) => html`<label class="choices"><span><input type="checkbox" name="slot" value=${slot.start}
                    .checked=${this.chosen.includes(slot.start)}
                    @change=${(event: Event) => {
                      const others = this.chosen.filter((start) => start !== slot.start);
                      this.chosen = (event.target as HTMLInputElement).checked ? [...others, slot.start] : others;
                    }} /> ${this.timeSpan(slot.start, slot.end)}</span></label>`,
                )}
              </div>
            </fieldset>
            <div class="actions">
              <button type="button" class="primary" data-action="create-link"
                ?disabled=${this.chosen.length === 0 || this.creation.state === "creating"}
                @click=${() => this.create(search.slots)}>
                ${this.creation.state === "creating" ? text.creating : text.create}</button>
              ${this.chosen.length === 0 ? html`<span class="muted">${text.chooseSlot}</span>` : nothing}
            </div>`
        }
      </section>
    `;
  }

  private renderCreation() {
    const text = this.text.links;
    const creation = this.creation;
    if (creation.state === "failed")
      return html`<p class="error" role="alert">${this.localize.errorMessage(creation.error)}</p>`;
    if (creation.state !== "created") return nothing;
    const { link } = creation;
    return html`
      <section class="panel" aria-labelledby="link-heading" data-link-id=${link.id}>
        <h2 id="link-heading">${text.created}</h2>
        <table>
          <tbody>
            <tr><th scope="row">${text.url}</th><td class="url" data-link-url>${link.url}</td></tr>
            <tr><th scope="row">${text.expires}</th>
              <td>${this.localize.moment(link.expiresAt, { withYear: true })}</td></tr>
          </tbody>
        </table>
        <div class="actions">
          <a class="button primary" href=${link.url} target="_blank" rel="noopener"
            data-action="open-link">${text.open}</a>
          <button type="button" @click=${() => this.copy(link.url)}>${text.copy}</button>
          <span role="status">${this.copied ? text.copied : ""}</span>
        </div>
      </section>
    `;
  }

  private async copy(url: string): Promise<void> {
    await navigator.clipboard.writeText(url);
    this.copied = true;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sakura-scheduling-link-page": SakuraSchedulingLinkPage;
  }
}
