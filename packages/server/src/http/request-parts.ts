/**
 * Query strings and path parameters checked by @hono/zod-validator, as
 * `jsonBody` checks bodies: a value that is not the schema's is refused by
 * the route's own `refuse` (an `invalid_request` naming the part), given the
 * first issue. Routes then read `c.req.valid("query")` or `c.req.valid("param")`.
 * The schema is also what the OpenAPI document lists as the parameters.
 */
import { zValidator } from "@hono/zod-validator";
import type { z } from "zod";
import { withRequestPart } from "../openapi/route-doc.ts";
import type { Issue } from "./json-body.ts";

export function queryOf<Schema extends z.ZodType>(schema: Schema, refuse: (issue: Issue | undefined) => Error) {
  const validate = zValidator("query", schema, (result) => {
    if (!result.success) throw refuse(result.error.issues[0]);
  });
  return withRequestPart(validate, { target: "query", schema });
}

export function paramsOf<Schema extends z.ZodType>(schema: Schema, refuse: (issue: Issue | undefined) => Error) {
  const validate = zValidator("param", schema, (result) => {
    if (!result.success) throw refuse(result.error.issues[0]);
  });
  return withRequestPart(validate, { target: "param", schema });
}
