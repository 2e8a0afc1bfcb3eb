/**
 * The candidate's pick, booked exactly as `POST /v1/interviews` books: through
 * the InterviewBooker, as the recruiter who offered the link, under an
 * idempotency key made of the link and the slot, so a repeated submit of the
 * same slot books once. The link's claim (store.ts) lets one slot at a time be
 * booked; whoever claims it checks the slot is still free first.
 */
import type { InterviewView, OfferedSlot } from "@tsunagu/contract";
import type { BusyTimesDeps } from "../availability/busy-times.ts";
import { ApiError } from "../errors.ts";
import type { BookingInput, InterviewBooker } from "../interviews/ports.ts";
import { freeOfferedSlots } from "./free-slots.ts";
import { claimLapsed, claimSlot, findLink, markBooked, releaseClaim, type SchedulingLink } from "./store.ts";

export interface PickDeps extends BusyTimesDeps {
  booker: InterviewBooker;
}

export type PickOutcome =
  | { kind: "booked"; interview: InterviewView }
  /** The slot is not (or no longer) offered, is taken, or the booking failed: `free` are the remaining choices. */
  | { kind: "refused"; reason: "taken" | "notOffered" | "failed"; free: OfferedSlot[] }
  /** Another submit is booking this link right now: `pending` is its slot. */
  | { kind: "pending"; pending: string };

export function idempotencyKeyOf(linkId: string, slotStart: string): string {
  return `scheduling-link:${linkId}:${slotStart}`;
}

export async function pickSlot(deps: PickDeps, link: SchedulingLink, start: string): Promise<PickOutcome> {
  const slot = link.offer.slots.find((offered) => offered.start === start);
  if (!slot || Date.parse(slot.start) <= deps.clock.now().getTime())
    return { kind: "refused", reason: "notOffered", free: await freeOfferedSlots(deps, link) };

  // A claim on another slot left by a process that died is finished first: it may have booked already.
  if (link.claimedStart && link.claimedStart !== start && claimLapsed(link, deps.clock.now())) {
    const resumed = await bookClaimed(deps, link, link.claimedStart);
    if (resumed.kind !== "refused") return resumed;
  }
  const claim = await claimSlot(deps.db, link, start, deps.clock.now());
  if (claim === "refused") {
    const now = await findLink(deps.db, link.tenant, link.id);
    if (now?.interview) return { kind: "booked", interview: now.interview };
    return { kind: "pending", pending: now?.claimedStart ?? start };
  }
  if (claim === "claimed") {
    // This submit holds the claim: the slot is booked only if it is still free.
    const free = await freeOfferedSlots(deps, link);
    if (!free.some((offered) => offered.start === start)) {
      await releaseClaim(deps.db, link.id, start);
      return { kind: "refused", reason: "taken", free };
    }
  }
  return bookClaimed(deps, link, start);
}

/** Books the claimed slot; a repeat of the same slot answers the first booking (the booker's idempotency). */
async function bookClaimed(deps: PickDeps, link: SchedulingLink, start: string): Promise<PickOutcome> {
  const slot = link.offer.slots.find((offered) => offered.start === start) as OfferedSlot;
  let interview: InterviewView;
  try {
    interview = await deps.booker.book(
      { ...link.tenant, userId: link.createdBy, timeZone: link.offer.timeZone, locale: link.offer.locale },
      bookingInput(link, slot),
      { idempotencyKey: idempotencyKeyOf(link.id, start) },
    );
  } catch (error) {
    if (error instanceof ApiError && error.code === "idempotency_in_flight") return { kind: "pending", pending: start };
    if (!(error instanceof ApiError)) throw error;
    deps.logger.warn("scheduling link booking refused", { linkId: link.id, code: error.code });
    await releaseClaim(deps.db, link.id, start);
    return { kind: "refused", reason: "failed", free: await freeOfferedSlots(deps, link) };
  }
  if (interview.status === "failed") {
    await releaseClaim(deps.db, link.id, start);
    return { kind: "refused", reason: "failed", free: await freeOfferedSlots(deps, link) };
  }
  if (interview.status === "booking") return { kind: "pending", pending: start };
  await markBooked(deps.db, link.id, interview, deps.clock.now().toISOString());
  return { kind: "booked", interview };
}

function bookingInput(link: SchedulingLink, slot: OfferedSlot): BookingInput {
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
