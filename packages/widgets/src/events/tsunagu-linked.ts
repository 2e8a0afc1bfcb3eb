import type { ProviderId } from "../shared/provider-id.ts";

export interface TsunaguLinkedDetail {
  provider: ProviderId;
  /** `organization` for an admin's organisation connection, `personal` for a user's own account. */
  kind: "personal" | "organization";
  /** The server's id of the account or connection. */
  id: string;
  /** What the provider calls the account: a name, an email, a workspace. */
  displayName?: string;
}

/** An account or organisation connection was linked (the OAuth round trip succeeded). */
export class TsunaguLinkedEvent extends CustomEvent<TsunaguLinkedDetail> {
  constructor(detail: TsunaguLinkedDetail) {
    super("tsunagu-linked", { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    "tsunagu-linked": TsunaguLinkedEvent;
  }
}
