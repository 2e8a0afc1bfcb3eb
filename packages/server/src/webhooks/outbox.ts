/**
 * The outbox: each webhook is a row written with the state change it reports,
 * on the same connection (inside the caller's transaction when there is one),
 * so an event is never lost to a crash between the two and never sent for a
 * change that rolled back. The delivery worker (./delivery.ts) sends the rows.
 *
 * Rows are written for every host; a host without a webhook URL has its rows
 * marked `skipped` by the worker. The emission points then need nothing but
 * the database, and a host that adds a URL later does not receive a backlog.
 */
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import {
  type AccountFacts,
  accountEventBody,
  type ConnectionFacts,
  connectionEventBody,
  type InterviewChangeKind,
  interviewEventBody,
  type LinkChange,
  type WebhookEventBody,
} from "./events.ts";

export async function emitAccountEvent(
  db: DB,
  clock: Clock,
  change: LinkChange,
  account: AccountFacts,
  reason: string | null,
): Promise<string> {
  return enqueue(db, (id, createdAt) => accountEventBody(id, createdAt, change, account, reason), clock);
}

export async function emitConnectionEvent(
  db: DB,
  clock: Clock,
  change: LinkChange,
  connection: ConnectionFacts,
  reason: string | null,
): Promise<string> {
  return enqueue(db, (id, createdAt) => connectionEventBody(id, createdAt, change, connection, reason), clock);
}

/** Queues `interview.<kind>` for the portal; `db` is the transaction that settles the change. */
export async function emitInterviewEvent(
  db: DB,
  clock: Clock,
  change: Parameters<typeof interviewEventBody>[2] & { kind: InterviewChangeKind },
): Promise<string> {
  return enqueue(db, (id, createdAt) => interviewEventBody(id, createdAt, change), clock);
}

/** Reads the account or connection as it now stands and emits its event; nothing when the row is gone. */
export async function emitOwnerEvent(
  db: DB,
  clock: Clock,
  owner: OrgScope & { kind: "account" | "connection"; id: string },
  change: LinkChange,
  reason: string | null,
): Promise<void> {
  if (owner.kind === "account") {
    const account = await db
      .selectFrom("accounts")
      .selectAll()
      .where("id", "=", owner.id)
      .where("host_id", "=", owner.hostId)
      .where("org_id", "=", owner.orgId)
      .executeTakeFirst();
    if (account) await emitAccountEvent(db, clock, change, account, reason);
    return;
  }
  const connection = await db
    .selectFrom("connections")
    .selectAll()
    .where("id", "=", owner.id)
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .executeTakeFirst();
  if (connection) await emitConnectionEvent(db, clock, change, connection, reason);
}

async function enqueue(
  db: DB,
  build: (id: string, createdAt: string) => WebhookEventBody,
  clock: Clock,
): Promise<string> {
  const id = `evt_${randomUUID()}`;
  const createdAt = clock.now().toISOString();
  const body = build(id, createdAt);
  await insertOutboxRow(db, { id, hostId: body.host, orgId: body.org, type: body.type, payload: body, createdAt });
  return id;
}

/**
 * One pending row, due at once: a webhook, or another sender's row (delivery.ts `OutboxSender`). With `sequenceKey`,
 * the row goes last in that sequence: it is sent after the sequence's rows written before it (delivery.ts). The
 * writers of one sequence must not write at the same time (an interview's changes hold its lease while they run).
 */
export async function insertOutboxRow(
  db: DB,
  row: {
    id: string;
    hostId: string;
    orgId: string;
    type: string;
    payload: unknown;
    createdAt: string;
    sequenceKey?: string;
  },
): Promise<void> {
  const key = row.sequenceKey;
  await db
    .insertInto("webhook_outbox")
    .values({
      id: row.id,
      host_id: row.hostId,
      org_id: row.orgId,
      type: row.type,
      payload: JSON.stringify(row.payload),
      status: "pending",
      attempts: 0,
      next_attempt_at: row.createdAt,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: row.createdAt,
      finished_at: null,
      sequence_key: key ?? null,
      sequence_no:
        key === undefined
          ? null
          : sql<number>`(select coalesce(max(sequence_no), 0) + 1 from webhook_outbox where sequence_key = ${key})`,
    })
    .execute();
}
