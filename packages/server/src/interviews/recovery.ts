/**
 * The recovery pass: finishes or undoes what a process left half-way (it
 * crashed, or a provider could not undo at the time). It runs at start-up and
 * then periodically, in every process; an interview is taken only once its
 * lease has lapsed, and by one process (the lease is claimed with a
 * conditional update), so two processes never recover the same interview.
 *
 * - booking, every part made (step `confirm`): confirmed;
 * - booking otherwise: undone (the event, the meeting, found by their stored
 *   ids or markers, and the hold), `failed` with `provider_failed`;
 * - cancelling: cancelled;
 * - updating: the interview's previous time and participants are put back.
 *
 * Why, when nothing failed before: the server stopped (a crash, or another process that lost the database: neither
 * can be told from here), or, when this very process's work was cut off by the database (`Leases.cutOff`), that.
 */
import type { Logger } from "../log.ts";
import { confirmHold } from "../zoom-hosts/holds.ts";
import { finishCancel } from "./cancel.ts";
import { StepError } from "./provider-calls.ts";
import type { InterviewRow } from "./records.ts";
import { checkLateWrite } from "./late-write.ts";
import { type SagaDeps, steps, tenantOf, undoBooking } from "./saga.ts";
import { revertUpdate } from "./update.ts";

const unsettled = ["booking", "updating", "cancelling"];
const interrupted = "The server stopped while booking; whatever had been made was removed. Book again.";
const databaseLost = {
  booking: new StepError(
    424,
    "database_connection_lost",
    "The server could not reach its database while booking; whatever had been made was removed. Book again.",
  ),
  change: new StepError(
    424,
    "database_connection_lost",
    "The server could not reach its database during a change; the interview was left as it was.",
  ),
};

export interface Recovery {
  /** One pass over every interview whose lease lapsed; how many it settled or retried. */
  runOnce(): Promise<number>;
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

export function createRecovery(deps: SagaDeps & { logger: Logger }): Recovery {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;

  async function recoverOne(candidate: InterviewRow): Promise<boolean> {
    const row = await deps.leases.claim(candidate.id, unsettled);
    if (!row) return false;
    const actor = row.created_by;
    const heartbeat = deps.leases.keep(row.id);
    const cutOff = deps.leases.wasCutOff(row.id);
    try {
      if (row.status === "cancelling") await finishCancel(deps, row.id, actor);
      else if (row.status === "updating") {
        // Not put back (a provider refused): the next pass tries again, still knowing why.
        if (!(await revertUpdate(deps, row, cutOff ? databaseLost.change : undefined))) return true;
      } else if (row.step === steps.confirm && row.event_created === 1) await confirmBooking(row);
      else await undoBooking(deps, row.id, bookingFailure(row, cutOff), actor, true);
      deps.leases.forgetCutOff(row.id);
    } catch (error) {
      deps.logger.warn("recovering an interview failed; the next pass tries again", { interviewId: row.id, error });
      await deps.leases.release(row.id);
    } finally {
      heartbeat.stop();
    }
    return true;
  }

  /** Why it failed in the first place when an undo is being retried (its failure is stored first); else the cut-off. */
  function bookingFailure(row: InterviewRow, cutOff: boolean): StepError {
    const earlier = row.failure ? (JSON.parse(row.failure) as { code: string; message: string }) : undefined;
    if (!earlier) return cutOff ? databaseLost.booking : new StepError(424, "provider_failed", interrupted);
    return earlier.code === "provider_failed" || earlier.code === "database_connection_lost"
      ? new StepError(424, earlier.code, earlier.message)
      : new StepError(409, earlier.code as "zoom_host_busy", earlier.message);
  }

  async function confirmBooking(row: InterviewRow): Promise<void> {
    if (row.zoom_hold_id && row.zoom_meeting_id)
      await confirmHold(deps.db, deps.clock, tenantOf(row), row.zoom_hold_id, row.zoom_meeting_id);
    await deps.leases.settle(
      row.id,
      { status: "confirmed", failure: null, pending: null },
      { kind: "scheduled", tenant: tenantOf(row), actorUserId: row.created_by },
      (_, view) => ({ status: 201, body: view }),
    );
  }

  async function pass(): Promise<number> {
    const now = deps.clock.now().toISOString();
    const candidates = await deps.db
      .selectFrom("interviews")
      .selectAll()
      .where("status", "in", unsettled)
      .where((eb) => eb.or([eb("lease_expires_at", "is", null), eb("lease_expires_at", "<=", now)]))
      .orderBy("updated_at")
      .limit(100)
      .execute();
    let count = 0;
    for (const candidate of candidates) if (await recoverOne(candidate)) count++;
    for (const [id, moved] of deps.leases.lateWrites()) if (await checkLateWrite(deps, id, moved)) count++;
    return count;
  }

  const runOnce = () => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    runOnce,
    start(intervalMs) {
      const tick = () =>
        runOnce().catch((error: unknown) => deps.logger.error("the interview recovery pass failed", { error }));
      void tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
