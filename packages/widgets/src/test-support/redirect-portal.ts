/**
 * A portal page that embeds <integration-accounts link-mode="redirect">, for
 * integration-accounts.sandbox.test.ts: the whole page leaves for the
 * provider and comes back, so it runs in a window of its own, not in the test
 * page. It reads the server and the portal user from its query (kept on the
 * way back), and keeps the element's outcome events in `window.outcomes`
 * for the test to read once the page is back.
 */
import type { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import type { TsunaguLinkedEvent } from "../events/tsunagu-linked.ts";
import "../integration-accounts/define.ts";
import { type PortalUser, portalTokenProvider } from "./real-server.ts";

export type PortalOutcome =
  | { type: "tsunagu-linked"; detail: TsunaguLinkedEvent["detail"] }
  | { type: "tsunagu-error"; code: string };

declare global {
  interface Window {
    outcomes?: PortalOutcome[];
  }
}

const query = new URLSearchParams(location.search);
const outcomes: PortalOutcome[] = [];
window.outcomes = outcomes;
document.addEventListener("tsunagu-linked", (event) =>
  outcomes.push({ type: "tsunagu-linked", detail: (event as TsunaguLinkedEvent).detail }),
);
document.addEventListener("tsunagu-error", (event) =>
  outcomes.push({ type: "tsunagu-error", code: (event as TsunaguErrorEvent).detail.error.code }),
);

const element = document.createElement("integration-accounts");
element.server = query.get("server") ?? "";
element.tokenProvider = portalTokenProvider(JSON.parse(query.get("user") ?? "{}") as PortalUser);
element.setAttribute("link-mode", "redirect");
document.body.append(element);
