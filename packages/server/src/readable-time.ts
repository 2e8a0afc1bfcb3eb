/**
 * Dates and times written for people, one way per language, shared by the
 * Slack notices, the message templates and the candidate's scheduling page.
 *
 * Japanese: `2026年12月1日（火）9:00〜10:00` — a 24-hour clock without a
 * leading zero on the hour, as Japanese business text writes it and as the
 * recruiting products' help pages we follow do (HERP Hire: 「GMT+9:00」); the
 * weekday in full-width brackets and the range with 〜, as our Japanese
 * messages already wrote （Asia/Tokyo） and 日時：{{start}}〜{{end}}.
 * English: `Tue, Dec 1, 2026, 9:00 AM – 10:00 AM`. Built by hand from the
 * numeric parts of one `Intl` format: ja-JP's own pattern writes `12月1日(火)`
 * with half-width brackets, and when the notices asked Intl for 2-digit hours
 * and the templates for numeric ones, one wrote 09:00 and the other 9:00.
 */

export type ReadableLanguage = "ja" | "en";

export interface ReadableOptions {
  language: ReadableLanguage;
  /** The reader's IANA zone: every time is written in it. */
  timeZone: string;
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
}

const weekdaysEn = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const weekdaysJa = ["日", "月", "火", "水", "木", "金", "土"] as const;
const monthsEn = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** One format per zone, kept for the process: building an `Intl.DateTimeFormat` costs more than formatting. */
const formats = new Map<string, Intl.DateTimeFormat>();

function wallParts(date: Date, timeZone: string): WallParts {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      weekday: "short",
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    });
    formats.set(timeZone, format);
  }
  const values: Record<string, string> = {};
  for (const part of format.formatToParts(date)) values[part.type] = part.value;
  return {
    year: Number(values.year),
    month: Number(values.month),
    day: Number(values.day),
    weekday: weekdaysEn.indexOf(values.weekday as (typeof weekdaysEn)[number]),
    // Some ICU versions write midnight as 24 with h23.
    hour: Number(values.hour) % 24,
    minute: Number(values.minute),
  };
}

function dayOf(wall: WallParts, language: ReadableLanguage, withYear: boolean): string {
  if (language === "ja") {
    return `${withYear ? `${wall.year}年` : ""}${wall.month}月${wall.day}日（${weekdaysJa[wall.weekday]}）`;
  }
  return `${weekdaysEn[wall.weekday]}, ${monthsEn[wall.month - 1]} ${wall.day}${withYear ? `, ${wall.year}` : ""}`;
}

function clockOf(wall: WallParts, language: ReadableLanguage): string {
  const minutes = String(wall.minute).padStart(2, "0");
  if (language === "ja") return `${wall.hour}:${minutes}`;
  return `${wall.hour % 12 || 12}:${minutes} ${wall.hour < 12 ? "AM" : "PM"}`;
}

function momentOf(wall: WallParts, language: ReadableLanguage, withYear: boolean): string {
  return language === "ja"
    ? `${dayOf(wall, language, withYear)}${clockOf(wall, language)}`
    : `${dayOf(wall, language, withYear)}, ${clockOf(wall, language)}`;
}

const sameDay = (a: WallParts, b: WallParts) => a.year === b.year && a.month === b.month && a.day === b.day;

/** `2026年12月1日（火）` / `Tue, Dec 1, 2026`; without the year when `withYear` is false. */
export function readableDay(date: Date, options: ReadableOptions & { withYear?: boolean }): string {
  return dayOf(wallParts(date, options.timeZone), options.language, options.withYear ?? true);
}

/** `9:00` / `9:00 AM`. */
export function readableClock(date: Date, options: ReadableOptions): string {
  return clockOf(wallParts(date, options.timeZone), options.language);
}

/** `2026年12月1日（火）9:00` / `Tue, Dec 1, 2026, 9:00 AM`. */
export function readableMoment(date: Date, options: ReadableOptions & { withYear?: boolean }): string {
  return momentOf(wallParts(date, options.timeZone), options.language, options.withYear ?? true);
}

/**
 * The end of a range as it follows its start: the time alone on the same day, else the day and the time
 * (`12月2日（水）0:30`, the year only when it is another year than the start's).
 */
export function readableEnd(start: Date, end: Date, options: ReadableOptions): string {
  const from = wallParts(start, options.timeZone);
  const to = wallParts(end, options.timeZone);
  return sameDay(from, to) ? clockOf(to, options.language) : momentOf(to, options.language, to.year !== from.year);
}

/** The separator of a range: 〜 in Japanese, a spaced en dash in English. */
export function rangeSeparator(language: ReadableLanguage): string {
  return language === "ja" ? "〜" : " – ";
}

/**
 * `2026年12月1日（火）9:00〜10:00` / `Tue, Dec 1, 2026, 9:00 AM – 10:00 AM`; `withYear: false` leaves the start's
 * year out (a notice read the same year), and `withDay: false` the start's day (a list already grouped by day).
 */
export function readableRange(
  start: Date,
  end: Date,
  options: ReadableOptions & { withYear?: boolean; withDay?: boolean },
): string {
  const from = wallParts(start, options.timeZone);
  const head =
    (options.withDay ?? true)
      ? momentOf(from, options.language, options.withYear ?? true)
      : clockOf(from, options.language);
  return `${head}${rangeSeparator(options.language)}${readableEnd(start, end, options)}`;
}

/** The zone the text is written in, after it: `…（Asia/Tokyo）` / `… (Asia/Tokyo)`. */
export function withZone(text: string, options: ReadableOptions): string {
  return options.language === "ja" ? `${text}（${options.timeZone}）` : `${text} (${options.timeZone})`;
}

/** Whether `date` falls in another year than `now`, in the reader's zone: notices write the year only then. */
export function isAnotherYear(date: Date, now: Date, timeZone: string): boolean {
  return wallParts(date, timeZone).year !== wallParts(now, timeZone).year;
}
