/**
 * Which calls a queued fault (`/_control/fail`, `/_control/rate-limit`) can
 * meet. A fault names a path prefix and a method; one that no route of the fake
 * could match would wait in the queue while every call went through, as a
 * failure queued for Slack's method name `oauth.v2.access` (its path is
 * `/api/oauth.v2.access`) did in an operator's run. The control refuses such a
 * fault, naming the paths the fake serves.
 */
import type { Hono } from "hono";

export interface ServedRoute {
  method: string;
  /** Hono's pattern: `/api/oauth.v2.access`, `/:tenant/oauth2/v2.0/token`. */
  path: string;
}

/**
 * The routes a call can meet a fault on: the provider's paths, without the
 * catch-alls (a `*` route answers paths the provider does not serve, in its
 * own error shape) and without `/_control`, which is never faulted.
 */
export function servedRoutes(app: Hono): ServedRoute[] {
  const seen = new Map<string, ServedRoute>();
  for (const route of app.routes) {
    if (route.path.includes("*") || route.path.startsWith("/_control/")) continue;
    seen.set(`${route.method} ${route.path}`, { method: route.method, path: route.path });
  }
  return [...seen.values()];
}

/** Why no call could meet a fault on `path` (a prefix) and `method`, or undefined when some call could. */
export function unreachableFault(
  routes: ServedRoute[],
  provider: string,
  path: string | undefined,
  method: string | undefined,
): string | undefined {
  const under = path ? routes.filter((route) => couldStartWith(route.path, path)) : routes;
  if (under.length === 0) {
    const paths = unique(routes.map((route) => route.path));
    const meant = paths.filter((served) => served.endsWith(`/${bare(path ?? "")}`));
    return (
      `path "${path}" starts no path the ${provider} fake serves` +
      (meant.length > 0 ? `; did you mean ${meant.map((served) => `"${served}"`).join(" or ")}?` : ".") +
      ` It serves ${paths.join(", ")}`
    );
  }
  if (method && !under.some((route) => route.method === method || route.method === "ALL")) {
    const methods = unique(under.map((route) => route.method));
    return (
      `the ${provider} fake serves no ${method} call ${path ? `under "${path}"` : "at all"}; ` +
      `${path ? "there it serves" : "it serves"} ${methods.join(", ")}`
    );
  }
  return undefined;
}

/**
 * Whether some request path matching the route `pattern` starts with `prefix`
 * (the test a queued fault applies: `path.startsWith(fault.path)`). A `:name`
 * segment matches any one segment (its `{regex}` checked on whole segments);
 * the prefix's last segment may stop short of the route's.
 */
export function couldStartWith(pattern: string, prefix: string): boolean {
  const routeSegments = pattern.split("/");
  const prefixSegments = prefix.split("/");
  if (prefixSegments.length > routeSegments.length) return false;
  return prefixSegments.every((segment, index) => {
    const route = routeSegments[index] ?? "";
    const last = index === prefixSegments.length - 1;
    if (!route.startsWith(":")) return last ? route.startsWith(segment) : route === segment;
    if (last) return true;
    const regex = /\{(.+)\}$/.exec(route)?.[1];
    return regex ? new RegExp(`^(?:${regex})$`).test(segment) : segment !== "";
  });
}

/** A path as someone might write it loosely: without scheme and host, and without leading slashes. */
function bare(path: string): string {
  return path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "").replace(/^\/+/, "");
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
