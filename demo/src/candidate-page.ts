/**
 * A candidate's page in the portal: who they are, and `<schedule-interview>`
 * to book their interview with the signed-in recruiter and a colleague. The
 * portal gives the element the interviewers (its own user ids and names) and
 * the candidate; Tsunagu finds the free times, the Zoom host and the calendar.
 */
import { css, html, LitElement } from "lit";
import { customElement, property } from "lit/decorators.js";
import "@tsunagu/widgets/schedule-interview";
import type { HostTokenProvider } from "@tsunagu/widgets";
import { portalStrings } from "./strings.ts";
import { findPortalUser, type PortalLanguage, type PortalUser } from "./users.ts";

/** The candidate this demo page is about. */
const candidate = {
  name: "小林 葵",
  nameLatin: "Aoi Kobayashi",
  email: "aoi.kobayashi@example.com",
  position: { ja: "バックエンドエンジニア", en: "Backend engineer" },
};

/** The colleague who interviews with the signed-in user (or instead of them, when that is who is signed in). */
const colleagueIds = ["sho", "misaki"];

@customElement("sakura-candidate-page")
export class SakuraCandidatePage extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      gap: 0.75rem;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.25rem 1rem;
      margin: 0;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
    }
  `;

  @property({ attribute: false }) server = "";
  @property({ attribute: false }) tokenProvider: HostTokenProvider | null = null;
  @property({ attribute: false }) user: PortalUser | null = null;
  @property() language: PortalLanguage = "ja";

  override render() {
    const text = portalStrings[this.language].candidate;
    const name = (user: PortalUser) => (this.language === "ja" ? user.name : user.nameLatin);
    const colleague = colleagueIds.map(findPortalUser).find((found) => found && found.id !== this.user?.id);
    const interviewers = [this.user, colleague]
      .filter((person): person is PortalUser => person !== null && person !== undefined && person.role !== "guest")
      .map((person) => ({ id: person.id, name: name(person) }));
    return html`
      <dl>
        <dt>${text.name}</dt>
        <dd>${this.language === "ja" ? candidate.name : candidate.nameLatin}</dd>
        <dt>${text.email}</dt>
        <dd>${candidate.email}</dd>
        <dt>${text.position}</dt>
        <dd>${candidate.position[this.language]}</dd>
      </dl>
      <schedule-interview
        heading-level="3"
        web-interview
        .server=${this.server}
        .tokenProvider=${this.tokenProvider}
        .interviewers=${interviewers}
        .candidate=${{ name: candidate.name, email: candidate.email, language: "ja", timeZone: "Asia/Tokyo" }}
      ></schedule-interview>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sakura-candidate-page": SakuraCandidatePage;
  }
}
