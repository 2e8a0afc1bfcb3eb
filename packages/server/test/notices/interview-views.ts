/**
 * InterviewViews as the saga answers them (packages/contract/src/interviews.ts),
 * for the notices' tests: a confirmed interview with a Zoom meeting and a
 * Google event, changed field by field.
 */
import type { InterviewPerson, InterviewView } from "@tsunagu/contract";

export const person = (userId: string, name: string): InterviewPerson => ({
  userId,
  name,
  email: `${userId}@sakura.example`,
});

export function confirmedInterview(overrides: Partial<InterviewView> = {}): InterviewView {
  return {
    id: "iv_0f5c2a9e",
    status: "confirmed",
    title: "一次面接 <バックエンド>",
    start: "2026-12-03T05:00:00.000Z",
    end: "2026-12-03T06:00:00.000Z",
    description: "技術面接です。",
    organiser: person("hanako", "佐藤 花子"),
    interviewers: [person("ken", "田中 健"), person("emily", "Emily Clark"), person("sho", "鈴木 翔")],
    candidate: { name: "山田 花子", email: "hanako.yamada@example.com", timeZone: "Asia/Tokyo", language: "ja" },
    timeZone: "Asia/Tokyo",
    conference: "zoom",
    zoom: {
      meetingId: "81234567890",
      joinUrl: "https://zoom.us/j/81234567890?pwd=abc",
      passcode: "a1b2c3",
      hostZoomUserId: "zU_ken",
    },
    event: {
      provider: "google",
      accountId: "acc_google_hanako",
      eventId: "tsunagu0f5c2a9e",
      webLink: "https://calendar.google.com/calendar/event?eid=dHN1bmFndQ",
    },
    drift: [],
    createdAt: "2026-11-30T01:00:00.000Z",
    updatedAt: "2026-11-30T01:00:00.000Z",
    ...overrides,
  };
}
