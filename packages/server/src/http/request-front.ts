import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { setSecurityHeaders } from "./security-headers.ts";

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * The outermost middleware of every request, one frame doing what a request
 * id, a log line and the security headers each did in a middleware of its own
 * (issue 15: every frame is a closure, an await and a router entry per
 * request). Gives every request an id (a well-formed incoming `X-Request-Id`
 * is kept), and once the answer is known sets the security headers
 * (security-headers.ts) and `X-Request-Id` on it and logs one line. Query
 * strings are never logged: OAuth callbacks carry codes and state there.
 */
export function requestFront(options: { logger: Logger }): MiddlewareHandler<AppEnv> {
  const { logger } = options;
  return async function requestFrontMiddleware(c, next) {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming !== undefined && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    const started = performance.now();
    await next();
    const headers = c.res.headers;
    setSecurityHeaders(headers);
    headers.set("X-Request-Id", requestId);
    const caller = c.get("caller");
    const ms = Math.round(performance.now() - started);
    const { method, path } = c.req;
    logger.info(
      "request",
      caller === undefined
        ? { requestId, method, path, status: c.res.status, ms }
        : { requestId, method, path, status: c.res.status, ms, host: caller.iss, org: caller.org, user: caller.sub },
    );
  };
}
