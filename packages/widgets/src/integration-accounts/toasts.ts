/**
 * The toast corner. Both live regions are always in the page, empty when
 * there is nothing to say: a region that appears together with its text is
 * not reliably announced.
 */
import { html, nothing, type TemplateResult } from "lit";
import { repeat } from "lit/directives/repeat.js";
import type { LocalizeController } from "../shared/localize-controller.ts";
import type { Toast, ToastController } from "./toast-controller.ts";

export function renderToasts(localize: LocalizeController, toasts: ToastController): TemplateResult {
  const polite = toasts.toasts.filter((toast) => toast.tone !== "error");
  const urgent = toasts.toasts.filter((toast) => toast.tone === "error");
  return html`<div class="toasts" part="toasts" lang=${localize.language}>
    <div role="status" aria-live="polite" aria-atomic="false">${repeat(polite, (toast) => toast.id, (toast) => renderToast(localize, toasts, toast))}</div>
    <div role="alert" aria-live="assertive" aria-atomic="false">${repeat(urgent, (toast) => toast.id, (toast) => renderToast(localize, toasts, toast))}</div>
  </div>`;
}

function renderToast(localize: LocalizeController, toasts: ToastController, toast: Toast): TemplateResult {
  return html`<div class="toast ${toast.tone}" part="toast" data-tone=${toast.tone}>
    <div>
      <p>${toast.message}</p>
      ${toast.note ? html`<p class="muted">${toast.note}</p>` : nothing}
    </div>
    <button type="button" part="button" class="dismiss" aria-label=${localize.term("dismiss")} @click=${() => toasts.dismiss(toast.id)}>×</button>
  </div>`;
}
