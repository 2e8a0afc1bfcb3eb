/**
 * The delivery worker: sends due outbox rows to their host's webhook URL,
 * signed, and retries failures with exponential backoff up to a maximum
 * number of attempts (README "Webhooks", "Retries").
 *
 * Every server process may run one. A row is claimed with a compare-and-swap
 * on its claim columns before it is sent, so two processes never send the same
 * attempt; a claim that outlives a crashed worker expires and the row is sent
 * again (delivery is at least once: receivers de-duplicate on the event id).
 * While a send is under way its claim is renewed, so a slow one (a Slack notice
 * waiting out rate limits) is not taken by another process meanwhile.
 *
 * The running worker never stops on an error: a failed pass (the database
 * unavailable, say) is logged and the next one starts after `pollMs`.
 *
 * Stopping it (a shutdown) claims no further batch and gives the sends under
 * way `stopGraceMs` to end; those still waiting then are abandoned (their rows'
 * claims released, no attempt counted, so any process sends them again at
 * once). A portal (or Slack) that hangs would otherwise hold the shutdown for
 * its timeout per batch, past the shutdown's own 10 s limit.
 *
 * The same claims, retries and pruning carry other outbox rows than the
 * portal's webhooks: each `OutboxSender` sends the row types it names (the
 * interviewers' Slack notices, notices/slack-sender.ts). A worker claims only
 * the types it can send.
 */
import { randomUUID } from "node:crypto";
import type { ExpressionBuilder } from "kysely";
import type { HostRegistry } from "../auth/host-registry.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { isDatabaseUnavailable } from "../store/availability.ts";
import type { DB } from "../store/database.ts";
import { type Heartbeat, heartbeat } from "../store/heartbeat.ts";
import type { Database, OutboxStatus } from "../store/schema.ts";
import { webhookEventTypes } from "./events.ts";
import { eventIdHeader, eventTypeHeader, signatureHeader, signatureValue } from "./signature.ts";

export interface DeliveryPolicy {
  /** Attempts in all, the first included; then the row is `failed`. */
  maxAttempts: number;
  /** Wait after the first failed attempt; doubled after each further one. */
  firstRetryMs: number;
  maxRetryMs: number;
  /** How long a receiver has to answer. */
  timeoutMs: number;
  batchSize: number;
  /** How long a claim holds unrenewed; longer than `timeoutMs`. Renewed every third of it while a send is under way. */
  claimMs: number;
  /** Pause between passes of the running worker. */
  pollMs: number;
  /** Finished rows (delivered, failed, skipped) are deleted after this long. */
  retentionMs: number;
  /** How long `stop` lets the sends under way finish before abandoning them. */
  stopGraceMs: number;
}

/** 12 attempts over about 14.5 hours: 30 s, 1, 2, 4 … 256 min, then 6 h. */
export const defaultDeliveryPolicy: DeliveryPolicy = {
  maxAttempts: 12,
  firstRetryMs: 30_000,
  maxRetryMs: 6 * 3600_000,
  timeoutMs: 10_000,
  batchSize: 25,
  claimMs: 60_000,
  pollMs: 2_000,
  retentionMs: 14 * 24 * 3600_000,
  stopGraceMs: 3_000,
};

export interface WebhookDeliveryDeps {
  db: DB;
  clock: Clock;
  logger: Logger;
  hosts: HostRegistry;
  fetch?: typeof fetch;
  policy?: Partial<DeliveryPolicy>;
  /** Senders of the outbox's other row types. */
  senders?: readonly OutboxSender[];
}

/** One claimed outbox row, as a sender gets it. */
export interface OutboxRow {
  id: string;
  host_id: string;
  org_id: string;
  type: string;
  payload: string;
  attempts: number;
}

/**
 * What one attempt came to: `retry` is tried again after the backoff (and is `failed` after the last attempt);
 * `failed` and `skipped` are final. `error` is recorded on the row: a short reason, never a secret.
 */
export type SendOutcome =
  | { status: "delivered" }
  | { status: "failed" | "skipped"; error: string }
  /** `retryAfterMs`: the provider's Retry-After, when it asked for longer than the backoff; not tried before it. */
  | { status: "retry"; error: string; retryAfterMs?: number | undefined };

/** Sends the outbox rows of `types` (other than the portal's webhooks) through this worker's claims and retries. */
export interface OutboxSender {
  types: readonly string[];
  send(row: OutboxRow): Promise<SendOutcome>;
}

export interface DeliveryReport {
  delivered: number;
  retrying: number;
  failed: number;
  skipped: number;
}

export interface WebhookDelivery {
  /** One pass: sends everything due now, batch after batch. */
  deliverDue(): Promise<DeliveryReport>;
  /** Runs passes until `stop`. */
  start(): void;
  /** Stops the worker: no further batch; sends still waiting after the grace are abandoned (their rows untouched). */
  stop(): Promise<void>;
}

type ClaimedRow = OutboxRow & { sequence_key: string | null };

type AttemptResult =
  | { status: Exclude<OutboxStatus, "pending">; error: string | null }
  | { status: "retrying"; error: string; retryAfterMs?: number | undefined }
  /** The worker was stopped while the portal (or Slack) had not answered: the row is left as it was, for any worker. */
  | { status: "abandoned" };

/** The pending rows of the outer row's sequence (`webhook_outbox`) written before it, or after it. */
function pendingOfSequence(
  selectFrom: ExpressionBuilder<Database, "webhook_outbox">["selectFrom"],
  which: "earlier" | "later",
) {
  return selectFrom(`webhook_outbox as ${which}`)
    .select(`${which}.id`)
    .whereRef(`${which}.sequence_key`, "=", "webhook_outbox.sequence_key")
    .where(`${which}.status`, "=", "pending")
    .whereRef(`${which}.sequence_no`, which === "earlier" ? "<" : ">", "webhook_outbox.sequence_no");
}

/** Wait before the next attempt, after `attempts` failed ones. */
export function retryDelayMs(policy: Pick<DeliveryPolicy, "firstRetryMs" | "maxRetryMs">, attempts: number): number {
  return Math.min(policy.firstRetryMs * 2 ** Math.max(0, attempts - 1), policy.maxRetryMs);
}

export function createWebhookDelivery(deps: WebhookDeliveryDeps): WebhookDelivery {
  const policy = { ...defaultDeliveryPolicy, ...deps.policy };
  const { db, clock, logger, hosts } = deps;
  const send = deps.fetch ?? globalThis.fetch;
  const workerId = randomUUID();
  const senders = new Map<string, OutboxSender>();
  for (const sender of deps.senders ?? []) for (const type of sender.types) senders.set(type, sender);
  const claimableTypes = [...webhookEventTypes, ...senders.keys()];
  /** Set by `stop`: no further batch is claimed. */
  let halting = false;
  /** Aborted by `stop` after its grace: the sends still under way end at once. */
  let stopping = new AbortController();

  /**
   * A row of a sequence that failed and waits to try again (not due yet) while a later row of its sequence is
   * pending is `skipped` (`superseded`): sent after the later one it would tell what is no longer so ("scheduled"
   * after "cancelled"), and held back before it, it would hold up what is so now for as long as its backoff. A row
   * being sent (claimed) is left. Answers how many rows were skipped.
   */
  async function supersede(): Promise<number> {
    const now = clock.now().toISOString();
    const result = await db
      .updateTable("webhook_outbox")
      .set({ status: "skipped", last_error: "superseded", next_attempt_at: now, finished_at: now })
      .where("status", "=", "pending")
      .where("sequence_key", "is not", null)
      .where("attempts", ">", 0)
      .where("next_attempt_at", ">", now)
      .where("type", "in", claimableTypes)
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", now)]))
      .where(({ exists, selectFrom }) => exists(pendingOfSequence(selectFrom, "later")))
      .executeTakeFirst();
    const skipped = Number(result.numUpdatedRows);
    if (skipped > 0) logger.info("outbox rows superseded by later ones of their sequence", { skipped });
    return skipped;
  }

  /**
   * `due`: how many rows were due (claimed by us or, racing, by another worker). Of a sequence only its first
   * pending row is due: the next waits until it is sent (or given up, or superseded).
   */
  async function claimBatch(): Promise<{ due: number; claimed: ClaimedRow[] }> {
    const now = clock.now().toISOString();
    const due = await db
      .selectFrom("webhook_outbox")
      .select("id")
      .where("status", "=", "pending")
      .where("type", "in", claimableTypes)
      .where("next_attempt_at", "<=", now)
      .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", now)]))
      .where(({ eb, or, not, exists, selectFrom }) =>
        or([eb("sequence_key", "is", null), not(exists(pendingOfSequence(selectFrom, "earlier")))]),
      )
      .orderBy("created_at")
      .orderBy("id")
      .limit(policy.batchSize)
      .execute();
    const lockedUntil = new Date(clock.now().getTime() + policy.claimMs).toISOString();
    const claimed: string[] = [];
    for (const { id } of due) {
      const result = await db
        .updateTable("webhook_outbox")
        .set({ locked_by: workerId, locked_until: lockedUntil })
        .where("id", "=", id)
        .where("status", "=", "pending")
        .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<=", now)]))
        .executeTakeFirst();
      if (result.numUpdatedRows === 1n) claimed.push(id);
    }
    if (claimed.length === 0) return { due: due.length, claimed: [] };
    const rows = await db
      .selectFrom("webhook_outbox")
      .select(["id", "host_id", "org_id", "type", "payload", "attempts", "sequence_key"])
      .where("id", "in", claimed)
      .where("locked_by", "=", workerId)
      .execute();
    return { due: due.length, claimed: rows };
  }

  async function attempt(row: ClaimedRow): Promise<AttemptResult> {
    const sender = senders.get(row.type);
    if (sender) return attemptWith(sender, row);
    const webhook = hosts.get(row.host_id)?.webhook;
    if (!webhook) return { status: "skipped", error: "the host has no webhookUrl" };
    const timestamp = Math.floor(clock.now().getTime() / 1000);
    let failure: string;
    const cancel = cancelAfter(policy.timeoutMs);
    try {
      const response = await send(webhook.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "Tsunagu-Webhooks/1",
          [eventIdHeader]: row.id,
          [eventTypeHeader]: row.type,
          [signatureHeader]: signatureValue(webhook.hmacHex, timestamp, row.payload),
        },
        body: row.payload,
        // A redirect is a misconfiguration to report, not something to follow with a signed body.
        redirect: "manual",
        signal: cancel.signal,
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { status: "delivered", error: null };
      failure = `HTTP ${response.status}`;
    } catch (error) {
      if (stopping.signal.aborted) return { status: "abandoned" };
      // Only the error's kind: a message could quote the URL, which may carry the portal's own secret.
      const cause = (error as { cause?: { code?: unknown } }).cause?.code;
      failure = `${(error as Error).name}${typeof cause === "string" ? ` ${cause}` : ""}`;
    } finally {
      cancel.done();
    }
    return row.attempts + 1 >= policy.maxAttempts
      ? { status: "failed", error: failure }
      : { status: "retrying", error: failure };
  }

  /**
   * One signal for a send: aborted after `ms` (a TimeoutError) or when `stop` abandons the sends under way. Not
   * `AbortSignal.any([AbortSignal.timeout(ms), …])`: Node holds a timeout signal weakly, and one that only the
   * combined signal refers to is collected by the next garbage collection and never fires, so a portal that kept the
   * connection open held the send, and the worker's pass with every row behind it, for as long as it liked. Here the
   * timer itself holds the controller.
   */
  function cancelAfter(ms: number): { signal: AbortSignal; done(): void } {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, "TimeoutError")), ms);
    const stop = () => controller.abort(stopping.signal.reason);
    if (stopping.signal.aborted) stop();
    else stopping.signal.addEventListener("abort", stop, { once: true });
    return {
      signal: controller.signal,
      done() {
        clearTimeout(timer);
        stopping.signal.removeEventListener("abort", stop);
      },
    };
  }

  /** A sender's outcome as the row's next state; a sender that throws is a failed attempt, retried like any other. */
  async function attemptWith(sender: OutboxSender, row: ClaimedRow): Promise<AttemptResult> {
    let outcome: SendOutcome;
    try {
      const sent = await unlessStopped(sender.send(row));
      if (sent === "abandoned") return { status: "abandoned" };
      outcome = sent;
    } catch (error) {
      logger.error("outbox sender failed; will retry", { event: row.id, type: row.type, error });
      outcome = { status: "retry", error: (error as Error).name };
    }
    if (outcome.status === "delivered") return { status: "delivered", error: null };
    if (outcome.status !== "retry") return { status: outcome.status, error: outcome.error };
    if (row.attempts + 1 >= policy.maxAttempts) return { status: "failed", error: outcome.error };
    return { status: "retrying", error: outcome.error, retryAfterMs: outcome.retryAfterMs };
  }

  /** A sender takes no signal: past the stop's grace its send is left to end with the process, as a portal's is. */
  async function unlessStopped<T>(sending: Promise<T>): Promise<T | "abandoned"> {
    const signal = stopping.signal;
    let abandon: () => void = () => undefined;
    const abandoned = new Promise<"abandoned">((resolve) => {
      abandon = () => resolve("abandoned");
    });
    if (signal.aborted) abandon();
    else signal.addEventListener("abort", abandon, { once: true });
    try {
      return await Promise.race([sending, abandoned]);
    } finally {
      signal.removeEventListener("abort", abandon);
    }
  }

  async function record(row: ClaimedRow, result: AttemptResult): Promise<void> {
    if (result.status === "abandoned") {
      await db
        .updateTable("webhook_outbox")
        .set({ locked_by: null, locked_until: null })
        .where("id", "=", row.id)
        .where("locked_by", "=", workerId)
        .execute();
      return;
    }
    const now = clock.now();
    const attempts = result.status === "skipped" ? row.attempts : row.attempts + 1;
    const finished = result.status !== "retrying";
    // A rate limit's Retry-After longer than the backoff: trying before it would only be refused again.
    const retryAfterMs = (result.status === "retrying" && result.retryAfterMs) || 0;
    await db
      .updateTable("webhook_outbox")
      .set({
        status: result.status === "retrying" ? "pending" : result.status,
        attempts,
        last_error: result.error,
        next_attempt_at: finished
          ? now.toISOString()
          : new Date(now.getTime() + Math.max(retryDelayMs(policy, attempts), retryAfterMs)).toISOString(),
        finished_at: finished ? now.toISOString() : null,
        locked_by: null,
        locked_until: null,
      })
      .where("id", "=", row.id)
      .where("locked_by", "=", workerId)
      .execute();
    if (result.status === "failed")
      logger.warn(senders.has(row.type) ? "notice given up" : "webhook given up after its last attempt", {
        host: row.host_id,
        event: row.id,
        type: row.type,
        attempts,
        lastError: result.error,
      });
    else if (result.status === "retrying")
      logger.info(senders.has(row.type) ? "notice not sent; will retry" : "webhook delivery failed; will retry", {
        host: row.host_id,
        event: row.id,
        attempts,
        lastError: result.error,
      });
  }

  /**
   * Renews the row's claim every third of `claimMs` while its send is under way. A Slack send is not bounded by
   * `timeoutMs`: the provider client waits out Retry-After and retries each of its two calls, which can take longer
   * than the claim; a lapsed claim let another process (or this one's next pass) send the notice a second time.
   * A renewal that fails (the database unavailable) is left: the claim then lapses and the row is sent again, at
   * least once as ever.
   */
  function keepClaimed(row: ClaimedRow): Heartbeat {
    return heartbeat(Math.max(1, Math.floor(policy.claimMs / 3)), async () => {
      await db
        .updateTable("webhook_outbox")
        .set({ locked_until: new Date(clock.now().getTime() + policy.claimMs).toISOString() })
        .where("id", "=", row.id)
        .where("status", "=", "pending")
        .where("locked_by", "=", workerId)
        .execute()
        .catch((error: unknown) => logger.warn("outbox claim not renewed", { event: row.id, error }));
      return undefined;
    });
  }

  async function prune(): Promise<void> {
    const before = new Date(clock.now().getTime() - policy.retentionMs).toISOString();
    await db.deleteFrom("webhook_outbox").where("status", "<>", "pending").where("finished_at", "<", before).execute();
  }

  async function deliverDue(): Promise<DeliveryReport> {
    const report: DeliveryReport = { delivered: 0, retrying: 0, failed: 0, skipped: 0 };
    for (;;) {
      report.skipped += await supersede();
      const batch = await claimBatch();
      /** A row of a sequence ended: the sequence's next row, if any, is due now rather than at the next pass. */
      let sequenceMoved = false;
      await Promise.all(
        batch.claimed.map(async (row) => {
          const claim = keepClaimed(row);
          const result = await attempt(row).finally(() => claim.stop());
          await record(row, result);
          if (result.status !== "abandoned") report[result.status] += 1;
          if (row.sequence_key !== null && result.status !== "abandoned" && result.status !== "retrying")
            sequenceMoved = true;
        }),
      );
      if (halting || (batch.due < policy.batchSize && !sequenceMoved)) break;
    }
    await prune();
    return report;
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let pass: Promise<void> | undefined;
  let stopped = true;
  /** Passes failed in a row: a database outage is logged when it starts and when it ends, not every pass. */
  let failedPasses = 0;
  const tick = () => {
    pass = deliverDue()
      .then(() => {
        if (failedPasses > 0) logger.info("webhook delivery resumed", { failedPasses });
        failedPasses = 0;
      })
      .catch((error: unknown) => {
        failedPasses += 1;
        // A row claimed before the failure is sent again once its claim expires (at least once).
        if (!isDatabaseUnavailable(error)) logger.error("webhook delivery pass failed; will retry", { error });
        else if (failedPasses === 1)
          logger.warn("webhook delivery paused: the database is unavailable; retrying", {
            error,
            retryMs: policy.pollMs,
          });
      })
      .finally(() => {
        pass = undefined;
        if (!stopped) timer = setTimeout(tick, policy.pollMs);
      });
  };

  return {
    deliverDue,
    start() {
      if (!stopped) return;
      stopped = false;
      halting = false;
      stopping = new AbortController();
      timer = setTimeout(tick, 0);
    },
    async stop() {
      stopped = true;
      halting = true;
      clearTimeout(timer);
      const grace = setTimeout(() => stopping.abort(), policy.stopGraceMs);
      await pass;
      clearTimeout(grace);
    },
  };
}
