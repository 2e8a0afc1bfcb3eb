/**
 * Zoom hosts (mounted under /v1, after hostAuth; issue 10). Everything is
 * scoped by the caller's (host, org); guests may not use it.
 *
 * GET    /zoom/hosts?start&end&participants=id,id[&refresh=1]  candidates and the auto-pick
 * POST   /zoom/holds {zoomUserId, start, end}                   201 a hold, or 409 zoom_host_busy
 * POST   /zoom/holds/:id/confirm {meetingId}                    the meeting that stands on the hold: it no longer
 * lapses
 * DELETE /zoom/holds/:id                                         releases a hold
 * POST   /zoom/meetings/:meetingId/host {zoomUserId}            gives a meeting another host (moved or recreated)
 * GET    /zoom/settings, PUT (admin) {plan, limits}             the Zoom plan and per-Zoom-user limits
 */
import { Hono } from "hono";
import { z } from "zod";
import { adminRequired, requireRole } from "../auth/middleware.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { type Issue, jsonBody } from "../http/json-body.ts";
import { queryOf } from "../http/request-parts.ts";
import { orgScopeOf } from "../store/tenancy.ts";
import { confirmHold, findHold, type HoldRow, releaseHold } from "../zoom-hosts/holds.ts";
import { maxLimitOverride, zoomConcurrency, zoomPlans } from "../zoom-hosts/limits.ts";
import { reasonLanguage } from "../zoom-hosts/pick-reason.ts";
import { type ReassignDeps, reassignMeeting } from "../zoom-hosts/reassign.ts";
import { readZoomHostSettings, writeZoomHostSettings } from "../zoom-hosts/settings.ts";

/** The longest interval a query or hold may span: an interview, or a day of them, not a season. */
const maxRangeMs = 31 * 24 * 60 * 60_000;
const maxParticipants = 50;

const isoTime = z
  .string()
  .max(64)
  .refine(
    (text) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) &&
      !Number.isNaN(Date.parse(text)),
    "an ISO 8601 time with a zone",
  );
const id = z.string().min(1).max(200);
const hostsQuery = z.object({
  start: isoTime,
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
});
const refuseHostsQuery = (issue: Issue | undefined) =>
  badRequest(
    "invalid_request",
    issue?.path[0] === "participants"
      ? `At most ${maxParticipants} participants.`
      : "start and end must be ISO 8601 times with a zone, e.g. 2026-06-01T10:00:00+09:00.",
  );
const holdBody = z.object({ zoomUserId: id, start: isoTime, end: isoTime });
const confirmBody = z.object({ meetingId: id });
const reassignBody = z.object({ zoomUserId: id });
const settingsBody = z.object({
  plan: z.enum(zoomPlans).nullable(),
  limits: z
    .record(id, z.number().int().min(1).max(maxLimitOverride))
    .refine((limits) => Object.keys(limits).length <= 1_000, "at most 1000 Zoom users"),
});

export function zoomHostRoutes(deps: ReassignDeps) {
  const { db, clock, hosts } = deps;
  return new Hono<AppEnv>()
    .use("/zoom/*", requireRole("admin", "recruiter", "assistant"))
    .get("/zoom/hosts", queryOf(hostsQuery, refuseHostsQuery), async (c) => {
      const caller = c.get("caller");
      const query = c.req.valid("query");
      const { start, end } = timeRange(query.start, query.end, (message) => badRequest("invalid_request", message));
      const { participants } = query;
      const refresh = query.refresh === "1" || query.refresh === "true";
      return c.json(
        await hosts.candidates(orgScopeOf(caller), {
          start,
          end,
          participants,
          refresh,
          language: reasonLanguage(caller.locale),
        }),
      );
    })
    .post(
      "/zoom/holds",
      jsonBody(holdBody, () =>
        badRequest("invalid_body", "The body must be {zoomUserId, start, end} with ISO 8601 times."),
      ),
      async (c) => {
        const caller = c.get("caller");
        const body = c.req.valid("json");
        const { start, end } = timeRange(body.start, body.end, (message) => badRequest("invalid_body", message));
        if (end.getTime() <= clock.now().getTime())
          throw badRequest("invalid_body", "The interval is over already; a hold is for a time to come.");
        const hold = await hosts.hold(orgScopeOf(caller), {
          zoomUserId: body.zoomUserId,
          start,
          end,
          createdBy: caller.sub,
        });
        return c.json(holdView(hold), 201);
      },
    )
    .post(
      "/zoom/holds/:id/confirm",
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
    .delete("/zoom/holds/:id", async (c) => {
      if (!(await releaseHold(db, orgScopeOf(c.get("caller")), c.req.param("id"))))
        throw notFound("zoom_hold_not_found", "No such hold in this organisation.");
      return c.json({ released: true });
    })
    .post(
      "/zoom/meetings/:meetingId/host",
      jsonBody(reassignBody, () => badRequest("invalid_body", "The body must be {zoomUserId}.")),
      async (c) => {
        const caller = c.get("caller");
        const body = c.req.valid("json");
        return c.json(
          await reassignMeeting(deps, orgScopeOf(caller), caller.sub, c.req.param("meetingId"), body.zoomUserId),
        );
      },
    )
    .get("/zoom/settings", async (c) =>
      c.json(settingsView(await readZoomHostSettings(db, orgScopeOf(c.get("caller"))))),
    )
    .put(
      "/zoom/settings",
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

function timeRange(
  startText: string | undefined,
  endText: string | undefined,
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
