/**
 * Helpers for <integration-accounts> tests: find a card, read texts, wait
 * until the element has what it asked the server for.
 */
import { waitUntil } from "@open-wc/testing";
import type { IntegrationAccounts } from "../integration-accounts/integration-accounts.ts";

/** Waits for the pending render, then for the loading message to go. */
export async function settled(el: IntegrationAccounts): Promise<void> {
  await el.updateComplete;
  await waitUntil(() => !el.shadowRoot?.querySelector('[part="loading"]'), "the element kept loading", {
    timeout: 4000,
  });
  await el.updateComplete;
}

/** The card of `key`, e.g. `personal:zoom` or `organization:slack`. */
export function card(el: IntegrationAccounts, key: string): HTMLElement {
  const found = el.shadowRoot?.querySelector<HTMLElement>(`[data-card="${key}"]`);
  if (!found) throw new Error(`no card ${key}`);
  return found;
}

/** The trimmed, whitespace-collapsed texts of what `selector` finds under `root`. */
export function texts(root: ParentNode, selector: string): string[] {
  return [...root.querySelectorAll(selector)].map((node) => (node.textContent ?? "").replace(/\s+/g, " ").trim());
}

/** The toasts' messages, in order: polite ones (`status`) or alerts. */
export function toasts(el: IntegrationAccounts, role: "status" | "alert" = "status"): string[] {
  return texts(el.shadowRoot!, `.toasts [role="${role}"] [part="toast"] p:first-child`);
}

/**
 * Whether `selector` finds something under `root`. Assert on this, never on
 * elements themselves: a failing assertion that prints a live element (and
 * the windows it reaches) can stall the browser.
 */
export function has(root: ParentNode, selector: string): boolean {
  return root.querySelector(selector) !== null;
}

/** Records the windows the element opens (through the real window.open); `restore` puts window.open back and closes
 * them. */
export function watchPopups(): { opened: Window[]; restore(): void } {
  const original = window.open;
  const opened: Window[] = [];
  window.open = (...args: Parameters<typeof window.open>) => {
    const popup = original.apply(window, args);
    if (popup) opened.push(popup);
    return popup;
  };
  return {
    opened,
    restore: () => {
      window.open = original;
      for (const popup of opened) popup.close();
    },
  };
}

/** Presses Allow or Deny on the fake provider's page in `popup`, once it shows. */
export async function decideInPopup(popup: Window, decision: "allow" | "deny"): Promise<void> {
  await waitUntil(
    () => popup.document?.querySelector?.(`button[value="${decision}"]`),
    "the popup never showed the provider's page",
  );
  popup.document.querySelector<HTMLButtonElement>(`button[value="${decision}"]`)!.click();
}
