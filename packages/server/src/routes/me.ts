import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../auth/app-env.ts";
import { documented } from "../openapi/route-doc.ts";

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
 * `GET /v1/me`: who the server thinks the caller is, from the verified token.
 * `tokenAuth` has already recorded the organisation and the user, and the
 * user's row holds exactly these claims (the portal is their source of
 * truth, the latest token wins), so the answer needs no second read of that
 * row: the read cost more than the rest of the route (issue 15).
 */
export function meRoutes() {
  return new Hono<AppEnv>().get(
    "/me",
    documented({ summary: "Who the server thinks the caller is", tag: "me", answers: { 200: meAnswer } }),
    (c) => {
      const caller = c.get("caller");
      const body: MeResponse = {
        host: caller.iss,
        org: caller.org,
        user: caller.sub,
        role: caller.role,
        email: caller.email,
      };
      if (caller.name !== undefined) body.name = caller.name;
      if (caller.locale !== undefined) body.locale = caller.locale;
      if (caller.tz !== undefined) body.tz = caller.tz;
      return c.json(body);
    },
  );
}
