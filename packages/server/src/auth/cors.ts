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
import type { Context, MiddlewareHandler, Next } from "hono";
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

  // Where the request front gathers the answer's headers (http/answer-headers.ts), CORS only says what it allows;
  // else it sets its headers on the answer itself.
  const setAfter = async (c: Context<AppEnv>, next: Next, origin: string | undefined, allowed: boolean) => {
    await next();
    // Set after next(): the response may be an error rendered by the error handler, which the widget must be able to
    // read too.
    const headers = c.res.headers;
    headers.append("Vary", "Origin");
    if (allowed) {
      headers.set("Access-Control-Allow-Origin", origin as string);
      headers.set("Access-Control-Expose-Headers", exposeHeaders);
    }
  };

  return function hostCorsMiddleware(c, next) {
    const origin = c.req.header("Origin");
    const allowed = origin !== undefined && hosts.isAllowedOrigin(origin);
    const isPreflight =
      c.req.method === "OPTIONS" && origin !== undefined && c.req.header("Access-Control-Request-Method") !== undefined;

    if (isPreflight) {
      if (!allowed)
        throw forbidden("origin_not_allowed", `The origin ${origin.slice(0, 200)} is not registered by any host.`);
      // Set as the context's answer rather than returned: the request front runs CORS itself, not as a layer whose
      // returned answer Hono keeps (http/request-front.ts).
      c.res = c.body(null, 204, { "Access-Control-Allow-Origin": origin, ...preflightHeaders });
      return Promise.resolve();
    }

    const answer = c.get("answerHeaders");
    if (answer === undefined) return setAfter(c, next, origin, allowed);
    // Whatever answers, the route or the error handler, carries them (the widget must be able to read an error too).
    answer.corsOrigin = allowed ? origin : null;
    return next();
  };
}
