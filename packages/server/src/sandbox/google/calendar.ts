/**
 * Calendar v3 under /calendar/v3 (freeBusy and events) and the two userinfo
 * endpoints, all behind Google's bearer-token check: an unknown, expired or
 * revoked token gets 401 `authError`, a token without the scope 403
 * `insufficientPermissions`.
 * https://developers.google.com/workspace/calendar/api/v3/reference
 */
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import { busyTimesFor } from "../seed.ts";
import type { FakeContext } from "../fake.ts";
import { canReadFreeBusy, findAccount, type GoogleAccount } from "./accounts.ts";
import { apiError, apiErrors, formatInZone, isTimeZone } from "./envelope.ts";
import type { GoogleEvents, StoredEvent } from "./events.ts";
import type { GoogleGrants } from "./grants.ts";
import { allows, scopesFor } from "./scopes.ts";

/**
 * freeBusy limits. `calendarExpansionMax` is the "Maximal number of calendars
 * for which FreeBusy information is to be provided. Optional. Maximum value is
 * 50." Past it the call still answers 200: a calendar beyond the limit gets a
 * per-calendar error `tooManyCalendarsRequested` ("The number of calendars
 * requested is too large for a single query"), one of the reasons Google lists
 * for `calendars.<id>.errors[]` (with `groupTooBig`, `notFound`,
 * `internalError`), rather than a request-level 400. The reference does not say
 * which calendars get it; the fake answers the first `calendarExpansionMax` and
 * marks the rest.
 * https://developers.google.com/workspace/calendar/api/v3/reference/freebusy/query
 * The time range is not in the reference. Observed: longer than 90 days answers
 * 400 "The requested time range is too long." (https://github.com/calcom/cal.diy/pull/11696,
 * https://github.com/calcom/cal.diy/pull/11962); the fake calls that reason
 * `timeRangeTooLong` (the observed bodies quote only the message). An end not
 * after the start answers 400 `timeRangeEmpty` "The specified time range is
 * empty.", domain `calendar`, location `timeMax` (https://github.com/kewisch/gdata-provider/issues/12).
 */
export const freeBusyLimits = { maxCalendars: 50, maxRangeMs: 90 * 86_400_000 };
const dayMs = 86_400_000;

export function calendarRoutes(context: FakeContext, grants: GoogleGrants, events: GoogleEvents) {
  const app = new Hono<{ Variables: { account: GoogleAccount; scopes: string[] } }>();

  const requireToken =
    (anyOf: readonly (string | undefined)[]) =>
    async (c: Context<{ Variables: { account: GoogleAccount; scopes: string[] } }>, next: () => Promise<void>) => {
      const header = c.req.header("authorization") ?? "";
      const token = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? c.req.query("access_token");
      const issued = token ? grants.authenticate(token) : undefined;
      if (!issued) return apiErrors.unauthorized(c);
      if (!allows(issued.scopes, anyOf)) return apiErrors.insufficientScope(c);
      c.set("account", issued.account);
      c.set("scopes", issued.scopes);
      await next();
    };

  // OpenID Connect userinfo (https://developers.google.com/identity/openid-connect/openid-connect#obtainuserinfo).
  app.on(["GET", "POST"], "/v1/userinfo", requireToken(scopesFor.userinfo), (c) => {
    const { account, scopes } = { account: c.get("account"), scopes: c.get("scopes") };
    const withEmail = scopes.includes("https://www.googleapis.com/auth/userinfo.email");
    const withProfile = scopes.includes("https://www.googleapis.com/auth/userinfo.profile");
    return c.json({
      sub: account.sub,
      ...(withProfile && profile(account)),
      ...(withEmail && { email: account.email, email_verified: true }),
      ...(account.hd && { hd: account.hd }),
    });
  });
  // What googleapis' oauth2('v2').userinfo.get() calls (googleapis src/apis/oauth2/v2.ts).
  app.get("/oauth2/v2/userinfo", requireToken(scopesFor.userinfo), (c) => {
    const account = c.get("account");
    return c.json({
      id: account.sub,
      email: account.email,
      verified_email: true,
      ...profile(account),
      ...(account.hd && { hd: account.hd }),
    });
  });

  app.post("/calendar/v3/freeBusy", requireToken(scopesFor.freeBusy), async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as {
      timeMin?: unknown;
      timeMax?: unknown;
      timeZone?: unknown;
      calendarExpansionMax?: unknown;
      items?: Array<{ id?: unknown }>;
    };
    const timeMin = typeof body.timeMin === "string" ? new Date(body.timeMin) : undefined;
    const timeMax = typeof body.timeMax === "string" ? new Date(body.timeMax) : undefined;
    if (!timeMin || Number.isNaN(timeMin.getTime()))
      return apiErrors.badRequest(c, "required", "Missing timeMin parameter.", "timeMin");
    if (!timeMax || Number.isNaN(timeMax.getTime()))
      return apiErrors.badRequest(c, "required", "Missing timeMax parameter.", "timeMax");
    if (timeMax <= timeMin)
      return apiErrors.badRequest(c, "timeRangeEmpty", "The specified time range is empty.", "timeMax");
    if (timeMax.getTime() - timeMin.getTime() > freeBusyLimits.maxRangeMs)
      return apiErrors.badRequest(c, "timeRangeTooLong", "The requested time range is too long.", "timeMax");
    const timeZone = typeof body.timeZone === "string" ? body.timeZone : undefined;
    if (timeZone && !isTimeZone(timeZone))
      return apiErrors.badRequest(c, "invalid", "Invalid time zone definition for query.", "timeZone");
    const ids = (body.items ?? []).map((item) => (typeof item.id === "string" ? item.id : ""));
    const asked = body.calendarExpansionMax;
    const expansionMax =
      typeof asked === "number" && Number.isInteger(asked) && asked > 0
        ? Math.min(asked, freeBusyLimits.maxCalendars)
        : freeBusyLimits.maxCalendars;
    const reader = c.get("account");
    const now = context.clock.now();
    // Keyed by the caller's ids: no prototype, so an id such as "toString" or "__proto__" is a key like any other.
    const calendars: Record<string, unknown> = Object.create(null);
    for (const [index, id] of ids.entries()) {
      if (index >= expansionMax) {
        if (!Object.hasOwn(calendars, id))
          calendars[id] = { errors: [{ domain: "global", reason: "tooManyCalendarsRequested" }], busy: [] };
        continue;
      }
      const owner = id === "primary" ? reader : findAccount(id);
      if (!owner || !canReadFreeBusy(reader, owner)) {
        calendars[id] = { errors: [{ domain: "global", reason: "notFound" }], busy: [] };
        continue;
      }
      const days = Math.max(42, Math.ceil((timeMax.getTime() - now.getTime()) / dayMs) + 1);
      const intervals = [...busyTimesFor(owner.email, now, days), ...events.busyFor(owner.email)];
      calendars[id] = {
        busy: clipAndMerge(intervals, timeMin, timeMax).map((interval) => ({
          start: formatInZone(interval.start, timeZone),
          end: formatInZone(interval.end, timeZone),
        })),
      };
    }
    return c.json({
      kind: "calendar#freeBusy",
      timeMin: timeMin.toISOString(),
      timeMax: timeMax.toISOString(),
      calendars,
    });
  });

  const eventsPath = "/calendar/v3/calendars/:calendarId/events";
  /** Events are read and written on the caller's own calendar ("primary" or their address). */
  const ownCalendar = (c: Context<{ Variables: { account: GoogleAccount; scopes: string[] } }>) => {
    const account = c.get("account");
    const calendarId = c.req.param("calendarId");
    return calendarId === "primary" || calendarId?.toLowerCase() === account.email ? account : undefined;
  };
  const conferenceVersion = (c: Context) => Number(c.req.query("conferenceDataVersion") ?? "0");
  const eventResult = (
    c: Context,
    result: StoredEvent | { status: 400 | 409; reason: string; message: string; location?: string },
  ) =>
    "reason" in result
      ? apiError(c, result.status, {
          reason: result.reason,
          message: result.message,
          ...(result.location && { location: result.location }),
        })
      : c.json(result.resource);

  app.post(eventsPath, requireToken(scopesFor.events), async (c) => {
    const owner = ownCalendar(c);
    if (!owner) return apiErrors.notFound(c);
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body !== "object") return apiErrors.badRequest(c, "parseError", "Parse Error");
    return eventResult(c, events.insert(owner, body, conferenceVersion(c)));
  });

  app.get(`${eventsPath}/:eventId`, requireToken(scopesFor.events), (c) => {
    const owner = ownCalendar(c);
    const stored = owner && events.get(owner, c.req.param("eventId") ?? "");
    return stored ? c.json(stored.resource) : apiErrors.notFound(c);
  });

  app.patch(`${eventsPath}/:eventId`, requireToken(scopesFor.events), async (c) => {
    const owner = ownCalendar(c);
    const stored = owner && events.get(owner, c.req.param("eventId") ?? "");
    if (!stored) return apiErrors.notFound(c);
    const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
    if (!body || typeof body !== "object") return apiErrors.badRequest(c, "parseError", "Parse Error");
    return eventResult(c, events.patch(stored, body, conferenceVersion(c)));
  });

  app.delete(`${eventsPath}/:eventId`, requireToken(scopesFor.events), (c) => {
    const owner = ownCalendar(c);
    const stored = owner && events.get(owner, c.req.param("eventId") ?? "");
    if (!stored) return apiErrors.notFound(c);
    // A second delete: 410 "Resource has been deleted"
    // (https://github.com/googleapis/google-api-python-client/issues/210).
    if (!events.cancel(stored)) return apiErrors.deleted(c);
    return c.body(null, 204);
  });

  app.get("/meet/:code", (c) =>
    c.html(
      html`<!doctype html><html lang="en"><head><meta
        charset="utf-8" /><title>Meet (sandbox)</title></head
        ><body><main><h1>Google Meet (sandbox)</h1
        ><p>Meeting ${c.req.param("code")}: nobody is here, this is the sandbox.</p></main></body></html>`,
    ),
  );

  return app;
}

function profile(account: GoogleAccount) {
  const [given, ...family] = account.person.name.split(" ");
  return { name: account.person.name, given_name: given, family_name: family.join(" ") };
}

/** Intervals cut to the window, sorted, overlapping ones joined (Google's busy list never overlaps). */
function clipAndMerge(
  intervals: Array<{ start: Date; end: Date }>,
  from: Date,
  to: Date,
): Array<{ start: Date; end: Date }> {
  const clipped = intervals
    .map((interval) => ({
      start: interval.start < from ? from : interval.start,
      end: interval.end > to ? to : interval.end,
    }))
    .filter((interval) => interval.start < interval.end)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: Array<{ start: Date; end: Date }> = [];
  for (const interval of clipped) {
    const last = merged.at(-1);
    if (last && interval.start <= last.end) last.end = interval.end > last.end ? interval.end : last.end;
    else merged.push({ ...interval });
  }
  return merged;
}
