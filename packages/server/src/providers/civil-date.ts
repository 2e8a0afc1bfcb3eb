/**
 * Calendar dates as day numbers, by arithmetic: the free/busy readers turn ~15,000 provider times per 50-people ×
 * 60-days question into instants, where Date.UTC and Date.parse cost several times this (bench/HISTORY.md).
 */

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, month 1-12 (days past the month's end run on into the next, as
 * in Date.UTC). http://howardhinnant.github.io/date_algorithms.html#days_from_civil
 */
function epochDay(year: number, month: number, day: number): number {
  const shifted = month <= 2 ? year - 1 : year;
  const era = Math.floor(shifted / 400);
  const yearOfEra = shifted - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return (
    era * 146_097 + yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear - 719_468
  );
}

/** A wall-clock time read as if it were UTC, in milliseconds since the epoch; month 1-12 (as `epochDay`). */
export function wallClockMs(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
): number {
  return epochDay(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
}

/** The number the `count` ASCII digits at `from` write, or -1 when any of them is not a digit 0-9 (or is missing). */
export function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let index = from; index < from + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}
