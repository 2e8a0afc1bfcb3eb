/** The portal's own look for its pages (the Tsunagu elements take theirs through CSS custom properties). */
import { css } from "lit";

export const pageStyles = css`
  :host {
    display: grid;
    /* Never wider than the page: a wide table scrolls within its panel (.table-scroll). */
    grid-template-columns: minmax(0, 1fr);
    gap: 1.25rem;
    font-size: 0.9375rem;
  }
  h2 {
    font-size: 1.0625rem;
    margin: 0 0 0.5rem;
  }
  h3 {
    font-size: 0.9375rem;
    margin: 0.75rem 0 0.25rem;
  }
  p {
    margin: 0.25rem 0;
  }
  .panel {
    border: 1px solid #e4d4da;
    border-radius: 10px;
    background: #fff;
    padding: 1rem 1.25rem;
  }
  .muted {
    color: #5b4b52;
    font-size: 0.875rem;
  }
  .error {
    color: #a4161a;
    font-weight: 600;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: 0.5rem 0.625rem;
    border-bottom: 1px solid #efe3e8;
    vertical-align: top;
  }
  th {
    font-size: 0.8125rem;
    color: #5b4b52;
  }
  /* A row's label stays on one line: on a phone a squeezed 応募職種 would stand one character a line. */
  th[scope="row"] {
    white-space: nowrap;
  }
  /*
   * A list as wide as its columns need, scrolled sideways within its panel on a narrow screen, instead of columns of
   * one character or a page wider than the screen. Its links and buttons scroll it into view for a keyboard.
   */
  .table-scroll {
    overflow-x: auto;
  }
  .table-scroll > table {
    min-width: var(--table-min-width, 0);
  }
  a {
    color: #8c1240;
  }
  input,
  select,
  textarea,
  button,
  .button {
    font: inherit;
    font-size: 0.875rem;
    padding: 0.3125rem 0.625rem;
    border: 1px solid #a88f99;
    border-radius: 6px;
    background: #fff;
    color: #2b2326;
  }
  textarea {
    width: 100%;
    box-sizing: border-box;
    font-family: inherit;
    line-height: 1.5;
  }
  button,
  .button {
    cursor: pointer;
    font-weight: 600;
    text-decoration: none;
    display: inline-block;
  }
  button.primary,
  .button.primary {
    background: #b0194f;
    border-color: #b0194f;
    color: #fff;
  }
  button.danger {
    color: #a4161a;
    border-color: #a4161a;
  }
  button:disabled {
    opacity: 0.6;
    cursor: not-allowed;
  }
  :is(a, input, select, textarea, button, .button):focus-visible {
    outline: 2px solid #b0194f;
    outline-offset: 2px;
  }
  label {
    display: grid;
    gap: 0.25rem;
    font-weight: 600;
    font-size: 0.875rem;
  }
  fieldset {
    border: 1px solid #e4d4da;
    border-radius: 8px;
    margin: 0;
    padding: 0.5rem 0.875rem 0.75rem;
  }
  legend {
    font-weight: 600;
    font-size: 0.875rem;
    padding: 0 0.25rem;
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem 1rem;
  }
  .choices label {
    display: flex;
    align-items: center;
    gap: 0.375rem;
    font-weight: 400;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  /* As the elements' dialogs: the way out first, the change that cannot be undone last, at the right. */
  .dialog-actions {
    justify-content: flex-end;
  }
  .badge {
    font-size: 0.75rem;
    font-weight: 600;
    padding: 0.125rem 0.625rem;
    border-radius: 999px;
    background: #eef1f4;
    color: #3d4752;
    white-space: nowrap;
  }
  .badge.good {
    background: #e3f4e8;
    color: #146c2e;
  }
  .badge.bad {
    background: #fde7e7;
    color: #a4161a;
  }
  dialog {
    border: 1px solid #c9b3bc;
    border-radius: 10px;
    padding: 1.25rem;
    max-width: 28rem;
  }
  dialog::backdrop {
    background: rgb(43 35 38 / 40%);
  }
`;
