/**
 * Which offered slots are still free, asked when the page is shown and again
 * when a slot is picked: the interviewers' calendars through the availability
 * service (one provider round trip for all of them), the organisation's
 * interviews that share an interviewer (booked or being booked: the saga's
 * record exists before the event reaches any calendar), and the picks of its
 * other links. A slot already begun is no longer offered. Never silently
 * free: while an interviewer's calendar cannot be read (the provider down, a
 * link to make again), no slot is offered or booked (CalendarsUnreadableError),
 * and the link notes it for the recruiter until the calendars read again.
 */
import type { OfferedSlot } from "@tsunagu/contract";
import type { BusyTimesDeps } from "../availability/busy-times.ts";
import { findAvailability } from "../availability/service.ts";
import { listInterviews } from "../interviews/records.ts";
import type { InterviewPerson } from "@tsunagu/contract";
import {
  clearBlocked,
  markBlocked,
  otherLinksPicks,
  type PickOrder,
  pickedBefore,
  type SchedulingLink,
} from "./store.ts";

/** Interviews in these statuses hold their interviewers' time. */
const holdingStatuses = new Set(["booking", "confirmed", "updating"]);
/** More interviews than an organisation books over a link's range in practice. */
const interviewsConsidered = 1000;

export interface FreeSlotsOptions {
  /**
   * Other links' picks claimed after this one are left out: they give way to this pick (pick.ts), so two candidates
   * picking the same time through two links at once do not both turn away.
   */
  overlookPicksAfter?: PickOrder | undefined;
}

/** An interviewer's calendar could not be read: which slots are free is not known (the page says to try again). */
export class CalendarsUnreadableError extends Error {
  override readonly name = "CalendarsUnreadableError";
  constructor(readonly userIds: string[]) {
    super(`the calendars of ${userIds.length} interviewer(s) could not be read`);
  }
}

export async function freeOfferedSlots(
  deps: BusyTimesDeps,
  link: SchedulingLink,
  options: FreeSlotsOptions = {},
): Promise<OfferedSlot[]> {
  const now = deps.clock.now();
  const upcoming = link.offer.slots.filter((slot) => Date.parse(slot.start) > now.getTime());
  const first = upcoming[0];
  const last = upcoming.at(-1);
  if (!first || !last) {
    // Nothing left to offer, so no calendar to read: nothing blocks the candidate either.
    if (link.blocked) await clearBlocked(deps.db, link.id);
    return [];
  }
  const [availability, notHeld] = await Promise.all([
    findAvailability(deps, link.tenant, {
      participants: link.interviewers,
      start: new Date(first.start),
      end: new Date(last.end),
      durationMinutes: link.offer.durationMinutes,
      stepMinutes: link.offer.durationMinutes,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      timeZone: "UTC",
    }),
    notHeldElsewhere(deps, link, upcoming, options),
  ]);
  const unread = availability.people.filter((person) => person.status === "unconfirmed").map((person) => person.id);
  // Noted on the link for the recruiter's view (GET /v1/scheduling-links/:id, `blocked`), cleared once all are read.
  if (unread.length > 0) {
    // Written when it changes, not at every visit of a page that stays blocked.
    const noted = link.blocked?.interviewers;
    if (!noted || noted.join("\n") !== unread.join("\n")) await markBlocked(deps.db, link.id, unread, now);
    throw new CalendarsUnreadableError(unread);
  }
  if (link.blocked) await clearBlocked(deps.db, link.id);
  const busy = availability.people.flatMap((person) =>
    person.busy.map((interval) => ({ start: Date.parse(interval.start), end: Date.parse(interval.end) })),
  );
  return notHeld.filter((slot) => !overlapsAny(slot, busy));
}

/**
 * `slots` without those the organisation holds for one of the link's interviewers: its interviews booked or being
 * booked, and its other links' picks. The database alone, no provider round trip.
 */
export async function notHeldElsewhere(
  deps: BusyTimesDeps,
  link: SchedulingLink,
  slots: OfferedSlot[],
  options: FreeSlotsOptions = {},
): Promise<OfferedSlot[]> {
  return unheld(slots, await holdsElsewhere(deps, link, slots), options);
}

/** A time the organisation holds for one of a link's interviewers; `pick`: another link's pick being booked. */
export interface Hold {
  start: number;
  end: number;
  pick?: PickOrder | undefined;
}

/** What the organisation holds over `slots` for one of the link's interviewers (read once, for `unheld`). */
export async function holdsElsewhere(deps: BusyTimesDeps, link: SchedulingLink, slots: OfferedSlot[]): Promise<Hold[]> {
  const first = slots[0];
  const last = slots.at(-1);
  if (!first || !last) return [];
  const [picks, interviews] = await Promise.all([
    otherLinksPicks(deps.db, link.tenant, link.id, first.start, last.end, deps.clock.now()),
    listInterviews(deps.db, link.tenant, {
      from: new Date(first.start),
      to: new Date(last.end),
      limit: interviewsConsidered,
    }),
  ]);
  const booked = interviews
    .filter((row) => holdingStatuses.has(row.status))
    .map((row) => ({
      start: Date.parse(row.starts_at),
      end: Date.parse(row.ends_at),
      interviewers: (JSON.parse(row.interviewers) as InterviewPerson[]).map((person) => person.userId),
    }));
  return [...picks, ...booked].filter((hold) => hold.interviewers.some((id) => link.interviewers.includes(id)));
}

/** `slots` that none of `holds` overlaps; picks claimed after `overlookPicksAfter` left out (they give way to it). */
export function unheld(slots: OfferedSlot[], holds: Hold[], options: FreeSlotsOptions = {}): OfferedSlot[] {
  const after = options.overlookPicksAfter;
  const counted = after ? holds.filter((hold) => !(hold.pick && pickedBefore(after, hold.pick))) : holds;
  return slots.filter((slot) => !overlapsAny(slot, counted));
}

function overlapsAny(slot: OfferedSlot, intervals: Array<{ start: number; end: number }>): boolean {
  const [start, end] = [Date.parse(slot.start), Date.parse(slot.end)];
  return intervals.some((interval) => interval.start < end && interval.end > start);
}
