/**
 * Puts the focus back into an element after the control that had it went away with what it acted on (a retry
 * button with its failure, once the answer is in; a toast's ×): on the first of `targets` that takes it, each an
 * element (where the focus was before) or a selector tried in the element's shadow root. Not when the person has put
 * the focus somewhere else meanwhile.
 */
export function refocus(host: HTMLElement, ...targets: Array<string | HTMLElement | null>): void {
  const root = host.shadowRoot;
  if (!root) return;
  for (const target of targets) {
    // Lost: nothing in the element has it, and the page has none elsewhere (the browser gave it to the body).
    if (root.activeElement || (document.activeElement && document.activeElement !== document.body)) return;
    (typeof target === "string" ? root.querySelector<HTMLElement>(target) : target)?.focus();
  }
}
