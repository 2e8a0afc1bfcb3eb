/**
 * InterviewView (packages/contract, interviews.ts) as a zod schema, for the
 * OpenAPI document: the interview routes' answers, a scheduling link's booked
 * interview and the interview.* webhooks' snapshots. `satisfies` keeps it the
 * contract's shape: a field the contract gains or changes fails the build here.
 */
import {
  conferenceKinds,
  type InterviewCandidate,
  type InterviewDrift,
  type InterviewPerson,
  type InterviewView,
  interviewStatuses,
} from "@tsunagu/contract";
import { z } from "zod";

const person = z.object({
  userId: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
}) satisfies z.ZodType<InterviewPerson>;

export const interviewCandidateSchema = z.object({
  name: z.string(),
  email: z.string(),
  timeZone: z.string().optional(),
  language: z.enum(["ja", "en"]).optional(),
}) satisfies z.ZodType<InterviewCandidate>;

const drift = z.object({
  kind: z.enum(["event_deleted", "event_moved", "meeting_deleted", "meeting_moved"]),
  start: z.string().optional(),
  end: z.string().optional(),
  detectedAt: z.string(),
}) satisfies z.ZodType<InterviewDrift>;

export const interviewViewSchema = z.object({
  id: z.string(),
  status: z.enum(interviewStatuses),
  title: z.string(),
  start: z.string(),
  end: z.string(),
  description: z.string().nullable(),
  organiser: person,
  interviewers: z.array(person),
  candidate: interviewCandidateSchema,
  timeZone: z.string(),
  conference: z.enum(conferenceKinds).nullable(),
  zoom: z
    .object({ meetingId: z.string(), joinUrl: z.string(), passcode: z.string(), hostZoomUserId: z.string() })
    .optional(),
  joinUrl: z.string().optional(),
  event: z
    .object({
      provider: z.enum(["google", "microsoft"]),
      accountId: z.string(),
      eventId: z.string(),
      webLink: z.string().optional(),
    })
    .optional(),
  drift: z.array(drift),
  failure: z.object({ code: z.string(), message: z.string() }).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<InterviewView>;
