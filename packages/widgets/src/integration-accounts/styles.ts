/**
 * The element's own look, on top of the shared parts (`themeStyles`,
 * `buttonStyles`, `cardStyles`, `dialogStyles`, `toastStyles` in
 * `src/shared/`): sections, headings, account rows, the linking progress
 * line and the unlink dialog's impact list. Colours, radius, spacing and
 * font come from the shared `--tsunagu-*` properties only.
 */
import { css } from "lit";

export const integrationAccountsStyles = css`
  [part~="base"] {
    display: grid;
    gap: calc(var(--_tsunagu-spacing) * 3);
  }

  /* Long ids, emails and domains may break anywhere rather than overflow the card. */
  .identity,
  dialog .subject {
    overflow-wrap: anywhere;
  }

  .note {
    font-size: 0.875em;
  }

  section {
    display: grid;
    gap: var(--_tsunagu-spacing);
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
    margin-bottom: var(--_tsunagu-spacing);
  }

  .accounts {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: var(--_tsunagu-spacing);
  }

  .account {
    display: grid;
    gap: calc(var(--_tsunagu-spacing) * 0.5);
    padding: var(--_tsunagu-spacing) 0;
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

  .reason {
    color: var(--_tsunagu-color-warning);
  }

  /* In the place of the card's buttons: the words wrap rather than being cut, and Cancel goes below them when the
     card has no room beside them. */
  .actions.progress {
    align-items: center;
  }

  .progress-text {
    flex: 1 1 12em;
  }

  /* The live region waits, empty, among the card's buttons: out of the row, so it takes no place and no gap. */
  .progress-text:empty {
    position: absolute;
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

  .load-error {
    display: grid;
    gap: var(--_tsunagu-spacing);
    justify-items: start;
  }

  .impact {
    margin: 0;
    padding-inline-start: 1.25em;
  }
`;
