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
import { isTimeZone } from "../auth/host-token.ts";
import type { Clock } from "../clock.ts";
import { ApiError, badRequest, notFound } from "../errors.ts";
import type { AppEnv } from "../auth/app-env.ts";
import type { DB } from "../store/database.ts";
import { type OrgScope, orgScopeOf, userScopeOf } from "../store/tenancy.ts";
import { candidateRendering, interviewTemplateValues } from "../templates/interview-values.ts";
import {
  renderTemplate,
  TemplateError,
  type TemplateLanguage,
  templateTagNames,
  templateTags,
} from "../templates/render.ts";
import { deleteTemplate, findTemplate, listTemplates, saveTemplate } from "../templates/store.ts";

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
    timeZone: z.string().max(64).refine(isTimeZone, "an IANA time zone such as Asia/Tokyo").optional(),
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

function keyOf(raw: string): string {
  if (!keyPattern.test(raw)) {
    throw badRequest(
      "invalid_request",
      "A template key is 1 to 64 lowercase letters, digits, '_' or '-', starting with a letter.",
    );
  }
  return raw;
}

function languageOf(raw: string): TemplateLanguage {
  const parsed = language.safeParse(raw);
  if (!parsed.success) throw badRequest("invalid_request", "The language is ja or en.");
  return parsed.data;
}

function templateFailure(error: unknown): never {
  if (!(error instanceof TemplateError)) throw error;
  const { code, message, tag } = error.problem;
  throw new ApiError(code === "template_value_missing" ? 422 : 400, code, message, { details: { tag } });
}

async function jsonBody<T>(read: () => Promise<unknown>, schema: z.ZodType<T>, shape: string): Promise<T> {
  const parsed = schema.safeParse(await read().catch(() => undefined));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue && issue.path.length > 0
        ? ` (${issue.path.join(".")}: ${issue.message})`
        : issue
          ? ` (${issue.message})`
          : "";
    throw badRequest("invalid_body", `The body must be ${shape}${where}.`);
  }
  return parsed.data;
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
    .get("/templates", async (c) =>
      c.json({
        templates: await listTemplates(db, orgScopeOf(c.get("caller"))),
        tags: templateTagNames.map((tag) => ({ tag, description: templateTags[tag] })),
      }),
    )
    .get("/templates/:key/:language", async (c) => {
      const key = keyOf(c.req.param("key"));
      const found = await findTemplate(db, orgScopeOf(c.get("caller")), key, languageOf(c.req.param("language")));
      if (!found) throw notFound("template_not_found", `The organisation has no template "${key}" in this language.`);
      return c.json(found);
    })
    .put("/templates/:key/:language", requireRole("admin"), async (c) => {
      const key = keyOf(c.req.param("key"));
      const lang = languageOf(c.req.param("language"));
      const input = await jsonBody(() => c.req.json(), templateBody, "{name, subject?, body}");
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
    })
    .delete("/templates/:key/:language", requireRole("admin"), async (c) => {
      const key = keyOf(c.req.param("key"));
      const deleted = await deleteTemplate(
        db,
        clock,
        userScopeOf(c.get("caller")),
        key,
        languageOf(c.req.param("language")),
      );
      if (!deleted) throw notFound("template_not_found", `The organisation has no template "${key}" in this language.`);
      return c.json({ deleted: true });
    })
    .post("/templates/render", async (c) => {
      const caller = c.get("caller");
      const input = await jsonBody(
        () => c.req.json(),
        renderBody,
        "{key, language?} or {subject?, body}, with values or interviewId, and timeZone?",
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
          subject: subject === null ? null : renderTemplate(subject, values, options),
          body: renderTemplate(body, values, options),
        });
      } catch (error) {
        templateFailure(error);
      }
    });
}
