/**
 * Availability and working hours over HTTP (mounted under /v1, after hostAuth).
 *
 * POST /availability                  {participants, start, end, durationMinutes, stepMinutes?, bufferBeforeMinutes?,
 *                                      bufferAfterMinutes?, workingHours?, timeZone?, peopleBusy?, interviewId?}
 *                                      → {timeZone, slots, people}; an interviewId not of the caller's organisation:
 *                                      404 interview_not_found
 * GET  /working-hours                 the organisation's hours and the caller's own override (null when none)
 * PUT  /working-hours                 admin: the organisation's {days, start, end, timeZone}
 * PUT  /working-hours/me              the caller's own {days, start, end, timeZone?}
 * DELETE /working-hours/me            back to the organisation's hours
 * GET  /days-off                      the organisation's holiday rule, closures and language, and the caller's own
 *                                     days off
 * PUT  /days-off                      admin: {japaneseHolidays: true|false|null, closures:[{start, end, name}],
 *                                     locale?: "ja"|"en"} (no locale: the stored one stays)
 * PUT  /days-off/me                   the caller's own {daysOff:[{start, end, name?}]}
 *
 * Guests may not read other people's calendars: availability needs admin,
 * recruiter or assistant. Every malformed request is 400 `invalid_body`
 * naming the field.
 */
import { availabilityBusyScopes, organisationLocales } from "@tsunagu/contract";
import { Hono } from "hono";
import { z } from "zod";
import { adminRequired, requireRole } from "../auth/middleware.ts";
import type { BusyTimesDeps } from "../availability/busy-times.ts";
import { findAvailability } from "../availability/service.ts";
import { calendarEventLeftOut } from "../interviews/being-changed.ts";
import {
  defaultOrganisationHours,
  deletePersonalHours,
  readOrganisationHours,
  readPersonalHours,
  storedOrganisationHours,
  writeOrganisationHours,
  writePersonalHours,
} from "../availability/store.ts";
import { weekdays, type WorkingHours, workingHoursProblem } from "../availability/working-hours.ts";
import { type Closure, closureProblem } from "../availability/days-off.ts";
import {
  readOrganisationDaysOff,
  readPersonalDaysOff,
  writeOrganisationDaysOff,
  writePersonalDaysOff,
} from "../availability/days-off-store.ts";
import { dayMs } from "../availability/zone.ts";
import type { Clock } from "../clock.ts";
import { badRequest } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { type BodyRefusal, jsonBody } from "../http/json-body.ts";
import type { DB } from "../store/database.ts";
import { timeZoneField } from "../time-zone.ts";
import { documented } from "../openapi/route-doc.ts";
import {
  type OrgScope,
  orgScopeOf,
  readOrganisationLocale,
  userScopeOf,
  writeOrganisationLocale,
} from "../store/tenancy.ts";

/** A question about more than this many days is refused: two Graph windows, one Google call. */
export const maxRangeDays = 62;
export const maxParticipants = 50;
/**
 * How far ahead anything may start: an interview booked or moved, a scheduling link's slots, an availability
 * question. Two years is past any hiring plan; a time beyond it is a slip (year 9999 typed for 2026), and would
 * otherwise be booked at the providers or asked of them.
 */
export const maxDaysAhead = 730;

/** The latest start allowed at `now` (epoch ms): `maxDaysAhead` days on. */
export function latestStart(now: Date): number {
  return now.getTime() + maxDaysAhead * dayMs;
}

const zone = timeZoneField("must be an IANA time zone such as Asia/Tokyo");
const hoursShape = {
  days: z
    .array(z.enum(weekdays))
    .max(7)
    .transform((days) => [...new Set(days)]),
  start: z.string().max(5),
  end: z.string().max(5),
};
const hours = z.strictObject(hoursShape).superRefine(checkHours);
const organisationHours = z.strictObject({ ...hoursShape, timeZone: zone }).superRefine(checkHours);
const personalHours = z.strictObject({ ...hoursShape, timeZone: zone.nullish() }).superRefine(checkHours);

const closure = z
  .strictObject({ start: z.string().max(10), end: z.string().max(10), name: z.string().max(100) })
  .superRefine(checkClosure);
const organisationDaysOff = z.strictObject({
  japaneseHolidays: z.boolean().nullable(),
  closures: z.array(closure).max(200),
  locale: z.enum(organisationLocales, { message: 'must be "ja" or "en"' }).optional(),
});
const personalDaysOff = z.strictObject({
  daysOff: z
    .array(
      closure.or(
        z
          .strictObject({ start: z.string().max(10), end: z.string().max(10) })
          .transform((day) => ({ ...day, name: "" }))
          .superRefine(checkClosure),
      ),
    )
    .max(200),
});

const minutes = (min: number, max: number) => z.number().int().min(min).max(max);
const question = z
  .strictObject({
    participants: z.array(z.string().min(1).max(256)).min(1).max(maxParticipants),
    start: z.iso.datetime({ offset: true }).describe(`At most ${maxDaysAhead} days from now`),
    end: z.iso.datetime({ offset: true }),
    durationMinutes: minutes(5, 24 * 60),
    stepMinutes: minutes(5, 24 * 60).default(30),
    bufferBeforeMinutes: minutes(0, 24 * 60).default(0),
    bufferAfterMinutes: minutes(0, 24 * 60).default(0),
    workingHours: hours.optional(),
    timeZone: zone.optional(),
    peopleBusy: z
      .enum(availabilityBusyScopes, { message: 'must be "all", "working_hours" or "none"' })
      .optional()
      .describe(
        "Which of each person's busy time the answer carries (the slots are the same): all (default), " +
          "working_hours (only within the question's workingHours, cut to them; needs workingHours) or none",
      ),
    interviewId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe(
        "The interview being changed, of the caller's organisation: its own calendar event does not make its " +
          "interviewers or organiser busy (README, Availability)",
      ),
  })
  .superRefine((body, context) => {
    if (body.peopleBusy === "working_hours" && !body.workingHours)
      context.addIssue({ code: "custom", path: ["peopleBusy"], message: '"working_hours" needs workingHours' });
    const span = Date.parse(body.end) - Date.parse(body.start);
    if (!(span > 0)) context.addIssue({ code: "custom", path: ["end"], message: "must be after start" });
    else if (span > maxRangeDays * dayMs)
      context.addIssue({ code: "custom", path: ["end"], message: `must be at most ${maxRangeDays} days after start` });
  });
/** The question as asked now: its start at most `maxDaysAhead` from the clock's now. */
const questionAt = (clock: Clock) =>
  question.superRefine((body, context) => {
    if (Date.parse(body.start) > latestStart(clock.now()))
      context.addIssue({ code: "custom", path: ["start"], message: `must be at most ${maxDaysAhead} days from now` });
  });

const interval = z.object({ start: z.string(), end: z.string() });
const workingHoursView = z.object({ days: z.array(z.enum(weekdays)), start: z.string(), end: z.string() });
const organisationHoursView = workingHoursView.extend({ timeZone: z.string() });
const personalHoursView = workingHoursView.extend({ timeZone: z.string().nullable() });
const closureView = z.object({ start: z.string(), end: z.string(), name: z.string() });
const organisationDaysOffView = z.object({
  japaneseHolidays: z.boolean().nullable(),
  closures: z.array(closureView),
  locale: z.enum(organisationLocales).nullable(),
});
const availabilityAnswer = z.object({
  timeZone: z.string(),
  japaneseHolidays: z.boolean(),
  slots: z.array(interval.extend({ unconfirmedFor: z.array(z.string()) })),
  people: z.array(
    z.object({
      id: z.string(),
      status: z.enum(["ok", "unconfirmed", "no_calendar"]),
      timeZone: z.string(),
      workingHours: workingHoursView,
      calendars: z.array(
        z.object({
          accountId: z.string(),
          provider: z.enum(["google", "microsoft"]),
          email: z.string().nullable(),
          status: z.enum(["read", "unreadable"]),
          reason: z.string().optional(),
          detail: z.string().optional(),
        }),
      ),
      busy: z.array(interval),
      daysOff: z.array(
        z.object({
          date: z.string(),
          reason: z.enum(["holiday", "closure", "personal"]),
          name: z.string(),
          nameEn: z.string().optional(),
          label: z.string(),
        }),
      ),
    }),
  ),
});
const organisationHoursAnswer = z.object({ organisation: organisationHoursView });
const ownHoursAnswer = z.object({ own: personalHoursView.nullable() });
const organisationDaysOffAnswer = z.object({ organisation: organisationDaysOffView });
const ownDaysOffAnswer = z.object({ own: z.array(closureView) });
const adminOnly = { 403: ["admin_required"] } as const;

export function availabilityRoutes(deps: BusyTimesDeps) {
  const { db, clock } = deps;
  return new Hono<AppEnv>()
    .post(
      "/availability",
      requireRole("admin", "recruiter", "assistant"),
      documented({
        summary: "Free slots common to the participants, and each person's calendars, busy times and days off",
        tag: "availability",
        answers: { 200: availabilityAnswer },
        errors: { 404: ["interview_not_found"] },
      }),
      jsonBody(questionAt(clock), refuseBody("{participants:[user id], start, end, durationMinutes, …}")),
      async (c) => {
        const caller = c.get("caller");
        const { interviewId, ...body } = c.req.valid("json");
        const tenant = orgScopeOf(caller);
        // Checked before any calendar is read: an interview of another organisation is refused as unknown.
        const leaveOut = interviewId === undefined ? undefined : await calendarEventLeftOut(db, tenant, interviewId);
        const answer = await findAvailability(deps, tenant, {
          ...body,
          leaveOut,
          participants: [...new Set(body.participants)],
          start: new Date(body.start),
          end: new Date(body.end),
          timeZone: body.timeZone ?? caller.tz ?? "UTC",
          locale: caller.locale,
        });
        // A question may start before the limit and end after it (a week across it): no slot is offered that a
        // booking would refuse.
        const limit = latestStart(clock.now());
        return c.json({ ...answer, slots: answer.slots.filter((slot) => Date.parse(slot.start) <= limit) });
      },
    )
    .get(
      "/working-hours",
      documented({
        summary: "The organisation's working hours and the caller's own (null when none)",
        tag: "availability",
        answers: { 200: organisationHoursAnswer.extend(ownHoursAnswer.shape) },
      }),
      async (c) => {
        const caller = c.get("caller");
        const [stored, own] = await Promise.all([
          storedOrganisationHours(db, orgScopeOf(caller)),
          readPersonalHours(db, orgScopeOf(caller), [caller.sub]),
        ]);
        // Until an admin sets them, the default hours on the caller's clock, as availability reads them for the
        // person asking: a recruiter in Tokyo is shown 09:00–18:00 Asia/Tokyo, not UTC.
        const organisation = stored ?? { ...defaultOrganisationHours, timeZone: caller.tz ?? "UTC" };
        return c.json({ organisation, own: own.get(caller.sub) ?? null });
      },
    )
    .put(
      "/working-hours",
      documented({
        summary: "Sets the organisation's working hours (admin)",
        tag: "availability",
        answers: { 200: organisationHoursAnswer },
        errors: adminOnly,
      }),
      adminRequired(
        "Only an administrator can set the organisation's working hours; set your own with PUT /v1/working-hours/me.",
      ),
      jsonBody(organisationHours, refuseBody('{days:[mon…sun], start:"HH:MM", end:"HH:MM", timeZone}')),
      async (c) => {
        const caller = c.get("caller");
        const body = c.req.valid("json");
        await writeOrganisationHours(db, clock, userScopeOf(caller), body);
        return c.json({ organisation: await readOrganisationHours(db, orgScopeOf(caller)) });
      },
    )
    .put(
      "/working-hours/me",
      documented({
        summary: "Sets the caller's own working hours",
        tag: "availability",
        answers: { 200: ownHoursAnswer },
      }),
      jsonBody(personalHours, refuseBody('{days:[mon…sun], start:"HH:MM", end:"HH:MM", timeZone?}')),
      async (c) => {
        const caller = c.get("caller");
        const body = c.req.valid("json");
        await writePersonalHours(db, clock, userScopeOf(caller), { ...body, timeZone: body.timeZone ?? null });
        const own = await readPersonalHours(db, orgScopeOf(caller), [caller.sub]);
        return c.json({ own: own.get(caller.sub) ?? null });
      },
    )
    .delete(
      "/working-hours/me",
      documented({
        summary: "Back to the organisation's working hours",
        tag: "availability",
        answers: { 200: z.object({ own: z.null() }) },
      }),
      async (c) => {
        const caller = c.get("caller");
        await deletePersonalHours(db, userScopeOf(caller));
        return c.json({ own: null });
      },
    )
    .get(
      "/days-off",
      documented({
        summary: "The organisation's holiday rule and closures, and the caller's own days off",
        tag: "availability",
        answers: { 200: organisationDaysOffAnswer.extend(ownDaysOffAnswer.shape) },
      }),
      async (c) => {
        const caller = c.get("caller");
        const [organisation, own] = await Promise.all([
          organisationDaysOffOf(db, orgScopeOf(caller)),
          readPersonalDaysOff(db, orgScopeOf(caller), [caller.sub]),
        ]);
        return c.json({ organisation, own: own.get(caller.sub) ?? [] });
      },
    )
    .put(
      "/days-off",
      documented({
        summary: "Sets the organisation's holiday rule, closures and language (admin)",
        tag: "availability",
        answers: { 200: organisationDaysOffAnswer },
        errors: adminOnly,
      }),
      adminRequired(
        "Only an administrator can set the organisation's holidays and closures; set your own days off with PUT " +
          "/v1/days-off/me.",
      ),
      jsonBody(
        organisationDaysOff,
        refuseBody(
          '{japaneseHolidays: true|false|null, closures:[{start:"YYYY-MM-DD", end, name}], locale?: "ja"|"en"}',
        ),
      ),
      async (c) => {
        const caller = c.get("caller");
        const { locale, ...daysOff } = c.req.valid("json");
        // Both or neither: a refused half would leave the holiday rule following a language nobody chose.
        await db.transaction().execute(async (trx) => {
          if (locale) await writeOrganisationLocale(trx, orgScopeOf(caller), clock, locale);
          await writeOrganisationDaysOff(trx, clock, userScopeOf(caller), daysOff);
        });
        return c.json({ organisation: await organisationDaysOffOf(db, orgScopeOf(caller)) });
      },
    )
    .put(
      "/days-off/me",
      documented({
        summary: "Sets the caller's own days off",
        tag: "availability",
        answers: { 200: ownDaysOffAnswer },
      }),
      jsonBody(personalDaysOff, refuseBody('{daysOff:[{start:"YYYY-MM-DD", end, name?}]}')),
      async (c) => {
        const caller = c.get("caller");
        const body = c.req.valid("json");
        await writePersonalDaysOff(db, clock, userScopeOf(caller), body.daysOff);
        return c.json({ own: (await readPersonalDaysOff(db, orgScopeOf(caller), [caller.sub])).get(caller.sub) ?? [] });
      },
    );
}

/** The organisation's days-off settings with its language, as GET and PUT /days-off answer them. */
async function organisationDaysOffOf(db: DB, tenant: OrgScope) {
  const [daysOff, locale] = await Promise.all([
    readOrganisationDaysOff(db, tenant),
    readOrganisationLocale(db, tenant),
  ]);
  return { ...daysOff, locale };
}

function checkHours(value: WorkingHours, context: z.RefinementCtx): void {
  const problem = workingHoursProblem(value);
  if (problem) context.addIssue({ code: "custom", message: problem });
}

function checkClosure(value: Closure, context: z.RefinementCtx): void {
  const problem = closureProblem(value);
  if (problem) context.addIssue({ code: "custom", message: problem });
}

/** 400 `invalid_body` naming the first field that is wrong (`details.field`), or the body when it is not JSON. */
function refuseBody(shape: string): BodyRefusal {
  return (issue) => {
    const field = issue?.path.join(".") || "body";
    const problem = issue ? issue.message : "is not JSON";
    return badRequest("invalid_body", `The body must be ${shape}: ${field} ${problem}.`, { field });
  };
}
