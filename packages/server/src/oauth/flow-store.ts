/**
 * The `oauth_flows` rows. Every transition is a compare-and-set on the row,
 * so a flow is begun once and its state is claimed by one callback only,
 * across all server processes.
 */
import type { Selectable } from "kysely";
import type { ProviderId, RefusalCode } from "@tsunagu/contract";
import type { DB } from "../store/database.ts";
import type { OAuthFlowsTable } from "../store/schema.ts";
import type { LinkPurpose } from "./provider-link.ts";

export type FlowRow = Selectable<OAuthFlowsTable>;
export type ReturnMode = "popup" | "redirect";

export interface NewFlow {
  id: string;
  hostId: string;
  orgId: string;
  userId: string;
  userEmail: string;
  userRole: string;
  provider: ProviderId;
  purpose: LinkPurpose;
  embedOrigin: string;
  returnMode: ReturnMode;
  returnUrl: string | null;
  /** SHA-256 of the one-time secret begin must carry. */
  beginHash: string;
  /** The starter's language (host token `locale`), for the flow's pages. */
  locale: "ja" | "en" | null;
  createdAt: string;
  expiresAt: string;
}

export async function insertFlow(db: DB, flow: NewFlow): Promise<void> {
  await db
    .insertInto("oauth_flows")
    .values({
      id: flow.id,
      host_id: flow.hostId,
      org_id: flow.orgId,
      user_id: flow.userId,
      user_email: flow.userEmail,
      user_role: flow.userRole,
      provider: flow.provider,
      purpose: flow.purpose,
      embed_origin: flow.embedOrigin,
      return_mode: flow.returnMode,
      return_url: flow.returnUrl,
      code_verifier_key_id: null,
      code_verifier_sealed: null,
      state_hash: null,
      browser_hash: null,
      begin_hash: flow.beginHash,
      locale: flow.locale,
      nonce: null,
      step: null,
      status: "created",
      error_code: null,
      error_message: null,
      result_id: null,
      created_at: flow.createdAt,
      expires_at: flow.expiresAt,
      started_at: null,
      callback_at: null,
      finished_at: null,
    })
    .execute();
}

/** A flow by its id, for the provider whose path it was opened on. */
export async function findFlow(db: DB, provider: string, id: string): Promise<FlowRow | undefined> {
  return db
    .selectFrom("oauth_flows")
    .selectAll()
    .where("id", "=", id)
    .where("provider", "=", provider)
    .executeTakeFirst();
}

/** The flow a caller started, scoped to the caller's tenant and user. */
export async function findOwnFlow(
  db: DB,
  owner: { hostId: string; orgId: string; userId: string },
  id: string,
): Promise<FlowRow | undefined> {
  return db
    .selectFrom("oauth_flows")
    .selectAll()
    .where("id", "=", id)
    .where("host_id", "=", owner.hostId)
    .where("org_id", "=", owner.orgId)
    .where("user_id", "=", owner.userId)
    .executeTakeFirst();
}

/** The flow whose state hashes to `stateHash`, on this provider's callback path only (mix-up defence). */
export async function findFlowByState(db: DB, provider: string, stateHash: string): Promise<FlowRow | undefined> {
  return db
    .selectFrom("oauth_flows")
    .selectAll()
    .where("state_hash", "=", stateHash)
    .where("provider", "=", provider)
    .executeTakeFirst();
}

export interface BeginFields {
  stateHash: string;
  browserHash: string;
  nonce: string;
  codeVerifier: { keyId: string; sealed: string };
  startedAt: string;
}

/** created → started, once. False when the flow was begun before (or is gone). */
export async function markBegun(db: DB, id: string, fields: BeginFields): Promise<boolean> {
  const result = await db
    .updateTable("oauth_flows")
    .set({
      status: "started",
      state_hash: fields.stateHash,
      browser_hash: fields.browserHash,
      nonce: fields.nonce,
      code_verifier_key_id: fields.codeVerifier.keyId,
      code_verifier_sealed: fields.codeVerifier.sealed,
      started_at: fields.startedAt,
    })
    .where("id", "=", id)
    .where("status", "=", "created")
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export interface ContinueFields {
  step: string;
  stateHash: string;
  nonce: string;
  codeVerifier: { keyId: string; sealed: string };
}

/**
 * A flow whose adapter asked for one more stop at the provider: the state
 * claimed at `claimedAt` is replaced by a new one and the claim released.
 * False when the flow moved on meanwhile.
 */
export async function markContinued(db: DB, id: string, claimedAt: string, fields: ContinueFields): Promise<boolean> {
  const result = await db
    .updateTable("oauth_flows")
    .set({
      step: fields.step,
      state_hash: fields.stateHash,
      nonce: fields.nonce,
      code_verifier_key_id: fields.codeVerifier.keyId,
      code_verifier_sealed: fields.codeVerifier.sealed,
      callback_at: null,
    })
    .where("id", "=", id)
    .where("status", "=", "started")
    .where("callback_at", "=", claimedAt)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The one-time claim of a flow's state by a callback. False when another callback claimed it first. */
export async function claimCallback(db: DB, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable("oauth_flows")
    .set({ callback_at: at })
    .where("id", "=", id)
    .where("status", "=", "started")
    .where("callback_at", "is", null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** Ends a flow; the sealed verifier is dropped, it is of no use any more. */
export async function finishFlow(
  db: DB,
  id: string,
  end: {
    status: "done" | "failed";
    error: { code: RefusalCode; message: string } | null;
    resultId: string | null;
    at: string;
  },
): Promise<void> {
  await db
    .updateTable("oauth_flows")
    .set({
      status: end.status,
      error_code: end.error?.code ?? null,
      error_message: end.error?.message ?? null,
      result_id: end.resultId,
      finished_at: end.at,
      code_verifier_key_id: null,
      code_verifier_sealed: null,
    })
    .where("id", "=", id)
    .execute();
}

/** Flows that expired before `before` are of no further use; returns how many went. */
export async function deleteExpiredFlows(db: DB, before: string): Promise<number> {
  const result = await db.deleteFrom("oauth_flows").where("expires_at", "<", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
