import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppEnv } from "../../src/auth/app-env.ts";
import { errorHandler } from "../../src/http/errors.ts";
import { jsonBody } from "../../src/http/json-body.ts";
import { silentLogger } from "../../src/log.ts";

/** A route as the API writes them: the validator in front, the error handler of the real app behind. */
function appWith(route: (body: { name: string }) => Response | never) {
  const app = new Hono<AppEnv>();
  app.onError(errorHandler(silentLogger));
  app.post("/things", jsonBody(z.strictObject({ name: z.string().min(1) }), "The body must be {name}"), (c) =>
    route(c.req.valid("json")),
  );
  return app;
}

const post = (app: Hono<AppEnv>, body: string, contentType: string | null = "application/json") =>
  app.request("/things", { method: "POST", body, headers: contentType ? { "Content-Type": contentType } : {} });

describe("jsonBody (@hono/zod-validator in the API's envelope)", () => {
  it("hands the route the parsed body", async () => {
    const app = appWith((body) => Response.json({ got: body.name }));
    const response = await post(app, JSON.stringify({ name: "Ken" }));
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { got: "Ken" } });
  });

  it("answers a body of another shape with invalid_body, naming the field", async () => {
    const app = appWith(() => new Response("unreachable"));
    const response = await post(app, JSON.stringify({ name: "" }));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: "invalid_body", message: expect.stringMatching(/^The body must be \{name\}: name /) },
    });
    const extra = await post(app, JSON.stringify({ name: "Ken", admin: true }));
    expect(((await extra.json()) as { error: { code: string } }).error.code).toBe("invalid_body");
  });

  it("answers malformed JSON and a body not sent as JSON with invalid_body, not bad_request", async () => {
    const app = appWith(() => new Response("unreachable"));
    for (const response of [
      await post(app, '{"name":'),
      await post(app, JSON.stringify({ name: "Ken" }), "text/plain"),
      await post(app, "", null),
    ]) {
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_body");
    }
  });

  it("leaves a 400 the route itself raises as it is", async () => {
    const app = appWith(() => {
      throw new HTTPException(400, { message: "the route said no" });
    });
    const response = await post(app, JSON.stringify({ name: "Ken" }));
    expect(await response.json()).toEqual({ error: { code: "bad_request", message: "the route said no" } });
  });
});
