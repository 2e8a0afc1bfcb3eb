import type { Context, ErrorHandler, MiddlewareHandler, Next } from "hono";
import type { Logger } from "../log.ts";
import type { AnswerHeaders, AppEnv } from "../auth/app-env.ts";
import { ApiError } from "../errors.ts";
import { answerJsonWithRecord, completeAnswer } from "./answer-headers.ts";

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * The outermost middleware of every request, one frame doing what a request
 * id, a log line and the security headers each did in a middleware of its own
 * (issue 15: every frame is a closure, an await and a router entry per
 * request). Gives every request an id (a well-formed incoming `X-Request-Id`
 * is kept), puts the security headers (security-headers.ts) and `X-Request-Id`
 * on its answer (in the one header record a plain JSON answer is built with,
 * else set on the answer afterwards: answer-headers.ts) and logs one line
 * (with the error code of a refusal).
 * Query strings are never logged: OAuth callbacks carry codes and state there.
 *
 * `steps`: middleware the front runs itself, in order, before the routes (the
 * app's body limit and NUL check, and CORS under /v1): each called directly
 * rather than as a layer of Hono's own (a frame, a `next` closure and a
 * promise per layer, issue 15). What they throw is answered by `onError` as
 * Hono answers what a layer throws, so a refusal carries the same headers and
 * log line as before; a step that answers by itself (a CORS preflight) sets
 * `c.res`; a step under `path` runs for that path and below it only (as
 * `app.use("/v1/*")`: `/v1` and `/v1/…`).
 */
export function requestFront(options: {
  logger: Logger;
  steps?: readonly FrontStep[];
  onError?: ErrorHandler<AppEnv>;
}): MiddlewareHandler<AppEnv> {
  const { logger, steps = [], onError } = options;
  if (steps.length > 0 && onError === undefined) throw new Error("requestFront needs onError to run steps");
  const runSteps = (c: Context<AppEnv>, index: number, next: Next): ReturnType<MiddlewareHandler<AppEnv>> => {
    for (; index < steps.length; index++) {
      const { path, middleware } = steps[index] as FrontStep;
      if (path === undefined || isUnder(c.req.path, path))
        return middleware(c, () => runSteps(c, index + 1, next) as Promise<void>);
    }
    return next();
  };
  const answerSteps = async (c: Context<AppEnv>, next: Next) => {
    // As Hono's compose takes a layer's answer: what a step returned, or the answer to what it threw.
    let answer: Response | undefined;
    let failed = false;
    try {
      answer = (await runSteps(c, 0, next)) ?? undefined;
    } catch (error) {
      if (!(error instanceof Error) || onError === undefined) throw error;
      c.error = error;
      answer = await onError(error, c);
      failed = true;
    }
    if (answer !== undefined && (!c.finalized || failed)) c.res = answer;
  };
  return async function requestFrontMiddleware(c, next) {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming !== undefined && requestIdPattern.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", requestId);
    const answer: AnswerHeaders = { requestId, corsOrigin: undefined, plain: true, complete: undefined };
    c.set("answerHeaders", answer);
    answerJsonWithRecord(c, answer);
    const started = performance.now();
    if (steps.length === 0) await next();
    else await answerSteps(c, next);
    if (c.res !== answer.complete) completeAnswer(c.res.headers, answer);
    const caller = c.get("caller");
    const ms = Math.round(performance.now() - started);
    const { method, path } = c.req;
    const line =
      caller === undefined
        ? { requestId, method, path, status: c.res.status, ms }
        : { requestId, method, path, status: c.res.status, ms, host: caller.iss, org: caller.org, user: caller.sub };
    // A refusal's code beside its status: an operator reading a 401 learns which check refused the token
    // (token_signature, unknown_host…) without the browser's network tab. The message stays out (it may quote the
    // request); a page's origin refused is named, being what to register (the browser shows the page only a CORS
    // failure).
    logger.info("request", c.error instanceof ApiError ? refused(line, c.error.code, c.req.header("origin")) : line);
  };
}

function refused<Line extends object>(line: Line, errorCode: string, origin: string | undefined) {
  return errorCode === "origin_not_allowed" && origin !== undefined
    ? { ...line, errorCode, origin: origin.slice(0, 200) }
    : { ...line, errorCode };
}

/** A middleware the request front runs itself; under `path` only when given. */
export interface FrontStep {
  path?: string;
  middleware: MiddlewareHandler<AppEnv>;
}

function isUnder(requestPath: string, path: string): boolean {
  return requestPath.startsWith(path) && (requestPath.length === path.length || requestPath[path.length] === "/");
}
