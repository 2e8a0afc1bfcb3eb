/**
 * The picker's own look, on top of the shared parts (`themeStyles`,
 * `buttonStyles`, `cardStyles` in `src/shared/`): candidates are cards that
 * act as radios, the chosen one ringed in the accent colour with a filled
 * mark. Colours, radius, spacing and font come from the shared
 * `--tsunagu-*` properties only.
 */
import { css } from "lit";

export const zoomHostPickerStyles = css`
  [part~="base"],
  .body {
    display: grid;
    gap: var(--_tsunagu-spacing);
  }

  p {
    margin: 0;
  }

  .label {
    font-weight: 600;
  }

  .candidate {
    cursor: pointer;
    gap: calc(var(--_tsunagu-spacing) * 0.5);
  }

  .candidate .card-header {
    justify-content: flex-start;
    align-items: center;
  }

  .candidate[aria-checked="true"] {
    border-color: var(--_tsunagu-color-accent);
    box-shadow: 0 0 0 1px var(--_tsunagu-color-accent), var(--_tsunagu-card-shadow);
  }

  .candidate[aria-disabled="true"] {
    cursor: not-allowed;
  }

  .candidate[aria-disabled="true"] .name {
    color: var(--_tsunagu-color-text-muted);
  }

  .name {
    font-weight: 600;
    overflow-wrap: anywhere;
    flex: 1 1 auto;
    min-width: 0;
  }

  /* The radio's mark: a ring, filled when chosen. */
  .mark {
    flex: none;
    width: 1em;
    height: 1em;
    border-radius: 50%;
    border: 2px solid var(--_tsunagu-color-border);
    background: var(--_tsunagu-color-surface);
  }

  .candidate[aria-checked="true"] .mark {
    border-color: var(--_tsunagu-color-accent);
    background: radial-gradient(var(--_tsunagu-color-accent) 0 40%, var(--_tsunagu-color-surface) 45%);
  }

  .candidate .badges {
    align-items: center;
  }

  .state {
    display: inline-flex;
  }

  .reason {
    color: var(--_tsunagu-color-warning);
  }

  .pick-reason {
    color: var(--_tsunagu-color-text-muted);
  }

  /*
   * A refresh under way: a bar in the accent colour along the last list's top edge, and the status line above
   * says so. The list is not dimmed: its muted and green text would fall under 4.5:1.
   */
  .body[aria-busy="true"] {
    box-shadow: 0 -3px var(--_tsunagu-color-accent);
    cursor: progress;
  }

  .load-error {
    display: grid;
    gap: var(--_tsunagu-spacing);
    justify-items: start;
  }
`;
