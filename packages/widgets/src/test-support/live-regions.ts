/**
 * The live regions a screen reader would not speak yet: those (`role="status"`, `role="alert"`, `aria-live`) in an
 * element's shadow root, and in the shadow roots of the elements inside it, that are or sit inside something marked
 * `aria-busy="true"`, up to the element itself (across shadow roots). A screen reader holds back what such a region
 * says until nothing around it is busy, so a progress line there is never heard while it matters.
 */
const liveRegion = '[role="status"], [role="alert"], [aria-live]';

/** Each held region as `role: text`, in document order; `[]` when every one can be heard. */
export function liveRegionsHeldBusy(el: Element): string[] {
  return regionsIn(el.shadowRoot)
    .filter((region) => busyUpTo(region, el))
    .map(
      (region) => `${region.getAttribute("role") ?? "live"}: ${(region.textContent ?? "").replace(/\s+/g, " ").trim()}`,
    );
}

function regionsIn(root: ShadowRoot | null): Element[] {
  if (!root) return [];
  const nested = [...root.querySelectorAll("*")].flatMap((element) => regionsIn(element.shadowRoot));
  return [...root.querySelectorAll(liveRegion), ...nested];
}

function busyUpTo(region: Element, el: Element): boolean {
  for (
    let node: Node | null = region;
    node && node !== el;
    node = node instanceof ShadowRoot ? node.host : node.parentNode
  )
    if (node instanceof Element && node.getAttribute("aria-busy") === "true") return true;
  return false;
}
