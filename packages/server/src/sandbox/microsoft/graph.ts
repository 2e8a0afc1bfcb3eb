/**
 * Microsoft Graph v1.0 as the fake serves it: `/me`, getSchedule, the
 * signed-in user's events and the OpenID Connect userinfo endpoint, behind
 * bearer tokens from the fake identity platform, with Graph's error envelope
 * (also for every path the fake does not serve, beta included).
 */
import { type Context, Hono } from "hono";
import type { FakeContext } from "../fake.ts";
import { hasPermission } from "./directory.ts";
import { graphError } from "./errors.ts";
import { type EventInput, eventInput, type EventStore, renderEvent } from "./events.ts";
import { getSchedule, scheduleRequest } from "./schedule.ts";
import { parseWallClock, preferredZone, resolveZone } from "./time.ts";
import { type Grant, pairwiseSubject, type TokenStore } from "./tokens.ts";

type Env = { Variables: { grant: Grant } };

const tokenProblems = {
  empty: "Access token is empty.",
  malformed: "IDX14100: JWT is not well formed, there are no dots (.).",
  expired: "Lifetime validation failed, the token is expired.",
} as const;

export function graphRoutes(context: FakeContext, tokens: TokenStore, events: EventStore): Hono<Env> {
  const { clock } = context;
  const app = new Hono<Env>();
  const origin = () => context.baseUrl();
  const fail = (
    c: Context,
    status: 400 | 401 | 403 | 404,
    code: string,
    message: string,
    headers?: Record<string, string>,
  ) => graphError(c, clock, status, code, message, headers ? { headers } : {});
  const denied = (c: Context) =>
    fail(c, 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");

  // 401 InvalidAuthenticationToken for a missing, unknown or expired token. https://learn.microsoft.com/graph/errors
  app.use("/:version{v1\\.0|beta}/*", requireToken);
  app.use("/oidc/*", requireToken);
  async function requireToken(c: Context<Env>, next: () => Promise<void>) {
    const checked = tokens.checkAccessToken(c.req.header("authorization"));
    if (!checked.ok) {
      return fail(c, 401, "InvalidAuthenticationToken", tokenProblems[checked.reason], {
        "www-authenticate":
          `Bearer realm="", authorization_uri="${origin()}/common/oauth2/authorize", ` +
          `client_id="00000003-0000-0000-c000-000000000000"`,
      });
    }
    c.set("grant", checked.grant);
    await next();
  }

  // The OpenID Connect userinfo endpoint the discovery document names; needs the openid scope.
  // https://learn.microsoft.com/entra/identity-platform/userinfo
  app.get("/oidc/userinfo", (c) => {
    const { account, scopes, clientId } = c.get("grant");
    if (!scopes.includes("openid")) return denied(c);
    const [givenName, ...surname] = account.person.name.split(" ");
    return c.json({
      sub: pairwiseSubject(account, clientId),
      name: account.person.name,
      family_name: surname.join(" "),
      given_name: givenName,
      picture: `${origin()}/v1.0/me/photo/$value`,
      ...(scopes.includes("email") && { email: account.person.email }),
    });
  });

  // https://learn.microsoft.com/graph/api/user-get
  app.get("/v1.0/me", (c) => {
    const { account, scopes } = c.get("grant");
    if (!hasPermission(scopes, "User.Read", "User.ReadWrite"))
      return fail(c, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    const user: Record<string, unknown> = {
      businessPhones: [],
      displayName: account.person.name,
      givenName: account.person.name.split(" ")[0] ?? null,
      surname: account.person.name.split(" ").slice(1).join(" ") || null,
      jobTitle: account.person.title,
      mail: account.person.email,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: account.person.nameJa ? "ja-JP" : "en-US",
      userPrincipalName: account.userPrincipalName,
      id: account.oid,
    };
    const select = c.req
      .query("$select")
      ?.split(",")
      .map((name) => name.trim());
    const body = select ? Object.fromEntries(Object.entries(user).filter(([name]) => select.includes(name))) : user;
    return c.json({ "@odata.context": `${origin()}/v1.0/$metadata#users/$entity`, ...body });
  });

  app.post("/v1.0/me/calendar/getSchedule", async (c) => {
    const { account, scopes } = c.get("grant");
    if (!hasPermission(scopes, "Calendars.Read", "Calendars.ReadWrite")) return denied(c);
    const parsed = scheduleRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      return fail(
        c,
        400,
        "ErrorInvalidParameter",
        `Invalid getSchedule request: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`,
      );
    const zone = preferredZone(c.req.header("prefer"));
    const answer = getSchedule(parsed.data, account, events, zone);
    if (!answer.ok) return fail(c, 400, answer.code, answer.message);
    return c.json(
      {
        "@odata.context": `${origin()}/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)`,
        value: answer.value,
      },
      200,
      {
        "preference-applied": `outlook.timezone="${zone.name}"`,
      },
    );
  });

  // https://learn.microsoft.com/graph/api/user-post-events → 201
  app.post("/v1.0/me/events", async (c) => {
    const { account, scopes } = c.get("grant");
    if (!hasPermission(scopes, "Calendars.ReadWrite")) return denied(c);
    const input = await readEvent(c);
    if (input instanceof Response) return input;
    const times = readTimes(input);
    if ("error" in times) return fail(c, 400, times.code, times.error);
    if (!times.start || !times.end || !times.startZone || !times.endZone)
      return fail(c, 400, "ErrorInvalidRequest", "An event needs both start and end.");
    if (times.end < times.start) return fail(c, 400, "ErrorInvalidRequest", "The event's end is before its start.");
    const event = events.create(
      account,
      input,
      { start: times.start, end: times.end, startZone: times.startZone, endZone: times.endZone },
      clock.now(),
      origin(),
    );
    return c.json(renderEvent(event, preferredZone(c.req.header("prefer")), origin()), 201, {
      location: `${origin()}/v1.0/me/events/${encodeURIComponent(event.id)}`,
    });
  });

  // https://learn.microsoft.com/graph/api/user-list-calendarview: the events of the signed-in user's calendar
  // overlapping [startDateTime, endDateTime) (both required), by start, ten a page unless $top says otherwise
  // (https://learn.microsoft.com/graph/paging), the next page at @odata.nextLink.
  app.get("/v1.0/me/calendarView", (c) => {
    const { account, scopes } = c.get("grant");
    if (!hasPermission(scopes, "Calendars.Read", "Calendars.ReadWrite")) return denied(c);
    const from = Date.parse(c.req.query("startDateTime") ?? "");
    const to = Date.parse(c.req.query("endDateTime") ?? "");
    if (Number.isNaN(from) || Number.isNaN(to))
      return fail(
        c,
        400,
        "ErrorInvalidParameter",
        "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
      );
    const top = Math.min(Math.max(Number(c.req.query("$top") ?? 10) || 10, 1), 1000);
    const skip = Math.max(Number(c.req.query("$skip") ?? 0) || 0, 0);
    const within = events
      .onCalendarOf(account.userPrincipalName)
      .filter(({ event, organiser }) => organiser && event.start.getTime() < to && event.end.getTime() > from)
      .map(({ event }) => event)
      .sort((a, b) => a.start.getTime() - b.start.getTime());
    const zone = preferredZone(c.req.header("prefer"));
    const next = new URL(c.req.url);
    next.searchParams.set("$top", String(top));
    next.searchParams.set("$skip", String(skip + top));
    return c.json({
      "@odata.context": `${origin()}/v1.0/$metadata#users('${account.oid}')/calendarView`,
      value: within.slice(skip, skip + top).map((event) => renderEvent(event, zone, origin())),
      ...(skip + top < within.length && { "@odata.nextLink": `${origin()}/v1.0/me/calendarView${next.search}` }),
    });
  });

  app.get("/v1.0/me/events/:id", (c) => {
    const { account, scopes } = c.get("grant");
    if (!hasPermission(scopes, "Calendars.Read", "Calendars.ReadWrite")) return denied(c);
    const event = events.get(account, c.req.param("id"));
    if (!event) return notFound(c);
    return c.json(renderEvent(event, preferredZone(c.req.header("prefer")), origin()));
  });

  // https://learn.microsoft.com/graph/api/event-update → 200 with the event
  app.patch("/v1.0/me/events/:id", async (c) => {
    const { account, scopes } = c.get("grant");
    if (!hasPermission(scopes, "Calendars.ReadWrite")) return denied(c);
    const event = events.get(account, c.req.param("id"));
    if (!event) return notFound(c);
    const input = await readEvent(c);
    if (input instanceof Response) return input;
    const times = readTimes(input);
    if ("error" in times) return fail(c, 400, times.code, times.error);
    if ((times.end ?? event.end) < (times.start ?? event.start))
      return fail(c, 400, "ErrorInvalidRequest", "The event's end is before its start.");
    const updated = events.update(event, input, times, clock.now(), origin());
    return c.json(renderEvent(updated, preferredZone(c.req.header("prefer")), origin()));
  });

  // https://learn.microsoft.com/graph/api/event-delete → 204; gone → 404 ErrorItemNotFound
  app.delete("/v1.0/me/events/:id", (c) => {
    const { account, scopes } = c.get("grant");
    if (!hasPermission(scopes, "Calendars.ReadWrite")) return denied(c);
    if (!events.delete(account, c.req.param("id"))) return notFound(c);
    return c.body(null, 204);
  });

  // Graph's answer for a path it has no resource for (observed: microsoftgraph/microsoft-graph-docs#4900).
  // The fake serves no beta resources at all, so every beta path ends here too.
  app.all("/:version{v1\\.0|beta}/*", (c) =>
    fail(c, 400, "BadRequest", `Resource not found for the segment '${c.req.path.split("/").at(-1) ?? ""}'.`),
  );

  function notFound(c: Context) {
    return fail(c, 404, "ErrorItemNotFound", "The specified object was not found in the store.");
  }

  async function readEvent(c: Context): Promise<EventInput | Response> {
    const parsed = eventInput.safeParse(await c.req.json().catch(() => undefined));
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    return fail(c, 400, "RequestBodyRead", `Cannot read the event: ${issue?.path.join(".")} ${issue?.message}`);
  }

  return app;
}

type Times = { start?: Date; end?: Date; startZone?: string; endZone?: string };

function readTimes(input: EventInput): Times | { code: string; error: string } {
  const out: Times = {};
  for (const key of ["start", "end"] as const) {
    const value = input[key];
    if (!value) continue;
    const zone = resolveZone(value.timeZone);
    if (!zone)
      return {
        code: "TimeZoneNotSupportedException",
        error:
          `A valid TimeZone value must be specified. The following TimeZone value is not supported: ` +
          `'${value.timeZone}'.`,
      };
    const instant = parseWallClock(value.dateTime, zone);
    if (!instant)
      return {
        code: "ErrorInvalidRequest",
        error: `Cannot read ${key}.dateTime '${value.dateTime}': Graph takes a wall-clock time with no offset.`,
      };
    out[key] = instant;
    out[key === "start" ? "startZone" : "endZone"] = value.timeZone;
  }
  return out;
}
