/**
 * JSON request bodies checked by @hono/zod-validator, answered in the API's
 * envelope: a body that is not JSON (or not sent as JSON), or not of the
 * schema, is a 400 `invalid_body` saying what was expected and what was
 * wrong. Routes then read `c.req.valid("json")`.
 *
 * The validator's own refusal of malformed JSON is an HTTPException that the
 * error handler would render as `bad_request`: it is caught here, and only
 * when it comes from the validator (the route has not run yet).
 */
import { zValidator } from "@hono/zod-validator";
import { HTTPException } from "hono/http-exception";
import type { z } from "zod";
import { ApiError, badRequest } from "../errors.ts";

export function jsonBody<Schema extends z.ZodType>(schema: Schema, expected: string) {
  const invalid = (detail: string) => badRequest("invalid_body", `${expected}: ${detail}`);
  const validate = zValidator("json", schema, (result) => {
    if (result.success) return;
    const issue = result.error.issues[0];
    throw invalid(`${issue?.path.join(".") || "body"} ${issue?.message ?? ""}`.trim());
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
        throw invalid("the body is not JSON");
      throw error;
    }
  };
  return validateJson;
}
