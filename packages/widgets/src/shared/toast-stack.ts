/**
 * The shared toast stack, in the corner of the viewport (in a window narrower than 40rem, after the element's
 * content instead, held at the window's bottom while the element goes on below it, so that it covers none of its
 * buttons once scrolled to the end). Both live regions
 * are always in the page, empty when there is nothing to say: a region that
 * appears together with its text is not reliably announced. Successes and
 * notes go to the polite one (`role="status"`), failures to the assertive
 * one (`role="alert"`); `ToastController` decides which stay and which leave.
 *
 * A template in the element's own shadow root (not an element of its own),
 * so `::part(toasts)` and `::part(toast)` from the page reach it without
 * `exportparts`.
 *
 * Each toast keeps its own node while it stays: when another leaves, the
 * ones left are not rewritten, so a screen reader does not read them again.
 */
import { css, html, noChange, nothing, render, type TemplateResult } from "lit";
import { Directive, directive, type ElementPart } from "lit/directive.js";
import { renderDismissButton } from "./button.ts";
import type { Toast, ToastController } from "./toast-controller.ts";

export interface ToastStackView {
  lang: string;
  /** The accessible name of each toast's × button. */
  dismissLabel: string;
}

export function renderToastStack(toasts: ToastController, view: ToastStackView): TemplateResult {
  const polite = toasts.toasts.filter((toast) => toast.tone !== "error");
  const urgent = toasts.toasts.filter((toast) => toast.tone === "error");
  const one = (toast: Toast) => renderToast(toast, view.dismissLabel, () => toasts.dismiss(toast.id));
  return html`<div class="toasts" part="toasts" lang=${view.lang}
    @focusin=${(event: FocusEvent) => toasts.focusEntered(event)}>
    <div role="status" aria-live="polite" aria-atomic="false" ${toastList(polite, one, toasts)}></div>
    <div role="alert" aria-live="assertive" aria-atomic="false" ${toastList(urgent, one, toasts)}></div>
  </div>`;
}

/**
 * The toasts of one live region, one node each, by id (what Lit's `repeat` does, in a few lines: toasts only
 * come at the end and leave). When one leaves with the focus, the controller puts the focus somewhere at once.
 */
const toastList = directive(
  class extends Directive {
    readonly #nodes = new Map<number, HTMLElement>();

    render(_toasts: Toast[], _one: (toast: Toast) => TemplateResult, _controller: ToastController): unknown {
      return noChange;
    }

    override update(
      part: ElementPart,
      [toasts, one, controller]: [Toast[], (toast: Toast) => TemplateResult, ToastController],
    ): unknown {
      const focused = (part.element.getRootNode() as Document | ShadowRoot).activeElement;
      let focusLeft = false;
      for (const [id, node] of this.#nodes)
        if (!toasts.some((toast) => toast.id === id)) {
          focusLeft ||= node.contains(focused);
          node.remove();
          this.#nodes.delete(id);
        }
      for (const toast of toasts) {
        let node = this.#nodes.get(toast.id);
        if (!node) {
          node = part.element.appendChild(document.createElement("div"));
          this.#nodes.set(toast.id, node);
        }
        render(one(toast), node);
      }
      if (focusLeft) controller.focusLeft();
      return noChange;
    }
  },
);

function renderToast(toast: Toast, dismissLabel: string, dismiss: () => void): TemplateResult {
  return html`<div class="toast ${toast.tone}" part="toast" data-tone=${toast.tone}>
    <div>
      <p>${toast.message}</p>
      ${toast.note ? html`<p class="muted">${toast.note}</p>` : nothing}
    </div>
    ${renderDismissButton(dismissLabel, dismiss)}
  </div>`;
}

export const toastStyles = css`
  /* In a narrow window (a phone, or a desktop window zoomed in) a toast spans the window's width: in the window's
     corner it would lie over the last row of buttons for as long as it stays. There it is in the element's flow,
     after everything else, and sticks to the window's bottom while the element's end is further down: seen at once,
     and scrolling to the end brings every button out from under it. Empty, it takes no room. */
  .toasts {
    display: grid;
    pointer-events: none;
    position: sticky;
    inset-block-end: var(--_tsunagu-spacing);
    z-index: 1;
  }

  .toasts > :not(:empty) {
    margin-top: calc(var(--_tsunagu-spacing) * 2);
  }

  @media (min-width: 40rem) {
    .toasts {
      position: fixed;
      inset-block-end: calc(var(--_tsunagu-spacing) * 2);
      inset-inline-end: calc(var(--_tsunagu-spacing) * 2);
      width: min(24rem, calc(100vw - 2rem));
      z-index: 1;
    }
  }

  .toasts > div {
    display: grid;
    gap: var(--_tsunagu-spacing);
  }

  .toasts > div > div {
    display: contents;
  }

  .toast {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: var(--_tsunagu-spacing);
    padding: var(--_tsunagu-spacing) calc(var(--_tsunagu-spacing) * 1.5);
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

  .toast p {
    margin: 0;
    overflow-wrap: anywhere;
  }

  .toast p + p {
    margin-top: calc(var(--_tsunagu-spacing) * 0.5);
  }
`;
