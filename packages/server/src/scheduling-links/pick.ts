/**
 * The candidate's pick, booked exactly as `POST /v1/interviews` books: through
 * the InterviewBooker, as the recruiter who offered the link, under an
 * idempotency key made of the link, the slot and the number of earlier tries
 * that failed, so a repeated submit of the same slot books once and a try
 * after a failure books anew. The link's claim (store.ts) lets one slot at a
 * time be booked; whoever claims it checks the slot is still free first, and
 * a repeated submit of the slot waits ("pending") until that check is over.
 * Two links picked for the same time at once: the later claim gives way to the
 * earlier, which waits for it to, rather than both turning their candidate away.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { InterviewView, OfferedSlot } from "@tsunagu/contract";
import type { BusyTimesDeps } from "../availability/busy-times.ts";
import { ApiError } from "../errors.ts";
import type { BookingInput, InterviewBooker } from "../interviews/ports.ts";
import { freeOfferedSlots, holdsElsewhere, notHeldElsewhere, unheld } from "./free-slots.ts";
import {
  bookingBegun,
  claimLapsed,
  claimSlot,
  findLink,
  markBooked,
  type PickOrder,
  releaseClaim,
  type SchedulingLink,
} from "./store.ts";

export interface PickDeps extends BusyTimesDeps {
  booker: InterviewBooker;
}

export type PickOutcome =
  | { kind: "booked"; interview: InterviewView }
  /** The slot is not (or no longer) offered, is taken, or the booking failed: `free` are the remaining choices. */
  | { kind: "refused"; reason: "taken" | "notOffered" | "failed"; free: OfferedSlot[] }
  /** Another submit is booking this link right now: `pending` is its slot. */
  | { kind: "pending"; pending: string };

/**
 * How long a pick waits for another link's later pick of the same time to give way: that pick gives way as soon as
 * its own check (one calendar round trip) is over, or it books, if it checked before this pick's claim.
 */
export const giveWayPolls = { count: 40, intervalMs: 250 };

export function idempotencyKeyOf(linkId: string, slotStart: string, failedPicks: number): string {
  return `scheduling-link:${linkId}:${slotStart}:${failedPicks}`;
}

export async function pickSlot(deps: PickDeps, link: SchedulingLink, start: string): Promise<PickOutcome> {
  const slot = link.offer.slots.find((offered) => offered.start === start);
  if (!slot || Date.parse(slot.start) <= deps.clock.now().getTime())
    return { kind: "refused", reason: "notOffered", free: await freeOfferedSlots(deps, link) };

  // A claim on another slot left by a process that died: if its booking reached the saga, that booking is settled
  // first (it may have booked); if not, the claim is simply taken over below.
  const lapsed = link.claimedStart;
  if (lapsed && lapsed !== start && claimLapsed(link, deps.clock.now())) {
    if (await bookingBegun(deps.db, link, idempotencyKeyOf(link.id, lapsed, link.failedPicks))) {
      const resumed = await bookClaimed(deps, link, lapsed, link.failedPicks);
      if (resumed.kind !== "refused") return resumed;
    }
  }
  const claimedAt = deps.clock.now();
  const { claim, failedPicks } = await claimSlot(deps.db, link, start, claimedAt);
  if (claim === "refused") {
    const now = await findLink(deps.db, link.tenant, link.id);
    if (now?.interview) return { kind: "booked", interview: now.interview };
    return { kind: "pending", pending: now?.claimedStart ?? start };
  }
  if (claim === "joined") {
    // Another submit holds the claim on this slot and may still be checking that it is free: only once it has
    // begun the booking does this one join it (the booker's idempotency answers the same interview). Booking
    // earlier would race the check, which would then find this very booking in the way.
    if (!(await bookingBegun(deps.db, link, idempotencyKeyOf(link.id, start, failedPicks))))
      return { kind: "pending", pending: start };
    return bookClaimed(deps, link, start, failedPicks);
  }
  // This submit holds the claim: the slot is booked only if it is still free. Other links' picks of the same time
  // claimed later see this claim and give way; this one waits for them to, since one of them may have checked before
  // this claim was made and be booking.
  const order: PickOrder = { claimedAt: claimedAt.toISOString(), linkId: link.id };
  const free = await freeOfferedSlots(deps, link, { overlookPicksAfter: order }).catch(async (error: unknown) => {
    // The calendars could not be checked (CalendarsUnreadableError, say): the claim is let go, nothing booked.
    await releaseClaim(deps.db, link.id, start, failedPicks);
    throw error;
  });
  if (!free.some((offered) => offered.start === start) || !(await laterPicksGaveWay(deps, link, slot, order))) {
    await releaseClaim(deps.db, link.id, start, failedPicks);
    return { kind: "refused", reason: "taken", free: await notHeldElsewhere(deps, link, free) };
  }
  return bookClaimed(deps, link, start, failedPicks);
}

/**
 * The pick that holds the link's live claim, as the page shows it. Its booking may have ended with no request left to
 * say so: its process died and the recovery pass undid it (or finished it), or died after booking and before marking
 * the link. Then it is answered as the pick would have been (the booker's idempotency replays how it ended; nothing is
 * booked again), and the claim is released or the link marked. Otherwise, and while the slot is still being checked
 * (no booking begun), it is pending.
 */
export async function pickUnderWay(
  deps: PickDeps,
  link: SchedulingLink & { claimedStart: string },
): Promise<PickOutcome> {
  const start = link.claimedStart;
  if (!(await bookingBegun(deps.db, link, idempotencyKeyOf(link.id, start, link.failedPicks))))
    return { kind: "pending", pending: start };
  return bookClaimed(deps, link, start, link.failedPicks);
}

/**
 * The pick of a link that expired while it was being booked: claimed before the expiry, it is booked (settled here if
 * its process died before marking the link) or still under way, and the page says so rather than "expired". Undefined
 * when nothing of it is left to wait for: no claim, a claim that lapsed before any booking began, a booking undone.
 */
export async function pickOutlivingExpiry(
  deps: PickDeps,
  link: SchedulingLink,
): Promise<Exclude<PickOutcome, { kind: "refused" }> | undefined> {
  const { claimedStart, claimedAt } = link;
  if (!claimedStart || !claimedAt || Date.parse(claimedAt) > Date.parse(link.expiresAt)) return undefined;
  const outcome = await pickUnderWay(deps, { ...link, claimedStart });
  // Still pending with a lapsed claim: no booking began, and none will.
  if (outcome.kind === "pending" && claimLapsed(link, deps.clock.now())) return undefined;
  return outcome.kind === "refused" ? undefined : outcome;
}

/**
 * Whether the slot's time is (or soon becomes) held by nothing else of the organisation: the database alone. Only
 * picks after this one are waited for; anything else holding the time (a booking, an earlier pick, which does not
 * wait for this one) refuses at once, so two picks never wait for each other.
 */
async function laterPicksGaveWay(
  deps: PickDeps,
  link: SchedulingLink,
  slot: OfferedSlot,
  order: PickOrder,
): Promise<boolean> {
  for (let poll = 0; ; poll++) {
    const holds = await holdsElsewhere(deps, link, [slot]);
    if (unheld([slot], holds).length > 0) return true;
    if (poll === giveWayPolls.count) return false;
    if (unheld([slot], holds, { overlookPicksAfter: order }).length === 0) return false;
    await sleep(giveWayPolls.intervalMs);
  }
}

/** Books the claimed slot; a repeat of the same try answers the first booking (the booker's idempotency). */
async function bookClaimed(
  deps: PickDeps,
  link: SchedulingLink,
  start: string,
  failedPicks: number,
): Promise<PickOutcome> {
  const slot = link.offer.slots.find((offered) => offered.start === start) as OfferedSlot;
  const failed = async (): Promise<PickOutcome> => {
    await releaseClaim(deps.db, link.id, start, failedPicks);
    return { kind: "refused", reason: "failed", free: await freeOfferedSlots(deps, link) };
  };
  let interview: InterviewView;
  try {
    interview = await deps.booker.book(
      { ...link.tenant, userId: link.createdBy, timeZone: link.offer.timeZone, locale: link.offer.locale },
      bookingInput(link, slot),
      { idempotencyKey: idempotencyKeyOf(link.id, start, failedPicks) },
    );
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // Still booking, or being finished by another server process (this one lost the database meanwhile): the
    // booking's outcome is not known here, so the claim stays and the page says the booking is under way.
    if (error.code === "idempotency_in_flight" || error.code === "database_unavailable")
      return { kind: "pending", pending: start };
    // The error itself, which the log writes with its name, message and code.
    deps.logger.warn("scheduling link booking refused", { linkId: link.id, error });
    return failed();
  }
  if (interview.status === "failed") return failed();
  if (interview.status === "booking") return { kind: "pending", pending: start };
  await markBooked(deps.db, link.id, interview, deps.clock.now().toISOString());
  return { kind: "booked", interview };
}

/** What booking `slot` of the link asks the booker for (also what its offer is checked with when it is made). */
export function bookingInput(link: Pick<SchedulingLink, "offer" | "interviewers">, slot: OfferedSlot): BookingInput {
  const { offer } = link;
  return {
    title: offer.title,
    start: new Date(slot.start),
    end: new Date(slot.end),
    interviewers: link.interviewers,
    candidate: offer.candidate,
    description: offer.description ?? undefined,
    calendarAccountId: offer.calendarAccountId,
    zoom: offer.zoom,
    conference: offer.conference,
  };
}
