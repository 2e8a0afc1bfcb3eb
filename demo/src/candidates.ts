/**
 * The portal's own applicants: fictional candidates that live only in the
 * demo's code, as a real applicant tracking system would keep them in its
 * database. Tsunagu never stores them; the portal hands one to
 * `<schedule-interview>` or to a scheduling link when it books.
 */
export interface Candidate {
  /** The portal's candidate id (used in its URLs only). */
  id: string;
  name: string;
  nameLatin: string;
  email: string;
  /** The position applied for, in Japanese and English. */
  position: { ja: string; en: string };
  /** Where the application stands. */
  stage: CandidateStage;
  /** The title the portal proposes for the next interview. */
  nextInterview: { ja: string; en: string };
}

export type CandidateStage = "screening" | "first" | "second" | "final";

export const candidates: readonly Candidate[] = [
  {
    id: "c-101",
    name: "小林 さくら",
    nameLatin: "Sakura Kobayashi",
    email: "sakura.kobayashi@candidate.example",
    position: { ja: "フロントエンドエンジニア", en: "Frontend Engineer" },
    stage: "screening",
    nextInterview: { ja: "一次面接（フロントエンドエンジニア）", en: "First interview (Frontend Engineer)" },
  },
  {
    id: "c-102",
    name: "加藤 陽太",
    nameLatin: "Yota Kato",
    email: "yota.kato@candidate.example",
    position: { ja: "バックエンドエンジニア", en: "Backend Engineer" },
    stage: "first",
    nextInterview: { ja: "二次面接（バックエンドエンジニア）", en: "Second interview (Backend Engineer)" },
  },
  {
    id: "c-103",
    name: "吉田 葵",
    nameLatin: "Aoi Yoshida",
    email: "aoi.yoshida@candidate.example",
    position: { ja: "プロダクトデザイナー", en: "Product Designer" },
    stage: "second",
    nextInterview: { ja: "最終面接（プロダクトデザイナー）", en: "Final interview (Product Designer)" },
  },
  {
    id: "c-104",
    name: "山本 湊",
    nameLatin: "Minato Yamamoto",
    email: "minato.yamamoto@candidate.example",
    position: { ja: "採用コーディネーター", en: "Recruiting Coordinator" },
    stage: "final",
    nextInterview: { ja: "カジュアル面談（採用コーディネーター）", en: "Casual meeting (Recruiting Coordinator)" },
  },
];

export function findCandidate(id: string | null | undefined): Candidate | undefined {
  return candidates.find((candidate) => candidate.id === id);
}

/**
 * A candidate's name as a language writes it: 吉田 葵 in Japanese, Aoi Yoshida in English (what the portal gives
 * Tsunagu for a message in that language, too).
 */
export function candidateName(candidate: Candidate, language: "ja" | "en"): string {
  return language === "ja" ? candidate.name : candidate.nameLatin;
}

/**
 * The name of an interview's candidate as the page's language writes it: the interview keeps the name it was booked
 * with, in the language of that booking, so the portal's own candidate (found by address) is named instead.
 */
export function interviewCandidateName(booked: { name: string; email: string }, language: "ja" | "en"): string {
  const candidate = candidates.find((known) => known.email === booked.email);
  return candidate ? candidateName(candidate, language) : booked.name;
}
