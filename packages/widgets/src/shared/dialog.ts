/**
 * The shared modal dialog: a native `<dialog>` opened with `showModal()`, so
 * the page behind it is inert and has a backdrop, plus what the browser
 * leaves to us:
 *
 * - Tab and Shift+Tab wrap inside the dialog instead of leaving for the
 *   browser's own controls;
 * - Escape cancels, except while `busy` (an answer still to come would be
 *   hidden); a click on the backdrop does nothing (nothing closes silently);
 * - when it closes, focus goes back to where the element says (the control
 *   that opened it, by default), unless `close({ restoreFocus: false })`
 *   (the control went away and the element puts focus elsewhere).
 *
 * The dialog and its content render in the element's own shadow root (not a
 * `<tsunagu-dialog>` of its own): `aria-labelledby` / `aria-describedby`
 * name the element's title and body (id references do not cross shadow
 * roots), and `::part(dialog)` from the page reaches it without `exportparts`.
 */
import { css, html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";

export interface DialogHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface DialogView {
  lang: string;
  /** Id of the dialog's heading. */
  labelledBy: string;
  /** Id of the text that says what the dialog is about. */
  describedBy: string;
  /** An action runs: Escape does not close it. */
  busy: boolean;
  content: unknown;
}

export interface DialogControllerOptions {
  /** After the dialog closed, however it closed (Escape, Cancel, `close()`), and after focus went back. */
  closed?: () => void;
}

/** Each controller marks its own `<dialog>`, so an element may have more than one. */
let dialogCount = 0;

const tabbableSelector = "button, [href], input, select, textarea, [tabindex]:not([tabindex='-1'])";

export class DialogController implements ReactiveController {
  readonly #host: DialogHost;
  readonly #options: DialogControllerOptions;
  readonly #key = `dialog-${++dialogCount}`;
  #restoreFocus: (() => void) | undefined;
  /** A `show()` under way: until the dialog opens, a close still to be told is the previous one's. */
  #opening = false;

  constructor(host: DialogHost, options: DialogControllerOptions = {}) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.#restoreFocus = undefined;
  }

  /** The rendered `<dialog>`, once rendered. */
  get element(): HTMLDialogElement | null {
    return this.#host.renderRoot.querySelector<HTMLDialogElement>(`dialog[data-tsunagu-dialog="${this.#key}"]`);
  }

  get open(): boolean {
    return this.element?.open === true;
  }

  /** Opens it as a modal once the host has rendered its content; `restoreFocus` runs when it closes (default: the
   * focused control). */
  async show(restoreFocus?: () => void): Promise<void> {
    const active = activeElementIn(this.#host.renderRoot);
    this.#restoreFocus = restoreFocus ?? (active ? () => active.focus() : undefined);
    this.#opening = true;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    this.#opening = false;
    const dialog = this.element;
    if (dialog && !dialog.open) dialog.showModal();
  }

  close(options: { restoreFocus?: boolean } = {}): void {
    if (options.restoreFocus === false) this.#restoreFocus = undefined;
    this.element?.close();
  }

  render(view: DialogView): TemplateResult {
    return html`<dialog
      part="dialog"
      data-tsunagu-dialog=${this.#key}
      lang=${view.lang}
      aria-labelledby=${view.labelledBy}
      aria-describedby=${view.describedBy}
      @cancel=${(event: Event) => {
        if (view.busy) event.preventDefault();
      }}
      @close=${() => this.#closed()}
      @keydown=${(event: KeyboardEvent) => this.#keepTabInside(event)}
    >
      ${view.content}
    </dialog>`;
  }

  #closed(): void {
    // The browser tells a close in a later task: reopened meanwhile (closed and shown in one task), the close is the
    // previous dialog's, and neither its focus nor its `closed` is for the one now open.
    if (this.#opening || this.open) return;
    const restore = this.#restoreFocus;
    this.#restoreFocus = undefined;
    restore?.();
    this.#options.closed?.();
  }

  /** Tab past the last control comes back to the first, Shift+Tab before the first goes to the last. */
  #keepTabInside(event: KeyboardEvent): void {
    if (event.key !== "Tab" || event.altKey || event.ctrlKey || event.metaKey) return;
    const dialog = event.currentTarget as HTMLDialogElement;
    const tabbable = [...dialog.querySelectorAll<HTMLElement>(tabbableSelector)].filter(
      (candidate) => !candidate.matches(":disabled") && candidate.getClientRects().length > 0,
    );
    const first = tabbable[0];
    const last = tabbable[tabbable.length - 1];
    if (!first || !last) return;
    const active = activeElementIn(this.#host.renderRoot);
    if (event.shiftKey && (active === first || !dialog.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }
}

function activeElementIn(root: HTMLElement | DocumentFragment): HTMLElement | null {
  const active = root instanceof ShadowRoot ? root.activeElement : document.activeElement;
  return active instanceof HTMLElement ? active : null;
}

export const dialogStyles = css`
  dialog {
    width: var(--_tsunagu-dialog-width);
    max-width: 100%;
    border: 1px solid var(--_tsunagu-color-border);
    border-radius: var(--_tsunagu-radius);
    padding: calc(var(--_tsunagu-spacing) * 3);
    background: var(--_tsunagu-color-surface);
    color: var(--_tsunagu-color-text);
    font: inherit;
  }

  dialog::backdrop {
    background: rgb(0 0 0 / 0.4);
  }

  dialog h2 {
    font-size: 1.125em;
    margin-bottom: calc(var(--_tsunagu-spacing) * 1.5);
  }

  dialog button[aria-disabled="true"] {
    opacity: 0.6;
  }

  dialog .error {
    margin-top: calc(var(--_tsunagu-spacing) * 1.5);
  }

  .dialog-body {
    display: grid;
    gap: var(--_tsunagu-spacing);
  }

  /* A button that no longer fits beside the others (a long label, a narrow window) goes on a line of its own rather
     than breaking its words. */
  .dialog-actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: var(--_tsunagu-spacing);
    margin-top: calc(var(--_tsunagu-spacing) * 2);
  }
`;
