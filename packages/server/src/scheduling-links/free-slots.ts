/**
 * Which offered slots are still free, asked when the page is shown and again
 * when a slot is picked: the interviewers' calendars through the availability
 * service (one provider round trip for all of them), and the picks of the
 * organisation's other links that share an interviewer (taken before the
 * event reaches any calendar). A slot already begun is no longer offered.
 */
import type { OfferedSlot } from "@tsunagu/contract";
import type { BusyTimesDeps } from "../availability/busy-times.ts";
import { findAvailability } from "../availability/service.ts";
import { otherLinksPicks, type SchedulingLink } from "./store.ts";

export async function freeOfferedSlots(deps: BusyTimesDeps, link: SchedulingLink): Promise<OfferedSlot[]> {
  const now = deps.clock.now();
  const upcoming = link.offer.slots.filter((slot) => Date.parse(slot.start) > now.getTime());
  const first = upcoming[0];
  const last = upcoming.at(-1);
  if (!first || !last) return [];
  const [availability, picks] = await Promise.all([
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
    otherLinksPicks(deps.db, link.tenant, link.id, first.start, last.end, now),
  ]);
  const taken = [
    ...availability.people.flatMap((person) =>
      person.busy.map((busy) => ({ start: Date.parse(busy.start), end: Date.parse(busy.end) })),
    ),
    ...picks.filter((pick) => pick.interviewers.some((id) => link.interviewers.includes(id))),
  ];
  return upcoming.filter((slot) => {
    const [start, end] = [Date.parse(slot.start), Date.parse(slot.end)];
    return !taken.some((busy) => busy.start < end && busy.end > start);
  });
}
