/**
 * One candidate's page: who they are, the interviewers the portal proposes
 * (any of its users, the signed-in one first), and `<schedule-interview>`
 * with that candidate and those interviewers. A guest sees the candidate and
 * no booking action.
 */
import "@tsunagu/widgets/schedule-interview";
import { css, html, nothing, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";
import { candidateName, findCandidate } from "../candidates.ts";
import { PortalPage } from "../portal-page.ts";
import { pageStyles } from "../portal-styles.ts";
import type { TemplateKey } from "../template-defaults.ts";
import { type PortalLanguage, portalUsers, userName } from "../users.ts";

const confirmationTemplateKey: TemplateKey = "interview_confirmed";

@customElement("sakura-candidate-page")
export class SakuraCandidatePage extends PortalPage {
  static override styles = [
    pageStyles,
    css`
      /* A long address breaks rather than widen the page on a phone. */
      .profile td {
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: "candidate-id" }) candidateId = "";
  /** Portal user ids of the chosen interviewers. */
  @state() private interviewerIds: string[] = [];
  /** Booked here: the element says so in its result; the page adds the way to the interview list. */
  @state() private scheduled = false;
  /** The languages in which the organisation saved its 日程確定メール: the element then renders that one. */
  @state() private confirmationLanguages: string[] = [];
  /**
   * What the element is given, made again only when its inputs change: a new array or object is a new question to
   * the element, which starts over (a re-render of this page must not send it back from its result).
   */
  private elementInterviewers: Array<{ id: string; name: string }> = [];
  private elementCandidate: { name: string; email: string; language: PortalLanguage } | null = null;

  // Untyped: the private states are among the keys.
  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("server") || changed.has("tokenProvider")) void this.loadTemplates();
    // A new candidate or a new signed-in user starts from the signed-in user as the interviewer.
    if (changed.has("candidateId") || changed.has("user")) {
      this.interviewerIds = this.user && this.user.role !== "guest" ? [this.user.id] : [];
      this.scheduled = false;
    }
    // The candidate's message is written in the page's language: every name in it (and on the page) is written as
    // that language writes it, Aoi Yoshida and Ken Sato in English.
    if (changed.has("interviewerIds") || changed.has("locale")) {
      this.elementInterviewers = portalUsers
        .filter((user) => this.interviewerIds.includes(user.id))
        .map((user) => ({ id: user.id, name: userName(user, this.locale) }));
    }
    if (changed.has("candidateId") || changed.has("locale")) {
      const candidate = findCandidate(this.candidateId);
      this.elementCandidate = candidate
        ? { name: candidateName(candidate, this.locale), email: candidate.email, language: this.locale }
        : null;
    }
  }

  private async loadTemplates(): Promise<void> {
    try {
      const { templates } = await this.api.get<{ templates: Array<{ key: string; language: string }> }>(
        "/v1/templates",
      );
      this.confirmationLanguages = templates
        .filter((template) => template.key === confirmationTemplateKey)
        .map((template) => template.language);
    } catch {
      // Without the list the element writes its own message, which is what it does for an organisation without one.
      this.confirmationLanguages = [];
    }
  }

  private toggleInterviewer(id: string, chosen: boolean): void {
    const others = this.interviewerIds.filter((other) => other !== id);
    this.interviewerIds = chosen ? [...others, id] : others;
  }

  override render() {
    const text = this.text.candidate;
    const candidate = findCandidate(this.candidateId);
    if (!candidate)
      return html`<p class="error" role="alert">${text.notFound(this.candidateId)}</p>
        <p><a href="#/candidates">${text.back}</a></p>`;
    const name = candidateName(candidate, this.locale);
    return html`
      <p><a href="#/candidates">${text.back}</a></p>
      <section class="panel" aria-labelledby="profile-heading">
        <h2 id="profile-heading">${text.profile(name)}</h2>
        <table class="profile">
          <tbody>
            <tr><th scope="row">${this.text.candidates.position}</th><td>${candidate.position[this.locale]}</td></tr>
            <tr><th scope="row">${this.text.candidates.stage}</th>
              <td>${this.text.candidates.stages[candidate.stage]}</td></tr>
            <tr><th scope="row">${this.text.candidates.email}</th><td>${candidate.email}</td></tr>
          </tbody>
        </table>
      </section>
      <section class="panel" data-tsunagu-slot="schedule-interview" aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">${text.schedule}</h2>
        ${
          this.canBook
            ? this.renderBooking(candidate.nextInterview[this.locale])
            : html`
          <p class="muted" data-guest-note>${this.cannotBookNote}</p>`
        }
      </section>
    `;
  }

  private renderBooking(title: string) {
    const text = this.text.candidate;
    return html`
      <fieldset>
        <legend>${text.interviewers}</legend>
        <p class="muted">${text.interviewersHint}</p>
        <div class="choices">
          ${portalUsers.map(
            (user) => html`<label><input type="checkbox" name="interviewer" value=${user.id}
              .checked=${this.interviewerIds.includes(user.id)}
              @change=${(event: Event) => this.toggleInterviewer(user.id, (event.target as HTMLInputElement).checked)}
            />${userName(user, this.locale)}</label>`,
          )}
        </div>
      </fieldset>
      <schedule-interview
        heading-level="3"
        .server=${this.server}
        .tokenProvider=${this.tokenProvider}
        .locale=${this.locale}
        .interviewers=${this.elementInterviewers}
        .candidate=${this.elementCandidate}
        meeting-title=${title}
        web-interview
        template-key=${this.confirmationLanguages.includes(this.locale) ? confirmationTemplateKey : nothing}
        @tsunagu-interview-scheduled=${() => (this.scheduled = true)}
      ></schedule-interview>
      ${this.scheduled ? html`<p data-see-interviews><a href="#/interviews">${text.seeInterviews}</a></p>` : nothing}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sakura-candidate-page": SakuraCandidatePage;
  }
}
