/**
 * The messages the portal offers until an administrator saves the
 * organisation's own: 日程確定メール and its siblings, in both languages,
 * written with Tsunagu's tags (README, "Message templates").
 */
import type { PortalLanguage } from "./users.ts";

export const templateKeys = ["interview_confirmed", "interview_rescheduled", "interview_cancelled"] as const;
export type TemplateKey = (typeof templateKeys)[number];

export interface TemplateText {
  name: string;
  subject: string;
  body: string;
}

export const defaultTemplates: Record<TemplateKey, Record<PortalLanguage, TemplateText>> = {
  interview_confirmed: {
    ja: {
      name: "日程確定メール",
      subject: "【さくら採用】{{title}} 日程確定のお知らせ",
      body: [
        "{{candidate_name}} 様",
        "",
        "このたびはご応募いただき、誠にありがとうございます。",
        "{{title}}の日程が確定しましたので、下記のとおりご案内いたします。",
        "",
        "日時：{{start}}〜{{end}}（{{duration}}）",
        "面接官：{{interviewers}}",
        "Zoom：{{zoom_url}}",
        "ミーティング ID：{{zoom_meeting_id}}",
        "パスコード：{{zoom_passcode}}",
        "",
        "当日はどうぞよろしくお願いいたします。",
      ].join("\n"),
    },
    // The title (First interview (Frontend Engineer)) is a name, not words of the sentence: "Your First interview
    // (Frontend Engineer) is confirmed" read as a capital in mid-sentence.
    en: {
      name: "Interview confirmation",
      subject: "[Sakura Recruit] {{title}} is confirmed",
      body: [
        "Dear {{candidate_name}},",
        "",
        "Thank you for your application. Your interview is confirmed:",
        "",
        "Interview: {{title}}",
        "When: {{start}} – {{end}} ({{duration}}, {{time_zone}})",
        "Interviewers: {{interviewers}}",
        "Zoom: {{zoom_url}}",
        "Meeting ID: {{zoom_meeting_id}}",
        "Passcode: {{zoom_passcode}}",
        "",
        "We look forward to speaking with you.",
      ].join("\n"),
    },
  },
  interview_rescheduled: {
    ja: {
      name: "日程変更メール",
      subject: "【さくら採用】{{title}} 日程変更のお知らせ",
      body: [
        "{{candidate_name}} 様",
        "",
        "{{title}}の日程を、下記のとおり変更いたしました。",
        "",
        "変更後の日時：{{start}}〜{{end}}",
        "Zoom：{{zoom_url}}",
        "",
        "ご不明な点がございましたら、お気軽にお問い合わせください。",
        "引き続きどうぞよろしくお願いいたします。",
      ].join("\n"),
    },
    en: {
      name: "Interview rescheduled",
      subject: "[Sakura Recruit] {{title}} has a new time",
      body: [
        "Dear {{candidate_name}},",
        "",
        "Your interview, {{title}}, has moved to {{start}} – {{end}} ({{time_zone}}).",
        "Zoom: {{zoom_url}}",
        "",
        "Please let us know if you have any questions.",
      ].join("\n"),
    },
  },
  interview_cancelled: {
    ja: {
      name: "面接キャンセルメール",
      subject: "【さくら採用】{{title}} キャンセルのお知らせ",
      body: [
        "{{candidate_name}} 様",
        "",
        "{{date}}に予定しておりました{{title}}は、キャンセルとなりました。",
        "ご迷惑をおかけし、誠に申し訳ございません。",
        "日程につきましては、改めてご連絡いたします。",
      ].join("\n"),
    },
    en: {
      name: "Interview cancelled",
      subject: "[Sakura Recruit] {{title}} is cancelled",
      body: [
        "Dear {{candidate_name}},",
        "",
        "Your interview on {{date}}, {{title}}, has been cancelled. We are sorry for the inconvenience.",
        "We will be in touch to find a new time.",
      ].join("\n"),
    },
  },
};
