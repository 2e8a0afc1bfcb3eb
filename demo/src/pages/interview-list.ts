/**
 * 面接一覧: the organisation's interviews from `GET /v1/interviews`, each with
 * a reschedule action (`<schedule-interview>` in edit mode for that
 * interview) and a cancel action behind a confirmation (`DELETE
 * /v1/interviews/:id`, which removes the Zoom meeting and the event too).
 * Guests see the list and no action.
 */
import type { InterviewView } from "@tsunagu/contract";
import "@tsunagu/widgets/schedule-interview";
import { isAbortError } from "@tsunagu/widgets";
import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import { interviewCandidateName } from "../candidates.ts";
import { PortalPage } from "../portal-page.ts";
import { pageStyles } from "../portal-styles.ts";
import { interviewerName } from "../users.ts";

type Load =
  | { state: "loading" }
  | { state: "loaded"; interviews: InterviewView[] }
  | { state: "failed"; error: unknown };

@customElement("sakura-interview-list")
export class SakuraInterviewList extends PortalPage {
  static override styles = [
    pageStyles,
    css`
      td.actions {
        white-space: nowrap;
      }
      .join {
        overflow-wrap: anywhere;
      }
    `,
  ];

  @state() private load: Load = { state: "loading" };
  /** The interview open in `<schedule-interview>`'s edit mode. */
  @state() private editing: InterviewView | undefined;
  /** The interview the confirmation asks about. */
  @state() private confirming: InterviewView | undefined;
  @state() private cancelling = false;
  @state() private notice: string | undefined;
  @state() private actionError: unknown;
  @query("dialog") private dialog!: HTMLDialogElement;
  /**
   * The interviewers given to the editor, named in the page's language, made again only when the interview or the
   * language changes (a new array is a new question to the element).
   */
  private editorInterviewers: Array<{ id: string; name: string }> = [];
  private loading: AbortController | undefined;

  // Untyped: the private states are among the keys.
  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("server") || changed.has("tokenProvider") || changed.has("user")) void this.reload();
    if (changed.has("editing") || changed.has("locale"))
      this.editorInterviewers = (this.editing?.interviewers ?? []).map((person) => ({
        id: person.userId,
        name: interviewerName(person, this.locale),
      }));
  }

  async reload(): Promise<void> {
    this.loading?.abort();
    // A guest may not read the list (the server answers 403): they get the note alone.
    if (!this.canReadInterviews) return;
    const abort = new AbortController();
    this.loading = abort;
    if (this.load.state !== "loaded") this.load = { state: "loading" };
    try {
      const { interviews } = await this.api.get<{ interviews: InterviewView[] }>("/v1/interviews", {
        signal: abort.signal,
      });
      this.load = { state: "loaded", interviews };
    } catch (error) {
      if (isAbortError(error)) return;
      this.load = { state: "failed", error };
    }
  }

  private when(interview: InterviewView): string {
    return this.timeSpan(interview.start, interview.end);
  }

  private askToCancel(interview: InterviewView): void {
    this.confirming = interview;
    this.actionError = undefined;
    void this.updateComplete.then(() => this.dialog.showModal());
  }

  private async confirmCancel(): Promise<void> {
    const interview = this.confirming;
    if (!interview) return;
    this.cancelling = true;
    try {
      await this.api.delete(`/v1/interviews/${encodeURIComponent(interview.id)}`);
      this.notice = this.text.interviews.cancelled(interview.title);
      this.dialog.close();
      if (this.editing?.id === interview.id) this.editing = undefined;
      await this.reload();
    } catch (error) {
      this.actionError = error;
    } finally {
      this.cancelling = false;
    }
  }

  override render() {
    const text = this.text.interviews;
    return html`
      <section class="panel" aria-labelledby="interviews-heading">
        <div class="actions">
          <h2 id="interviews-heading">${text.tableLabel}</h2>
          <button type="button" @click=${() => this.reload()}>${text.reload}</button>
        </div>
        ${this.canBook ? nothing : html`<p class="muted" data-guest-note>${this.cannotBookNote}</p>`}
        <p role="status">${this.notice ?? ""}</p>
        <!-- Busy: the list the answer replaces, not the status line above, which a screen reader would hold back. -->
        <div class="load" aria-busy=${this.load.state === "loading" && this.canReadInterviews ? "true" : "false"}>
          ${this.renderLoad()}
        </div>
      </section>
      ${this.editing ? this.renderEditor(this.editing) : nothing}
      ${this.renderConfirmation()}
    `;
  }

  private renderLoad() {
    const text = this.text.interviews;
    if (!this.canReadInterviews) return nothing;
    if (this.load.state === "loading") return html`<p>${text.loading}</p>`;
    if (this.load.state === "failed")
      return html`<p class="error" role="alert">${this.localize.errorMessage(this.load.error)}</p>`;
    if (this.load.interviews.length === 0) return html`<p>${text.empty}</p>`;
    return html`
      <div class="table-scroll" style="--table-min-width: 56rem">
      <table>
        <thead>
          <tr>
            <th scope="col">${text.when}</th><th scope="col">${text.title}</th><th scope="col">${text.candidate}</th>
            <th scope="col">${text.interviewers}</th><th scope="col">${text.web}</th>
            <th scope="col">${text.status}</th>${this.canBook ? html`<th scope="col">${text.actions}</th>` : nothing}
          </tr>
        </thead>
        <tbody>
          ${this.load.interviews.map((interview) => this.renderRow(interview))}
        </tbody>
      </table>
      </div>
    `;
  }

  private renderRow(interview: InterviewView) {
    const text = this.text.interviews;
    const open = interview.status !== "cancelled" && interview.status !== "failed";
    const tone = interview.status === "confirmed" ? "good" : open ? "" : "bad";
    const joinUrl = interview.zoom?.joinUrl ?? interview.joinUrl;
    // A cancelled or failed web interview has no meeting left to join, but it was not an in-person one.
    const web = joinUrl
      ? html`<a href=${joinUrl} target="_blank" rel="noopener">${text.join}</a>`
      : interview.conference === null
        ? text.noWeb
        : "—";
    const separator = this.locale === "ja" ? "、" : ", ";
    return html`<tr data-interview=${interview.id}>
      <td>${this.when(interview)}</td>
      <th scope="row">${interview.title}</th>
      <td>${interviewCandidateName(interview.candidate, this.locale)}</td>
      <td>${interview.interviewers.map((person) => interviewerName(person, this.locale)).join(separator)}</td>
      <td class="join">${web}</td>
      <td><span class="badge ${tone}">${text.statuses[interview.status]}</span></td>
      ${
        this.canBook
          ? html`<td class="actions">${
              open
                ? html`<button type="button" data-action="reschedule"
                    aria-label=${text.about(text.reschedule, interview.title)}
                    @click=${() => (this.editing = interview)}>${text.reschedule}</button>
                  <button type="button" class="danger" data-action="cancel"
                    aria-label=${text.about(text.cancel, interview.title)}
                    @click=${() => this.askToCancel(interview)}>${text.cancel}</button>`
                : nothing
            }</td>`
          : nothing
      }
    </tr>`;
  }

  private renderEditor(interview: InterviewView) {
    const text = this.text.interviews;
    const settled = () => void this.reload();
    return html`
      <section class="panel" data-tsunagu-slot="schedule-interview-edit" aria-labelledby="edit-heading">
        <div class="actions">
          <h2 id="edit-heading">${text.editing(interview.title)}</h2>
          <button type="button" @click=${() => (this.editing = undefined)}>${text.close}</button>
        </div>
        <schedule-interview
          heading-level="3"
          .server=${this.server}
          .tokenProvider=${this.tokenProvider}
          .locale=${this.locale}
          .interviewId=${interview.id}
          .interviewers=${this.editorInterviewers}
          @tsunagu-interview-updated=${settled}
          @tsunagu-interview-cancelled=${() => {
            this.editing = undefined;
            settled();
          }}
        ></schedule-interview>
      </section>
    `;
  }

  private renderConfirmation() {
    const text = this.text.interviews;
    const interview = this.confirming;
    return html`
      <dialog aria-labelledby="confirm-heading" @close=${() => (this.confirming = undefined)}>
        ${
          interview
            ? html`<h2 id="confirm-heading">${text.confirmHeading}</h2>
              <p>${text.confirmBody(
                interview.title,
                this.when(interview),
                interviewCandidateName(interview.candidate, this.locale),
              )}</p>
              ${
                this.actionError === undefined
                  ? nothing
                  : html`<p class="error" role="alert">${this.localize.errorMessage(this.actionError)}</p>`
              }
              <div class="actions dialog-actions">
                <button type="button" autofocus @click=${() => this.dialog.close()}>${text.keep}</button>
                <button type="button" class="danger" data-action="confirm-cancel" ?disabled=${this.cancelling}
                  @click=${() => this.confirmCancel()}>${text.confirmCancel}</button>
              </div>`
            : nothing
        }
      </dialog>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sakura-interview-list": SakuraInterviewList;
  }
}
