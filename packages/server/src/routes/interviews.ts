/**
 * Interviews over HTTP (issue 11, items 2–4; README "Interviews"; the fixed
 * names of ARCHITECTURE.md). Everything is scoped by the caller's (host,
 * org): another organisation's interview is a 404. Admins and recruiters book,
 * change and cancel; assistants read; guests do nothing here.
 *
 * POST   /interviews                  (Idempotency-Key) book: 201 InterviewView
 * GET    /interviews?status&from&to   the organisation's interviews by start
 * GET    /interviews/:id[?check=1]    one; check=1 reads the providers for changes made outside Tsunagu
 * PATCH  /interviews/:id              reschedule, change participants or the Zoom host
 * DELETE /interviews/:id              cancel (the meeting and the event deleted, the hold released)
 * POST   /interviews/:id/start-url    a fresh Zoom start URL, for the host's own portal users only
 * GET    /interview-settings, PUT (admin) {waitingRoom}
 */
import { interviewStatuses } from "@tsunagu/contract";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../auth/app-env.ts";
import { isTimeZone } from "../auth/host-token.ts";
import { requireRole } from "../auth/middleware.ts";
import type { Clock } from "../clock.ts";
import { badRequest, forbidden } from "../errors.ts";
import { jsonBody } from "../http/json-body.ts";
import { knownInterviewers } from "../interviews/booking.ts";
import type { Interviews } from "../interviews/service.ts";
import { readInterviewSettings, writeInterviewSettings } from "../interviews/settings.ts";
import type { DB } from "../store/database.ts";
import { orgScopeOf, userScopeOf } from "../store/tenancy.ts";

const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const userId = z.string().min(1).max(200);
const timeZone = z.string().max(64).refine(isTimeZone, "an IANA time zone such as Asia/Tokyo");
const candidate = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  timeZone: timeZone.optional(),
  language: z.enum(["ja", "en"]).optional(),
});
/** The longest interview: a day. */
const maxDurationMs = 24 * 3600_000;

const bookingBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    start: isoTime,
    end: isoTime,
    interviewers: z.array(userId).max(50),
    candidate,
    description: z.string().max(5_000).optional(),
    calendarAccountId: z.string().min(1).max(200).optional(),
    zoom: z.strictObject({ hostZoomUserId: userId.optional() }).optional(),
    conference: z.enum(["google_meet", "microsoft_teams"]).optional(),
    timeZone: timeZone.optional(),
  })
  .refine((body) => body.end > body.start, { message: "end must be after start", path: ["end"] })
  .refine((body) => body.end.getTime() - body.start.getTime() <= maxDurationMs, {
    message: "an interview lasts at most 24 hours",
    path: ["end"],
  });

const changeBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(5_000).nullable().optional(),
    start: isoTime.optional(),
    end: isoTime.optional(),
    interviewers: z.array(userId).max(50).optional(),
    candidate: candidate.optional(),
    zoom: z.strictObject({ hostZoomUserId: userId }).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, "nothing to change")
  .refine((body) => (body.start === undefined) === (body.end === undefined), "start and end are moved together");

const settingsBody = z.strictObject({ waitingRoom: z.boolean() });
const idempotencyKey = /^[\x21-\x7e]{1,255}$/;

export interface InterviewRouteDeps {
  db: DB;
  clock: Clock;
  interviews: Interviews;
}

export function interviewRoutes({ db, clock, interviews }: InterviewRouteDeps) {
  const writers = requireRole("admin", "recruiter");
  const readers = requireRole("admin", "recruiter", "assistant");
  return new Hono<AppEnv>()
    .post(
      "/interviews",
      writers,
      jsonBody(bookingBody, "The body must be {title, start, end, interviewers, candidate:{name, email}, …}"),
      async (c) => {
        const caller = c.get("caller");
        const key = c.req.header("Idempotency-Key");
        if (key !== undefined && !idempotencyKey.test(key))
          throw badRequest("invalid_request", "Idempotency-Key must be 1–255 visible ASCII characters.");
        const { timeZone: zone, ...input } = c.req.valid("json");
        if (input.end.getTime() <= clock.now().getTime())
          throw badRequest("invalid_body", "The interview is over already: pick a time to come.");
        const view = await interviews.booker.book(
          { ...userScopeOf(caller), timeZone: zone ?? caller.tz ?? "UTC", locale: caller.locale },
          input,
          { idempotencyKey: key },
        );
        return c.json(view, 201);
      },
    )
    .get("/interviews", readers, async (c) => {
      const status = c.req.query("status");
      if (status !== undefined && !(interviewStatuses as readonly string[]).includes(status))
        throw badRequest("invalid_request", `status must be one of ${interviewStatuses.join(", ")}.`);
      const from = optionalTime(c.req.query("from"), "from");
      const to = optionalTime(c.req.query("to"), "to");
      const limitText = c.req.query("limit") ?? "100";
      const limit = Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500)
        throw badRequest("invalid_request", "limit must be a whole number from 1 to 500.");
      return c.json({
        interviews: await interviews.list(orgScopeOf(c.get("caller")), { status, from, to, limit }),
      });
    })
    .get("/interviews/:id", readers, async (c) => {
      const check = c.req.query("check") === "1" || c.req.query("check") === "true";
      return c.json(await interviews.get(orgScopeOf(c.get("caller")), c.req.param("id"), check));
    })
    .patch(
      "/interviews/:id",
      writers,
      jsonBody(changeBody, "The body must hold what changes: {title?, start?, end?, interviewers?, zoom?, …}"),
      async (c) => {
        const caller = c.get("caller");
        const body = c.req.valid("json");
        const interviewers = body.interviewers && (await knownInterviewers(db, orgScopeOf(caller), body.interviewers));
        return c.json(
          await interviews.update(orgScopeOf(caller), caller.sub, c.req.param("id"), {
            title: body.title,
            description: body.description,
            start: body.start,
            end: body.end,
            interviewers,
            candidate: body.candidate,
            hostZoomUserId: body.zoom?.hostZoomUserId,
          }),
        );
      },
    )
    .delete("/interviews/:id", writers, async (c) => {
      const caller = c.get("caller");
      return c.json(await interviews.cancel(orgScopeOf(caller), caller.sub, c.req.param("id")));
    })
    .post("/interviews/:id/start-url", readers, async (c) => {
      // Never cached anywhere: the URL carries the host's token.
      c.header("Cache-Control", "no-store");
      return c.json(await interviews.startUrl(userScopeOf(c.get("caller")), c.req.param("id")));
    })
    .get("/interview-settings", readers, async (c) =>
      c.json(await readInterviewSettings(db, orgScopeOf(c.get("caller")))),
    )
    .put("/interview-settings", jsonBody(settingsBody, "The body must be {waitingRoom: true|false}"), async (c) => {
      const caller = c.get("caller");
      if (caller.role !== "admin")
        throw forbidden("admin_required", "Only an administrator can change these settings.");
      await writeInterviewSettings(db, clock, orgScopeOf(caller), caller.sub, c.req.valid("json"));
      return c.json(await readInterviewSettings(db, orgScopeOf(caller)));
    });
}

function optionalTime(text: string | undefined, name: string): Date | undefined {
  if (text === undefined) return undefined;
  const parsed = isoTime.safeParse(text);
  if (!parsed.success) throw badRequest("invalid_request", `${name} must be an ISO 8601 time with a zone.`);
  return parsed.data;
}
