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
import { otherLinksPicks, type SchedulingLink } from "./store.ts";

/** Interviews in these statuses hold their interviewers' time. */
const holdingStatuses = new Set(["booking", "confirmed", "updating"]);
/** More interviews than an organisation books over a link's range in practice. */
const interviewsConsidered = 1000;

export async function freeOfferedSlots(deps: BusyTimesDeps, link: SchedulingLink): Promise<OfferedSlot[]> {
  const now = deps.clock.now();
  const upcoming = link.offer.slots.filter((slot) => Date.parse(slot.start) > now.getTime());
  const first = upcoming[0];
  const last = upcoming.at(-1);
  if (!first || !last) return [];
  const [availability, picks, interviews] = await Promise.all([
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
  const taken = [
    ...availability.people.flatMap((person) =>
      person.busy.map((busy) => ({ start: Date.parse(busy.start), end: Date.parse(busy.end) })),
    ),
    ...[...picks, ...booked].filter((held) => held.interviewers.some((id) => link.interviewers.includes(id))),
  ];
  return upcoming.filter((slot) => {
    const [start, end] = [Date.parse(slot.start), Date.parse(slot.end)];
    return !taken.some((busy) => busy.start < end && busy.end > start);
  });
}
