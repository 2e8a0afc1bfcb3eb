import { Hono } from "hono";
import { z } from "zod";
import type { AppDeps } from "../deps.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { documented } from "../openapi/route-doc.ts";
import { findUserProfile, userScopeOf } from "../store/tenancy.ts";

export interface MeResponse {
  host: string;
  org: string;
  user: string;
  role: string;
  email: string;
  name?: string;
  locale?: string;
  tz?: string;
}

const meAnswer = z.object({
  host: z.string(),
  org: z.string(),
  user: z.string(),
  role: z.string(),
  email: z.string(),
  name: z.string().optional(),
  locale: z.string().optional(),
  tz: z.string().optional(),
}) satisfies z.ZodType<MeResponse>;

/**
 * `GET /v1/me`: who the server thinks the caller is. `tokenAuth` has already
 * recorded the organisation and the user; the answer is read back from that
 * row, within the caller's own (host, org, user) scope.
 */
export function meRoutes(deps: Pick<AppDeps, "db">) {
  return new Hono<AppEnv>().get(
    "/me",
    documented({ summary: "Who the server thinks the caller is", tag: "me", answers: { 200: meAnswer } }),
    async (c) => {
      const scope = userScopeOf(c.get("caller"));
      const user = await findUserProfile(deps.db, scope);
      if (!user) throw new Error("the caller's user row is missing right after tokenAuth recorded it");
      const body: MeResponse = {
        host: scope.hostId,
        org: scope.orgId,
        user: scope.userId,
        role: user.role,
        email: user.email,
      };
      if (user.name !== null) body.name = user.name;
      if (user.locale !== null) body.locale = user.locale;
      if (user.time_zone !== null) body.tz = user.time_zone;
      return c.json(body);
    },
  );
}
