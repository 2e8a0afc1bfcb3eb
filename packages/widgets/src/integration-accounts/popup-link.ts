/**
 * The popup half of the OAuth round trip. The window is opened synchronously
 * in the click handler (a popup blocker lets only those through) on
 * about:blank, and the begin form is posted into it (by its window name)
 * once the server has started the flow.
 * The server's outcome page posts `{type: "tsunagu:oauth", …}` to the
 * embedding page; only a message from the popup itself, from the server's
 * origin, about this flow counts. A popup closed without a message is asked
 * about through the flow-status endpoint (the message may have been lost,
 * e.g. when a provider page cut the opener link).
 */
import { isRecord, type FlowStatus, type Refusal } from "./accounts-api.ts";

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

/** Resolves with the flow's outcome; rejects only when the status check after a silent close fails. */
export function waitForOutcome(options: WaitOptions): Promise<LinkOutcome> {
  const { popup, origin, flow, signal } = options;
  return new Promise<LinkOutcome>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: LinkOutcome) => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(outcome);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== origin || event.source !== popup) return;
      const message = readOutcomeMessage(event.data);
      if (!message || message.flow !== flow) return;
      settle(message.outcome);
    };
    const onAbort = () => {
      if (!popup.closed) popup.close();
      settle({ kind: "cancelled" });
    };
    const poll = window.setInterval(() => {
      if (settled || !popup.closed) return;
      window.clearInterval(poll);
      options.status().then(
        (status) => settle(outcomeOfStatus(status)),
        (error: unknown) => {
          if (settled) return;
          settled = true;
          cleanup();
          reject(error);
        },
      );
    }, options.closedPollMs ?? 400);
    function cleanup() {
      window.clearInterval(poll);
      window.removeEventListener("message", onMessage);
      signal.removeEventListener("abort", onAbort);
    }
    if (signal.aborted) return onAbort();
    window.addEventListener("message", onMessage);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A finished flow's outcome; one still under way counts as cancelled (its
 * popup is gone). An expired one is refused, so the card says its time ran
 * out instead of "the window was closed".
 */
export function outcomeOfStatus(status: FlowStatus): LinkOutcome {
  if (status.status === "linked")
    return { kind: "linked", accountId: status.accountId, connectionId: status.connectionId };
  if (status.status === "error")
    return { kind: "refused", error: status.error ?? { code: "internal_error", message: "" } };
  if (status.status === "expired")
    return { kind: "refused", error: status.error ?? { code: "flow_expired", message: "" } };
  return { kind: "cancelled" };
}

function readOutcomeMessage(data: unknown): { flow: string; outcome: LinkOutcome } | undefined {
  if (!isRecord(data) || data.type !== "tsunagu:oauth" || typeof data.flow !== "string") return undefined;
  if (data.status === "linked") {
    const id = (value: unknown) => (typeof value === "string" ? value : undefined);
    return {
      flow: data.flow,
      outcome: { kind: "linked", accountId: id(data.accountId), connectionId: id(data.connectionId) },
    };
  }
  if (data.status !== "error") return undefined;
  const error =
    isRecord(data.error) && typeof data.error.code === "string"
      ? { code: data.error.code, message: typeof data.error.message === "string" ? data.error.message : "" }
      : { code: "internal_error", message: "" };
  return { flow: data.flow, outcome: { kind: "refused", error } };
}
