/**
 * The styling contract: ONE theme for every element. Every element adopts
 * `themeStyles` first; the page styles the elements only by setting these
 * custom properties on them (or an ancestor) and through `::part()`. Nothing
 * here touches `:root` or the page. The shared parts (`button.ts`,
 * `card.ts`, `dialog.ts`, `toast-stack.ts`) read only the private
 * `--_tsunagu-*` names set here, so a property means the same in every
 * element and its default lives in one place.
 *
 * @cssproperty --tsunagu-font-family - Text font. Default: the system UI font with Japanese fallbacks.
 * @cssproperty --tsunagu-font-size - Base text size. Default: 0.875rem.
 * @cssproperty --tsunagu-color-text - Body text. Default: #1f2328.
 * @cssproperty --tsunagu-color-text-muted - Secondary text (still AA on the surface). Default: #59636e.
 * @cssproperty --tsunagu-color-surface - Background of panels and lists. Default: #ffffff.
 * @cssproperty --tsunagu-color-border - Borders and dividers. Default: #d1d9e0.
 * @cssproperty --tsunagu-color-accent - Primary buttons, links, focus. Default: #0b5cad.
 * @cssproperty --tsunagu-color-on-accent - Text on the accent colour. Default: #ffffff.
 * @cssproperty --tsunagu-color-danger - Errors and destructive actions. Default: #b42318.
 * @cssproperty --tsunagu-color-success - Healthy states. Default: #1a7f37.
 * @cssproperty --tsunagu-color-warning - States that need attention. Default: #9a6700.
 * @cssproperty --tsunagu-radius - Corner radius. Default: 6px.
 * @cssproperty --tsunagu-spacing - The spacing unit; gaps are multiples of it. Default: 0.5rem.
 * @cssproperty --tsunagu-card-min-width - The narrowest a card gets before the grid wraps. Default: 17rem.
 * @cssproperty --tsunagu-card-background - Card background. Default: the surface colour.
 * @cssproperty --tsunagu-card-shadow - Card shadow. Default: none.
 * @cssproperty --tsunagu-dialog-width - Width of dialogs. Default: min(32rem, 100vw - 2rem).
 */
import { css } from "lit";

export const themeStyles = css`
  :host {
    --_tsunagu-font-family: var(
      --tsunagu-font-family,
      system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", "Yu Gothic UI", sans-serif
    );
    --_tsunagu-font-size: var(--tsunagu-font-size, 0.875rem);
    --_tsunagu-color-text: var(--tsunagu-color-text, #1f2328);
    --_tsunagu-color-text-muted: var(--tsunagu-color-text-muted, #59636e);
    --_tsunagu-color-surface: var(--tsunagu-color-surface, #ffffff);
    --_tsunagu-color-border: var(--tsunagu-color-border, #d1d9e0);
    --_tsunagu-color-accent: var(--tsunagu-color-accent, #0b5cad);
    --_tsunagu-color-on-accent: var(--tsunagu-color-on-accent, #ffffff);
    --_tsunagu-color-danger: var(--tsunagu-color-danger, #b42318);
    --_tsunagu-color-success: var(--tsunagu-color-success, #1a7f37);
    --_tsunagu-color-warning: var(--tsunagu-color-warning, #9a6700);
    --_tsunagu-radius: var(--tsunagu-radius, 6px);
    --_tsunagu-spacing: var(--tsunagu-spacing, 0.5rem);
    --_tsunagu-card-min-width: var(--tsunagu-card-min-width, 17rem);
    --_tsunagu-card-background: var(--tsunagu-card-background, var(--_tsunagu-color-surface));
    --_tsunagu-card-shadow: var(--tsunagu-card-shadow, none);
    --_tsunagu-dialog-width: var(--tsunagu-dialog-width, min(32rem, calc(100vw - 2rem)));

    display: block;
    box-sizing: border-box;
    font-family: var(--_tsunagu-font-family);
    font-size: var(--_tsunagu-font-size);
    line-height: 1.6;
    color: var(--_tsunagu-color-text);
    /* Text styles the page sets on a container (a centred column, the letter-spacing Japanese sites like, nowrap)
       would otherwise be inherited through the shadow root: only the --tsunagu-* properties come in. */
    font-style: normal;
    font-weight: normal;
    letter-spacing: normal;
    word-spacing: normal;
    text-align: start;
    text-indent: 0;
    text-transform: none;
    text-shadow: none;
    white-space: normal;
    word-break: normal;
  }

  :host([hidden]) {
    display: none;
  }

  /* Japanese wraps between phrases, not inside words, where the browser can tell them apart. */
  @supports (word-break: auto-phrase) {
    :lang(ja) {
      word-break: auto-phrase;
    }
  }

  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }

  :focus-visible {
    outline: 2px solid var(--_tsunagu-color-accent);
    outline-offset: 2px;
  }

  .error {
    border: 1px solid var(--_tsunagu-color-danger);
    border-radius: var(--_tsunagu-radius);
    padding: var(--_tsunagu-spacing) calc(var(--_tsunagu-spacing) * 1.5);
    color: var(--_tsunagu-color-danger);
  }

  .muted {
    color: var(--_tsunagu-color-text-muted);
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }

  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
      animation: none !important;
    }
  }
`;
