/**
 * The element's own look, on top of the shared parts (`themeStyles`,
 * `buttonStyles`, `cardStyles`, `dialogStyles`, `toastStyles` in
 * `src/shared/`): the controls in a wrapping row, the week as a table that
 * scrolls sideways on narrow screens, free times barred in the success
 * colour and the chosen one ringed in the accent. Colours, radius, spacing
 * and font come from the shared `--tsunagu-*` properties only.
 */
import { css } from "lit";

export const scheduleInterviewStyles = css`
  .base,
  .form,
  .summary,
  .result {
    display: grid;
    /* As wide as the page gives, never wider: what is wider (the week) scrolls inside it. */
    grid-template-columns: minmax(0, 1fr);
    min-width: 0;
    gap: calc(var(--_tsunagu-spacing) * 1.5);
  }

  h2,
  h3,
  h4,
  h5,
  h6,
  p,
  dl,
  pre {
    margin: 0;
  }

  h2 {
    font-size: 1.25em;
  }

  h3 {
    font-size: 1.0625em;
  }

  /*
   * By part, not by tag: heading-level moves the tags down (a page's h2 above an h3 here), and a section heading at
   * h5 or h6 took the browser's size, smaller than the text under it.
   */
  [part~="heading"] {
    font-size: 1.25em;
  }

  [part~="section-heading"] {
    font-size: 1.0625em;
  }

  .controls {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_tsunagu-spacing) calc(var(--_tsunagu-spacing) * 2);
  }

  .field {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    max-width: 100%;
    gap: calc(var(--_tsunagu-spacing) * 0.25);
    font-weight: 600;
  }

  input,
  select {
    font: inherit;
    font-weight: normal;
    color: var(--_tsunagu-color-text);
    background: var(--_tsunagu-color-surface);
    border: 1px solid var(--_tsunagu-color-border);
    border-radius: var(--_tsunagu-radius);
    padding: calc(var(--_tsunagu-spacing) * 0.5);
    /* A long calendar address would otherwise widen the whole element past a narrow (360 px) container. */
    max-width: 100%;
  }

  .check {
    display: flex;
    align-items: center;
    gap: var(--_tsunagu-spacing);
  }

  .people {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: calc(var(--_tsunagu-spacing) * 0.5);
  }

  .people li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_tsunagu-spacing);
  }

  .person-name {
    font-weight: 600;
  }

  .flag {
    color: var(--_tsunagu-color-warning);
    font-size: 0.875em;
  }

  .week-nav,
  .actions,
  .copy-row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_tsunagu-spacing);
  }

  .week-scroll {
    overflow-x: auto;
  }

  .week {
    border-collapse: collapse;
    min-width: 100%;
  }

  .week th,
  .week td {
    border: 1px solid var(--_tsunagu-color-border);
    padding: calc(var(--_tsunagu-spacing) * 0.5);
    vertical-align: top;
    text-align: start;
    min-width: 6.5rem;
  }

  .week thead th {
    font-weight: 600;
  }

  .day-name {
    display: block;
  }

  .week tbody th {
    white-space: nowrap;
    font-variant-numeric: tabular-nums;
  }

  .week td {
    cursor: pointer;
    display: table-cell;
  }

  .week td span {
    display: block;
  }

  /* A bar, not a tint: text keeps the surface behind it, and its contrast. */
  .week td.free {
    box-shadow: inset 4px 0 0 var(--_tsunagu-color-success);
  }

  .free-mark {
    color: var(--_tsunagu-color-success);
    font-weight: 600;
  }

  .busy {
    color: var(--_tsunagu-color-text-muted);
    font-size: 0.875em;
  }

  /* A ring inside the cell: the focus keeps its own outline around it, so the chosen cell shows it has the focus. */
  .week td[aria-selected="true"] {
    box-shadow: inset 0 0 0 4px var(--_tsunagu-color-accent);
  }

  .summary dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: calc(var(--_tsunagu-spacing) * 0.5) calc(var(--_tsunagu-spacing) * 2);
  }

  .summary dt,
  .label {
    font-weight: 600;
  }

  .summary dd {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .result a {
    color: var(--_tsunagu-color-accent);
    overflow-wrap: anywhere;
  }

  .message {
    white-space: pre-wrap;
    /* A Zoom URL is one long word: on a phone it wraps rather than run past the box. */
    overflow-wrap: anywhere;
    font: inherit;
    border: 1px solid var(--_tsunagu-color-border);
    border-radius: var(--_tsunagu-radius);
    padding: var(--_tsunagu-spacing);
  }

  .progress {
    color: var(--_tsunagu-color-text-muted);
  }
`;
