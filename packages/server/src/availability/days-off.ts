/**
 * Days nobody should be asked to interview on (issue 16): Japan's national
 * holidays (祝日, with 振替休日 and 国民の休日), an organisation's closures
 * (年末年始, お盆, 創立記念日, single extra days) and a person's own days off.
 *
 * Holidays come from @holiday-jp/holiday_jp, the data the holiday_jp
 * projects keep from the Cabinet Office's list (内閣府「国民の祝日について」)
 * and update when the law changes; it covers 1970 to 2050. We type no
 * holiday table of our own.
 * https://github.com/holiday-jp/holiday_jp · https://www8.cao.go.jp/chosei/shukujitsu/gaiyou.html
 *
 * A day off is a date on a person's own wall calendar: the whole local day,
 * in their zone.
 */
import holidayJp from "@holiday-jp/holiday_jp";
import { dateOfEpochDay, dayMs } from "./zone.ts";

export type DayOffReason = "holiday" | "closure" | "personal";

export interface DayOff {
  /** YYYY-MM-DD. */
  date: string;
  reason: DayOffReason;
  /** The holiday's or closure's name as given (Japanese for holidays). */
  name: string;
  /** The holiday's English name, when it is one. */
  nameEn?: string;
  /** What a recruiter sees next to a slot on that day: "祝日：勤労感謝の日", "休業：年末年始", "休暇". */
  label: string;
}

/** A span of whole days, both ends included. */
export interface Closure {
  start: string;
  end: string;
  name: string;
}

/** The years the holiday data covers: a range past them has no holidays to exclude, and says so. */
export const holidayYears = { first: 1970, last: 2050 };

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `text` is a real calendar date as YYYY-MM-DD. */
export function isDate(text: string): boolean {
  if (!isoDate.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

const epochDayOf = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / dayMs);

/** Every date from `first` to `last`, both included. */
function datesBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let day = epochDayOf(first); day <= epochDayOf(last); day++) out.push(dateOfEpochDay(day));
  return out;
}

/** Japan's national holidays from `first` to `last` (dates, both included), substitute and citizens' holidays among
 * them. */
export function japaneseHolidays(first: string, last: string): DayOff[] {
  const holidays = holidayJp.holidays as Record<string, { date: string; name: string; name_en: string } | undefined>;
  return datesBetween(first, last).flatMap((date) => {
    const holiday = Object.hasOwn(holidays, date) ? holidays[date] : undefined;
    return holiday
      ? [
          {
            date,
            reason: "holiday" as const,
            name: holiday.name,
            nameEn: holiday.name_en,
            label: `祝日：${holiday.name}`,
          },
        ]
      : [];
  });
}

/** The days of `closures` from `first` to `last`. */
export function closureDays(
  closures: Closure[],
  reason: "closure" | "personal",
  first: string,
  last: string,
): DayOff[] {
  return closures.flatMap((closure) => {
    const from = closure.start > first ? closure.start : first;
    const to = closure.end < last ? closure.end : last;
    if (from > to) return [];
    const label = reason === "closure" ? `休業：${closure.name}` : closure.name ? `休暇：${closure.name}` : "休暇";
    return datesBetween(from, to).map((date) => ({ date, reason, name: closure.name, label }));
  });
}

/** What is wrong with a closure, or undefined. */
export function closureProblem(closure: Closure): string | undefined {
  if (!isDate(closure.start)) return `start must be a date as YYYY-MM-DD, not "${closure.start}"`;
  if (!isDate(closure.end)) return `end must be a date as YYYY-MM-DD, not "${closure.end}"`;
  if (closure.end < closure.start) return `end (${closure.end}) must not be before start (${closure.start})`;
  if (epochDayOf(closure.end) - epochDayOf(closure.start) > 366) return "a closure may last at most a year";
  return undefined;
}
