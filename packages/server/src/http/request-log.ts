import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log.ts";
import type { AppEnv } from "../auth/app-env.ts";

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Gives every request an id (a well-formed incoming `X-Request-Id` is kept)
 * and logs one line per request. Query strings are never logged: OAuth
 * callbacks carry codes and state there.
 */
export function requestLog(options: { logger: Logger }): MiddlewareHandler<AppEnv> {
  const { logger } = options;
  return async function requestLogMiddleware(c, next) {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    const started = performance.now();
    await next();
    c.res.headers.set("X-Request-Id", requestId);
    const caller = c.get("caller");
    logger.info("request", {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      ...(caller ? { host: caller.iss, org: caller.org, user: caller.sub } : {}),
    });
  };
}
