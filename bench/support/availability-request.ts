/**
 * The availability question the benches ask of the calendar organisation
 * (calendar-org-process.ts): every interviewer, `days` days from the Monday
 * after the fakes' clock (00:00 Tokyo), 60-minute slots on a 30-minute step,
 * 10-minute buffers, as the recruiter (HS256 host token) from the portal's
 * origin. By default it is `<schedule-interview>`'s question: its hours
 * (every day, 09:00–18:00, the element's default) as the window, and the busy
 * time within them (`peopleBusy: "working_hours"`); `BENCH_PEOPLE_BUSY=all`
 * (or the `peopleBusy` argument) asks for every busy block instead, and
 * `omit` asks the question without either field (what builds before
 * `peopleBusy` take, for side-by-side runs against them).
 */
import type { CalendarOrgProcess } from "./calendar-org-process.ts";

export interface AvailabilityRequest {
  url: string;
  /** For fetch. */
  init: { method: "POST"; headers: Record<string, string>; body: string };
}

export type PeopleBusy = "all" | "working_hours" | "none" | "omit";

export function availabilityRequest(
  org: Pick<CalendarOrgProcess, "baseUrl" | "now" | "participants" | "token">,
  days: number,
  peopleBusy = (process.env.BENCH_PEOPLE_BUSY ?? "working_hours") as PeopleBusy,
): AvailabilityRequest {
  const monday = nextMondayInTokyo(new Date(org.now));
  const body = JSON.stringify({
    participants: org.participants,
    start: monday.toISOString(),
    end: new Date(monday.getTime() + days * 86_400_000).toISOString(),
    durationMinutes: 60,
    stepMinutes: 30,
    bufferBeforeMinutes: 10,
    bufferAfterMinutes: 10,
    timeZone: "Asia/Tokyo",
    ...(peopleBusy !== "omit" && {
      workingHours: { days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], start: "09:00", end: "18:00" },
      peopleBusy,
    }),
  });
  const headers = {
    authorization: `Bearer ${org.token}`,
    origin: "https://portal-a.example",
    "content-type": "application/json",
  };
  return { url: `${org.baseUrl}/v1/availability`, init: { method: "POST", headers, body } };
}

/** The Monday after `now`, 00:00 in Tokyo (UTC+9, no DST). */
function nextMondayInTokyo(now: Date): Date {
  const tokyo = new Date(now.getTime() + 9 * 3600_000);
  const daysAhead = (8 - tokyo.getUTCDay()) % 7 || 7;
  const midnight = Date.UTC(tokyo.getUTCFullYear(), tokyo.getUTCMonth(), tokyo.getUTCDate() + daysAhead);
  return new Date(midnight - 9 * 3600_000);
}

/** A function asking `request` once, throwing unless it is answered 200; the answer is read to its end. */
export function availabilityAsker({ url, init }: AvailabilityRequest): () => Promise<void> {
  return async () => {
    const response = await fetch(url, init);
    if (response.status !== 200) throw new Error(`answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
}
