/**
 * The webhooks Tsunagu sends to a portal: one JSON shape per event, built
 * from the rows whose state changed. What a portal may see of an account is
 * what the browser sees (ids, names, emails, status): never tokens, never
 * credential ids. README "Webhooks" documents this shape.
 */
import type { Selectable } from "kysely";
import { linkStatuses } from "@tsunagu/contract";
import { z } from "zod";
import type { AccountsTable, ConnectionsTable, LinkStatus } from "../store/schema.ts";

export const webhookEventTypes = [
  "account.linked",
  "account.unlinked",
  "account.needs_reauth",
  "connection.linked",
  "connection.unlinked",
  "connection.needs_reauth",
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

export type WebhookEventBody =
  | (EventBase & { account: AccountSnapshot })
  | (EventBase & { connection: ConnectionSnapshot });

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
} satisfies Record<WebhookEventType, { summary: string; body: z.ZodType<WebhookEventBody> }>;
