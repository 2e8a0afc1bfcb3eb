import type { TsunaguApiError } from "../shared/api-error.ts";

export interface TsunaguErrorDetail {
  /** `status`, `code`, `message` and `requestId` of what failed. */
  error: TsunaguApiError;
}

/**
 * Something the user asked for failed. The element shows the failure itself;
 * the event lets the portal log it or report it.
 */
export class TsunaguErrorEvent extends CustomEvent<TsunaguErrorDetail> {
  constructor(detail: TsunaguErrorDetail) {
    super("tsunagu-error", { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    "tsunagu-error": TsunaguErrorEvent;
  }
}
