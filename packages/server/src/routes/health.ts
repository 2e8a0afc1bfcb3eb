import { Hono } from "hono";
import type { AppDeps } from "../deps.ts";
import { errorBody } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { databaseRetryAfterSeconds } from "../store/availability.ts";
import { pingDatabase } from "../store/database.ts";

/**
 * `GET /healthz`: 200 when the database answers, 503 `database_unavailable`
 * (with `Retry-After`) while it does not; lists the sandbox's fake providers when mounted.
 */
export function healthRoutes(deps: Pick<AppDeps, "db" | "sandbox">) {
  return new Hono<AppEnv>().get("/healthz", async (c) => {
    const database = await pingDatabase(deps.db);
    const sandbox = deps.sandbox ? { sandbox: true, providers: deps.sandbox } : { sandbox: false };
    if (!database)
      return c.json(
        { ...errorBody("database_unavailable", "The database does not answer."), status: "down", ...sandbox },
        503,
        { "Retry-After": String(databaseRetryAfterSeconds) },
      );
    return c.json({ status: "ok", database: "ok", ...sandbox });
  });
}
