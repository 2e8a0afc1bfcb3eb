/**
 * Begin, the step that sends the browser to the provider, is a form POST
 * from this page (README, "Why begin is a POST"): it carries the one-time
 * secret that only this page's script got from start, and the browser adds
 * this page's `Origin`, which the server compares with the origin start was
 * called from. A begin URL opened any other way (a link passed to a
 * colleague) links nothing. The form targets the popup by its window name,
 * or the page itself in redirect mode, and lives in the element's shadow
 * root only while it is submitted.
 */
import type { StartedFlow } from "./accounts-api.ts";

/** Where a begin form is submitted; replaceable so tests can watch a page-leaving submit without leaving the page. */
export const beginNavigation = {
  submit(form: HTMLFormElement): void {
    form.submit();
  },
};

/** Posts `started`'s begin form into the window named `target` (a popup's name, or `_self`). */
export function submitBegin(parent: ParentNode, started: StartedFlow, target: string): void {
  const form = document.createElement("form");
  form.method = "post";
  form.action = started.url;
  form.target = target;
  form.hidden = true;
  const secret = document.createElement("input");
  secret.type = "hidden";
  secret.name = "secret";
  secret.value = started.beginSecret;
  form.append(secret);
  parent.append(form);
  try {
    beginNavigation.submit(form);
  } finally {
    form.remove();
  }
}
