/**
 * Host picking, pure: the Zoom users that could host an interview, each with
 * its limit, its load over the interview and whether it can host, and the
 * one to use when the recruiter does not choose. Facts in (who links which
 * Zoom user, their meetings and holds), ranked hosts out; no I/O and no clock.
 */
import type { CannotHostReason } from "@tsunagu/contract";
import { concurrencyLimit, exceedsBasicTimeLimit, type ZoomPlan } from "./limits.ts";
import { type Interval, peakConcurrency } from "./overlap.ts";

/** Why a Zoom user cannot host (the contract's list, in order): the first that applies is given. */
export type { CannotHostReason };

export interface HostFacts {
  zoomUserId: string;
  displayName: string;
  /** Linked by one of the interview's participants (rather than shared in the organisation). */
  participantOwned: boolean;
  userType: number | undefined;
  /** No link to this Zoom user works any more: someone must link it again. */
  needsReauth: boolean;
  /** Its meetings and our holds; undefined when Zoom could not list its meetings. */
  busy: Interval[] | undefined;
  /** The admin's override for this Zoom user, if any. */
  limitOverride: number | undefined;
}

export interface Candidate {
  zoomUserId: string;
  displayName: string;
  participantOwned: boolean;
  limit: number;
  /** The most meetings (Zoom's and our holds) running at one instant of the interval. */
  load: number;
  canHost: boolean;
  reason?: CannotHostReason;
}

export type PickBasis = "participant_free" | "shared_least_loaded";

export interface Pick {
  zoomUserId: string;
  displayName: string;
  basis: PickBasis;
  load: number;
  limit: number;
}

/** Participants' own Zoom users first (in the order given), then the shared ones, least loaded first. */
export function rankHosts(hosts: readonly HostFacts[], range: Interval, plan: ZoomPlan | null): Candidate[] {
  const candidates = hosts.map((host) => candidateOf(host, range, plan));
  const owned = candidates.filter((candidate) => candidate.participantOwned);
  const shared = candidates
    .map((candidate, order) => ({ candidate, order }))
    .filter(({ candidate }) => !candidate.participantOwned)
    .sort(
      (a, b) =>
        Number(b.candidate.canHost) - Number(a.candidate.canHost) ||
        a.candidate.load - b.candidate.load ||
        a.order - b.order,
    )
    .map(({ candidate }) => candidate);
  return [...owned, ...shared];
}

/** The first participant-owned host that can host; else the least-loaded shared host that can; else none. */
export function pickHost(candidates: readonly Candidate[]): Pick | null {
  const owned = candidates.find((candidate) => candidate.participantOwned && candidate.canHost);
  if (owned) return pickOf(owned, "participant_free");
  let best: Candidate | undefined;
  for (const candidate of candidates) {
    if (candidate.participantOwned || !candidate.canHost) continue;
    if (!best || candidate.load < best.load) best = candidate;
  }
  return best ? pickOf(best, "shared_least_loaded") : null;
}

function candidateOf(host: HostFacts, range: Interval, plan: ZoomPlan | null): Candidate {
  const limit = concurrencyLimit({ userType: host.userType, plan, override: host.limitOverride });
  const load = host.busy ? peakConcurrency(host.busy, range) : 0;
  const reason = host.needsReauth
    ? "needs_reauth"
    : exceedsBasicTimeLimit(host.userType, range.end - range.start)
      ? "basic_user_time_limit"
      : host.busy === undefined
        ? "zoom_unavailable"
        : load + 1 > limit
          ? "busy"
          : undefined;
  return {
    zoomUserId: host.zoomUserId,
    displayName: host.displayName,
    participantOwned: host.participantOwned,
    limit,
    load,
    canHost: reason === undefined,
    ...(reason ? { reason } : {}),
  };
}

function pickOf(candidate: Candidate, basis: PickBasis): Pick {
  return {
    zoomUserId: candidate.zoomUserId,
    displayName: candidate.displayName,
    basis,
    load: candidate.load,
    limit: candidate.limit,
  };
}
