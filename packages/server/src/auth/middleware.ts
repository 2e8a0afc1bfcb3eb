/**
 * `tokenAuth({ audience, … })` turns `Authorization: Bearer <token>` into a
 * verified caller, refuses a browser origin that is not the token host's,
 * records the caller's organisation and user (so every route can rely on
 * those rows), and sets `c.get("caller")`. The API mounts it with the hosts'
 * own audience, the sign-in start with their sign-in audience, so neither
 * kind of token opens the other's routes. `requireRole` guards a
 * route by the caller's role.
 */
import type { Context, MiddlewareHandler, Next } from "hono";
import type { Clock } from "../clock.ts";
import { ApiError, forbidden } from "../errors.ts";
import { withRoles } from "../openapi/route-doc.ts";
import type { AppEnv } from "./app-env.ts";
import type { DB } from "../store/database.ts";
import { createCallerRecorder } from "../store/caller-recorder.ts";
import type { HostRegistry } from "./host-registry.ts";
import { type HostRole, hostRoles, type TokenAudience, tokenRefusal, type VerifiedHostToken } from "./host-token.ts";

export interface TokenAuthOptions {
  hosts: HostRegistry;
  db: DB;
  clock: Clock;
  /**
   * The audience the tokens must name, derived from their host's:
   * `hostTokens` (the host's `audience`, for the API) or `signInTokens`
   * (signin/sign-in-token.ts: `<audience>:signin`, for a sign-in start only).
   */
  audience: TokenAudience;
}

const bearer = /^Bearer +(.*)$/i;

export function tokenAuth(options: TokenAuthOptions): MiddlewareHandler<AppEnv> {
  if (!options?.hosts || !options.db || !options.clock || !options.audience?.verify)
    throw new Error("tokenAuth needs { hosts, db, clock, audience }");
  const { hosts, db, clock, audience } = options;
  const recordCaller = createCallerRecorder({ db, clock });
  const verifyContext = { hosts, clock };

  /** Lets the verified caller in: its host's origin, its organisation and user recorded (at most once a minute). */
  const admit = (c: Context<AppEnv>, next: Next, { host, claims }: Readonly<VerifiedHostToken>) => {
    // CORS let the origin in because *some* host registers it; the token decides which host this is.
    const origin = c.req.header("Origin");
    if (origin !== undefined && !host.origins.includes(origin)) {
      throw forbidden(
        "origin_not_allowed",
        `The origin ${origin.slice(0, 200)} is not registered for host "${host.id}".`,
      );
    }
    const proceed = () => {
      c.set("caller", claims);
      return next();
    };
    const recording = recordCaller(claims);
    return recording === undefined ? proceed() : recording.then(proceed);
  };

  // Nothing to do after the route: its promise is handed on rather than awaited here, and a remembered token with its
  // caller recorded lately goes through without a promise or an async frame of this middleware's own (issue 15).
  // What it throws, at once or as a rejection, Hono answers alike.
  return function tokenAuthMiddleware(c, next) {
    const token = bearerToken(c.req.header("Authorization"), audience.tokenName);
    const verifying = audience.verify(token, verifyContext);
    return verifying instanceof Promise
      ? verifying.then((verified) => admit(c, next, verified))
      : admit(c, next, verifying);
  };
}

function bearerToken(header: string | undefined, tokenName: string): string {
  const match = header === undefined ? null : bearer.exec(header.trim());
  const token = match?.[1]?.trim();
  if (!token) {
    // RFC 6750 §3.1: no error code when the request carried no credentials at all.
    throw new ApiError(401, "token_missing", `Send the ${tokenName} as Authorization: Bearer <token>.`, {
      headers: { "WWW-Authenticate": 'Bearer realm="tsunagu"' },
    });
  }
  if (/\s/.test(token)) throw tokenRefusal("token_malformed", "The Authorization header holds more than one token.");
  return token;
}

/** Lets the request through only when the verified caller has one of `roles`. Mount after `tokenAuth`. */
export function requireRole(...roles: HostRole[]): MiddlewareHandler<AppEnv> {
  if (roles.length === 0) throw new Error("requireRole needs at least one role");
  const unknown = roles.filter((role) => !hostRoles.includes(role));
  if (unknown.length > 0) throw new Error(`requireRole: unknown role(s) ${unknown.join(", ")}`);
  const needed = roles.length === 1 ? `the ${roles[0]} role` : `one of the roles ${roles.join(", ")}`;

  const requireRoleMiddleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const caller = c.get("caller");
    if (!caller) throw new Error("requireRole ran before tokenAuth");
    if (!roles.includes(caller.role))
      throw forbidden("forbidden_role", `This needs ${needed}; the caller is ${caller.role}.`);
    await next();
  };
  return withRoles(requireRoleMiddleware, roles);
}

/**
 * Only an admin goes on, else 403 `admin_required` with `message` (what to do instead). Placed before a route's
 * body validator, so who may change a setting is answered before what the body says (403, then 400).
 */
export function adminRequired(message: string): MiddlewareHandler<AppEnv> {
  return withRoles(
    async function adminRequiredMiddleware(c, next) {
      if (c.get("caller").role !== "admin") throw forbidden("admin_required", message);
      await next();
    } satisfies MiddlewareHandler<AppEnv>,
    ["admin"],
  );
}
