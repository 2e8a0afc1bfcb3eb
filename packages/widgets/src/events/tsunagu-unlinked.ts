import type { ProviderId } from "../shared/provider-id.ts";

export interface TsunaguUnlinkedDetail {
  provider: ProviderId;
  kind: "personal" | "organization";
  /** The server's id of the account or connection that is gone. */
  id: string;
}

/** An account or organisation connection was removed. */
export class TsunaguUnlinkedEvent extends CustomEvent<TsunaguUnlinkedDetail> {
  constructor(detail: TsunaguUnlinkedDetail) {
    super("tsunagu-unlinked", { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    "tsunagu-unlinked": TsunaguUnlinkedEvent;
  }
}
