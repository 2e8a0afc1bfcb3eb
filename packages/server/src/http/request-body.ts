/**
 * Runs a body-inspecting middleware only for requests that can carry a body.
 * A GET or HEAD has none (the fetch Request forbids one, and @hono/node-server
 * attaches none), yet merely asking `c.req.raw.body` makes the Node adapter
 * build a full Request object: skipping the question saves that on every read.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../auth/app-env.ts";

export function forRequestsWithBody(middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> {
  return function requestsWithBody(c, next) {
    return c.req.method === "GET" || c.req.method === "HEAD" ? next() : middleware(c, next);
  };
}
