/**
 * Message templates over HTTP (README, "Message templates"): the tags, the
 * organisation's templates (anyone in it reads, admins write), and rendering
 * a template, stored or given, with an interview's values in the candidate's
 * language and time zone. A wrong tag is a 400 naming it; a tag this
 * interview has no value for is a 422 naming it. Given `interviewId`, the
 * values, the language and the zone come from the stored interview (read
 * through `findInterview`, the interview saga's read), so the portal sends
 * nothing it would have to copy.
 */
import type { InterviewView } from "@tsunagu/contract";
import { Hono } from "hono";
import { z } from "zod";
import { requireRole } from "../auth/middleware.ts";
import type { Clock } from "../clock.ts";
import { ApiError, badRequest, forbidden, notFound } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import { type BodyRefusal, jsonBody } from "../http/json-body.ts";
import { paramsOf } from "../http/request-parts.ts";
import { oneLine } from "../one-line.ts";
import { documented } from "../openapi/route-doc.ts";
import type { DB } from "../store/database.ts";
import { type OrgScope, orgScopeOf, userScopeOf } from "../store/tenancy.ts";
import { candidateRendering, interviewTemplateValues } from "../templates/interview-values.ts";
import { renderTemplate, TemplateError, templateTagNames, templateTags } from "../templates/render.ts";
import { deleteTemplate, findTemplate, listTemplates, saveTemplate } from "../templates/store.ts";
import { timeZoneField } from "../time-zone.ts";

/** Who may read interviews (routes/interviews.ts), and so render a template with one's values. */
const interviewReaders: readonly string[] = ["admin", "recruiter", "assistant"];
const keyPattern = /^[a-z][a-z0-9_-]{0,63}$/;
const language = z.enum(["ja", "en"]);
const text = (max: number) => z.string().max(max);

const templateBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  subject: text(500).nullable().optional(),
  body: z.string().min(1).max(20_000),
});

const isoTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const renderBody = z
  .strictObject({
    key: z.string().regex(keyPattern).optional(),
    language: language.optional(),
    subject: text(500).nullable().optional(),
    body: z.string().min(1).max(20_000).optional(),
    timeZone: timeZoneField("an IANA time zone such as Asia/Tokyo").optional(),
    interviewId: z.string().min(1).max(200).optional(),
    values: z
      .strictObject({
        title: text(500).optional(),
        start: isoTime.optional(),
        end: isoTime.optional(),
        candidateName: text(200).optional(),
        interviewers: z.array(text(200)).max(50).optional(),
        zoom: z
          .strictObject({
            joinUrl: z.url().max(2000).optional(),
            passcode: text(64).optional(),
            meetingId: text(32).optional(),
          })
          .optional(),
        calendarLink: z.url().max(2000).optional(),
      })
      // A message saying "-60 minutes" is no message. zod refines after a failed format check too, with the string:
      // only two parsed times are compared.
      .refine(({ start, end }) => !(start instanceof Date && end instanceof Date) || end > start, {
        message: "must be after start",
        path: ["end"],
      })
      .optional(),
  })
  .refine(
    (body) => (body.key === undefined) !== (body.body === undefined),
    "give either key (a stored template) or body",
  )
  .refine(
    (body) => (body.interviewId === undefined) !== (body.values === undefined),
    "give either interviewId (a booked interview) or values",
  );

const template = z.object({
  key: z.string(),
  language,
  name: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
const rendered = z.object({ language, timeZone: z.string(), subject: z.string().nullable(), body: z.string() });
/** A wrong tag is a 400 naming it; a tag this interview has no value for is a 422 naming it (details.tag). */
const templateErrors = {
  400: ["template_unknown_tag", "template_malformed"],
  422: ["template_value_missing"],
} as const;

const templateParams = z.object({ key: z.string().regex(keyPattern), language });
const templateParamsOf = paramsOf(templateParams, (issue) =>
  badRequest(
    "invalid_request",
    issue?.path[0] === "language"
      ? "The language is ja or en."
      : "A template key is 1 to 64 lowercase letters, digits, '_' or '-', starting with a letter.",
  ),
);

/** 400 `invalid_body` with what was expected and, when the body is JSON, where it is wrong. */
const refuseBody =
  (shape: string): BodyRefusal =>
  (issue) => {
    const where =
      issue && issue.path.length > 0
        ? ` (${issue.path.join(".")}: ${issue.message})`
        : issue
          ? ` (${issue.message})`
          : "";
    return badRequest("invalid_body", `The body must be ${shape}${where}.`);
  };

function templateFailure(error: unknown): never {
  if (!(error instanceof TemplateError)) throw error;
  const { code, message, tag } = error.problem;
  throw new ApiError(code === "template_value_missing" ? 422 : 400, code, message, { details: { tag } });
}

export interface TemplateRouteDeps {
  db: DB;
  clock: Clock;
  /** One interview of the organisation as the interview routes answer it; throws 404 interview_not_found. */
  findInterview: (tenant: OrgScope, id: string) => Promise<InterviewView>;
}

export function templateRoutes(deps: TemplateRouteDeps) {
  const { db, clock } = deps;
  return new Hono<AppEnv>()
    .get(
      "/templates",
      documented({
        summary: "The organisation's templates and the tags a template may use",
        tag: "templates",
        answers: {
          200: z.object({
            templates: z.array(template),
            tags: z.array(z.object({ tag: z.string(), description: z.string() })),
          }),
        },
      }),
      async (c) =>
        c.json({
          templates: await listTemplates(db, orgScopeOf(c.get("caller"))),
          tags: templateTagNames.map((tag) => ({ tag, description: templateTags[tag] })),
        }),
    )
    .get(
      "/templates/:key/:language",
      documented({
        summary: "One template in one language",
        tag: "templates",
        answers: { 200: template },
        errors: { 404: ["template_not_found"] },
      }),
      templateParamsOf,
      async (c) => {
        const { key, language: lang } = c.req.valid("param");
        const found = await findTemplate(db, orgScopeOf(c.get("caller")), key, lang);
        if (!found) throw notFound("template_not_found", `The organisation has no template "${key}" in this language.`);
        return c.json(found);
      },
    )
    .put(
      "/templates/:key/:language",
      requireRole("admin"),
      documented({
        summary: "Saves a template in one language (admin)",
        tag: "templates",
        answers: { 200: template },
        errors: templateErrors,
      }),
      templateParamsOf,
      jsonBody(templateBody, refuseBody("{name, subject?, body}")),
      async (c) => {
        const { key, language: lang } = c.req.valid("param");
        const input = c.req.valid("json");
        try {
          return c.json(
            await saveTemplate(db, clock, userScopeOf(c.get("caller")), key, lang, {
              ...input,
              subject: input.subject ?? null,
            }),
          );
        } catch (error) {
          templateFailure(error);
        }
      },
    )
    .delete(
      "/templates/:key/:language",
      requireRole("admin"),
      documented({
        summary: "Deletes a template in one language (admin)",
        tag: "templates",
        answers: { 200: z.object({ deleted: z.literal(true) }) },
        errors: { 404: ["template_not_found"] },
      }),
      templateParamsOf,
      async (c) => {
        const { key, language: lang } = c.req.valid("param");
        const deleted = await deleteTemplate(db, clock, userScopeOf(c.get("caller")), key, lang);
        if (!deleted)
          throw notFound("template_not_found", `The organisation has no template "${key}" in this language.`);
        return c.json({ deleted: true });
      },
    )
    .post(
      "/templates/render",
      documented({
        summary: "Renders a stored or given template with an interview's values, in a language and time zone",
        tag: "templates",
        answers: { 200: rendered },
        errors: { ...templateErrors, 403: ["forbidden_role"], 404: ["template_not_found", "interview_not_found"] },
      }),
      jsonBody(
        renderBody,
        refuseBody("{key, language?} or {subject?, body}, with values or interviewId, and timeZone?"),
      ),
      async (c) => {
        const caller = c.get("caller");
        const input = c.req.valid("json");
        // An interview's values (its Zoom URL and passcode, the candidate) only for those who may read interviews
        // (GET /v1/interviews/:id): a guest renders with values of their own.
        if (input.interviewId !== undefined && !interviewReaders.includes(caller.role))
          throw forbidden(
            "forbidden_role",
            `Rendering for an interview needs one of the roles ${interviewReaders.join(", ")}; the caller is ` +
              `${caller.role}. Give values instead.`,
          );
        const interview =
          input.interviewId === undefined ? undefined : await deps.findInterview(orgScopeOf(caller), input.interviewId);
        const candidate = interview && candidateRendering(interview);
        const values = interview ? interviewTemplateValues(interview) : (input.values ?? {});
        const lang = input.language ?? candidate?.language ?? caller.locale ?? "ja";
        const timeZone = input.timeZone ?? candidate?.timeZone ?? caller.tz ?? "Asia/Tokyo";
        let subject = input.subject ?? null;
        let body = input.body ?? "";
        if (input.key !== undefined) {
          const stored = await findTemplate(db, orgScopeOf(caller), input.key, lang);
          if (!stored)
            throw notFound("template_not_found", `The organisation has no template "${input.key}" in ${lang}.`);
          subject = stored.subject;
          body = stored.body;
        }
        try {
          const options = { language: lang, timeZone };
          return c.json({
            language: lang,
            timeZone,
            // The portal sends the subject as an email header: a line break from a value (a candidate's name as an
            // application form gave it) would add a header of its own.
            subject: subject === null ? null : oneLine(renderTemplate(subject, values, options)),
            body: renderTemplate(body, values, options),
          });
        } catch (error) {
          templateFailure(error);
        }
      },
    );
}
