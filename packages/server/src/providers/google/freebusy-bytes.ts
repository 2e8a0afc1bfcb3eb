/**
 * freeBusy's answer read straight from its bytes (../answer-bytes.ts says why
 * and how it stays exact): per calendar the start and end of each busy time.
 * It reads only the plain form (each wanted key once, plain strings, no
 * calendar id a JavaScript object would order differently, no `errors`) and
 * gives up on anything else, which `freeBusyAnswer`'s check then reads as
 * always.
 */
import { z } from "zod";
import { type AnswerBytes, GiveUp, readOrGiveUp } from "../answer-bytes.ts";
import { mismatch, ShapeMismatch } from "../answer-check.ts";
import type { FreeBusyAnswer, FreeBusyCalendarAnswer } from "./freebusy.ts";

/** The value `freeBusyAnswer` reads from the same answer, or undefined (given up). */
export function readFreeBusyBytes(bytes: Buffer): FreeBusyAnswer | undefined {
  return readOrGiveUp(bytes, (answer) => {
    let timeMin = false;
    let timeMax = false;
    let calendars: Map<string, FreeBusyCalendarAnswer> | undefined;
    if (answer.openObject())
      do {
        answer.key();
        if (answer.keyIs("timeMin")) {
          if (timeMin) throw GiveUp;
          readInstant(answer);
          timeMin = true;
        } else if (answer.keyIs("timeMax")) {
          if (timeMax) throw GiveUp;
          readInstant(answer);
          timeMax = true;
        } else if (answer.keyIs("calendars")) {
          if (calendars) throw GiveUp;
          const read = new Map<string, FreeBusyCalendarAnswer>();
          if (answer.openObject())
            do {
              answer.key();
              const calendarId = answer.ascii(answer.keyStart, answer.keyEnd);
              // JSON.parse keeps the last of a repeated key, and an object lists integer-like keys first.
              if (read.has(calendarId) || arrayIndex.test(calendarId)) throw GiveUp;
              read.set(calendarId, calendarEntry(answer));
            } while (answer.moreMembers());
          calendars = read;
        } else {
          answer.skip();
        }
      } while (answer.moreMembers());
    if (!timeMin || !timeMax || !calendars) throw GiveUp;
    return { calendars };
  });
}

const arrayIndex = /^(?:0|[1-9][0-9]*)$/;

function calendarEntry(answer: AnswerBytes): FreeBusyCalendarAnswer {
  let busy: number[] | undefined;
  if (answer.openObject())
    do {
      answer.key();
      if (answer.keyIs("busy")) {
        if (busy) throw GiveUp;
        const intervals: number[] = [];
        if (answer.openArray())
          do interval(answer, intervals);
          while (answer.moreElements());
        busy = intervals;
      } else if (answer.keyIs("errors")) {
        throw GiveUp;
      } else {
        answer.skip();
      }
    } while (answer.moreMembers());
  return { busy: busy ?? [], errors: undefined };
}

function interval(answer: AnswerBytes, busy: number[]): void {
  let start: number | undefined;
  let end: number | undefined;
  if (answer.openObject())
    do {
      answer.key();
      if (answer.keyIs("start")) {
        if (start !== undefined) throw GiveUp;
        start = readInstant(answer);
      } else if (answer.keyIs("end")) {
        if (end !== undefined) throw GiveUp;
        end = readInstant(answer);
      } else {
        answer.skip();
      }
    } while (answer.moreMembers());
  if (start === undefined || end === undefined) throw GiveUp;
  busy.push(start, end);
}

/**
 * A plain string read as `instant` reads it: the form Google sends ("2026-12-07T10:00:00+09:00", or "Z" for the
 * offset) from its digits when every field is in a range the RFC 3339 pattern admits for any month (day 01–28),
 * any other through `instant`. NaN never comes out of the fast form (no time there is out of Date's range).
 */
function readInstant(answer: AnswerBytes): number {
  answer.plainSpan();
  const at = answer.valueStart;
  const length = answer.valueEnd - at;
  if (
    (length === 25 || length === 20) &&
    answer.byteIs(at + 4, "-") &&
    answer.byteIs(at + 7, "-") &&
    answer.byteIs(at + 10, "T") &&
    answer.byteIs(at + 13, ":") &&
    answer.byteIs(at + 16, ":")
  ) {
    const year = answer.digits(at, 4);
    const month = answer.digits(at + 5, 2);
    const day = answer.digits(at + 8, 2);
    const hour = answer.digits(at + 11, 2);
    const minute = answer.digits(at + 14, 2);
    const second = answer.digits(at + 17, 2);
    let offsetMinutes: number | undefined;
    if (length === 20 && answer.byteIs(at + 19, "Z")) offsetMinutes = 0;
    else if (length === 25 && answer.byteIs(at + 22, ":")) {
      const sign = answer.byteIs(at + 19, "+") ? 1 : answer.byteIs(at + 19, "-") ? -1 : 0;
      const offsetHours = answer.digits(at + 20, 2);
      const offsetMinute = answer.digits(at + 23, 2);
      if (sign !== 0 && offsetHours >= 0 && offsetHours <= 23 && offsetMinute >= 0 && offsetMinute <= 59)
        offsetMinutes = sign * (offsetHours * 60 + offsetMinute);
    }
    if (
      year >= 1000 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 28 &&
      hour >= 0 &&
      hour <= 23 &&
      minute >= 0 &&
      minute <= 59 &&
      second >= 0 &&
      second <= 59 &&
      offsetMinutes !== undefined
    )
      return Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  }
  return instant(answer.ascii(at, answer.valueEnd), () => []);
}

const rfc3339 = z.regexes.datetime({ offset: true });

/**
 * An RFC 3339 date-time with an offset (zod's `z.iso.datetime({ offset: true })`), as epoch milliseconds: how both
 * readers of a freeBusy answer read an instant.
 */
export function instant(value: unknown, path: () => PropertyKey[]): number {
  if (typeof value !== "string") return mismatch(path(), "an RFC 3339 date-time", value);
  if (!rfc3339.test(value)) throw new ShapeMismatch(path(), `expected an RFC 3339 date-time, received "${value}"`);
  return Date.parse(value);
}
