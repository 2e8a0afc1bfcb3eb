/**
 * Zoom hosts (mounted under /v1, after hostAuth; issue 10). Everything is
 * scoped by the caller's (host, org); guests may not use it.
 *
 * GET    /zoom/hosts?start&end&participants=id,id[&refresh=1][&interviewId=id]  candidates and the auto-pick;
 *        interviewId: the interview being changed, whose own meeting and hold do not count (404 when not the org's)
 * POST   /zoom/holds {zoomUserId, start, end}                   201 a hold, or 409 zoom_host_busy
 * POST   /zoom/holds/:id/confirm {meetingId}                    the meeting that stands on the hold: it no longer
 * lapses
 * DELETE /zoom/holds/:id                                         releases a hold
 * POST   /zoom/meetings/:meetingId/host {zoomUserId}            gives a meeting another host (moved or recreated):
 *        an admin any, anyone else one whose host they linked; an interview's through the interview (admin, recruiter)
 * GET    /zoom/settings, PUT (admin) {plan, limits}             the Zoom plan and per-Zoom-user limits
 */
import { type ZoomHostsAnswer, zoomHostReasons } from "@tsunagu/contract";
import { Hono } from "hono";
import { z } from "zod";
import { adminRequired, requireRole } from "../auth/middleware.ts";
import { ApiError, badRequest, conflict, notFound } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { createdOnce, idempotencyKeyHeader, idempotencyKeyOf, idForKey } from "../http/idempotency-key.ts";
import { type Issue, jsonBody } from "../http/json-body.ts";
import { queryOf } from "../http/request-parts.ts";
import { documented } from "../openapi/route-doc.ts";
import { zoomMeetingLeftOut } from "../interviews/being-changed.ts";
import { changeMeetingHost, type MeetingHostDeps } from "../interviews/meeting-host.ts";
import { orgScopeOf } from "../store/tenancy.ts";
import { confirmHold, findHold, type HoldRow, releaseHold } from "../zoom-hosts/holds.ts";
import { maxLimitOverride, zoomConcurrency, zoomPlans } from "../zoom-hosts/limits.ts";
import { reasonLanguage } from "../zoom-hosts/pick-reason.ts";
import type { PickBasis } from "../zoom-hosts/picking.ts";
import { readZoomHostSettings, writeZoomHostSettings } from "../zoom-hosts/settings.ts";
import { latestStart, maxDaysAhead } from "./availability.ts";

/** The longest interval a query or hold may span: an interview, or a day of them, not a season. */
const maxRangeMs = 31 * 24 * 60 * 60_000;
const maxParticipants = 50;

const isoTime = z.string().max(64).refine(isCalendarTime, "an ISO 8601 time with a zone");
const startTime = isoTime.meta({ description: `At most ${maxDaysAhead} days from now` });
const id = z.string().min(1).max(200);
const hostsQuery = z.object({
  start: startTime,
  end: isoTime,
  /** Portal user ids, comma-separated: their own Zoom users come first. */
  participants: z
    .string()
    .optional()
    .transform((list) =>
      (list ?? "")
        .split(",")
        .map((participant) => participant.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string()).max(maxParticipants)),
  /** 1 or true: ask Zoom again instead of the recent answer. */
  refresh: z.string().optional(),
  /** The interview being changed, of the caller's organisation: its own meeting and hold do not count. */
  interviewId: id.optional(),
});
const refuseHostsQuery = (issue: Issue | undefined) =>
  badRequest(
    "invalid_request",
    issue?.path[0] === "participants"
      ? `At most ${maxParticipants} participants.`
      : issue?.path[0] === "interviewId"
        ? "interviewId must be an interview's id (at most 200 characters)."
        : "start and end must be ISO 8601 times with a zone, e.g. 2026-06-01T10:00:00+09:00.",
  );
const holdBody = z.object({ zoomUserId: id, start: startTime, end: isoTime });
const confirmBody = z.object({ meetingId: id });
const reassignBody = z.object({ zoomUserId: id });
const settingsBody = z.object({
  plan: z.enum(zoomPlans).nullable(),
  limits: z
    .record(id, z.number().int().min(1).max(maxLimitOverride))
    .refine((limits) => Object.keys(limits).length <= 1_000, "at most 1000 Zoom users"),
});

const hostsAnswer = z.object({
  candidates: z.array(
    z.object({
      zoomUserId: z.string(),
      displayName: z.string(),
      limit: z.number(),
      load: z.number(),
      canHost: z.boolean(),
      reason: z
        .string()
        .optional()
        .meta({ description: `Why it cannot host: ${zoomHostReasons.join(", ")}, or newer.` }),
      /** Linked by one of the participants: those come first. */
      participantOwned: z.boolean(),
    }),
  ),
  pick: z
    .object({
      zoomUserId: z.string(),
      reason: z.string(),
      basis: z.enum(["participant_free", "shared_least_loaded"] satisfies PickBasis[]),
    })
    .nullable(),
}) satisfies z.ZodType<ZoomHostsAnswer>;
const holdAnswer = z.object({
  id: z.string(),
  zoomUserId: z.string(),
  start: z.string(),
  end: z.string(),
  /** Null once a meeting confirmed the hold: it no longer lapses. */
  expiresAt: z.string().nullable(),
  meetingId: z.string().nullable(),
});
const reassignAnswer = z.object({
  outcome: z.enum(["moved", "recreated"]),
  meeting: z.object({
    id: z.string(),
    hostZoomUserId: z.string(),
    joinUrl: z.string(),
    start: z.string(),
    end: z.string(),
    topic: z.string().nullable(),
  }),
  previousMeetingId: z.string(),
  holdId: z.string(),
});
const settingsAnswer = z.object({
  plan: z.enum(zoomPlans).nullable(),
  limits: z.record(z.string(), z.number()),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
  assumedPlan: z.string(),
});

export function zoomHostRoutes(deps: MeetingHostDeps) {
  const { db, clock, hosts } = deps;
  return new Hono<AppEnv>()
    .use("/zoom/*", requireRole("admin", "recruiter", "assistant"))
    .get(
      "/zoom/hosts",
      documented({
        summary: "Which linked Zoom users could host in a time range, and the server's pick",
        tag: "zoom",
        answers: { 200: hostsAnswer },
        errors: { 404: ["interview_not_found"] },
      }),
      queryOf(hostsQuery, refuseHostsQuery),
      async (c) => {
        const caller = c.get("caller");
        const query = c.req.valid("query");
        const { start, end } = timeRange(query.start, query.end, clock.now(), (message) =>
          badRequest("invalid_request", message),
        );
        const { participants, interviewId } = query;
        const refresh = query.refresh === "1" || query.refresh === "true";
        const tenant = orgScopeOf(caller);
        const leaveOut = interviewId === undefined ? undefined : await zoomMeetingLeftOut(db, tenant, interviewId);
        return c.json(
          await hosts.candidates(tenant, {
            start,
            end,
            participants,
            refresh,
            language: reasonLanguage(caller.locale),
            leaveOut,
          }),
        );
      },
    )
    .post(
      "/zoom/holds",
      documented({
        summary: "Holds a Zoom user for an interval, under its concurrency limit",
        tag: "zoom",
        answers: { 201: holdAnswer },
        headers: { "Idempotency-Key": idempotencyKeyHeader("holding the Zoom user twice") },
        errors: {
          404: ["zoom_host_not_found"],
          409: ["zoom_host_busy", "zoom_host_unavailable"],
          422: ["idempotency_key_reused"],
        },
      }),
      jsonBody(holdBody, () =>
        badRequest("invalid_body", "The body must be {zoomUserId, start, end} with ISO 8601 times."),
      ),
      async (c) => {
        const caller = c.get("caller");
        const key = idempotencyKeyOf(c);
        const body = c.req.valid("json");
        const { start, end } = timeRange(body.start, body.end, clock.now(), (message) =>
          badRequest("invalid_body", message),
        );
        if (end.getTime() <= clock.now().getTime())
          throw badRequest("invalid_body", "The interval is over already; a hold is for a time to come.");
        const tenant = orgScopeOf(caller);
        const input = { zoomUserId: body.zoomUserId, start, end, createdBy: caller.sub };
        if (key === undefined) return c.json(holdView(await hosts.hold(tenant, input)), 201);
        // With a key the hold's id is the key's (per portal user): a retry, or the same request sent twice at once,
        // finds the hold the first placed (while it exists) instead of taking a second place under the limit.
        const id = uuidOf(idForKey(caller, key));
        const held = await heldSo(id);
        if (held) return c.json(holdView(held), 201);
        // Refused because the first of the requests at once holds the place, or its id was taken by it.
        const hold = await createdOnce(
          () => hosts.hold(tenant, { ...input, id }),
          () => heldSo(id),
        );
        return c.json(holdView(hold), 201);

        /** The hold placed with the key, when it holds what this request asks; 422 when it holds something else. */
        async function heldSo(holdId: string): Promise<HoldRow | undefined> {
          const existing = await findHold(db, tenant, holdId);
          if (!existing) return undefined;
          const same =
            existing.zoom_user_id === input.zoomUserId &&
            existing.starts_at === start.toISOString() &&
            existing.ends_at === end.toISOString();
          if (!same)
            throw new ApiError(
              422,
              "idempotency_key_reused",
              "This Idempotency-Key was used to hold another Zoom user or time: use a new key for a new hold.",
            );
          return existing;
        }
      },
    )
    .post(
      "/zoom/holds/:id/confirm",
      documented({
        summary: "Names the meeting that stands on a hold: it no longer lapses",
        tag: "zoom",
        answers: { 200: holdAnswer },
        errors: { 404: ["zoom_hold_not_found"], 409: ["zoom_hold_lapsed"] },
      }),
      jsonBody(confirmBody, () => badRequest("invalid_body", "The body must be {meetingId}.")),
      async (c) => {
        const tenant = orgScopeOf(c.get("caller"));
        const body = c.req.valid("json");
        const holdId = c.req.param("id");
        if (!(await confirmHold(db, clock, tenant, holdId, body.meetingId))) {
          if (await findHold(db, tenant, holdId))
            throw conflict("zoom_hold_lapsed", "The hold lapsed before a meeting confirmed it; hold the host again.");
          throw notFound("zoom_hold_not_found", "No such hold in this organisation.");
        }
        const hold = await findHold(db, tenant, holdId);
        if (!hold) throw notFound("zoom_hold_not_found", "The hold was released meanwhile.");
        return c.json(holdView(hold));
      },
    )
    .delete(
      "/zoom/holds/:id",
      documented({
        summary: "Releases a hold",
        tag: "zoom",
        answers: { 200: z.object({ released: z.literal(true) }) },
        errors: { 404: ["zoom_hold_not_found"] },
      }),
      async (c) => {
        if (!(await releaseHold(db, orgScopeOf(c.get("caller")), c.req.param("id"))))
          throw notFound("zoom_hold_not_found", "No such hold in this organisation.");
        return c.json({ released: true });
      },
    )
    .post(
      "/zoom/meetings/:meetingId/host",
      documented({
        summary: "Gives a meeting another host: moved, or recreated under the new host",
        tag: "zoom",
        description:
          "An admin may give any meeting of the organisation's linked Zoom users another host; anyone else only a " +
          "meeting whose host is a Zoom user they linked themselves (403 zoom_meeting_not_yours), also through a " +
          "link that needs linking again: another grant for that Zoom user moves it, else 409 needs_reauth. An " +
          "interview's meeting is given its new host by changing the interview, as PATCH /v1/interviews/:id would " +
          "(admin, recruiter; its refusals too), and so is one made for an interview being booked or changed that " +
          "its record does not name yet (409 interview_busy).",
        answers: { 200: reassignAnswer },
        errors: {
          403: ["zoom_meeting_not_yours", "forbidden_role"],
          404: ["zoom_host_not_found", "zoom_meeting_not_found"],
          409: [
            "zoom_host_unchanged",
            "zoom_host_unavailable",
            "zoom_host_busy",
            "needs_reauth",
            "interview_busy",
            "interview_cancelled",
            "interview_drifted",
            "calendar_account_missing",
            "calendar_needs_reauth",
          ],
          424: ["provider_failed"],
          503: ["provider_unavailable"],
        },
      }),
      jsonBody(reassignBody, () => badRequest("invalid_body", "The body must be {zoomUserId}.")),
      async (c) => {
        const caller = c.get("caller");
        const body = c.req.valid("json");
        return c.json(
          await changeMeetingHost(
            deps,
            { tenant: orgScopeOf(caller), userId: caller.sub, role: caller.role },
            c.req.param("meetingId"),
            body.zoomUserId,
          ),
        );
      },
    )
    .get(
      "/zoom/settings",
      documented({ summary: "The Zoom plan and per-Zoom-user limits", tag: "zoom", answers: { 200: settingsAnswer } }),
      async (c) => c.json(settingsView(await readZoomHostSettings(db, orgScopeOf(c.get("caller"))))),
    )
    .put(
      "/zoom/settings",
      documented({
        summary: "Sets the Zoom plan and per-Zoom-user limits (admin)",
        tag: "zoom",
        answers: { 200: settingsAnswer },
        errors: { 403: ["admin_required"] },
      }),
      adminRequired("Only an administrator can change the Zoom plan and limits."),
      jsonBody(settingsBody, () =>
        badRequest(
          "invalid_body",
          `The body must be {plan: ${zoomPlans.join("|")}|null, limits: {zoomUserId: 1–${maxLimitOverride}}}.`,
        ),
      ),
      async (c) => {
        const caller = c.get("caller");
        const body = c.req.valid("json");
        const tenant = orgScopeOf(caller);
        await writeZoomHostSettings(db, clock, tenant, caller.sub, body);
        return c.json(settingsView(await readZoomHostSettings(db, tenant)));
      },
    );
}

/** start and end as times, end after start, at most 31 days apart, and start at most `maxDaysAhead` from `now`. */
function timeRange(
  startText: string | undefined,
  endText: string | undefined,
  now: Date,
  refuse: (message: string) => Error,
): { start: Date; end: Date } {
  const start = isoTime.safeParse(startText);
  const end = isoTime.safeParse(endText);
  if (!start.success || !end.success)
    throw refuse("start and end must be ISO 8601 times with a zone, e.g. 2026-06-01T10:00:00+09:00.");
  const range = { start: new Date(start.data), end: new Date(end.data) };
  if (range.end.getTime() <= range.start.getTime()) throw refuse("end must be after start.");
  if (range.end.getTime() - range.start.getTime() > maxRangeMs)
    throw refuse("start and end may be at most 31 days apart.");
  if (range.start.getTime() > latestStart(now)) throw refuse(`start may be at most ${maxDaysAhead} days from now.`);
  return range;
}

function holdView(hold: HoldRow) {
  return {
    id: hold.id,
    zoomUserId: hold.zoom_user_id,
    start: hold.starts_at,
    end: hold.ends_at,
    expiresAt: hold.expires_at,
    meetingId: hold.meeting_id,
  };
}

function settingsView(settings: Awaited<ReturnType<typeof readZoomHostSettings>>) {
  return { ...settings, assumedPlan: zoomConcurrency.assumedPlan };
}

const isoTimeParts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 time with a zone that names a real day and clock time. `Date.parse` alone takes 2027-02-30 for March 2
 * and 24:00 for the next day's midnight: a hold asked for a day that does not exist would be placed on another one.
 */
function isCalendarTime(text: string): boolean {
  const parts = isoTimeParts.exec(text);
  if (!parts) return false;
  // Seconds and the offset are absent for "…T10:00" and "Z": 0.
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = parts
    .slice(1)
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return (
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  );
}

/** 32 hex digits written as a UUID, the form of every other hold's id. */
function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
