/**
 * The element's own look, on top of `themeStyles`. Colours, radius, spacing
 * and font come from the shared `--tsunagu-*` properties; the few
 * properties below are this element's.
 *
 * @cssproperty --tsunagu-card-min-width - The narrowest a provider card gets before the grid wraps. Default: 17rem.
 * @cssproperty --tsunagu-card-background - Card background. Default: the surface colour.
 * @cssproperty --tsunagu-card-shadow - Card shadow. Default: none.
 * @cssproperty --tsunagu-dialog-width - Width of the confirmation dialog. Default: min(32rem, 100vw - 2rem).
 */
import { css } from "lit";

export const integrationAccountsStyles = css`
  :host {
    --_card-min-width: var(--tsunagu-card-min-width, 17rem);
    --_card-background: var(--tsunagu-card-background, var(--_tsunagu-color-surface));
    --_card-shadow: var(--tsunagu-card-shadow, none);
    --_dialog-width: var(--tsunagu-dialog-width, min(32rem, calc(100vw - 2rem)));
    --_gap: var(--_tsunagu-spacing);
  }

  [part~="base"] {
    display: grid;
    gap: calc(var(--_gap) * 3);
  }

  /* Japanese wraps between phrases, not inside words, where the browser can tell them apart. */
  @supports (word-break: auto-phrase) {
    :lang(ja) {
      word-break: auto-phrase;
    }
  }

  /* Long ids, emails and domains may break anywhere rather than overflow the card. */
  .identity,
  .toast p,
  dialog .subject,
  .inline-error p {
    overflow-wrap: anywhere;
  }

  .note {
    font-size: 0.875em;
  }

  section {
    display: grid;
    gap: var(--_gap);
  }

  h2,
  h3,
  h4,
  h5,
  h6 {
    margin: 0;
    line-height: 1.3;
  }

  [part~="section"] > [part~="heading"] {
    font-size: 1.125em;
  }

  [part~="card-heading"] {
    font-size: 1em;
  }

  :is(h2, h3, h4, h5, h6):focus {
    outline: none;
  }

  :is(h2, h3, h4, h5, h6):focus-visible {
    outline: 2px solid var(--_tsunagu-color-accent);
    outline-offset: 2px;
  }

  p {
    margin: 0;
  }

  .intro {
    margin-bottom: var(--_gap);
  }

  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(var(--_card-min-width), 100%), 1fr));
    gap: calc(var(--_gap) * 2);
    list-style: none;
    margin: 0;
    padding: 0;
  }

  .card {
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    padding: calc(var(--_gap) * 2);
    border: 1px solid var(--_tsunagu-color-border);
    border-radius: var(--_tsunagu-radius);
    background: var(--_card-background);
    box-shadow: var(--_card-shadow);
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

  .card-header {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: var(--_gap);
    flex-wrap: wrap;
  }

  .accounts {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_gap);
  }

  .account {
    display: grid;
    gap: calc(var(--_gap) * 0.5);
    padding: var(--_gap) 0;
    border-top: 1px solid var(--_tsunagu-color-border);
  }

  .account:focus {
    outline: none;
  }

  .account:focus-visible {
    outline: 2px solid var(--_tsunagu-color-accent);
    outline-offset: 2px;
  }

  .identity {
    display: grid;
  }

  .name {
    font-weight: 600;
  }

  .badges {
    display: flex;
    gap: calc(var(--_gap) * 0.5);
    flex-wrap: wrap;
  }

  .badge {
    display: inline-block;
    font-size: 0.85em;
    font-weight: 600;
    line-height: 1.4;
    padding: 0 calc(var(--_gap) * 0.75);
    border-radius: 999px;
    border: 1px solid currentColor;
    white-space: nowrap;
  }

  .status-active {
    color: var(--_tsunagu-color-success);
  }

  .status-needs_reauth {
    color: var(--_tsunagu-color-warning);
  }

  .status-revoked {
    color: var(--_tsunagu-color-danger);
  }

  .status-none,
  .default {
    color: var(--_tsunagu-color-text-muted);
  }

  .reason,
  .notice {
    color: var(--_tsunagu-color-warning);
  }

  .notice {
    display: grid;
    gap: var(--_gap);
    justify-items: start;
  }

  .actions {
    display: flex;
    gap: var(--_gap);
    flex-wrap: wrap;
    margin-top: auto;
  }

  /* Waiting buttons keep their look: a link under way in one card must not grey out the others. */
  button[aria-disabled="true"] {
    cursor: not-allowed;
  }

  dialog button[aria-disabled="true"] {
    opacity: 0.6;
  }

  button.danger.solid {
    background: var(--_tsunagu-color-danger);
    border-color: var(--_tsunagu-color-danger);
    color: var(--_tsunagu-color-on-accent);
  }

  /* In the place of the card's buttons, on one line: the card keeps its height while the popup is open. */
  .actions.progress {
    flex-wrap: nowrap;
    align-items: center;
    min-width: 0;
  }

  .progress-text {
    flex: 1 1 auto;
    min-width: 0;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }

  .progress button {
    flex: none;
    white-space: nowrap;
  }

  .spinner {
    flex: none;
    width: 1em;
    height: 1em;
    border-radius: 50%;
    border: 2px solid var(--_tsunagu-color-border);
    border-top-color: var(--_tsunagu-color-accent);
    animation: spin 0.9s linear infinite;
  }

  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }

  .inline-error {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: var(--_gap);
  }

  button.dismiss {
    border: none;
    background: none;
    color: inherit;
    padding: 0 calc(var(--_gap) * 0.5);
    line-height: 1.4;
  }

  .load-error {
    display: grid;
    gap: var(--_gap);
    justify-items: start;
  }

  dialog {
    width: var(--_dialog-width);
    max-width: 100%;
    border: 1px solid var(--_tsunagu-color-border);
    border-radius: var(--_tsunagu-radius);
    padding: calc(var(--_gap) * 3);
    background: var(--_tsunagu-color-surface);
    color: var(--_tsunagu-color-text);
    font: inherit;
  }

  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }

  dialog h2 {
    font-size: 1.125em;
    margin-bottom: calc(var(--_gap) * 1.5);
  }

  .dialog-body {
    display: grid;
    gap: var(--_gap);
  }

  .impact {
    margin: 0;
    padding-inline-start: 1.25em;
  }

  dialog .error {
    margin-top: calc(var(--_gap) * 1.5);
  }

  .dialog-actions {
    display: flex;
    justify-content: flex-end;
    gap: var(--_gap);
    margin-top: calc(var(--_gap) * 2);
  }

  .toasts {
    position: fixed;
    inset-block-end: calc(var(--_gap) * 2);
    inset-inline-end: calc(var(--_gap) * 2);
    display: grid;
    gap: var(--_gap);
    width: min(24rem, calc(100vw - 2rem));
    z-index: 1;
    pointer-events: none;
  }

  .toasts > div {
    display: grid;
    gap: var(--_gap);
  }

  .toast {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: var(--_gap);
    padding: var(--_gap) calc(var(--_gap) * 1.5);
    border-radius: var(--_tsunagu-radius);
    border: 1px solid var(--_tsunagu-color-border);
    border-inline-start: 4px solid var(--_tsunagu-color-success);
    background: var(--_tsunagu-color-surface);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.15);
    pointer-events: auto;
  }

  .toast.error {
    border-inline-start-color: var(--_tsunagu-color-danger);
    color: var(--_tsunagu-color-text);
  }

  .toast.info {
    border-inline-start-color: var(--_tsunagu-color-accent);
  }

  .toast p + p {
    margin-top: calc(var(--_gap) * 0.5);
  }
`;
