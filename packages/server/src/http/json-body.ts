/**
 * JSON request bodies checked by @hono/zod-validator, answered in the API's
 * envelope: a body that is not JSON (or not sent as JSON), or not of the
 * schema, is a 400 `invalid_body` saying what was expected and what was
 * wrong. Routes then read `c.req.valid("json")`. A route whose refusal says
 * more (a field in `details`, its own wording) passes a `refuse` function,
 * given the first issue, or nothing when the body is not JSON.
 *
 * The validator's own refusal of malformed JSON is an HTTPException that the
 * error handler would render as `bad_request`: it is caught here, and only
 * when it comes from the validator (the route has not run yet).
 *
 * The schema is also what the OpenAPI document says the body is
 * (openapi/route-doc.ts).
 */
import { zValidator } from "@hono/zod-validator";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";
import { ApiError, badRequest } from "../errors.ts";
import { withRequestPart } from "../openapi/route-doc.ts";

export type Issue = z.core.$ZodIssue;
/** The refusal for a body that is not the schema's (the first issue), or not JSON at all (no issue). */
export type BodyRefusal = (issue: Issue | undefined) => Error;

/** "path message" of an issue, `body` for the body as a whole. */
export const issueText = (issue: Issue | undefined): string =>
  `${issue?.path.join(".") || "body"} ${issue?.message ?? ""}`.trim();

export function jsonBody<Schema extends z.ZodType>(schema: Schema, expected: string | BodyRefusal) {
  const refuse: BodyRefusal =
    typeof expected === "string"
      ? (issue) => badRequest("invalid_body", `${expected}: ${issue ? issueText(issue) : "the body is not JSON"}`)
      : expected;
  const validate = zValidator("json", schema, (result) => {
    if (result.success) return;
    throw refuse(result.error.issues[0]);
  });
  const validateJson: typeof validate = async (c, next) => {
    let routeReached = false;
    try {
      return await validate(c, async () => {
        routeReached = true;
        await next();
      });
    } catch (error) {
      if (!routeReached && error instanceof HTTPException && !(error instanceof ApiError) && error.status === 400)
        throw refuse(undefined);
      throw error;
    }
  };
  return withRequestPart(validateJson, { target: "json", schema });
}
