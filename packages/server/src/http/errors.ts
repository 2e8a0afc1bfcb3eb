import type { RequestErrorCode } from "@tsunagu/contract";
import type { Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { TrieRouter } from "hono/router/trie-router";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ApiError, errorBody } from "../errors.ts";
import type { Logger } from "../log.ts";
import { databaseRetryAfterSeconds, isDatabaseBusy, isDatabaseUnavailable } from "../store/availability.ts";
import type { AppEnv } from "../auth/app-env.ts";

const statusCodes: Record<number, RequestErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "unprocessable",
  429: "rate_limited",
};

/**
 * Renders every failure as the error envelope; a database that cannot answer
 * right now is a 503 `database_unavailable` with `Retry-After`, or `server_busy`
 * when the query waited for a connection the server's own load kept busy; unknown errors
 * become a logged 500 without details.
 */
export function errorHandler(logger: Logger) {
  return function onError(error: Error, c: Context<AppEnv>) {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      return c.json(errorBody(error.code, error.message, error.details), error.status);
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      return c.json(errorBody(statusCodes[status] ?? "error", error.message || "Request failed."), status);
    }
    if (isDatabaseBusy(error)) {
      logger.warn("server busy", { requestId: c.get("requestId"), path: c.req.path, error });
      c.header("Retry-After", String(databaseRetryAfterSeconds));
      return c.json(
        errorBody(
          "server_busy",
          "The server is overloaded: every database connection is in use. Try again in a few seconds.",
        ),
        503,
      );
    }
    if (isDatabaseUnavailable(error)) {
      logger.warn("database unavailable", { requestId: c.get("requestId"), path: c.req.path, error });
      c.header("Retry-After", String(databaseRetryAfterSeconds));
      return c.json(
        errorBody("database_unavailable", "The database is not answering right now. Try again in a few seconds."),
        503,
      );
    }
    logger.error("unhandled error", { requestId: c.get("requestId"), path: c.req.path, error, stack: error.stack });
    return c.json(
      errorBody("internal_error", "Something went wrong on the server. The request id identifies it in the logs."),
      500,
    );
  };
}

export function notFoundHandler(c: Context<AppEnv>) {
  return c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404);
}

/**
 * Hono answers an unregistered method with 404; a mature API says 405 with
 * `Allow`. Call after every route is registered: it answers from the
 * not-found handler (which runs where the middleware chain found no route,
 * as a catch-all route registered last did), so that no catch-all route sits
 * beside the app's own: hono's RegExpRouter refuses `ALL /v1/oauth/flows/:flow`
 * next to `POST /v1/oauth/:provider/start`, and one refusal makes every
 * request go through the slower TrieRouter (issue 15). A request whose path
 * matches several registered paths is answered for the first registered, as
 * those catch-alls did.
 */
export function answerMethodNotAllowed(app: Hono<AppEnv>): void {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === "ALL") continue;
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === "GET") methods.add("HEAD");
    methodsByPath.set(route.path, methods);
  }
  const registered = new TrieRouter<{ methods: Set<string>; allow: string }>();
  for (const [path, methods] of methodsByPath)
    registered.add("ALL", path, { methods, allow: [...methods, "OPTIONS"].join(", ") });
  app.notFound((c) => {
    const [first] = registered.match(c.req.method, c.req.path)[0];
    // A route of this path that answers `c.notFound()` itself is a 404, not a 405.
    if (first === undefined || first[0].methods.has(c.req.method)) return notFoundHandler(c);
    const { allow } = first[0];
    if (c.req.method === "OPTIONS") return c.body(null, 204, { Allow: allow });
    c.header("Allow", allow);
    return c.json(
      errorBody("method_not_allowed", `${c.req.method} is not allowed on ${c.req.path}. Allowed: ${allow}.`),
      405,
    );
  });
}
