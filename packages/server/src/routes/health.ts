import { Hono } from "hono";
import type { AppDeps } from "../deps.ts";
import { errorBody } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { databaseRetryAfterSeconds } from "../store/availability.ts";
import { pingDatabase } from "../store/database.ts";

/**
 * `GET /healthz`: 200 when the database answers, else 503 with `Retry-After`, telling load from outage as every
 * request does: `server_busy` when the ping waited its bounded time for one of the pool's connections while all of
 * them served other requests (the database answers; this process is overloaded, as its requests are answering),
 * `database_unavailable` when the database cannot be reached. The ping queues behind the pool as a request does, so
 * a readiness probe sees what a request would. Lists the sandbox's fake providers when mounted.
 */
export function healthRoutes(deps: Pick<AppDeps, "db" | "sandbox">) {
  return new Hono<AppEnv>().get("/healthz", async (c) => {
    const database = await pingDatabase(deps.db);
    const sandbox = deps.sandbox ? { sandbox: true, providers: deps.sandbox } : { sandbox: false };
    if (database !== "ok") {
      const refusal =
        database === "busy"
          ? errorBody("server_busy", "Every database connection is busy with other requests; the database answers.")
          : errorBody("database_unavailable", "The database does not answer.");
      return c.json({ ...refusal, status: database === "busy" ? "busy" : "down", ...sandbox }, 503, {
        "Retry-After": String(databaseRetryAfterSeconds),
      });
    }
    return c.json({ status: "ok", database: "ok", ...sandbox });
  });
}
