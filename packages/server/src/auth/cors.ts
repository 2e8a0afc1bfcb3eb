/**
 * CORS for the widget API. Only origins that some host registers get CORS
 * headers; everyone else gets none, so the browser blocks the response.
 *
 * A preflight carries no token, so it can only ask "does any host register
 * this origin?". The binding of origin to host is checked afterwards by
 * `tokenAuth`, once the token says which host is calling (403 otherwise).
 * No cookies are involved (the token travels in Authorization), so
 * Access-Control-Allow-Credentials is never sent.
 */
import type { MiddlewareHandler } from "hono";
import { forbidden } from "../errors.ts";
import type { AppEnv } from "./app-env.ts";
import type { HostRegistry } from "./host-registry.ts";

export const corsPolicy = {
  allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
  allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
  exposeHeaders: ["X-Request-Id"],
  maxAgeSeconds: 600,
} as const;

export function hostCors(options: { hosts: HostRegistry }): MiddlewareHandler<AppEnv> {
  if (!options?.hosts) throw new Error("hostCors needs { hosts }");
  const { hosts } = options;
  // Built once: only the origin differs between two answers.
  const preflightHeaders = {
    "Access-Control-Allow-Methods": corsPolicy.allowMethods.join(", "),
    "Access-Control-Allow-Headers": corsPolicy.allowHeaders.join(", "),
    "Access-Control-Max-Age": String(corsPolicy.maxAgeSeconds),
    Vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
  };
  const exposeHeaders = corsPolicy.exposeHeaders.join(", ");

  return async function hostCorsMiddleware(c, next) {
    const origin = c.req.header("Origin");
    const allowed = origin !== undefined && hosts.isAllowedOrigin(origin);
    const isPreflight =
      c.req.method === "OPTIONS" && origin !== undefined && c.req.header("Access-Control-Request-Method") !== undefined;

    if (isPreflight) {
      if (!allowed)
        throw forbidden("origin_not_allowed", `The origin ${origin.slice(0, 200)} is not registered by any host.`);
      return c.body(null, 204, { "Access-Control-Allow-Origin": origin, ...preflightHeaders });
    }

    await next();
    // Set after next(): the response may be an error rendered by the error handler, which the widget must be able to
    // read too.
    const headers = c.res.headers;
    headers.append("Vary", "Origin");
    if (allowed) {
      headers.set("Access-Control-Allow-Origin", origin);
      headers.set("Access-Control-Expose-Headers", exposeHeaders);
    }
  };
}
