/**
 * `InterviewBooker` (ports.ts): checks a booking against what the server
 * knows (the organiser's calendar account, the interviewers' addresses, a
 * Zoom host that can run it), records it with its Idempotency-Key, and runs
 * the saga (saga.ts). Refusals found before anything is made are 4xx
 * ApiErrors; a failed step is undone and answered with its StepError's code.
 */
import { randomUUID } from "node:crypto";
import type { InterviewPerson, InterviewView } from "@tsunagu/contract";
import { type AccountRow, findOwnAccount, listOwnAccounts } from "../accounts/store.ts";
import { ApiError } from "../errors.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { exceedsBasicTimeLimit } from "../zoom-hosts/limits.ts";
import { reasonLanguage } from "../zoom-hosts/pick-reason.ts";
import type { ZoomHosts } from "../zoom-hosts/service.ts";
import { insertWithKey, replayOf, requestHash } from "./idempotency.ts";
import type { BookingActor, BookingInput, BookingOptions, InterviewBooker } from "./ports.ts";
import { StepError } from "./provider-calls.ts";
import { LeaseLostError, processHolder, takenOver } from "./records.ts";
import { type AutomaticPick, runBooking, type SagaDeps, steps } from "./saga.ts";
import { readInterviewSettings } from "./settings.ts";

const calendarProviders = ["google", "microsoft"];

export function createBooker(deps: SagaDeps): InterviewBooker {
  return {
    async book(actor: BookingActor, input: BookingInput, options: BookingOptions = {}): Promise<InterviewView> {
      const owner = { hostId: actor.hostId, orgId: actor.orgId, userId: actor.userId };
      const claim = options.idempotencyKey ? { key: options.idempotencyKey, hash: requestHash(input) } : undefined;
      if (claim) {
        const replay = await replayOf(deps.db, owner, claim);
        if (replay) return replay;
      }
      const { account, interviewers } = await bookable(deps, actor, input);
      const host = input.zoom ? await zoomHost(deps, actor, input) : null;
      const hostZoomUserId = host?.zoomUserId ?? null;
      const settings = await readInterviewSettings(deps.db, actor);
      const now = deps.clock.now().toISOString();
      const id = randomUUID();
      const row = {
        id,
        host_id: actor.hostId,
        org_id: actor.orgId,
        organiser_user_id: actor.userId,
        status: "booking",
        step: hostZoomUserId ? steps.hold : steps.event,
        title: input.title,
        description: input.description ?? null,
        starts_at: input.start.toISOString(),
        ends_at: input.end.toISOString(),
        time_zone: actor.timeZone,
        interviewers: JSON.stringify(interviewers),
        candidate: JSON.stringify(input.candidate),
        conference: hostZoomUserId ? "zoom" : (input.conference ?? null),
        calendar_provider: account.provider,
        calendar_account_id: account.id,
        event_id: null,
        event_web_link: null,
        join_url: null,
        zoom_host_user_id: hostZoomUserId,
        zoom_hold_id: null,
        zoom_meeting_id: null,
        zoom_join_url: null,
        zoom_passcode: null,
        pending: null,
        failure: null,
        lease_holder: processHolder,
        lease_expires_at: deps.leases.expiry(),
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      };
      if (!(await insertWithKey(deps.db, deps.clock, owner, claim, row))) {
        const replay = claim && (await replayOf(deps.db, owner, claim));
        if (replay) return replay;
        throw new ApiError(
          409,
          "idempotency_in_flight",
          "The first request with this key is still booking: retry shortly.",
        );
      }
      const inserted = await deps.leases.save(id, {});
      try {
        return await runBooking(
          deps,
          inserted,
          { waitingRoom: settings.waitingRoom, ...(host?.pick && { pick: host.pick }) },
          actor.userId,
        );
      } catch (error) {
        if (error instanceof StepError)
          throw new ApiError(error.status, error.code, error.message, { cause: error, details: { interviewId: id } });
        if (error instanceof LeaseLostError) throw takenOver(error);
        throw error;
      }
    },

    async check(actor: BookingActor, input: BookingInput): Promise<void> {
      await bookable(deps, actor, input);
      if (!input.zoom) return;
      if (!deps.zoom) throw zoomNotConfigured();
      if (input.zoom.hostZoomUserId) {
        await checkChosenHost(deps.zoom, actor, input.zoom.hostZoomUserId, input.start, input.end);
        return;
      }
      const length = input.end.getTime() - input.start.getTime();
      const hosts = [...(await deps.zoom.linkedUsers(actor)).values()];
      if (!hosts.some((user) => user.activeAccounts.length > 0 && !exceedsBasicTimeLimit(user.userType, length)))
        throw new ApiError(
          409,
          "zoom_host_unavailable",
          "No linked Zoom user can host this interview (none is linked and usable, or only Basic users for a " +
            "meeting this long): link a Zoom user, or offer it without zoom.",
        );
    },
  };
}

/** What every booking of `input` is made with: refused (as `book` refuses) when it could not be made at any time. */
async function bookable(
  deps: SagaDeps,
  actor: BookingActor,
  input: BookingInput,
): Promise<{ account: AccountRow; interviewers: InterviewPerson[] }> {
  const account = await calendarAccount(deps, actor, input);
  checkConference(input, account);
  return { account, interviewers: await knownInterviewers(deps.db, actor, input.interviewers) };
}

function zoomNotConfigured(): ApiError {
  return new ApiError(409, "zoom_host_unavailable", "Zoom is not configured on this server: book without zoom.");
}

/** The chosen calendar account (the organiser's own), or their default Google, else Outlook, account. */
async function calendarAccount(deps: SagaDeps, actor: BookingActor, input: BookingInput): Promise<AccountRow> {
  const owner = { hostId: actor.hostId, orgId: actor.orgId, userId: actor.userId };
  let account: AccountRow | undefined;
  if (input.calendarAccountId) {
    account = await findOwnAccount(deps.db, owner, input.calendarAccountId);
    if (!account || !calendarProviders.includes(account.provider))
      throw new ApiError(
        400,
        "calendar_account_missing",
        "calendarAccountId is not one of your Google or Outlook accounts: pick one from GET /v1/accounts.",
      );
  } else {
    const accounts = (await listOwnAccounts(deps.db, owner)).filter(
      (candidate) => calendarProviders.includes(candidate.provider) && candidate.status !== "revoked",
    );
    account =
      accounts.find((candidate) => candidate.provider === "google" && candidate.is_default === 1) ??
      accounts.find((candidate) => candidate.is_default === 1) ??
      accounts[0];
    if (!account)
      throw new ApiError(
        409,
        "calendar_account_missing",
        "You have no Google or Outlook calendar linked: link one, then book again.",
      );
  }
  if (account.status !== "active")
    throw new ApiError(409, "calendar_needs_reauth", "Your calendar account must be linked again before booking.");
  return account;
}

function checkConference(input: BookingInput, account: AccountRow): void {
  if (input.zoom && input.conference)
    throw new ApiError(400, "invalid_body", "Ask for Zoom or for a conference (Meet, Teams), not both.");
  if (input.conference === "google_meet" && account.provider !== "google")
    throw new ApiError(400, "invalid_body", "A Google Meet needs a Google calendar account as organiser's calendar.");
  if (input.conference === "microsoft_teams" && account.provider !== "microsoft")
    throw new ApiError(
      400,
      "invalid_body",
      "A Teams meeting needs an Outlook calendar account as organiser's calendar.",
    );
}

/** The interviewers as the server last saw them sign in (their address is what the event invites). */
export async function knownInterviewers(db: DB, tenant: OrgScope, userIds: string[]): Promise<InterviewPerson[]> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return [];
  const rows = await db
    .selectFrom("users")
    .select(["user_id", "name", "email"])
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("user_id", "in", unique)
    .execute();
  const unknown = unique.filter((userId) => !rows.some((row) => row.user_id === userId));
  if (unknown.length > 0)
    throw new ApiError(
      400,
      "interviewer_unknown",
      `Tsunagu has not seen ${unknown.join(", ")} yet: each interviewer must open the portal once so their address ` +
        "is known.",
    );
  return unique.map((userId) => {
    const row = rows.find((candidate) => candidate.user_id === userId);
    return { userId, name: row?.name ?? null, email: row?.email ?? null };
  });
}

/**
 * The chosen host, or the Zoom hosts' auto-pick for the interviewers and the organiser, made from our holds and the
 * answers of Zoom's in hand without asking Zoom (the saga reads the picked host's meetings beside making its meeting,
 * and passes on to the next host when they leave no room: `pick`, what it picks again with).
 */
async function zoomHost(
  deps: SagaDeps,
  actor: BookingActor,
  input: BookingInput,
): Promise<{ zoomUserId: string; pick?: AutomaticPick }> {
  if (!deps.zoom) throw zoomNotConfigured();
  if (input.zoom?.hostZoomUserId)
    return { zoomUserId: await checkChosenHost(deps.zoom, actor, input.zoom.hostZoomUserId, input.start, input.end) };
  const pick: AutomaticPick = {
    participants: [...input.interviewers, actor.userId],
    language: reasonLanguage(actor.locale),
  };
  const answer = await deps.zoom.candidates(actor, {
    start: input.start,
    end: input.end,
    ...pick,
    refresh: false,
    zoomLater: true,
  });
  if (!answer.pick)
    throw new ApiError(
      409,
      "zoom_host_unavailable",
      "No linked Zoom user can host at that time: choose another time, or link another Zoom user.",
    );
  return { zoomUserId: answer.pick.zoomUserId, pick };
}

/**
 * A host the caller chose, refused before anything is recorded (409 `zoom_host_unavailable`) when it is not linked
 * in the organisation, every link to it must be linked again (no grant could hold it or make its meeting), or it is
 * a Basic user and the interview is longer than a Basic user's meetings may be. Whether it has room then is the hold
 * step's to say (`zoom_host_busy`), under the hold's lock.
 */
export async function checkChosenHost(
  zoom: ZoomHosts,
  tenant: OrgScope,
  zoomUserId: string,
  start: Date,
  end: Date,
): Promise<string> {
  const user = (await zoom.linkedUsers(tenant)).get(zoomUserId);
  const refuse = (why: string) =>
    new ApiError(409, "zoom_host_unavailable", `${why} Choose another host (GET /v1/zoom/hosts lists them).`);
  if (!user) throw refuse(`The Zoom user ${zoomUserId} is not linked in this organisation.`);
  if (user.activeAccounts.length === 0)
    throw refuse(`Every link to the Zoom user ${zoomUserId} must be linked again before it can host.`);
  if (exceedsBasicTimeLimit(user.userType, end.getTime() - start.getTime()))
    throw refuse(`The Zoom user ${zoomUserId} is a Basic user and cannot run a meeting this long.`);
  return zoomUserId;
}
