/** 候補者: the portal's applicants, each opening its own page where interviews are scheduled. */
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { candidates } from "../candidates.ts";
import { PortalPage } from "../portal-page.ts";
import { pageStyles } from "../portal-styles.ts";
import { candidateHref } from "../routes.ts";

@customElement("sakura-candidate-list")
export class SakuraCandidateList extends PortalPage {
  static override styles = pageStyles;

  override render() {
    const text = this.text.candidates;
    const ja = this.locale === "ja";
    return html`
      <section class="panel" aria-labelledby="candidates-heading">
        <h2 id="candidates-heading">${text.listLabel}</h2>
        <div class="table-scroll" style="--table-min-width: 40rem">
        <table>
          <thead>
            <tr><th scope="col">${text.name}</th><th scope="col">${text.position}</th>
              <th scope="col">${text.stage}</th><th scope="col">${text.email}</th></tr>
          </thead>
          <tbody>
            ${candidates.map(
              (candidate) => html`<tr data-candidate=${candidate.id}>
                <td><a href=${candidateHref(candidate.id)}>${ja ? candidate.name : candidate.nameLatin}</a></td>
                <td>${candidate.position[this.locale]}</td>
                <td>${text.stages[candidate.stage]}</td>
                <td>${candidate.email}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        </div>
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "sakura-candidate-list": SakuraCandidateList;
  }
}
