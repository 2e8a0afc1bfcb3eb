import { describe, expect, it } from "vitest";
import { renderTemplate, TemplateError, templateTagNames, templateTagsUsed } from "../../src/templates/render.ts";

const interview = {
  title: "一次面接",
  start: new Date("2026-12-03T05:00:00Z"),
  end: new Date("2026-12-03T06:00:00Z"),
  candidateName: "山田 花子",
  interviewers: ["佐藤 一郎", "田中 健"],
  zoom: { joinUrl: "https://zoom.us/j/12345678901?pwd=abc", passcode: "a1b2c3", meetingId: "12345678901" },
  calendarLink: "https://calendar.google.com/calendar/event?eid=x",
};
const tokyo = { language: "ja", timeZone: "Asia/Tokyo" } as const;

function problemOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error.problem;
    throw error;
  }
  throw new Error("expected a TemplateError");
}

describe("renderTemplate", () => {
  it("fills every tag in Japanese, in the candidate's time zone", () => {
    const template = [
      "{{candidate_name}} 様",
      "{{title}}の日程が決まりました。",
      "日時：{{start}}〜{{end}}（{{duration}}、{{time_zone}}）",
      "日付：{{date}}",
      "面接官：{{interviewers}}",
      "ZoomミーティングURL：{{zoom_url}}",
      "ミーティングID：{{zoom_meeting_id}}　パスコード：{{ zoom_passcode }}",
      "カレンダー：{{calendar_link}}",
    ].join("\n");
    expect(renderTemplate(template, interview, tokyo)).toBe(
      [
        "山田 花子 様",
        "一次面接の日程が決まりました。",
        "日時：2026年12月3日（木）14:00〜15:00（60分、Asia/Tokyo）",
        "日付：2026年12月3日（木）",
        "面接官：佐藤 一郎、田中 健",
        "ZoomミーティングURL：https://zoom.us/j/12345678901?pwd=abc",
        "ミーティングID：123 4567 8901　パスコード：a1b2c3",
        "カレンダー：https://calendar.google.com/calendar/event?eid=x",
      ].join("\n"),
    );
  });

  it("writes English dates and 12-hour times in another zone, with the day on the end when it differs", () => {
    const late = { ...interview, start: new Date("2026-12-04T04:30:00Z"), end: new Date("2026-12-04T05:30:00Z") };
    const text = renderTemplate("{{start}} – {{end}} ({{duration}}); {{interviewers}}", late, {
      language: "en",
      timeZone: "America/New_York",
    });
    expect(text).toBe("Thu, Dec 3, 2026, 11:30 PM – Fri, Dec 4, 12:30 AM (60 minutes); 佐藤 一郎, 田中 健");
  });

  it("follows daylight saving time: the same UTC hour reads an hour apart across London's change", () => {
    const before = renderTemplate(
      "{{start}}",
      { start: new Date("2026-03-28T12:00:00Z") },
      { language: "en", timeZone: "Europe/London" },
    );
    const after = renderTemplate(
      "{{start}}",
      { start: new Date("2026-03-30T12:00:00Z") },
      { language: "en", timeZone: "Europe/London" },
    );
    expect(before).toBe("Sat, Mar 28, 2026, 12:00 PM");
    expect(after).toBe("Mon, Mar 30, 2026, 1:00 PM");
  });

  it("names an unknown tag instead of leaving it in the message", () => {
    expect(problemOf(() => renderTemplate("URL: {{zoom_ur}}", interview, tokyo))).toMatchObject({
      code: "template_unknown_tag",
      tag: "zoom_ur",
      message: expect.stringContaining("{{zoom_ur}}"),
    });
  });

  it("names a tag this interview has no value for (no Zoom meeting), never rendering it empty", () => {
    const withoutZoom = { ...interview, zoom: undefined };
    expect(problemOf(() => renderTemplate("URL: {{zoom_url}}", withoutZoom, tokyo))).toMatchObject({
      code: "template_value_missing",
      tag: "zoom_url",
    });
    expect(
      problemOf(() => renderTemplate("{{interviewers}}", { ...interview, interviewers: [] }, tokyo)),
    ).toMatchObject({
      code: "template_value_missing",
      tag: "interviewers",
    });
  });

  it("refuses a {{ left open", () => {
    expect(problemOf(() => renderTemplate("URL: {{zoom_url", interview, tokyo))).toMatchObject({
      code: "template_malformed",
    });
  });

  it("leaves text without tags, single braces included, as it is", () => {
    expect(renderTemplate("{a} と } と { のみ", interview, tokyo)).toBe("{a} と } と { のみ");
  });
});

describe("templateTagsUsed", () => {
  it("lists the tags in order of first use, once each, and knows the ones the issue names", () => {
    expect(templateTagsUsed("{{zoom_url}} {{date}} {{zoom_url}}")).toEqual(["zoom_url", "date"]);
    for (const tag of [
      "zoom_url",
      "zoom_passcode",
      "zoom_meeting_id",
      "start",
      "end",
      "date",
      "candidate_name",
      "interviewers",
      "calendar_link",
    ]) {
      expect(templateTagNames).toContain(tag);
    }
  });

  it("does not take an object property name for a tag", () => {
    expect(problemOf(() => templateTagsUsed("{{constructor}}"))).toMatchObject({
      code: "template_unknown_tag",
      tag: "constructor",
    });
    expect(problemOf(() => templateTagsUsed("{{__proto__}}"))).toMatchObject({ code: "template_unknown_tag" });
  });
});
