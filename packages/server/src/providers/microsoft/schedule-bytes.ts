/**
 * getSchedule's answer read straight from its bytes (../answer-bytes.ts says
 * why and how it stays exact): per schedule its id and the start and end of
 * each item that is not free, passing over the subjects, locations and the
 * rest Graph sends. It reads only the plain form (each wanted key once, plain
 * strings, no `error` entry, times in UTC) and gives up on anything else,
 * which `scheduleAnswer`'s check then reads as always.
 */
import { type AnswerBytes, GiveUp, readOrGiveUp } from "../answer-bytes.ts";
import type { ScheduleAnswer } from "./graph.ts";
import { microsoftQuirks as quirks } from "./quirks.ts";
import { graphDateTimeMs } from "./time.ts";

type ScheduleInformation = ScheduleAnswer["value"][number];

/** The value `scheduleAnswer` reads from the same answer, or undefined (given up). */
export function readScheduleBytes(bytes: Buffer): ScheduleAnswer | undefined {
  return readOrGiveUp(bytes, (answer) => {
    let value: ScheduleInformation[] | undefined;
    if (answer.openObject())
      do {
        answer.key();
        if (!answer.keyIs("value")) {
          answer.skip();
          continue;
        }
        if (value) throw GiveUp;
        const infos: ScheduleInformation[] = [];
        if (answer.openArray())
          do infos.push(scheduleInformation(answer));
          while (answer.moreElements());
        value = infos;
      } while (answer.moreMembers());
    if (!value) throw GiveUp;
    return { value };
  });
}

function scheduleInformation(answer: AnswerBytes): ScheduleInformation {
  let scheduleId: string | undefined;
  let busy: number[] | undefined;
  if (answer.openObject())
    do {
      answer.key();
      if (answer.keyIs("scheduleId")) {
        if (scheduleId !== undefined) throw GiveUp;
        scheduleId = answer.plainString();
      } else if (answer.keyIs("scheduleItems")) {
        if (busy) throw GiveUp;
        const items: number[] = [];
        if (!answer.null() && answer.openArray())
          do scheduleItem(answer, items);
          while (answer.moreElements());
        busy = items;
      } else if (answer.keyIs("error")) {
        throw GiveUp;
      } else {
        answer.skip();
      }
    } while (answer.moreMembers());
  if (scheduleId === undefined) throw GiveUp;
  return { scheduleId, busy: busy ?? [], error: undefined };
}

const freeStatuses: readonly string[] = quirks.graph.freeStatuses;

/** One item: its start and end pushed onto `busy` unless its status is free. */
function scheduleItem(answer: AnswerBytes, busy: number[]): void {
  let status: string | undefined;
  let start: number | undefined;
  let end: number | undefined;
  if (answer.openObject())
    do {
      answer.key();
      if (answer.keyIs("status")) {
        if (status !== undefined) throw GiveUp;
        status = answer.plainString();
      } else if (answer.keyIs("start")) {
        if (start !== undefined) throw GiveUp;
        start = dateTimeTimeZone(answer);
      } else if (answer.keyIs("end")) {
        if (end !== undefined) throw GiveUp;
        end = dateTimeTimeZone(answer);
      } else {
        answer.skip();
      }
    } while (answer.moreMembers());
  if (status === undefined || start === undefined || end === undefined) throw GiveUp;
  if (!freeStatuses.includes(status)) busy.push(start, end);
}

/**
 * Graph's dateTimeTimeZone in UTC as epoch milliseconds (an item whose time does not read gives up, even a free
 * one, whose times the exact path checks for shape only).
 */
function dateTimeTimeZone(answer: AnswerBytes): number {
  let instant: number | undefined;
  let utc = false;
  if (answer.openObject())
    do {
      answer.key();
      if (answer.keyIs("dateTime")) {
        if (instant !== undefined) throw GiveUp;
        answer.plainSpan();
        instant = wallClockMs(answer);
      } else if (answer.keyIs("timeZone")) {
        if (utc) throw GiveUp;
        utc = answer.plainStringIs("UTC");
        if (!utc) throw GiveUp;
      } else {
        answer.skip();
      }
    } while (answer.moreMembers());
  if (instant === undefined || !utc) throw GiveUp;
  return instant;
}

/**
 * The plain string just passed over, a UTC wall-clock time, as epoch milliseconds: the form Graph sends
 * ("2026-12-07T02:00:00.0000000") read from its digits, any other through `graphDateTimeMs` (./time.ts).
 */
function wallClockMs(answer: AnswerBytes): number {
  const at = answer.valueStart;
  if (
    answer.valueEnd - at === 27 &&
    answer.byteIs(at + 4, "-") &&
    answer.byteIs(at + 7, "-") &&
    answer.byteIs(at + 10, "T") &&
    answer.byteIs(at + 13, ":") &&
    answer.byteIs(at + 16, ":") &&
    answer.byteIs(at + 19, ".") &&
    answer.digits(at + 20, 7) === 0
  ) {
    const year = answer.digits(at, 4);
    const month = answer.digits(at + 5, 2);
    const day = answer.digits(at + 8, 2);
    const hour = answer.digits(at + 11, 2);
    const minute = answer.digits(at + 14, 2);
    const second = answer.digits(at + 17, 2);
    // The same Date.UTC of the same numbers graphDateTimeMs computes (a fraction of zeros is 0 ms).
    if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0)
      return Date.UTC(year, month - 1, day, hour, minute, second, 0);
  }
  return graphDateTimeMs(answer.ascii(at, answer.valueEnd), "UTC");
}
