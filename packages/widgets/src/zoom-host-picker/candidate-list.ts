/**
 * The candidates as a radio group of cards (WAI-ARIA radio group pattern):
 * each Zoom user named by its name and described by its state, its reason,
 * its load and, for the server's pick, the pick's reason, all by id
 * references inside the element's one shadow root. Hosts that cannot host
 * stay in the group, `aria-disabled`, so their reason can be read.
 */
import { html, nothing, type TemplateResult } from "lit";
import { renderBadge } from "../shared/card.ts";
import type { LocalizeController } from "../shared/localize-controller.ts";
import { knownReason, type ZoomHostCandidate, type ZoomHostsAnswer } from "./zoom-hosts-api.ts";

export interface CandidateListView {
  localize: LocalizeController;
  answer: ZoomHostsAnswer;
  /** Where a Zoom user that needs linking again is linked: the page's words, or the table's. */
  linkPlace: string;
  /** The chosen `zoomUserId`, or "". */
  selected: string;
  required: boolean;
  disabled: boolean;
  /** The index of the one radio Tab reaches, or undefined when the group is disabled. */
  tabStop: number | undefined;
  /** The id of the element that labels the group. */
  labelledBy: string;
  choose: (candidate: ZoomHostCandidate, radio: HTMLElement) => void;
  keydown: (event: KeyboardEvent) => void;
}

/** The id of the pick's reason, which describes the picked radio too. */
const pickReasonId = "pick-reason";

export function renderCandidateList(view: CandidateListView): TemplateResult {
  const { localize, answer } = view;
  return html`
    <div
      role="radiogroup"
      class="cards"
      part="list"
      aria-labelledby=${view.labelledBy}
      aria-required=${view.required ? "true" : "false"}
      aria-disabled=${view.disabled ? "true" : nothing}
      @keydown=${view.keydown}
    >
      ${answer.candidates.map((candidate, index) => renderCandidate(view, candidate, index))}
    </div>
    ${
      answer.pick
        ? html`<p id=${pickReasonId} part="pick-reason"
          class="pick-reason">${localize.term("zoomHostPickedBecause", answer.pick.reason)}</p>`
        : html`<p part="notice" class="notice">${localize.term("zoomHostsNoPick")}</p>`
    }
  `;
}

function renderCandidate(view: CandidateListView, candidate: ZoomHostCandidate, index: number): TemplateResult {
  const { localize } = view;
  const checked = candidate.zoomUserId === view.selected;
  const picked = view.answer.pick?.zoomUserId === candidate.zoomUserId;
  const known = knownReason(candidate.reason);
  const statusCode = candidate.canHost ? "available" : (known ?? "unavailable");
  const reasonText = candidate.canHost
    ? undefined
    : known
      ? localize.term("zoomHostReason", known, view.linkPlace)
      : localize.term("zoomHostReasonOther");
  const described = [`state-${index}`, reasonText ? `reason-${index}` : "", `load-${index}`, picked ? pickReasonId : ""]
    .filter(Boolean)
    .join(" ");
  const parts = ["card", "candidate-card", checked ? "selected" : "", candidate.canHost ? "" : "unavailable"]
    .filter(Boolean)
    .join(" ");
  return html`<div
    role="radio"
    class="card candidate"
    part=${parts}
    data-zoom-user-id=${candidate.zoomUserId}
    aria-checked=${checked ? "true" : "false"}
    aria-disabled=${candidate.canHost && !view.disabled ? nothing : "true"}
    aria-labelledby="name-${index}"
    aria-describedby=${described}
    tabindex=${view.tabStop === index ? "0" : "-1"}
    @click=${(event: Event) => view.choose(candidate, event.currentTarget as HTMLElement)}
  >
    <div class="card-header">
      <span class="mark" aria-hidden="true"></span>
      <span id="name-${index}" part="candidate-name" class="name">${candidate.displayName}</span>
      <span class="badges">
        <span id="state-${index}" class="state"
          >${renderBadge(
            localize.term(candidate.canHost ? "zoomHostAvailable" : "zoomHostUnavailable"),
            candidate.canHost ? "success" : "warning",
            `status-badge status-${statusCode}`,
          )}</span
        >
        ${picked ? renderBadge(localize.term("zoomHostSuggested"), "muted", "pick-badge") : nothing}
      </span>
    </div>
    ${reasonText ? html`<span id="reason-${index}" part="status-reason" class="reason">${reasonText}</span>` : nothing}
    <span id="load-${index}" part="load"
      class="muted">${localize.term("zoomHostLoad", candidate.load, candidate.limit)}</span>
  </div>`;
}
