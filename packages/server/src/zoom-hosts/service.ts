/**
 * Zoom host picking, holds and host changes for one organisation: gathers the
 * facts (linked Zoom users, Zoom's upcoming meetings through the cache, our
 * live holds, the admin's settings) and hands them to the pure core
 * (picking.ts, overlap.ts); holds are written by holds.ts under its lock.
 */
import type { TokenRefresher } from "../accounts/refresh.ts";
import type { Clock } from "../clock.ts";
import { ApiError, conflict, notFound } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { LinkAdapters } from "../oauth/provider-link.ts";
import { ProviderError } from "../providers/errors.ts";
import type { ZoomApi, ZoomClient } from "../providers/zoom.ts";
import type { DB } from "../store/database.ts";
import type { OrgScope } from "../store/tenancy.ts";
import { TokenRefreshError } from "../accounts/refresh.ts";
import {
  busyIntervals,
  type HoldRow,
  liveHoldsOfOrg,
  moveHold,
  placeHold,
  settleHold,
  type ZoomMeetingInterval,
} from "./holds.ts";
import { concurrencyLimit } from "./limits.ts";
import type { Interval } from "./overlap.ts";
import { type Candidate, type HostFacts, pickHost, rankHosts } from "./picking.ts";
import { pickReason, type ReasonLanguage } from "./pick-reason.ts";
import { readZoomHostSettings } from "./settings.ts";
import { type UpcomingAnswer, UpcomingMeetingsCache } from "./upcoming-cache.ts";
import { type LinkedZoomUser, linkedZoomUsers, withZoomUserGrant } from "./zoom-users.ts";

export interface ZoomHostsDeps {
  db: DB;
  clock: Clock;
  logger: Logger;
  refresher: TokenRefresher;
  adapters: LinkAdapters;
  zoom: ZoomClient;
  cache?: UpcomingMeetingsCache;
}

export interface CandidatesQuery {
  start: Date;
  end: Date;
  /** Portal user ids of the interview's participants. */
  participants: string[];
  /** Ask Zoom again instead of using a recent answer. */
  refresh: boolean;
  language: ReasonLanguage;
  /** Left out of the answer (the Zoom user whose meetings must move). */
  excludeZoomUserId?: string;
  /** Left out of the answer too: hosts a booking already found without room. */
  passOver?: readonly string[];
  /**
   * Count Zoom's meetings only from recent answers in hand, without asking Zoom (a booking's automatic pick: the
   * picked host's meetings are read beside making its meeting, and counted under the hold's lock then).
   */
  zoomLater?: boolean;
  /**
   * The Zoom meeting and hold of the interview being changed (`interviewId`): not counted against its host, so the
   * interview can keep its time. By id, exactly: Zoom lists meetings with their ids, and holds are ours.
   */
  leaveOut?: OwnZoomMeeting | undefined;
}

/** An interview's own Zoom meeting and the hold it stands on (either may be missing). */
export interface OwnZoomMeeting {
  holdId: string | null;
  meetingId: string | null;
}

export interface CandidatesAnswer {
  candidates: Candidate[];
  pick: { zoomUserId: string; reason: string; basis: string } | null;
}

export interface HoldInput {
  zoomUserId: string;
  start: Date;
  end: Date;
  createdBy: string;
  /** The hold's id, chosen and stored by the caller before placing it (a booking saga's crash-safe key). */
  id?: string;
  /** Ask Zoom for the user's meetings again rather than use a recent answer. */
  refresh?: boolean;
  /**
   * Count Zoom's meetings only when a recent answer is in hand, rather than wait for Zoom: the caller reads them
   * beside making the meeting (`upcoming`) and counts them against the hold then (`settle`).
   */
  zoomLater?: boolean;
}

export interface SettleInput {
  zoomUserId: string;
  /** The meeting made on the hold. */
  meetingId: string;
  /** Zoom's upcoming meetings of the user, read afresh (`upcoming`). */
  zoomMeetings: readonly ZoomMeetingInterval[];
}

export type ZoomHosts = ReturnType<typeof createZoomHosts>;

export function createZoomHosts(deps: ZoomHostsDeps) {
  const cache = deps.cache ?? new UpcomingMeetingsCache(deps.clock);

  const keyOf = (tenant: OrgScope, user: LinkedZoomUser) =>
    JSON.stringify([tenant.hostId, tenant.orgId, user.zoomUserId]);

  /** Zoom's upcoming meetings of one Zoom user, through the cache. */
  async function upcomingOf(tenant: OrgScope, user: LinkedZoomUser, refresh: boolean): Promise<UpcomingAnswer> {
    return cache.get(
      keyOf(tenant, user),
      async () => {
        const meetings = await withZoomUserGrant(deps, tenant, user, (api) => api.listUpcoming(user.zoomUserId));
        if (!meetings) return { kind: "needs_reauth" };
        return {
          kind: "meetings",
          meetings: meetings.map((meeting) => ({
            meetingId: meeting.id,
            start: meeting.start.getTime(),
            end: meeting.start.getTime() + meeting.durationMinutes * 60_000,
          })),
        };
      },
      { refresh },
    );
  }

  /** The facts about one Zoom user over a range; Zoom's trouble leaves its meetings unknown rather than failing
   * everything. `zoomLater`: only a recent answer in hand counts, Zoom is not asked (none: our holds alone). */
  async function factsOf(
    tenant: OrgScope,
    user: LinkedZoomUser,
    holds: HoldRow[],
    participantOwned: boolean,
    limits: Record<string, number>,
    refresh: boolean,
    zoomLater = false,
    leaveOutMeetingId: string | null = null,
  ): Promise<HostFacts & { zoomMeetings: ZoomMeetingInterval[] }> {
    const base = {
      zoomUserId: user.zoomUserId,
      displayName: user.displayName,
      participantOwned,
      userType: user.userType,
      limitOverride: limits[user.zoomUserId],
    };
    const own = holds.filter((hold) => hold.zoom_user_id === user.zoomUserId);
    if (user.activeAccounts.length === 0)
      return { ...base, needsReauth: true, busy: busyIntervals(own, []), zoomMeetings: [] };
    let answer: UpcomingAnswer | undefined;
    if (zoomLater) {
      answer = cache.peek(keyOf(tenant, user)) ?? { kind: "meetings", meetings: [] };
    } else
      try {
        answer = await upcomingOf(tenant, user, refresh);
      } catch (error) {
        if (!(error instanceof ProviderError || error instanceof TokenRefreshError)) throw error;
        deps.logger.warn("Zoom could not list a Zoom user's upcoming meetings", {
          zoomUserId: user.zoomUserId,
          error,
        });
      }
    if (answer?.kind === "needs_reauth")
      return { ...base, needsReauth: true, busy: busyIntervals(own, []), zoomMeetings: [] };
    if (!answer) return { ...base, needsReauth: false, busy: undefined, zoomMeetings: [] };
    const meetings = leaveOutMeetingId
      ? answer.meetings.filter((meeting) => meeting.meetingId !== leaveOutMeetingId)
      : answer.meetings;
    return { ...base, needsReauth: false, busy: busyIntervals(own, meetings), zoomMeetings: meetings };
  }

  async function candidates(tenant: OrgScope, query: CandidatesQuery): Promise<CandidatesAnswer> {
    const range = rangeOf(query.start, query.end);
    // One round of reads: the organisation's holds are read beside the linked Zoom users, not after them.
    const [users, settings, orgHolds] = await Promise.all([
      linkedZoomUsers(deps.db, tenant),
      readZoomHostSettings(deps.db, tenant),
      liveHoldsOfOrg(deps.db, tenant, query.start, query.end, deps.clock.now()),
    ]);
    for (const left of [query.excludeZoomUserId, ...(query.passOver ?? [])]) if (left) users.delete(left);
    const owned = (user: LinkedZoomUser) =>
      query.participants.some((participant) => user.portalUserIds.includes(participant));
    // Participants' own Zoom users in the order the participants were given, then everyone else's.
    const ordered = [
      ...query.participants.flatMap((participant) =>
        [...users.values()].filter((user) => user.portalUserIds.includes(participant)),
      ),
      ...[...users.values()].filter((user) => !owned(user)),
    ].filter((user, index, all) => all.indexOf(user) === index);
    const leaveOut = query.leaveOut;
    const ownHold = (hold: HoldRow) =>
      leaveOut !== undefined &&
      (hold.id === leaveOut.holdId || (leaveOut.meetingId !== null && hold.meeting_id === leaveOut.meetingId));
    const holds = orgHolds.filter((hold) => users.has(hold.zoom_user_id) && !ownHold(hold));
    const facts = await Promise.all(
      ordered.map((user) =>
        factsOf(
          tenant,
          user,
          holds,
          owned(user),
          settings.limits,
          query.refresh,
          query.zoomLater,
          leaveOut?.meetingId ?? null,
        ),
      ),
    );
    const ranked = rankHosts(facts, range, settings.plan);
    const pick = pickHost(ranked);
    return {
      candidates: ranked,
      pick: pick && { zoomUserId: pick.zoomUserId, reason: pickReason(pick, query.language), basis: pick.basis },
    };
  }

  /** Moves a hold (and so its Zoom user's time) to another interval; 409 `zoom_host_busy` when it does not fit. */
  async function move(tenant: OrgScope, holdId: string, input: Omit<HoldInput, "createdBy" | "id">): Promise<HoldRow> {
    const [users, settings] = await Promise.all([
      linkedZoomUsers(deps.db, tenant),
      readZoomHostSettings(deps.db, tenant),
    ]);
    const user = users.get(input.zoomUserId);
    if (!user) throw notFound("zoom_host_not_found", "No Zoom user of that id is linked in this organisation.");
    const facts = await factsOf(tenant, user, [], false, settings.limits, input.refresh ?? false);
    const [candidate] = rankHosts([facts], rangeOf(input.start, input.end), settings.plan);
    const limit = candidate?.limit ?? 1;
    const outcome = await moveHold(deps.db, deps.clock, tenant, holdId, {
      zoomUserId: user.zoomUserId,
      start: input.start,
      end: input.end,
      limit,
      zoomMeetings: facts.zoomMeetings,
    });
    if (!outcome.placed)
      throw conflict("zoom_host_busy", `${user.displayName} has no room at the new time (may run ${limit} at once).`, {
        zoomUserId: user.zoomUserId,
        limit,
        load: outcome.load,
      });
    return outcome.hold;
  }

  async function hold(tenant: OrgScope, input: HoldInput): Promise<HoldRow> {
    const range = rangeOf(input.start, input.end);
    const [users, settings] = await Promise.all([
      linkedZoomUsers(deps.db, tenant),
      readZoomHostSettings(deps.db, tenant),
    ]);
    const user = users.get(input.zoomUserId);
    if (!user) throw notFound("zoom_host_not_found", "No Zoom user of that id is linked in this organisation.");
    const facts = await factsOf(tenant, user, [], false, settings.limits, input.refresh ?? false, input.zoomLater);
    const [candidate] = rankHosts([facts], range, settings.plan);
    if (!candidate) throw notFound("zoom_host_not_found", "No Zoom user of that id is linked in this organisation.");
    if (candidate.reason === "zoom_unavailable")
      throw new ApiError(
        503,
        "provider_unavailable",
        "Zoom could not list this Zoom user's meetings. Try again in a moment.",
        { headers: { "Retry-After": "5" } },
      );
    if (candidate.reason && candidate.reason !== "busy") {
      throw conflict("zoom_host_unavailable", unavailableMessage(candidate.reason), {
        zoomUserId: user.zoomUserId,
        reason: candidate.reason,
      });
    }
    const outcome = await placeHold(deps.db, deps.clock, tenant, {
      zoomUserId: user.zoomUserId,
      start: input.start,
      end: input.end,
      limit: candidate.limit,
      zoomMeetings: facts.zoomMeetings,
      createdBy: input.createdBy,
      ...(input.id && { id: input.id }),
    });
    if (!outcome.placed) {
      throw conflict(
        "zoom_host_busy",
        `${user.displayName} already runs ${outcome.load} meeting(s) at some moment of that time, and may run ` +
          `${candidate.limit} at once.`,
        {
          zoomUserId: user.zoomUserId,
          limit: candidate.limit,
          load: outcome.load,
        },
      );
    }
    return outcome.hold;
  }

  /**
   * Zoom's upcoming meetings of one linked Zoom user, asked afresh (and kept for the others asking); 409
   * `zoom_host_unavailable` when no link to it works. Zoom's own failures are thrown as they are.
   */
  async function upcoming(tenant: OrgScope, zoomUserId: string): Promise<ZoomMeetingInterval[]> {
    const user = (await linkedZoomUsers(deps.db, tenant)).get(zoomUserId);
    if (!user) throw notFound("zoom_host_not_found", "No Zoom user of that id is linked in this organisation.");
    const answer = user.activeAccounts.length > 0 ? await upcomingOf(tenant, user, true) : undefined;
    if (answer?.kind !== "meetings")
      throw conflict("zoom_host_unavailable", unavailableMessage("needs_reauth"), {
        zoomUserId,
        reason: "needs_reauth",
      });
    return answer.meetings;
  }

  /**
   * Counts Zoom's fresh answer against a hold placed with `zoomLater` once its meeting is made (holds.ts,
   * `settleHold`); 409 `zoom_host_busy` when the Zoom user has no room after all.
   */
  async function settle(tenant: OrgScope, holdId: string, input: SettleInput): Promise<HoldRow> {
    const [users, settings] = await Promise.all([
      linkedZoomUsers(deps.db, tenant),
      readZoomHostSettings(deps.db, tenant),
    ]);
    const user = users.get(input.zoomUserId);
    if (!user) throw notFound("zoom_host_not_found", "No Zoom user of that id is linked in this organisation.");
    const limit = concurrencyLimit({
      userType: user.userType,
      plan: settings.plan,
      override: settings.limits[user.zoomUserId],
    });
    const outcome = await settleHold(deps.db, deps.clock, tenant, holdId, { ...input, limit });
    if (!outcome.placed)
      throw conflict(
        "zoom_host_busy",
        outcome.load === 0
          ? "The Zoom host's hold lapsed before its meeting was made."
          : `${user.displayName} already runs ${outcome.load} meeting(s) at some moment of that time, and may run ` +
              `${limit} at once.`,
        { zoomUserId: user.zoomUserId, limit, load: outcome.load },
      );
    return outcome.hold;
  }

  /** The Zoom users other than `zoomUserId` free to host a meeting at its time (the unlink guard's details). */
  async function moveTargets(
    tenant: OrgScope,
    zoomUserId: string,
    meeting: { start: string; end: string },
  ): Promise<Array<{ zoomUserId: string; displayName: string }>> {
    const answer = await candidates(tenant, {
      start: new Date(meeting.start),
      end: new Date(meeting.end),
      participants: [],
      refresh: false,
      language: "en",
      excludeZoomUserId: zoomUserId,
    });
    return answer.candidates
      .filter((candidate) => candidate.canHost)
      .map(({ zoomUserId: id, displayName }) => ({ zoomUserId: id, displayName }));
  }

  return {
    candidates,
    hold,
    move,
    upcoming,
    settle,
    moveTargets,
    linkedUsers: (tenant: OrgScope) => linkedZoomUsers(deps.db, tenant),
    withGrant: withZoomUserGrantFor(deps),
  };
}

function withZoomUserGrantFor(deps: ZoomHostsDeps) {
  return <T>(
    tenant: OrgScope,
    user: LinkedZoomUser,
    call: (api: ZoomApi) => Promise<T>,
    accepted?: (result: T) => boolean,
  ) => withZoomUserGrant(deps, tenant, user, call, accepted);
}

function rangeOf(start: Date, end: Date): Interval {
  return { start: start.getTime(), end: end.getTime() };
}

function unavailableMessage(reason: string): string {
  if (reason === "needs_reauth") return "Every link to this Zoom user must be linked again before it can host.";
  if (reason === "basic_user_time_limit")
    return "This Zoom user is a Basic user: Zoom ends its meetings after 40 minutes.";
  return "This Zoom user cannot host now.";
}
