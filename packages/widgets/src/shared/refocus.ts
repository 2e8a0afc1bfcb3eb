/**
 * Puts the focus back into an element after the control that had it went away with what it acted on (a retry
 * button with its failure, once the answer is in): on the first of `targets` (selectors, tried in turn) its shadow
 * root shows. Not when the person has put the focus somewhere else meanwhile.
 */
export function refocus(host: HTMLElement, ...targets: string[]): void {
  const root = host.shadowRoot;
  if (!root || root.activeElement) return;
  const active = document.activeElement;
  if (active && active !== document.body) return;
  for (const selector of targets) {
    const target = root.querySelector<HTMLElement>(selector);
    if (!target) continue;
    target.focus();
    return;
  }
}
