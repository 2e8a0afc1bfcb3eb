/**
 * What the OpenAPI document says about a route, written next to the route:
 * one `documented({...})` in the route's middleware chain (a no-op at run
 * time) names its summary, its success answers and the error codes it may
 * answer; the validators in the same chain (`jsonBody`, `queryOf`,
 * `paramsOf`, `requireRole`) add the request's body, query, path parameters
 * and roles from the very schemas that check them. The document
 * (openapi/document.ts) reads these marks from `app.routes`.
 */
import type { ErrorCode } from "@tsunagu/contract";
import type { MiddlewareHandler } from "hono";
import type { z } from "zod";

/** The statuses a route answers errors with (besides those every /v1 route may answer; see document.ts). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 424 | 500 | 501 | 503;
export type SuccessStatus = 200 | 201 | 202 | 204;

export interface RouteDoc {
  /** One line: what the route does. */
  summary: string;
  /** The group it is listed under (document.ts names them). */
  tag: string;
  description?: string;
  /** The success answers by status, each a JSON body. */
  answers: Partial<Record<SuccessStatus, z.ZodType>>;
  /** The codes this route answers of its own, by status. */
  errors?: Partial<Record<ErrorStatus, readonly ErrorCode[]>>;
  /** Optional request headers it reads, each with the schema the route checks it with. */
  headers?: Record<string, z.ZodType>;
  /** Which token it takes: the host token (default), or also a sign-in token. */
  tokens?: "host" | "host_or_signin";
}

/** A request part a validator checks: where it is, and the schema it checks it with. */
export interface RequestPart {
  target: "json" | "query" | "param";
  schema: z.ZodType;
}

export const routeDocMark = Symbol.for("tsunagu.openapi.route");
export const requestPartMark = Symbol.for("tsunagu.openapi.request-part");
export const rolesMark = Symbol.for("tsunagu.openapi.roles");

/** Marks a route for the OpenAPI document; does nothing when the route runs. */
export function documented(doc: RouteDoc): MiddlewareHandler {
  return Object.assign(
    // Hands the next step's promise on: no async frame of its own on every request of the route.
    function documentedRoute(_c: unknown, next: () => Promise<void>): Promise<void> {
      return next();
    },
    { [routeDocMark]: doc },
  );
}

/** Marks a validator with the request part it checks. */
export function withRequestPart<Middleware extends object>(middleware: Middleware, part: RequestPart): Middleware {
  return Object.assign(middleware, { [requestPartMark]: part });
}

/** Marks a role check with the roles it lets through. */
export function withRoles<Middleware extends object>(middleware: Middleware, roles: readonly string[]): Middleware {
  return Object.assign(middleware, { [rolesMark]: roles });
}
