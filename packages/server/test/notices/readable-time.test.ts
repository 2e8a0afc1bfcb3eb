import { describe, expect, it } from "vitest";
import { interviewNoticeText, timeRange } from "../../src/notices/interview-message.ts";
import { readableClock, readableDay, readableMoment, readableRange, withZone } from "../../src/readable-time.ts";
import { renderTemplate } from "../../src/templates/render.ts";
import { confirmedInterview } from "./interview-views.ts";

const tokyo = { language: "ja", timeZone: "Asia/Tokyo" } as const;
const newYork = { language: "en", timeZone: "America/New_York" } as const;
/** Fixed instants, never "now": 9:00 in Tokyo is 00:00 UTC, the hour the old two clocks wrote differently. */
const nineInTokyo = new Date("2026-12-01T00:00:00Z");
const tenInTokyo = new Date("2026-12-01T01:00:00Z");
const writtenOn = new Date("2026-11-30T03:00:00Z");

describe("one Japanese way of writing a date and a time", () => {
  it("writes a morning time without a leading zero, the weekday in full-width brackets and the range with 〜", () => {
    expect(readableClock(nineInTokyo, tokyo)).toBe("9:00");
    expect(readableDay(nineInTokyo, tokyo)).toBe("2026年12月1日（火）");
    expect(readableMoment(nineInTokyo, tokyo)).toBe("2026年12月1日（火）9:00");
    expect(readableRange(nineInTokyo, tenInTokyo, tokyo)).toBe("2026年12月1日（火）9:00〜10:00");
    expect(withZone(readableRange(nineInTokyo, tenInTokyo, tokyo), tokyo)).toBe(
      "2026年12月1日（火）9:00〜10:00（Asia/Tokyo）",
    );
  });

  it("writes midnight as 0:00 and an afternoon on the 24-hour clock", () => {
    expect(readableClock(new Date("2026-11-30T15:00:00Z"), tokyo)).toBe("0:00");
    expect(readableClock(new Date("2026-12-01T05:30:00Z"), tokyo)).toBe("14:30");
  });

  it("repeats the day when the end is on another day, and the year only when the year changes", () => {
    const lateEvening = new Date("2026-12-01T14:30:00Z");
    expect(readableRange(lateEvening, new Date("2026-12-01T15:30:00Z"), tokyo)).toBe(
      "2026年12月1日（火）23:30〜12月2日（水）0:30",
    );
    expect(readableRange(new Date("2026-12-31T14:30:00Z"), new Date("2026-12-31T15:30:00Z"), tokyo)).toBe(
      "2026年12月31日（木）23:30〜2027年1月1日（金）0:30",
    );
    expect(readableRange(nineInTokyo, tenInTokyo, { ...tokyo, withYear: false })).toBe("12月1日（火）9:00〜10:00");
    expect(readableRange(nineInTokyo, tenInTokyo, { ...tokyo, withDay: false })).toBe("9:00〜10:00");
  });
});

describe("one English way of writing a date and a time", () => {
  it("writes the short weekday and month, a 12-hour clock on both ends and a spaced en dash", () => {
    const nineInNewYork = new Date("2026-12-01T14:00:00Z");
    expect(readableDay(nineInNewYork, newYork)).toBe("Tue, Dec 1, 2026");
    expect(readableMoment(nineInNewYork, newYork)).toBe("Tue, Dec 1, 2026, 9:00 AM");
    expect(readableRange(nineInNewYork, new Date("2026-12-01T15:00:00Z"), newYork)).toBe(
      "Tue, Dec 1, 2026, 9:00 AM – 10:00 AM",
    );
    expect(withZone("9:00 AM", newYork)).toBe("9:00 AM (America/New_York)");
  });

  it("writes midnight as 12:00 AM and noon as 12:00 PM, and the other day at the end", () => {
    expect(readableClock(new Date("2026-12-01T05:00:00Z"), newYork)).toBe("12:00 AM");
    expect(readableClock(new Date("2026-12-01T17:00:00Z"), newYork)).toBe("12:00 PM");
    expect(readableRange(new Date("2026-12-02T04:30:00Z"), new Date("2026-12-02T05:30:00Z"), newYork)).toBe(
      "Tue, Dec 1, 2026, 11:30 PM – Wed, Dec 2, 12:30 AM",
    );
  });
});

describe("the Slack notices and the message templates write the same time", () => {
  const interview = { ...confirmedInterview(), start: nineInTokyo.toISOString(), end: tenInTokyo.toISOString() };

  it("in Japanese, 9:00 in both (the test that failed every afternoon UTC compared these two)", () => {
    const notice = interviewNoticeText({
      kind: "scheduled",
      interview,
      language: "ja",
      timeZone: "Asia/Tokyo",
      now: writtenOn,
    });
    const message = renderTemplate(
      "日時：{{start}}〜{{end}}（{{time_zone}}）",
      { start: nineInTokyo, end: tenInTokyo },
      tokyo,
    );
    expect(notice).toContain("日時：12月1日（火）9:00〜10:00（Asia/Tokyo）");
    expect(message).toBe("日時：2026年12月1日（火）9:00〜10:00（Asia/Tokyo）");
    expect(message).toContain(timeRange(interview, { ...tokyo, now: writtenOn }));
  });

  it("puts さん straight after a Japanese name and after a space following a Latin one", () => {
    const notice = (name: string, kind: "scheduled" | "removed" = "scheduled") =>
      interviewNoticeText({
        kind,
        interview: { ...interview, candidate: { ...interview.candidate, name } },
        language: "ja",
        timeZone: "Asia/Tokyo",
        now: writtenOn,
      }).split("\n");
    expect(notice("山田 花子")[2]).toBe("候補者：山田 花子さん");
    expect(notice("Jane Doe")[2]).toBe("候補者：Jane Doe さん");
    expect(notice("山田 花子", "removed")[0]).toBe("*面接官から外されました*");
  });

  it("in English, the same clock and day in both", () => {
    const start = new Date("2026-12-01T14:00:00Z");
    const end = new Date("2026-12-01T15:00:00Z");
    const view = { start: start.toISOString(), end: end.toISOString() };
    const message = renderTemplate("{{start}} – {{end}}", { start, end }, newYork);
    expect(message).toBe("Tue, Dec 1, 2026, 9:00 AM – 10:00 AM");
    expect(timeRange(view, { ...newYork, now: new Date("2025-06-01T00:00:00Z") })).toBe(message);
  });
});
