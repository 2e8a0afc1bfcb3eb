/**
 * Which offered slots are still free, asked when the page is shown and again
 * when a slot is picked: the interviewers' calendars through the availability
 * service (one provider round trip for all of them), the organisation's
 * interviews that share an interviewer (booked or being booked: the saga's
 * record exists before the event reaches any calendar), and the picks of its
 * other links. A slot already begun is no longer offered.
 */
import type { OfferedSlot } from "@tsunagu/contract";
import type { BusyTimesDeps } from "../availability/busy-times.ts";
import { findAvailability } from "../availability/service.ts";
import { listInterviews } from "../interviews/records.ts";
import type { InterviewPerson } from "@tsunagu/contract";
import { otherLinksPicks, type PickOrder, type SchedulingLink } from "./store.ts";

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

export async function freeOfferedSlots(
  deps: BusyTimesDeps,
  link: SchedulingLink,
  options: FreeSlotsOptions = {},
): Promise<OfferedSlot[]> {
  const now = deps.clock.now();
  const upcoming = link.offer.slots.filter((slot) => Date.parse(slot.start) > now.getTime());
  const first = upcoming[0];
  const last = upcoming.at(-1);
  if (!first || !last) return [];
  const [availability, unheld] = await Promise.all([
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
  const busy = availability.people.flatMap((person) =>
    person.busy.map((interval) => ({ start: Date.parse(interval.start), end: Date.parse(interval.end) })),
  );
  return unheld.filter((slot) => !overlapsAny(slot, busy));
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
  const first = slots[0];
  const last = slots.at(-1);
  if (!first || !last) return [];
  const [picks, interviews] = await Promise.all([
    otherLinksPicks(deps.db, link.tenant, link.id, first.start, last.end, deps.clock.now(), options.overlookPicksAfter),
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
  const held = [...picks, ...booked].filter((hold) => hold.interviewers.some((id) => link.interviewers.includes(id)));
  return slots.filter((slot) => !overlapsAny(slot, held));
}

function overlapsAny(slot: OfferedSlot, intervals: Array<{ start: number; end: number }>): boolean {
  const [start, end] = [Date.parse(slot.start), Date.parse(slot.end)];
  return intervals.some((interval) => interval.start < end && interval.end > start);
}
