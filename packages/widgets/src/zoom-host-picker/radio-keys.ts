/**
 * The keys of the WAI-ARIA radio group pattern
 * (https://www.w3.org/WAI/ARIA/apg/patterns/radio/): arrows move to the next
 * or previous radio and check it, wrapping at the ends; Home and End go to
 * the first and last (as many radio groups do); Space checks the focused
 * one. Radios that cannot be checked are skipped, as native disabled radios are.
 */
export type RadioKey = "next" | "previous" | "first" | "last" | "choose";

export function radioKey(event: KeyboardEvent): RadioKey | undefined {
  if (event.altKey || event.ctrlKey || event.metaKey) return undefined;
  switch (event.key) {
    case "ArrowDown":
    case "ArrowRight":
      return "next";
    case "ArrowUp":
    case "ArrowLeft":
      return "previous";
    case "Home":
      return "first";
    case "End":
      return "last";
    case " ":
      return "choose";
    default:
      return undefined;
  }
}

/** Where `key` moves from `current` among radios whose `enabled` flag is set, or undefined when none is. */
export function moveWithin(
  enabled: readonly boolean[],
  current: number,
  key: Exclude<RadioKey, "choose">,
): number | undefined {
  const order = enabled.flatMap((usable, index) => (usable ? [index] : []));
  if (order.length === 0) return undefined;
  if (key === "first") return order[0];
  if (key === "last") return order.at(-1);
  if (key === "next") return order.find((index) => index > current) ?? order[0];
  return [...order].reverse().find((index) => index < current) ?? order.at(-1);
}
