export interface TsunaguTokenExpiredDetail {
  /** The server's `token_*` code, e.g. `token_expired`. */
  code: string;
}

/**
 * The server refused the host token and the element could not replace it
 * (it has no `tokenProvider`, or the fresh token was refused too). Set a new
 * `token` on the element to carry on.
 */
export class TsunaguTokenExpiredEvent extends CustomEvent<TsunaguTokenExpiredDetail> {
  constructor(detail: TsunaguTokenExpiredDetail) {
    super("tsunagu-token-expired", { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    "tsunagu-token-expired": TsunaguTokenExpiredEvent;
  }
}
