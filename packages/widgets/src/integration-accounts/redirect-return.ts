/**
 * Redirect mode, for pages that cannot open popups: the whole page posts
 * the begin form (begin-form.ts), and the server sends it back to the page's own URL with
 * `?tsunagu_oauth=linked|error&flow=…` (plus `account` or `code`). The
 * element asks the flow-status endpoint what happened (the query is only a
 * hint) and takes the parameters out of the address bar.
 */
const returnParameters = ["tsunagu_oauth", "flow", "account", "code"] as const;

// One flow's return is handled once, by the first element that reads it.
let claimedFlow: string | undefined;

/**
 * The flow id of a redirect return in the current URL, removing its
 * parameters from the address bar; undefined when there is none or another
 * element already took it.
 */
export function claimRedirectReturn(): string | undefined {
  const url = new URL(window.location.href);
  const status = url.searchParams.get("tsunagu_oauth");
  const flow = url.searchParams.get("flow");
  if ((status !== "linked" && status !== "error") || !flow || flow === claimedFlow) return undefined;
  claimedFlow = flow;
  for (const name of returnParameters) url.searchParams.delete(name);
  window.history.replaceState(window.history.state, "", url);
  return flow;
}

/** The URL the server should send the page back to: this page, without a previous return's parameters. */
export function returnUrl(): string {
  const url = new URL(window.location.href);
  for (const name of returnParameters) url.searchParams.delete(name);
  url.hash = "";
  return url.toString();
}
