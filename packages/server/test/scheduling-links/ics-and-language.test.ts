/**
 * The pure parts of the candidate page: the .ics file (RFC 5545 escaping and
 * folding) and the choice of the page's language.
 */
import type { InterviewView } from "@tsunagu/contract";
import { describe, expect, it } from "vitest";
import { interviewCalendar } from "../../src/scheduling-links/ics.ts";
import { pageLanguage, pageWords } from "../../src/scheduling-links/words.ts";

const interview: InterviewView = {
  id: "iv-1",
  status: "confirmed",
  title: "一次面接; 営業職, 東京",
  start: "2026-12-07T01:00:00.000Z",
  end: "2026-12-07T02:00:00.000Z",
  description: "オンラインで行います。\n資料は不要です。",
  organiser: { userId: "u-ken", name: null, email: null },
  interviewers: [],
  candidate: { name: "山田 花子", email: "hanako@candidate.example" },
  timeZone: "Asia/Tokyo",
  conference: "zoom",
  zoom: {
    meetingId: "81234567890",
    joinUrl: "https://zoom.example/j/81234567890?pwd=abcdefghijklmnopqrstuvwxyz0123456789",
    passcode: "a1b2c3",
    hostZoomUserId: "zU_ken",
  },
  drift: [],
  createdAt: "2026-12-01T00:00:00.000Z",
  updatedAt: "2026-12-01T00:00:00.000Z",
};

describe("the interview's .ics", () => {
  const text = interviewCalendar(interview, new Date("2026-12-01T00:00:00Z"));

  it("has the times in UTC, the join URL, and escaped text", () => {
    const unfolded = text.replace(/\r\n /g, "");
    expect(unfolded).toContain("DTSTART:20261207T010000Z\r\n");
    expect(unfolded).toContain("DTEND:20261207T020000Z\r\n");
    expect(unfolded).toContain("SUMMARY:一次面接\\; 営業職\\, 東京\r\n");
    expect(unfolded).toContain(`URL:${interview.zoom?.joinUrl}\r\n`);
    expect(unfolded).toContain("DESCRIPTION:オンラインで行います。\\n資料は不要です。\\n\\nhttps://zoom.example/");
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
  });

  it("escapes a lone CR in the title or description as a newline: no text starts a line of its own", () => {
    const lines = interviewCalendar(
      { ...interview, title: "一次面接\rATTENDEE:mailto:x@example.com", description: "a\rb\nc\r\nd" },
      new Date("2026-12-01T00:00:00Z"),
    )
      .replace(/\r\n /g, "")
      .split("\r\n");
    expect(lines).toContain("SUMMARY:一次面接\\nATTENDEE:mailto:x@example.com");
    expect(lines.some((line) => line.startsWith("DESCRIPTION:a\\nb\\nc\\nd\\n\\n"))).toBe(true);
    for (const line of lines) expect(line).not.toMatch(/[\r\n]/);
  });

  it("folds every line at 75 octets without splitting a character", () => {
    for (const line of text.split("\r\n")) {
      expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      expect(line).not.toContain("\uFFFD");
    }
    expect(text.split("\r\n").some((line) => line.startsWith(" "))).toBe(true);
  });
});

describe("the page's language", () => {
  it.each([
    [undefined, undefined, "ja"],
    [undefined, "en-US,en;q=0.9", "en"],
    [undefined, "fr-FR, en;q=0.5, ja;q=0.8", "ja"],
    [undefined, "de, fr", "ja"],
    ["en", "ja", "en"],
    ["ja", "en", "ja"],
    ["xx", "en-GB", "en"],
  ])("chosen %s with Accept-Language %s is %s", (chosen, accept, expected) => {
    expect(pageLanguage(chosen, accept)).toBe(expected);
  });

  it.each([
    [undefined, "de-DE,de;q=0.9", "en", "en"],
    [undefined, undefined, "en", "en"],
    [undefined, "ja,en;q=0.5", "en", "ja"],
    ["ja", "de", "en", "ja"],
  ] as const)("chosen %s with Accept-Language %s for a candidate in %s is %s", (chosen, accept, language, expected) => {
    // A browser that asks only for languages the page does not have falls back to the candidate's, not to Japanese.
    expect(pageLanguage(chosen, accept, language)).toBe(expected);
  });
});

describe("the page's Japanese", () => {
  it("asks the candidate for things in the honorific form (ご確認ください), never a bare 確認してください", () => {
    const words = Object.values(pageWords.ja).flatMap((word) => (typeof word === "string" ? [word] : []));
    const sentences = [...words, pageWords.ja.intro("山田 花子")];
    const requests = sentences.filter((sentence) => sentence.includes("ください"));
    expect(requests.length).toBeGreaterThan(5);
    for (const sentence of requests) expect(sentence).not.toMatch(/てください/);
    expect(sentences.join("")).not.toMatch(/選ばれた/);
  });
});
