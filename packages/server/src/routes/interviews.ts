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
import { requireRole } from "../auth/middleware.ts";
import type { Clock } from "../clock.ts";
import { badRequest, forbidden } from "../errors.ts";
import { idempotencyKeyHeader, idempotencyKeyOf } from "../http/idempotency-key.ts";
import { jsonBody } from "../http/json-body.ts";
import { queryOf } from "../http/request-parts.ts";
import { knownInterviewers } from "../interviews/booking.ts";
import { interviewWriterRoles } from "../interviews/meeting-host.ts";
import type { Interviews } from "../interviews/service.ts";
import { readInterviewSettings, writeInterviewSettings } from "../interviews/settings.ts";
import { interviewViewSchema } from "../openapi/interview-view.ts";
import { documented, type RouteDoc } from "../openapi/route-doc.ts";
import type { DB } from "../store/database.ts";
import { orgScopeOf, userScopeOf } from "../store/tenancy.ts";
import { timeZoneField } from "../time-zone.ts";
import { latestStart, maxDaysAhead } from "./availability.ts";

const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const startTime = isoTime.meta({ description: `At most ${maxDaysAhead} days from now` });
const userId = z.string().min(1).max(200);
const timeZone = timeZoneField("an IANA time zone such as Asia/Tokyo");
const candidate = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  timeZone: timeZone.optional(),
  language: z.enum(["ja", "en"]).optional(),
});
/**
 * Whether start and end both parsed. zod runs an object's refinements after a field's failed format check (that issue
 * does not abort), handing them the unparsed string: `"tomorrow".getTime()` would be a 500, not the field's 400.
 */
const bothTimes = (body: { start: unknown; end: unknown }) => body.start instanceof Date && body.end instanceof Date;
/** The longest interview: a day. */
const maxDurationMs = 24 * 3600_000;

const bookingBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    start: startTime,
    end: isoTime,
    interviewers: z.array(userId).max(50),
    candidate,
    description: z.string().max(5_000).optional(),
    calendarAccountId: z.string().min(1).max(200).optional(),
    zoom: z.strictObject({ hostZoomUserId: userId.optional() }).optional(),
    conference: z.enum(["google_meet", "microsoft_teams"]).optional(),
    timeZone: timeZone.optional(),
  })
  .refine((body) => !bothTimes(body) || body.end > body.start, { message: "end must be after start", path: ["end"] })
  .refine((body) => !bothTimes(body) || body.end.getTime() - body.start.getTime() <= maxDurationMs, {
    message: "an interview lasts at most 24 hours",
    path: ["end"],
  });

const changeBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(5_000).nullable().optional(),
    start: startTime.optional(),
    end: isoTime.optional(),
    interviewers: z.array(userId).max(50).optional(),
    candidate: candidate.optional(),
    zoom: z.strictObject({ hostZoomUserId: userId }).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, "nothing to change")
  .refine((body) => (body.start === undefined) === (body.end === undefined), "start and end are moved together")
  // A move is held to what a booking is: at most a day long (the order of start and end is checked with the stored
  // interview, update.ts).
  .refine(
    ({ start, end }) =>
      !(start instanceof Date && end instanceof Date) || end.getTime() - start.getTime() <= maxDurationMs,
    { message: "an interview lasts at most 24 hours", path: ["end"] },
  );

const settingsBody = z.strictObject({ waitingRoom: z.boolean() });
const idempotencyKey = idempotencyKeyHeader("booking twice");

const listQuery = z.object({
  status: z.enum(interviewStatuses).optional(),
  from: isoTime.optional().meta({ description: "Interviews starting at or after this time." }),
  to: isoTime.optional().meta({ description: "Interviews starting before this time." }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const listQueryOf = queryOf(listQuery, (issue) => {
  const name = issue?.path[0];
  if (name === "status") return badRequest("invalid_request", `status must be one of ${interviewStatuses.join(", ")}.`);
  if (name === "from" || name === "to")
    return badRequest("invalid_request", `${name} must be an ISO 8601 time with a zone.`);
  if (name === "limit") return badRequest("invalid_request", "limit must be a whole number from 1 to 500.");
  return badRequest("invalid_request", "The query takes status, from, to and limit, each once.");
});
const checkQuery = z.object({
  check: z
    .string()
    .optional()
    .meta({ description: "1 or true: read the calendar event and the Zoom meeting for changes made outside Tsunagu." }),
});
const checkQueryOf = queryOf(checkQuery, () => badRequest("invalid_request", "check is given once: ?check=1."));

const interviewAnswer = { 200: interviewViewSchema };
/** What a provider's refusal or failure answers while an interview is booked, changed or cancelled. */
const providerRefusals = {
  409: ["calendar_account_missing", "calendar_needs_reauth", "zoom_host_unavailable", "zoom_host_busy"],
  424: ["provider_failed"],
} as const satisfies RouteDoc["errors"];
const settingsAnswer = z.object({
  waitingRoom: z.boolean(),
  updatedBy: z.string().nullable(),
  updatedAt: z.string().nullable(),
});

export interface InterviewRouteDeps {
  db: DB;
  clock: Clock;
  interviews: Interviews;
}

export function interviewRoutes({ db, clock, interviews }: InterviewRouteDeps) {
  const writers = requireRole(...interviewWriterRoles);
  const readers = requireRole("admin", "recruiter", "assistant");
  return new Hono<AppEnv>()
    .post(
      "/interviews",
      writers,
      documented({
        summary: "Books an interview: the calendar event, and a Zoom meeting or a Meet/Teams link when asked",
        tag: "interviews",
        answers: { 201: interviewViewSchema },
        headers: { "Idempotency-Key": idempotencyKey },
        errors: {
          400: ["interviewer_unknown", "calendar_account_missing"],
          409: ["idempotency_in_flight", ...providerRefusals[409]],
          422: ["idempotency_key_reused"],
          // A key whose booking the database cut off answers how the recovery pass ended it.
          424: [...providerRefusals[424], "database_connection_lost"],
        },
      }),
      jsonBody(bookingBody, "The body must be {title, start, end, interviewers, candidate:{name, email}, …}"),
      async (c) => {
        const caller = c.get("caller");
        const key = idempotencyKeyOf(c);
        const { timeZone: zone, ...input } = c.req.valid("json");
        if (input.end.getTime() <= clock.now().getTime())
          throw badRequest("invalid_body", "The interview is over already: pick a time to come.");
        refuseFarAhead(input.start, clock);
        const view = await interviews.booker.book(
          { ...userScopeOf(caller), timeZone: zone ?? caller.tz ?? "UTC", locale: caller.locale },
          input,
          { idempotencyKey: key },
        );
        return c.json(view, 201);
      },
    )
    .get(
      "/interviews",
      readers,
      documented({
        summary: "The organisation's interviews by start time",
        tag: "interviews",
        answers: { 200: z.object({ interviews: z.array(interviewViewSchema) }) },
      }),
      listQueryOf,
      async (c) => {
        const { status, from, to, limit } = c.req.valid("query");
        return c.json({
          interviews: await interviews.list(orgScopeOf(c.get("caller")), { status, from, to, limit }),
        });
      },
    )
    .get(
      "/interviews/:id",
      readers,
      documented({
        summary: "One interview; with check=1, as the providers have it now (drift)",
        tag: "interviews",
        answers: interviewAnswer,
        errors: { 404: ["interview_not_found"], ...providerRefusals },
      }),
      checkQueryOf,
      async (c) => {
        const { check } = c.req.valid("query");
        return c.json(
          await interviews.get(orgScopeOf(c.get("caller")), c.req.param("id"), check === "1" || check === "true"),
        );
      },
    )
    .patch(
      "/interviews/:id",
      writers,
      documented({
        summary: "Reschedules an interview, or changes its participants or its Zoom host",
        tag: "interviews",
        answers: interviewAnswer,
        errors: {
          400: ["interviewer_unknown"],
          404: ["interview_not_found"],
          409: ["interview_cancelled", "interview_busy", "interview_drifted", ...providerRefusals[409]],
          424: providerRefusals[424],
        },
      }),
      jsonBody(changeBody, "The body must hold what changes: {title?, start?, end?, interviewers?, zoom?, …}"),
      async (c) => {
        const caller = c.get("caller");
        const body = c.req.valid("json");
        // A booking's rule: a new time is a time to come (a title may still be corrected after the interview).
        if (body.end !== undefined && body.end.getTime() <= clock.now().getTime())
          throw badRequest("invalid_body", "The new time is over already: pick a time to come.");
        if (body.start !== undefined) refuseFarAhead(body.start, clock);
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
    .delete(
      "/interviews/:id",
      writers,
      documented({
        summary: "Cancels an interview: the meeting and the event deleted, the Zoom hold released",
        tag: "interviews",
        answers: interviewAnswer,
        errors: {
          404: ["interview_not_found"],
          409: ["interview_busy", ...providerRefusals[409]],
          424: providerRefusals[424],
        },
      }),
      async (c) => {
        const caller = c.get("caller");
        return c.json(await interviews.cancel(orgScopeOf(caller), caller.sub, c.req.param("id")));
      },
    )
    .post(
      "/interviews/:id/start-url",
      readers,
      documented({
        summary: "A fresh Zoom start URL, for the portal users who linked the meeting's Zoom host",
        tag: "interviews",
        answers: { 200: z.object({ startUrl: z.string(), expiresHint: z.string() }) },
        errors: {
          403: ["start_url_forbidden"],
          404: ["interview_not_found"],
          409: ["interview_cancelled", "needs_reauth", ...providerRefusals[409]],
          424: providerRefusals[424],
        },
      }),
      async (c) => {
        // Never cached anywhere: the URL carries the host's token.
        c.header("Cache-Control", "no-store");
        return c.json(await interviews.startUrl(userScopeOf(c.get("caller")), c.req.param("id")));
      },
    )
    .get(
      "/interview-settings",
      readers,
      documented({
        summary: "The organisation's interview settings (the Zoom waiting room)",
        tag: "interviews",
        answers: { 200: settingsAnswer },
      }),
      async (c) => c.json(await readInterviewSettings(db, orgScopeOf(c.get("caller")))),
    )
    .put(
      "/interview-settings",
      documented({
        summary: "Changes the organisation's interview settings (admin)",
        tag: "interviews",
        answers: { 200: settingsAnswer },
        errors: { 403: ["admin_required"] },
      }),
      jsonBody(settingsBody, "The body must be {waitingRoom: true|false}"),
      async (c) => {
        const caller = c.get("caller");
        if (caller.role !== "admin")
          throw forbidden("admin_required", "Only an administrator can change these settings.");
        await writeInterviewSettings(db, clock, orgScopeOf(caller), caller.sub, c.req.valid("json"));
        return c.json(await readInterviewSettings(db, orgScopeOf(caller)));
      },
    );
}

/** A booking or a move to a time further ahead than `maxDaysAhead` (year 9999 typed for 2026): 400, naming start. */
function refuseFarAhead(start: Date, clock: Clock): void {
  if (start.getTime() > latestStart(clock.now()))
    throw badRequest(
      "invalid_body",
      `The interview is too far ahead: start must be at most ${maxDaysAhead} days from now.`,
    );
}
