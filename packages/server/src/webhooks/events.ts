/**
 * The webhooks Tsunagu sends to a portal: one JSON shape per event, built
 * from the rows whose state changed. What a portal may see of an account is
 * what the browser sees (ids, names, emails, status): never tokens, never
 * credential ids. README "Webhooks" documents this shape.
 */
import type { InterviewView } from "@tsunagu/contract";
import type { Selectable } from "kysely";
import { linkStatuses } from "@tsunagu/contract";
import { z } from "zod";
import { interviewViewSchema } from "../openapi/interview-view.ts";
import type { AccountsTable, ConnectionsTable, LinkStatus } from "../store/schema.ts";

export const webhookEventTypes = [
  "account.linked",
  "account.unlinked",
  "account.needs_reauth",
  "connection.linked",
  "connection.unlinked",
  "connection.needs_reauth",
  "interview.scheduled",
  "interview.updated",
  "interview.cancelled",
  "interview.failed",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export type LinkChange = "linked" | "unlinked" | "needs_reauth";

export interface AccountSnapshot {
  id: string;
  provider: string;
  email: string | null;
  displayName: string;
  status: LinkStatus;
}

export interface ConnectionSnapshot {
  id: string;
  provider: string;
  /** Slack team id, Zoom account id, Microsoft tenant id, Workspace domain. */
  externalId: string;
  displayName: string;
  status: LinkStatus;
}

interface EventBase {
  /** Unique per event; the `Tsunagu-Event-Id` header repeats it. Deliveries of one event share it. */
  id: string;
  type: WebhookEventType;
  createdAt: string;
  host: string;
  org: string;
  /** The portal user the account belongs to; for a connection, the admin who connected it. */
  user: string;
  /** Why, in one snake_case word: `linked`, `relinked`, `unlinked_by_user`, `invalid_grant`, `deauthorized`… */
  reason: string | null;
}

/**
 * An interview as the portal's webhooks carry it: the fields of InterviewView copied one by one, so a field the
 * view gains later (a start URL, say) reaches a portal only when it is added here on purpose.
 */
export type InterviewSnapshot = Pick<
  InterviewView,
  | "id"
  | "status"
  | "title"
  | "start"
  | "end"
  | "description"
  | "organiser"
  | "interviewers"
  | "candidate"
  | "timeZone"
  | "conference"
  | "zoom"
  | "joinUrl"
  | "event"
  | "drift"
  | "failure"
  | "createdAt"
  | "updatedAt"
>;

export type InterviewEventBody = EventBase & {
  interview: InterviewSnapshot;
  /** `interview.updated`: the interview before the change, and the top-level fields that changed. */
  before?: InterviewSnapshot;
  changed?: string[];
};

export type WebhookEventBody =
  | (EventBase & { account: AccountSnapshot })
  | (EventBase & { connection: ConnectionSnapshot })
  | InterviewEventBody;

/** The account's fields a webhook needs; `status` is what the row says after the change. */
export type AccountFacts = Pick<
  Selectable<AccountsTable>,
  "id" | "host_id" | "org_id" | "user_id" | "provider" | "email" | "display_name" | "status"
>;
export type ConnectionFacts = Pick<
  Selectable<ConnectionsTable>,
  "id" | "host_id" | "org_id" | "connected_by" | "provider" | "external_id" | "display_name" | "status"
>;

export function accountEventBody(
  id: string,
  createdAt: string,
  change: LinkChange,
  account: AccountFacts,
  reason: string | null,
): WebhookEventBody {
  return {
    id,
    type: `account.${change}`,
    createdAt,
    host: account.host_id,
    org: account.org_id,
    user: account.user_id,
    reason,
    account: {
      id: account.id,
      provider: account.provider,
      email: account.email,
      displayName: account.display_name,
      status: account.status,
    },
  };
}

export function connectionEventBody(
  id: string,
  createdAt: string,
  change: LinkChange,
  connection: ConnectionFacts,
  reason: string | null,
): WebhookEventBody {
  return {
    id,
    type: `connection.${change}`,
    createdAt,
    host: connection.host_id,
    org: connection.org_id,
    user: connection.connected_by,
    reason,
    connection: {
      id: connection.id,
      provider: connection.provider,
      externalId: connection.external_id,
      displayName: connection.display_name,
      status: connection.status,
    },
  };
}

/** ports.ts's InterviewChangeKind, restated: the outbox sits below the interviews folder. */
export type InterviewChangeKind = "scheduled" | "updated" | "cancelled" | "failed";

export function interviewEventBody(
  id: string,
  createdAt: string,
  change: {
    kind: InterviewChangeKind;
    hostId: string;
    orgId: string;
    actorUserId: string;
    interview: InterviewView;
    before?: InterviewView | undefined;
  },
): InterviewEventBody {
  const interview = interviewSnapshot(change.interview);
  const before = change.before && interviewSnapshot(change.before);
  return {
    id,
    type: `interview.${change.kind}`,
    createdAt,
    host: change.hostId,
    org: change.orgId,
    user: change.actorUserId,
    // A failed booking says why in one word (the failure's code); the other changes need no reason.
    reason: change.kind === "failed" ? (change.interview.failure?.code ?? null) : null,
    interview,
    ...(before && { before, changed: changedFields(before, interview) }),
  };
}

export function interviewSnapshot(view: InterviewView): InterviewSnapshot {
  return {
    id: view.id,
    status: view.status,
    title: view.title,
    start: view.start,
    end: view.end,
    description: view.description,
    organiser: person(view.organiser),
    interviewers: view.interviewers.map(person),
    candidate: {
      name: view.candidate.name,
      email: view.candidate.email,
      ...(view.candidate.timeZone && { timeZone: view.candidate.timeZone }),
      ...(view.candidate.language && { language: view.candidate.language }),
    },
    timeZone: view.timeZone,
    conference: view.conference,
    ...(view.zoom && {
      zoom: {
        meetingId: view.zoom.meetingId,
        joinUrl: view.zoom.joinUrl,
        passcode: view.zoom.passcode,
        hostZoomUserId: view.zoom.hostZoomUserId,
      },
    }),
    ...(view.joinUrl && { joinUrl: view.joinUrl }),
    ...(view.event && {
      event: {
        provider: view.event.provider,
        accountId: view.event.accountId,
        eventId: view.event.eventId,
        ...(view.event.webLink && { webLink: view.event.webLink }),
      },
    }),
    drift: view.drift.map((drift) => ({ ...drift })),
    ...(view.failure && { failure: { code: view.failure.code, message: view.failure.message } }),
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}

const person = (who: InterviewView["organiser"]) => ({ userId: who.userId, name: who.name, email: who.email });

/** The snapshot's top-level fields whose value differs (`updatedAt` and `status` aside: they change every time). */
function changedFields(before: InterviewSnapshot, after: InterviewSnapshot): string[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof InterviewSnapshot>;
  return [...fields].filter(
    (field) =>
      field !== "updatedAt" && field !== "status" && JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );
}

const linkStatus = z.enum(linkStatuses);
const eventBase = {
  id: z.string().meta({ description: "Unique per event; the Tsunagu-Event-Id header repeats it." }),
  createdAt: z.string(),
  host: z.string(),
  org: z.string(),
  user: z.string().meta({ description: "The account's owner; for a connection, the admin who connected it." }),
  reason: z.string().nullable(),
};
const accountEvent = (type: `account.${LinkChange}`) =>
  z.object({
    ...eventBase,
    type: z.literal(type),
    account: z.object({
      id: z.string(),
      provider: z.string(),
      email: z.string().nullable(),
      displayName: z.string(),
      status: linkStatus,
    }),
  }) satisfies z.ZodType<WebhookEventBody>;
const connectionEvent = (type: `connection.${LinkChange}`) =>
  z.object({
    ...eventBase,
    type: z.literal(type),
    connection: z.object({
      id: z.string(),
      provider: z.string(),
      externalId: z.string(),
      displayName: z.string(),
      status: linkStatus,
    }),
  }) satisfies z.ZodType<WebhookEventBody>;
const interviewEvent = (type: `interview.${InterviewChangeKind}`) =>
  z.object({
    ...eventBase,
    type: z.literal(type),
    interview: interviewViewSchema,
    before: interviewViewSchema.optional().meta({ description: "interview.updated: the interview before the change." }),
    changed: z
      .array(z.string())
      .optional()
      .meta({ description: "interview.updated: the top-level fields that changed." }),
  }) satisfies z.ZodType<WebhookEventBody>;

/** Each event's body, for the OpenAPI document's `webhooks` (routes/openapi.ts). */
export const webhookDocs = {
  "account.linked": {
    summary: "A portal user linked an account (or linked it again).",
    body: accountEvent("account.linked"),
  },
  "account.unlinked": { summary: "An account was unlinked.", body: accountEvent("account.unlinked") },
  "account.needs_reauth": {
    summary: "An account must be linked again (refresh refused, app removed, tokens revoked).",
    body: accountEvent("account.needs_reauth"),
  },
  "connection.linked": { summary: "An admin connected the organisation.", body: connectionEvent("connection.linked") },
  "connection.unlinked": {
    summary: "The organisation was disconnected.",
    body: connectionEvent("connection.unlinked"),
  },
  "connection.needs_reauth": {
    summary: "The organisation's connection must be made again.",
    body: connectionEvent("connection.needs_reauth"),
  },
  "interview.scheduled": { summary: "An interview was booked.", body: interviewEvent("interview.scheduled") },
  "interview.updated": {
    summary: "An interview was rescheduled, or its participants or Zoom host changed.",
    body: interviewEvent("interview.updated"),
  },
  "interview.cancelled": { summary: "An interview was cancelled.", body: interviewEvent("interview.cancelled") },
  "interview.failed": {
    summary: "Booking an interview failed and was undone (reason: the failure's code).",
    body: interviewEvent("interview.failed"),
  },
} satisfies Record<WebhookEventType, { summary: string; body: z.ZodType<WebhookEventBody> }>;
