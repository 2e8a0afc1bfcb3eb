/**
 * The server's answers `<schedule-interview>` reads, typed by the contract
 * (`@tsunagu/contract`: availability.ts, interviews.ts, views.ts), the paths
 * it calls, and the checks that turn an unexpected answer into a typed error
 * instead of a broken render.
 */
import type { AccountView, AvailabilityAnswer, AvailabilityQuestion, InterviewView } from "@tsunagu/contract";
import { clientErrorCodes, isRecord, TsunaguApiError } from "../shared/api-error.ts";

export type { AvailabilityAnswer, AvailabilityQuestion, InterviewView };

/** An interviewer as the portal gives them: its user id and the name to show. */
export interface Interviewer {
  id: string;
  name: string;
}

/** The candidate as the portal gives them (`InterviewCandidate` without the fields the element cannot know). */
export interface CandidateInput {
  name: string;
  email: string;
  timeZone?: string;
  language?: "ja" | "en";
}

/** `POST /v1/interviews` (ARCHITECTURE.md, "interviews"). */
export interface BookingBody {
  title: string;
  start: string;
  end: string;
  interviewers: string[];
  candidate: CandidateInput;
  calendarAccountId?: string;
  /** Absent: no web interview; `{}`: the server picks the Zoom host. */
  zoom?: { hostZoomUserId?: string };
}

/** `PATCH /v1/interviews/:id`: what a reschedule or a change of participants or host sends (`zoom: null` drops the
 * web interview). */
export interface ChangeBody extends Pick<BookingBody, "start" | "end" | "interviewers"> {
  zoom?: { hostZoomUserId?: string } | null;
}

/** `POST /v1/templates/render`'s answer. */
export interface RenderedMessage {
  language: string;
  timeZone: string;
  subject: string | null;
  body: string;
}

export const availabilityPath = "/v1/availability";
export const interviewsPath = "/v1/interviews";
export const accountsPath = "/v1/accounts";
export const renderPath = "/v1/templates/render";
export const interviewPath = (id: string) => `/v1/interviews/${encodeURIComponent(id)}`;
export const startUrlPath = (id: string) => `${interviewPath(id)}/start-url`;

/** The organiser's accounts that can hold the event: Google and Microsoft ones that work. */
export function calendarAccounts(body: unknown): AccountView[] {
  const accounts = isRecord(body) && Array.isArray(body.accounts) ? body.accounts : undefined;
  if (!accounts) throw unexpected("GET /v1/accounts");
  return (accounts as AccountView[]).filter(
    (account) => (account.provider === "google" || account.provider === "microsoft") && account.status === "active",
  );
}

export function readAvailability(body: unknown): AvailabilityAnswer {
  if (!isRecord(body) || !Array.isArray(body.slots) || !Array.isArray(body.people))
    throw unexpected("POST /v1/availability");
  return body as unknown as AvailabilityAnswer;
}

export function readInterview(body: unknown, route: string): InterviewView {
  if (!isRecord(body) || typeof body.id !== "string" || typeof body.start !== "string" || typeof body.end !== "string")
    throw unexpected(route);
  // Older answers (the 201 of ARCHITECTURE.md) may leave out the lists the view always has.
  return { drift: [], interviewers: [], ...body } as unknown as InterviewView;
}

export function readStartUrl(body: unknown): string {
  if (!isRecord(body) || typeof body.startUrl !== "string") throw unexpected("POST /v1/interviews/:id/start-url");
  return body.startUrl;
}

export function readRendered(body: unknown): RenderedMessage {
  if (!isRecord(body) || typeof body.body !== "string") throw unexpected("POST /v1/templates/render");
  return body as unknown as RenderedMessage;
}

function unexpected(route: string): TsunaguApiError {
  return new TsunaguApiError(0, clientErrorCodes.invalidResponse, `${route} answered something else than expected.`);
}
