/**
 * `Idempotency-Key` for bookings. The key row and the interview row are
 * inserted in one transaction, and the key's primary key (host, org, user,
 * key) lets only one of any number of simultaneous requests in, on SQLite
 * and PostgreSQL alike; the others read what won. Same key and body: the
 * first answer once settled, 409 `idempotency_in_flight` while it runs.
 * Another body: 422 `idempotency_key_reused`.
 */
import { createHash } from "node:crypto";
import type { InterviewView } from "@tsunagu/contract";
import type { Insertable } from "kysely";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import type { DB } from "../store/database.ts";
import type { InterviewsTable } from "../store/schema.ts";
import type { UserScope } from "../store/tenancy.ts";

/** A stable digest of the validated request (keys in a fixed order). */
export function requestHash(request: unknown): string {
  return createHash("sha256").update(stableJson(request)).digest("hex");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export interface KeyClaim {
  key: string;
  hash: string;
}

/** What an earlier request with the key says; undefined when the key is new. Throws the 409 or 422. */
export async function replayOf(db: DB, owner: UserScope, claim: KeyClaim): Promise<InterviewView | undefined> {
  const row = await db
    .selectFrom("interview_idempotency_keys")
    .selectAll()
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .where("key", "=", claim.key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== claim.hash)
    throw new ApiError(
      422,
      "idempotency_key_reused",
      "This Idempotency-Key was used with another request body: use a new key for a new booking.",
    );
  if (row.response_status === null || row.response_body === null)
    throw new ApiError(
      409,
      "idempotency_in_flight",
      "The first request with this Idempotency-Key is still booking: retry in a moment.",
      {
        headers: { "Retry-After": "1" },
      },
    );
  const body = JSON.parse(row.response_body) as { error?: { code: string; message: string } } & InterviewView;
  if (body.error)
    throw new ApiError(row.response_status as 400, body.error.code as "provider_failed", body.error.message, {
      details: { interviewId: row.interview_id },
    });
  return body;
}

/**
 * Inserts the interview with its key; false when another request with the same key got in first (then `replayOf`
 * says what to answer).
 */
export async function insertWithKey(
  db: DB,
  clock: Clock,
  owner: UserScope,
  claim: KeyClaim | undefined,
  interview: Insertable<InterviewsTable>,
): Promise<boolean> {
  try {
    await db.transaction().execute(async (trx) => {
      if (claim)
        await trx
          .insertInto("interview_idempotency_keys")
          .values({
            host_id: owner.hostId,
            org_id: owner.orgId,
            user_id: owner.userId,
            key: claim.key,
            request_hash: claim.hash,
            interview_id: interview.id,
            response_status: null,
            response_body: null,
            created_at: clock.now().toISOString(),
          })
          .execute();
      await trx.insertInto("interviews").values(interview).execute();
    });
    return true;
  } catch (error) {
    // The unique key refused it (each database words that differently): whoever won is there to read.
    if (claim && (await keyTaken(db, owner, claim.key))) return false;
    throw error;
  }
}

async function keyTaken(db: DB, owner: UserScope, key: string): Promise<boolean> {
  const row = await db
    .selectFrom("interview_idempotency_keys")
    .select("key")
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .where("key", "=", key)
    .executeTakeFirst();
  return row !== undefined;
}
