/**
 * Cards and badges: the grid of cards every element lists its things in
 * (provider accounts, Zoom hosts, interview slots), the grey outline shown
 * while they load, badges, a card's notice and its inline error.
 *
 * Templates and styles in the element's own shadow root, not elements of
 * their own: `::part(card)`, `::part(badge)` and `::part(error)` from the
 * page reach them without `exportparts`, and a card's `aria-labelledby`
 * can name its heading (id references do not cross shadow roots).
 */
import { css, html, type TemplateResult } from "lit";
import { renderDismissButton } from "./button.ts";

/** The colour a badge speaks in; the words are the caller's. */
export type BadgeTone = "success" | "warning" | "danger" | "muted";

/** A badge: `part="badge"` plus the caller's own parts (`status-badge status-active`). */
export function renderBadge(label: string, tone: BadgeTone, parts = ""): TemplateResult {
  return html`<span class="badge tone-${tone}" part=${parts ? `badge ${parts}` : "badge"}>${label}</span>`;
}

/**
 * First paint: the outline of `count` cards, so the page does not jump when
 * they arrive. Hidden from screen readers, which hear `loadingLabel` instead.
 * The outline is what the answer replaces, so it is the part marked
 * `aria-busy`, not an ancestor of both: a screen reader holds back what a live
 * region inside a busy one says until it is no longer busy.
 */
export function renderCardSkeleton(count: number, loadingLabel: string): TemplateResult {
  return html`<p part="loading" role="status" class="visually-hidden">${loadingLabel}</p>
    <ul class="cards skeleton" part="skeleton" aria-hidden="true" aria-busy="true">
      ${Array.from(
        { length: count },
        () => html`<li class="card skeleton-card">
          <span class="bone heading-bone"></span>
          <span class="bone"></span>
          <span class="bone short-bone"></span>
          <span class="bone button-bone"></span>
        </li>`,
      )}
    </ul>`;
}

/** A failure shown where it happened (`role="alert"`), with a × to dismiss it named `dismissLabel`. */
export function renderInlineError(message: string, dismissLabel: string, dismiss: () => void): TemplateResult {
  return html`<div class="error inline-error" part="error" role="alert">
    <p>${message}</p>
    ${renderDismissButton(dismissLabel, dismiss)}
  </div>`;
}

export const cardStyles = css`
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(var(--_tsunagu-card-min-width), 100%), 1fr));
    gap: calc(var(--_tsunagu-spacing) * 2);
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .card {
    display: flex;
    flex-direction: column;
    gap: var(--_tsunagu-spacing);
    padding: calc(var(--_tsunagu-spacing) * 2);
    border: 1px solid var(--_tsunagu-color-border);
    border-radius: var(--_tsunagu-radius);
    background: var(--_tsunagu-card-background);
    box-shadow: var(--_tsunagu-card-shadow);
  }

  .card-header {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--_tsunagu-spacing);
    flex-wrap: wrap;
  }

  /* First paint: grey bones where the cards will be. */
  .skeleton-card {
    min-height: 9rem;
  }

  .bone {
    display: block;
    height: 0.9em;
    width: 80%;
    border-radius: var(--_tsunagu-radius);
    background: var(--_tsunagu-color-border);
    opacity: 0.6;
  }

  .heading-bone {
    width: 45%;
    height: 1.1em;
  }

  .short-bone {
    width: 55%;
  }

  .button-bone {
    width: 9rem;
    height: 2.2em;
    margin-top: auto;
  }

  @media (prefers-reduced-motion: no-preference) {
    .bone {
      animation: pulse 1.4s ease-in-out infinite alternate;
    }
  }

  @keyframes pulse {
    to {
      opacity: 0.25;
    }
  }

  .badges {
    display: flex;
    gap: calc(var(--_tsunagu-spacing) * 0.5);
    flex-wrap: wrap;
  }

  .badge {
    display: inline-block;
    font-size: 0.85em;
    font-weight: 600;
    line-height: 1.4;
    padding: 0 calc(var(--_tsunagu-spacing) * 0.75);
    border-radius: 999px;
    border: 1px solid currentColor;
    white-space: nowrap;
  }

  .tone-success {
    color: var(--_tsunagu-color-success);
  }

  .tone-warning {
    color: var(--_tsunagu-color-warning);
  }

  .tone-danger {
    color: var(--_tsunagu-color-danger);
  }

  .tone-muted {
    color: var(--_tsunagu-color-text-muted);
  }

  .notice {
    display: grid;
    gap: var(--_tsunagu-spacing);
    justify-items: start;
    color: var(--_tsunagu-color-warning);
  }

  .actions {
    display: flex;
    gap: var(--_tsunagu-spacing);
    flex-wrap: wrap;
    margin-top: auto;
  }

  .inline-error {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: var(--_tsunagu-spacing);
  }

  .inline-error p {
    overflow-wrap: anywhere;
  }
`;
