import type { MiddlewareHandler } from "hono";
import type { Logger } from "../log.ts";
import type { AnswerHeaders, AppEnv } from "../auth/app-env.ts";
import { answerJsonWithRecord, completeAnswer } from "./answer-headers.ts";

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * The outermost middleware of every request, one frame doing what a request
 * id, a log line and the security headers each did in a middleware of its own
 * (issue 15: every frame is a closure, an await and a router entry per
 * request). Gives every request an id (a well-formed incoming `X-Request-Id`
 * is kept), puts the security headers (security-headers.ts) and `X-Request-Id`
 * on its answer (in the one header record a plain JSON answer is built with,
 * else set on the answer afterwards: answer-headers.ts) and logs one line.
 * Query strings are never logged: OAuth callbacks carry codes and state there.
 */
export function requestFront(options: { logger: Logger }): MiddlewareHandler<AppEnv> {
  const { logger } = options;
  return async function requestFrontMiddleware(c, next) {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming !== undefined && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    const answer: AnswerHeaders = { requestId, corsOrigin: undefined, plain: true, complete: undefined };
    c.set("answerHeaders", answer);
    answerJsonWithRecord(c, answer);
    const started = performance.now();
    await next();
    if (c.res !== answer.complete) completeAnswer(c.res.headers, answer);
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
