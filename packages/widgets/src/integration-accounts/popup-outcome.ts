/**
 * Waiting for a popup's outcome, and reading a flow's status as one: the half
 * of popup-link.ts only a page that links something needs, in the chunk
 * link-steps.ts.
 */
import { isRecord } from "../shared/is-record.ts";
import type { FlowStatus } from "./accounts-api.ts";
import type { LinkOutcome, WaitOptions } from "./popup-link.ts";

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
