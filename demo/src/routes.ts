/**
 * The portal's pages as hash routes (`#/candidates`, `#/candidates/c-101`, …):
 * a static demo needs no server-side routing, and a reload keeps the page.
 */
export const navigationPages = ["candidates", "interviews", "links", "templates", "integrations"] as const;
export type NavigationPage = (typeof navigationPages)[number];

export type Route =
  | { page: NavigationPage }
  /** One candidate's page, under the candidate list in the menu. */
  | { page: "candidate"; candidateId: string };

export function routeFromHash(hash: string): Route {
  const [first, second] = hash.replace(/^#\/?/, "").split("/");
  if (first === "candidates" && second) return { page: "candidate", candidateId: decodeURIComponent(second) };
  return navigationPages.includes(first as NavigationPage) ? { page: first as NavigationPage } : { page: "candidates" };
}

/** The menu entry a route belongs to: a candidate's page is under the candidate list. */
export function menuPageOf(route: Route): NavigationPage {
  return route.page === "candidate" ? "candidates" : route.page;
}

export function candidateHref(candidateId: string): string {
  return `#/candidates/${encodeURIComponent(candidateId)}`;
}
