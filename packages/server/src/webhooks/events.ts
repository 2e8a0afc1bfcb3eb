/**
 * The webhooks Tsunagu sends to a portal: one JSON shape per event, built
 * from the rows whose state changed. What a portal may see of an account is
 * what the browser sees (ids, names, emails, status): never tokens, never
 * credential ids. README "Webhooks" documents this shape.
 */
import type { Selectable } from "kysely";
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
