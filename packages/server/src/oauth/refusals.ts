/**
 * Every way an OAuth round trip can end without a link, with its own code and
 * a message that says what to do. Adapters add provider guards of their own
 * (wrong_workspace, slack_guest…) through `refused` outcomes. The codes are
 * the contract's (`@tsunagu/contract`): a code missing there, or one listed
 * there without a message here, fails the typecheck.
 */
import type { FlowRefusalCode, RefusalCode } from "@tsunagu/contract";

export type { FlowRefusalCode };

export const flowRefusals = {
  flow_unknown: "This sign-in link is not valid. Start linking again from the integration settings.",
  flow_used: "This sign-in link was already opened. Start linking again from the integration settings.",
  flow_expired: "This sign-in link has expired. Start linking again from the integration settings.",
  begin_not_from_portal:
    "Linking can only be started with the Link button of your portal's integration settings, not by opening a link. " +
    "Open the integration settings and choose Link there.",
  begin_secret_invalid:
    "This sign-in link was not opened by the page that started linking. Start linking again from the integration " +
    "settings.",
  state_invalid: "The answer from the provider does not belong to a sign-in started here. Start linking again.",
  state_expired: "Linking took longer than 10 minutes. Start linking again.",
  state_replayed: "This sign-in was already completed. Start linking again if you want to link another account.",
  flow_browser_mismatch:
    "Linking must be finished in the browser that started it. Start linking again in this browser.",
  consent_denied:
    "Access was not allowed at the provider, so nothing was linked. Start again and choose Allow to link.",
  provider_error: "The provider could not complete the sign-in. Try again in a moment.",
  org_connection_missing:
    "Your organisation has not connected this provider yet. Ask an administrator to connect it first.",
  admin_required:
    "Only an administrator can connect the organisation, and your portal account is no longer an administrator, so " +
    "nothing was connected. Ask an administrator to connect it.",
  connection_exists:
    "Your organisation is already connected to another workspace or account of this provider. Disconnect it first.",
  account_already_linked: "This account is already linked to your profile.",
  internal_error: "Something went wrong on our side. Try again; if it keeps failing, tell your administrator.",
} as const satisfies Record<FlowRefusalCode, string>;

/** A refusal the browser will see: a code and a message, never a stack trace. */
export interface Refusal {
  code: RefusalCode;
  message: string;
}

export function refusal(code: FlowRefusalCode, detail?: string): Refusal {
  return { code, message: detail ? `${flowRefusals[code]} (${detail})` : flowRefusals[code] };
}
