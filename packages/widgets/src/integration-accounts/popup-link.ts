/**
 * The popup half of the OAuth round trip. The window is opened synchronously
 * in the click handler (a popup blocker lets only those through) on
 * about:blank, and the begin form is posted into it (by its window name)
 * once the server has started the flow.
 * The server's outcome page posts `{type: "tsunagu:oauth", …}` to the
 * embedding page; only a message from the popup itself, from the server's
 * origin, about this flow counts. A popup closed without a message is asked
 * about through the flow-status endpoint (the message may have been lost,
 * e.g. when a provider page cut the opener link). What waits for the outcome
 * (popup-outcome.ts) is a chunk fetched when a link starts.
 */
import type { FlowStatus, Refusal } from "./accounts-api.ts";

export type LinkOutcome =
  | { kind: "linked"; accountId?: string | undefined; connectionId?: string | undefined }
  | { kind: "refused"; error: Refusal }
  | { kind: "cancelled" };

export interface WaitOptions {
  popup: Window;
  /** The origin the outcome page comes from: the one-time URL's, i.e. the server's public origin. */
  origin: string;
  flow: string;
  /** How the server says the flow ended; asked when the popup closes without a message. */
  status: () => Promise<FlowStatus>;
  /** Aborting closes the popup and ends the wait as cancelled. */
  signal: AbortSignal;
  /** How often to look whether the person closed the popup. Default 400 ms. */
  closedPollMs?: number;
}

const popupSize = { width: 520, height: 680 };

/** Opens an empty popup centred over the page; null when the browser blocked it. Call it synchronously in a click
 * handler. */
export function openPopup(): Window | null {
  const left = Math.round(window.screenX + Math.max(0, (window.outerWidth - popupSize.width) / 2));
  const top = Math.round(window.screenY + Math.max(0, (window.outerHeight - popupSize.height) / 3));
  const features = `popup=yes,width=${popupSize.width},height=${popupSize.height},left=${left},top=${top}`;
  // No `noopener`: the outcome page answers through window.opener.
  const popup = window.open("about:blank", `tsunagu-oauth-${crypto.randomUUID()}`, features);
  return popup && !popup.closed ? popup : null;
}
