/**
 * What a link needs once it has started: the begin form and the wait for the
 * popup's outcome. A chunk of its own (`import()` in link-controller.ts),
 * fetched when a link starts, while the server answers start, or when the
 * page comes back from a redirect; a page that links nothing never fetches it.
 */
export { submitBegin } from "./begin-form.ts";
export { outcomeOfStatus, waitForOutcome } from "./popup-outcome.ts";
