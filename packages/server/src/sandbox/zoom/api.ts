/**
 * The fake api.zoom.us/v2: users and meetings, with Zoom's bearer-token,
 * scope and who-may-act-for-whom rules.
 * https://developers.zoom.us/docs/api/users/ · https://developers.zoom.us/docs/api/meetings/
 */
import { type Context, Hono } from "hono";
import type { FakeContext } from "../fake.ts";
import { type SeedZoomUser, zoom as seed } from "../seed.ts";
import type { Grant, ZoomGrants } from "./grants.ts";
import {
  type FakeMeeting,
  type FakeMeetings,
  type MeetingBody,
  meetingBody,
  meetingJson,
  meetingListItem,
  zoomTime,
} from "./meetings.ts";
import { apiError, pageOf, rateLimitResponse, userJson } from "./responses.ts";
import { hasScopeFor, requiredScopes, type ScopedCall } from "./scopes.ts";

type Env = { Variables: { grant: Grant } };

export function zoomApiRoutes(context: FakeContext, grants: ZoomGrants, meetings: FakeMeetings): Hono<Env> {
  const app = new Hono<Env>();

  app.use("/v2/*", async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    const outcome = match?.[1] ? grants.authenticate(match[1]) : ({ ok: false, why: "invalid" } as const);
    if (!outcome.ok)
      return apiError(c, 401, 124, outcome.why === "expired" ? "Access token is expired." : "Invalid access token.");
    c.set("grant", outcome.grant);
    await next();
  });

  app.get("/v2/users", (c) => {
    const grant = c.get("grant");
    const denied = scopeDenied(c, grant, "listUsers");
    if (denied) return denied;
    const users = seed.users.filter((user) => user.accountId === grant.user.accountId);
    const page = pageOf(users, c.req.query());
    if (!page) return apiError(c, 400, 300, "Invalid next_page_token.");
    return c.json({
      page_count: Math.ceil(users.length / page.pageSize),
      page_number: 1,
      page_size: page.pageSize,
      total_records: users.length,
      next_page_token: page.nextPageToken,
      users: page.page.map((user) => userJson(user, false)),
    });
  });

  app.get("/v2/users/:userId", (c) => {
    const grant = c.get("grant");
    const denied = scopeDenied(c, grant, "readUser");
    if (denied) return denied;
    const target = targetUser(c, grant, c.req.param("userId"));
    return target instanceof Response ? target : c.json(userJson(target, true));
  });

  app.post("/v2/users/:userId/meetings", async (c) => {
    const grant = c.get("grant");
    const denied = scopeDenied(c, grant, "createMeeting");
    if (denied) return denied;
    const target = targetUser(c, grant, c.req.param("userId"));
    if (target instanceof Response) return target;
    const body = await readMeetingBody(c);
    if (body instanceof Response) return body;
    const limited = dailyLimited(c, meetings, target);
    if (limited) return limited;
    return c.json(meetingJson(meetings.create(target, body), context.baseUrl()), 201);
  });

  app.get("/v2/users/:userId/meetings", (c) => {
    const grant = c.get("grant");
    const denied = scopeDenied(c, grant, "listMeetings");
    if (denied) return denied;
    const target = targetUser(c, grant, c.req.param("userId"));
    if (target instanceof Response) return target;
    const type = c.req.query("type") ?? "scheduled";
    const now = context.clock.now().getTime();
    const ends = (meeting: FakeMeeting) => meeting.start.getTime() + meeting.duration * 60_000;
    const filters: Record<string, (meeting: FakeMeeting) => boolean> = {
      scheduled: () => true,
      upcoming: (meeting) => ends(meeting) > now,
      upcoming_meetings: (meeting) => ends(meeting) > now,
      live: (meeting) => meeting.start.getTime() <= now && ends(meeting) > now,
      previous_meetings: (meeting) => ends(meeting) <= now,
    };
    // Own keys only: `?type=constructor` is an unknown type, not Object.
    const filter = Object.hasOwn(filters, type) ? filters[type] : undefined;
    if (!filter) return apiError(c, 400, 300, `Invalid field: type (${type}).`);
    const listed = meetings.hostedBy(target.id).filter(filter);
    const page = pageOf(listed, c.req.query());
    if (!page) return apiError(c, 400, 300, "Invalid next_page_token.");
    return c.json({
      page_size: page.pageSize,
      total_records: listed.length,
      next_page_token: page.nextPageToken,
      meetings: page.page.map((meeting) => meetingListItem(meeting, context.baseUrl())),
    });
  });

  app.get("/v2/meetings/:meetingId", (c) => {
    const found = ownMeeting(c, c.get("grant"), meetings, c.req.param("meetingId"), "readMeeting");
    return found instanceof Response ? found : c.json(meetingJson(found, context.baseUrl()));
  });

  app.patch("/v2/meetings/:meetingId", async (c) => {
    const found = ownMeeting(c, c.get("grant"), meetings, c.req.param("meetingId"), "updateMeeting");
    if (found instanceof Response) return found;
    const body = await readMeetingBody(c);
    if (body instanceof Response) return body;
    const limited = dailyLimited(c, meetings, found.host);
    if (limited) return limited;
    if (body.schedule_for !== undefined) {
      const newHost = targetUser(c, { ...grant(c), kind: "admin" }, body.schedule_for);
      if (newHost instanceof Response) return newHost;
      // Only someone with scheduling privilege for the new host may hand it the meeting, whatever the app's scopes.
      if (newHost.id !== found.host.id && !(newHost.schedulers ?? []).includes(grant(c).user.id))
        return apiError(c, 400, 3000, `You cannot schedule a meeting for ${body.schedule_for}`);
      found.host = newHost;
    }
    meetings.update(found, body);
    return c.body(null, 204);
  });

  app.delete("/v2/meetings/:meetingId", (c) => {
    const found = ownMeeting(c, c.get("grant"), meetings, c.req.param("meetingId"), "deleteMeeting");
    if (found instanceof Response) return found;
    meetings.delete(found);
    return c.body(null, 204);
  });

  // Any other /v2 path, as observed from Zoom with a valid token: 404 {"code":2300,"message":"This API endpoint is not
  // recognized."}
  // (https://github.com/zoom/rivet-javascript/issues/12).
  app.all("/v2/*", (c) => apiError(c, 404, 2300, "This API endpoint is not recognized."));

  return app;
}

const grant = (c: Context): Grant => c.get("grant") as Grant;

function scopeDenied(c: Context, grant: Grant, call: ScopedCall): Response | undefined {
  if (hasScopeFor(call, grant.scopes)) return undefined;
  // Observed: 400 {"code":4711,"message":"Invalid access token, does not contain scopes:[user:read:list_users:admin]."}
  return apiError(
    c,
    400,
    4711,
    `Invalid access token, does not contain scopes:[${requiredScopes[call].granular.join(", ")}].`,
  );
}

/**
 * `me`, a user id or an email. A user-managed install acts for its own user
 * only; an admin-managed one for every user of its account. Users of other
 * accounts do not exist, as far as the token can tell.
 */
function targetUser(c: Context, grant: Grant, userId: string): SeedZoomUser | Response {
  if (userId === "me") return grant.user;
  const wanted = userId.toLowerCase();
  const user = seed.users.find(
    (candidate) => candidate.id.toLowerCase() === wanted || candidate.person.email.toLowerCase() === wanted,
  );
  if (!user || user.accountId !== grant.user.accountId)
    return apiError(c, 404, 1001, `User does not exist: ${userId}.`);
  if (user.id !== grant.user.id && grant.kind !== "admin") return apiError(c, 400, 200, "No permission.");
  return user;
}

function ownMeeting(
  c: Context,
  grant: Grant,
  meetings: FakeMeetings,
  meetingId: string,
  call: ScopedCall,
): FakeMeeting | Response {
  const denied = scopeDenied(c, grant, call);
  if (denied) return denied;
  const meeting = meetings.get(meetingId);
  if (!meeting || meeting.host.accountId !== grant.user.accountId)
    return apiError(c, 404, 3001, `Meeting does not exist: ${meetingId}.`);
  if (meeting.host.id !== grant.user.id && grant.kind !== "admin") return apiError(c, 400, 200, "No permission.");
  return meeting;
}

async function readMeetingBody(c: Context): Promise<MeetingBody | Response> {
  const raw: unknown = await c.req.json().catch(() => undefined);
  if (raw === undefined) return apiError(c, 400, 300, "Request Body should be a valid JSON object.");
  const parsed = meetingBody.safeParse(raw);
  if (parsed.success) return parsed.data;
  // Code 300 carries the failing fields: https://developers.zoom.us/docs/api/errors
  return apiError(c, 400, 300, "Validation Failed.", {
    errors: parsed.error.issues.map((issue) => ({ field: issue.path.join("."), message: issue.message })),
  });
}

/** Meeting create/update: 100 a day per user, reset at 00:00 UTC; Retry-After is an ISO date-time. */
function dailyLimited(c: Context, meetings: FakeMeetings, host: SeedZoomUser): Response | undefined {
  const resetsAt = meetings.dailyLimitResetsAt(host.id);
  if (!resetsAt) return undefined;
  return rateLimitResponse(c, {
    type: "Daily-limit",
    category: "Medium",
    limit: meetings.dailyWriteLimit,
    retryAfter: zoomTime(resetsAt),
    message:
      `You have reached the maximum daily rate limit of ${meetings.dailyWriteLimit} meeting create/update API ` +
      `requests for this user. Try again later.`,
  });
}
