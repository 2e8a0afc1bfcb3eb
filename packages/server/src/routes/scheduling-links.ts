/**
 * Candidate scheduling links over HTTP for the portal (mounted under /v1,
 * after tokenAuth; README, "Candidate scheduling links").
 *
 * POST   /scheduling-links      admin, recruiter: {title, durationMinutes, interviewers, slots, candidate,
 *                               description?, calendarAccountId?, zoom? | conference?, timeZone?, expiresAt?}
 *                               → 201 {id, url, expiresAt, slots}; the URL is shown once
 * GET    /scheduling-links/:id  admin, recruiter, assistant: the link, its status and the interview once booked, and
 *                               `blocked` while its page cannot read an interviewer's calendar (noted by the page)
 * DELETE /scheduling-links/:id  admin, recruiter: withdraws it; its page then says so
 *
 * The recruiter who offers the link is the booking's organiser: the interview
 * is booked with their calendar account and in their zone, as if they had
 * called POST /v1/interviews when the candidate picks.
 */
import {
  type OfferedSlot,
  type SchedulingLinkBlocked,
  type SchedulingLinkCreated,
  type SchedulingLinkView,
  schedulingLinkStatuses,
} from "@tsunagu/contract";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../auth/app-env.ts";
import { requireRole } from "../auth/middleware.ts";
import type { Clock } from "../clock.ts";
import { ApiError, badRequest, conflict, notFound } from "../errors.ts";
import { jsonBody } from "../http/json-body.ts";
import { interviewCandidateSchema, interviewViewSchema } from "../openapi/interview-view.ts";
import { documented } from "../openapi/route-doc.ts";
import { dayMs, minuteMs } from "../availability/zone.ts";
import type { InterviewBooker } from "../interviews/ports.ts";
import { linkUrl, newLinkSecret } from "../scheduling-links/capability.ts";
import { bookingInput } from "../scheduling-links/pick.ts";
import {
  currentInterview,
  findLink,
  insertLink,
  linkStatus,
  revokeLink,
  type SchedulingLink,
} from "../scheduling-links/store.ts";
import type { DB } from "../store/database.ts";
import { orgScopeOf } from "../store/tenancy.ts";
import { timeZoneField } from "../time-zone.ts";
import { latestStart, maxDaysAhead, maxParticipants, maxRangeDays } from "./availability.ts";

export const maxOfferedSlots = 50;
/** A link lives two weeks unless `expiresAt` says otherwise, and at most `maxLinkDays`. */
export const defaultLinkDays = 14;
export const maxLinkDays = 90;

const zone = timeZoneField("must be an IANA time zone such as Asia/Tokyo");
const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());
const offer = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    durationMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60),
    interviewers: z
      .array(z.string().min(1).max(200))
      .min(1)
      .max(maxParticipants)
      .transform((ids) => [...new Set(ids)]),
    slots: z
      .array(z.strictObject({ start: instant, end: instant }))
      .min(1)
      .max(maxOfferedSlots)
      .describe(`Each in the future, at most ${maxDaysAhead} days from now, all within ${maxRangeDays} days`),
    candidate: z.strictObject({
      name: z.string().trim().min(1).max(200),
      email: z.email().max(320),
      timeZone: zone.optional(),
      language: z.enum(["ja", "en"]).optional(),
    }),
    description: z.string().max(5000).optional(),
    calendarAccountId: z.string().min(1).max(200).optional(),
    zoom: z.strictObject({ hostZoomUserId: z.string().min(1).max(200).optional() }).optional(),
    conference: z.enum(["google_meet", "microsoft_teams"]).optional(),
    /** The organiser's zone the meeting and the event are made in, as in POST /v1/interviews. */
    timeZone: zone.optional(),
    expiresAt: instant.optional(),
  })
  .superRefine((body, context) => {
    if (body.zoom && body.conference)
      context.addIssue({ code: "custom", path: ["conference"], message: "cannot be asked for together with zoom" });
    body.slots.forEach((slot, index) => {
      if (Date.parse(slot.end) - Date.parse(slot.start) !== body.durationMinutes * minuteMs)
        context.addIssue({
          code: "custom",
          path: ["slots", index, "end"],
          message: `must be durationMinutes (${body.durationMinutes}) after start`,
        });
    });
  });

type OfferBody = z.infer<typeof offer>;

const offeredSlot = z.object({ start: z.string(), end: z.string() }) satisfies z.ZodType<OfferedSlot>;
const linkCreated = z.object({
  id: z.string(),
  url: z.string().meta({ description: "The candidate's page; shown once (only a hash of its secret is kept)." }),
  expiresAt: z.string(),
  slots: z.array(offeredSlot),
}) satisfies z.ZodType<SchedulingLinkCreated>;
const linkView = z.object({
  id: z.string(),
  status: z.enum(schedulingLinkStatuses),
  title: z.string(),
  durationMinutes: z.number(),
  interviewers: z.array(z.string()),
  slots: z.array(offeredSlot),
  candidate: interviewCandidateSchema,
  description: z.string().nullable(),
  createdBy: z.string(),
  expiresAt: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  interview: interviewViewSchema.nullable(),
  blocked: z
    .object({
      code: z.literal("calendar_unavailable"),
      since: z.string(),
      interviewers: z.array(z.string()),
    })
    .nullable()
    .meta({
      description:
        "Why the candidate cannot book through an open link, as its page last found: it cannot read these " +
        "interviewers' calendars (a link to make again, the provider not answering) since `since`, and asks the " +
        "candidate to try again. Cleared when the page next reads them all; null otherwise.",
    }),
}) satisfies z.ZodType<SchedulingLinkView>;

export function schedulingLinkRoutes(deps: { db: DB; clock: Clock; publicUrl: string; booker: InterviewBooker }) {
  const { db, clock } = deps;
  return new Hono<AppEnv>()
    .post(
      "/scheduling-links",
      requireRole("admin", "recruiter"),
      documented({
        summary: "Offers a candidate slots to pick from on a public, expiring page",
        tag: "scheduling-links",
        answers: { 201: linkCreated },
        errors: {
          400: ["interviewer_unknown", "calendar_account_missing"],
          409: ["calendar_account_missing", "calendar_needs_reauth", "zoom_host_unavailable"],
        },
      }),
      jsonBody(
        offer,
        "The body must be {title, durationMinutes, interviewers:[user id], slots:[{start, end}], candidate}",
      ),
      async (c) => {
        const caller = c.get("caller");
        const body = c.req.valid("json");
        const now = clock.now();
        const slots = sortedSlots(body, now);
        const expiresAt = body.expiresAt ?? new Date(now.getTime() + defaultLinkDays * dayMs).toISOString();
        checkExpiry(expiresAt, now);
        const tenant = orgScopeOf(caller);
        const offered = {
          interviewers: body.interviewers,
          offer: {
            title: body.title,
            durationMinutes: body.durationMinutes,
            slots,
            candidate: body.candidate,
            description: body.description ?? null,
            calendarAccountId: body.calendarAccountId,
            zoom: body.zoom,
            conference: body.conference,
            timeZone: body.timeZone ?? caller.tz ?? "UTC",
            locale: caller.locale,
          },
        };
        // What the candidate's pick would be refused for whichever slot they picked is refused now, to the
        // recruiter, rather than offering a link that can never book.
        await deps.booker.check(
          { ...tenant, userId: caller.sub, timeZone: offered.offer.timeZone, locale: caller.locale },
          bookingInput(offered, slots[0] as OfferedSlot),
        );
        const { secret, hash } = newLinkSecret();
        const link = await insertLink(
          db,
          { tenant, createdBy: caller.sub, ...offered, expiresAt, createdAt: now.toISOString() },
          hash,
        );
        const created: SchedulingLinkCreated = { id: link.id, url: linkUrl(deps.publicUrl, secret), expiresAt, slots };
        return c.json(created, 201);
      },
    )
    .get(
      "/scheduling-links/:id",
      requireRole("admin", "recruiter", "assistant"),
      documented({
        summary: "A scheduling link, its status and the interview once booked",
        tag: "scheduling-links",
        answers: { 200: linkView },
        errors: { 404: ["scheduling_link_not_found"] },
      }),
      async (c) => {
        const link = await findLink(db, orgScopeOf(c.get("caller")), c.req.param("id"));
        if (!link) throw linkNotFound();
        return c.json(await view(db, link, clock.now()));
      },
    )
    .delete(
      "/scheduling-links/:id",
      requireRole("admin", "recruiter"),
      documented({
        summary: "Withdraws a scheduling link; its page then says so",
        tag: "scheduling-links",
        answers: { 200: linkView },
        errors: { 404: ["scheduling_link_not_found"], 409: ["scheduling_link_busy", "scheduling_link_booked"] },
      }),
      async (c) => {
        const tenant = orgScopeOf(c.get("caller"));
        const id = c.req.param("id");
        if (!(await findLink(db, tenant, id))) throw linkNotFound();
        const outcome = await revokeLink(db, tenant, id, clock.now());
        if (outcome === "busy")
          throw new ApiError(409, "scheduling_link_busy", "The candidate is booking a slot right now: retry shortly.", {
            headers: { "Retry-After": "2" },
          });
        if (outcome === "booked") {
          const booked = await currentInterview(db, (await findLink(db, tenant, id)) as SchedulingLink);
          throw conflict(
            "scheduling_link_booked",
            booked?.status === "cancelled"
              ? "The candidate booked through this link and that interview is cancelled: the link books nothing more."
              : "The candidate booked through this link already: cancel the interview with DELETE /v1/interviews/:id.",
          );
        }
        return c.json(await view(db, (await findLink(db, tenant, id)) as SchedulingLink, clock.now()));
      },
    );
}

/**
 * The slots in time order without repeats; each in the future, none starting more than `maxDaysAhead` from now, and
 * all within one availability range.
 */
function sortedSlots(body: OfferBody, now: Date): Array<{ start: string; end: string }> {
  const unique = new Map(body.slots.map((slot) => [slot.start, slot]));
  const slots = [...unique.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const past = body.slots.findIndex((slot) => Date.parse(slot.start) <= now.getTime());
  if (past >= 0) throw invalid(`slots.${past}.start must be in the future`);
  const farAhead = body.slots.findIndex((slot) => Date.parse(slot.start) > latestStart(now));
  if (farAhead >= 0) throw invalid(`slots.${farAhead}.start must be at most ${maxDaysAhead} days from now`);
  const first = slots[0] as { start: string };
  const last = slots.at(-1) as { end: string };
  if (Date.parse(last.end) - Date.parse(first.start) > maxRangeDays * dayMs)
    throw invalid(`slots must lie within ${maxRangeDays} days of each other`);
  return slots;
}

function checkExpiry(expiresAt: string, now: Date): void {
  const at = Date.parse(expiresAt);
  if (at <= now.getTime()) throw invalid("expiresAt must be in the future");
  if (at > now.getTime() + maxLinkDays * dayMs) throw invalid(`expiresAt must be within ${maxLinkDays} days`);
}

function invalid(detail: string) {
  return badRequest("invalid_body", `The scheduling link was not created: ${detail}.`);
}

function linkNotFound() {
  return notFound("scheduling_link_not_found", "No scheduling link with this id in your organisation.");
}

async function view(db: DB, link: SchedulingLink, now: Date): Promise<SchedulingLinkView> {
  const status = linkStatus(link, now);
  const blocked: SchedulingLinkBlocked | null =
    status === "open" && link.blocked ? { code: "calendar_unavailable", ...link.blocked } : null;
  return {
    id: link.id,
    status,
    title: link.offer.title,
    durationMinutes: link.offer.durationMinutes,
    interviewers: link.interviewers,
    slots: link.offer.slots,
    candidate: link.offer.candidate,
    description: link.offer.description,
    createdBy: link.createdBy,
    expiresAt: link.expiresAt,
    createdAt: link.createdAt,
    revokedAt: link.revokedAt,
    interview: await currentInterview(db, link),
    blocked,
  };
}
