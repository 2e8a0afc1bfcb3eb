/**
 * Cancelling an interview (`DELETE /v1/interviews/:id`): the Zoom meeting
 * deleted (HERP Hire leaves it behind), the event deleted with the attendees
 * told (Google `sendUpdates=all`; Outlook tells them itself), the hold
 * released. Idempotent: cancelling a cancelled interview answers it again. A
 * provider that cannot delete now leaves it `cancelling` for a retry (the
 * same request, or the recovery pass).
 */
import type { InterviewView } from "@tsunagu/contract";
import { ApiError } from "../errors.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { stepError } from "./provider-calls.ts";
import { findInterview, interviewView } from "./records.ts";
import { removeEverything, type SagaDeps, steps, tenantOf } from "./saga.ts";

export async function cancelInterview(
  deps: SagaDeps,
  tenant: OrgScope,
  actorUserId: string,
  id: string,
): Promise<InterviewView> {
  const found = await findInterview(deps.db, tenant, id);
  if (!found) throw notFoundInterview();
  if (found.status === "cancelled") return interviewView(deps.db, found);
  const row = await deps.leases.claim(id, ["confirmed", "failed", "cancelling"], {
    status: "cancelling",
    step: steps.cancel,
  });
  if (!row)
    throw new ApiError(409, "interview_busy", "This interview is being booked or changed right now: retry shortly.", {
      headers: { "Retry-After": "2" },
    });
  return finishCancel(deps, row.id, actorUserId);
}

/** Carries a claimed `cancelling` interview through (also the recovery pass's way). */
export async function finishCancel(deps: SagaDeps, id: string, actorUserId: string): Promise<InterviewView> {
  const heartbeat = deps.leases.keep(id);
  try {
    const row = await deps.leases.save(id, {});
    try {
      await removeEverything(deps, row);
    } catch (error) {
      const failure = stepError(error, "cancelling");
      await deps.leases.release(id, {
        failure: JSON.stringify({ code: failure.code, message: failure.message }),
      });
      throw new ApiError(
        failure.status,
        failure.code,
        `${failure.message} The interview stays cancelling; cancel again.`,
        {
          cause: error,
        },
      );
    }
    return await deps.leases.settle(
      id,
      { status: "cancelled", event_created: 0, zoom_hold_id: null, failure: null },
      { kind: "cancelled", tenant: tenantOf(row), actorUserId },
      (_, view) => ({ status: 200, body: view }),
    );
  } finally {
    heartbeat.stop();
  }
}

export const notFoundInterview = () =>
  new ApiError(
    404,
    "interview_not_found",
    "No interview of that id in your organisation: list them with GET /v1/interviews.",
  );
