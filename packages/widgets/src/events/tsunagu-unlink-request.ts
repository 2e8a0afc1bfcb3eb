import type { ProviderId } from "../shared/provider-id.ts";

export interface TsunaguUnlinkRequestDetail {
  provider: ProviderId;
  /** `personal` to unlink one of the user's accounts, `organization` to disconnect the organisation. */
  kind: "personal" | "organization";
  /** The server's id of the account or connection. */
  id: string;
  displayName: string;
}

/**
 * The user asked to unlink an account or disconnect the organisation, before
 * the element asks them to confirm. Cancel it (`preventDefault()`) to veto:
 * the element then does nothing, and the portal says why in its own words.
 */
export class TsunaguUnlinkRequestEvent extends CustomEvent<TsunaguUnlinkRequestDetail> {
  constructor(detail: TsunaguUnlinkRequestDetail) {
    super("tsunagu-unlink-request", { bubbles: true, composed: true, cancelable: true, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    "tsunagu-unlink-request": TsunaguUnlinkRequestEvent;
  }
}
