/**
 * The candidate page's words, Japanese and English, and how its language is
 * chosen: the page's own switch (`?lang=`), then the browser's
 * Accept-Language, then the candidate's language the link names, then
 * Japanese.
 */
export type PageLanguage = "ja" | "en";

export const pageWords = {
  ja: {
    pageTitle: "面接日程の選択",
    intro: (name: string) => `${name} 様、以下の候補からご都合のよい日時を1つお選びください。`,
    duration: (minutes: number) => `所要時間：${minutes}分`,
    settings: "表示の設定",
    zoneLabel: "タイムゾーン",
    zoneApply: "表示を切り替える",
    languageSwitch: "English",
    choose: "この日時で予約する",
    noSlots: "現在お選びいただける日時がございません。お手数ですが、採用担当者までお問い合わせください。",
    taken:
      "お選びいただいた日時は、すでに他の予定が入ったためご予約いただけませんでした。お手数ですが、別の日時をお選びください。",
    notOffered: "お選びいただいた日時は候補にございません。以下の日時からお選びください。",
    failed: "ご予約を完了できませんでした。お手数ですが、もう一度お試しいただくか、別の日時をお選びください。",
    inProgress: "ご予約を処理しています。しばらくしてから、もう一度ご確認ください。",
    checkAgain: "ご予約の状況を確認する",
    bookedTitle: "面接の日時が確定しました",
    bookedLead: "以下の日時でご予約を承りました。必要に応じて、お使いのカレンダーにご登録ください。",
    when: "日時",
    joinUrl: "Web 面接の URL",
    passcode: "パスコード",
    addToCalendar: "カレンダーに追加（.ics）",
    cancelledTitle: "この面接はキャンセルとなりました",
    cancelledLead:
      "ご予約いただいた面接はキャンセルとなりました。詳細につきましては、採用担当者までお問い合わせください。",
    expiredTitle: "このリンクの有効期限が切れています",
    expiredLead: "この日程調整リンクは有効期限を過ぎています。お手数ですが、採用担当者に新しいリンクをご依頼ください。",
    revokedTitle: "このリンクは無効になりました",
    revokedLead: "この日程調整リンクは現在ご利用いただけません。お手数ですが、採用担当者までお問い合わせください。",
    unknownTitle: "リンクが見つかりません",
    unknownLead: "URL に誤りがないかご確認ください。メールに記載されたリンクを、そのままお使いください。",
    unavailableTitle: "ただいまご利用いただけません",
    unavailableLead:
      "現在、一時的に日程調整をご利用いただけません。お手数ですが、しばらく時間をおいてから、もう一度お試しください。",
    tryAgain: "ページを再読み込みする",
  },
  en: {
    pageTitle: "Choose your interview time",
    intro: (name: string) => `${name}, please choose one time that suits you.`,
    duration: (minutes: number) => `Duration: ${minutes} minutes`,
    settings: "Display settings",
    zoneLabel: "Time zone",
    zoneApply: "Show in this zone",
    languageSwitch: "日本語",
    choose: "Book this time",
    noSlots: "No times are left to choose from. Please contact the recruiter.",
    taken: "The time you chose is no longer free. Please choose one of the remaining times.",
    notOffered: "That time is not one of the choices. Please choose one of the times below.",
    failed: "The booking could not be completed. Please try again or choose another time.",
    inProgress: "Your booking is being made. Please check again in a moment.",
    checkAgain: "Check the booking",
    bookedTitle: "Your interview is booked",
    bookedLead: "The details are below. You can add the interview to your calendar.",
    when: "When",
    joinUrl: "Video interview link",
    passcode: "Passcode",
    addToCalendar: "Add to calendar (.ics)",
    cancelledTitle: "This interview was cancelled",
    cancelledLead: "The interview you booked has been cancelled. Please contact the recruiter for details.",
    expiredTitle: "This link has expired",
    expiredLead: "This scheduling link is past its expiry. Please ask the recruiter for a new one.",
    revokedTitle: "This link is no longer valid",
    revokedLead: "The recruiter withdrew this link. Please contact the recruiter.",
    unknownTitle: "Link not found",
    unknownLead: "Please check the address: use the link from your email exactly as it is.",
    unavailableTitle: "Temporarily unavailable",
    unavailableLead: "Scheduling cannot be processed right now. Please wait a moment, then try again.",
    tryAgain: "Show the page again",
  },
} as const;

export type PageWords = (typeof pageWords)[PageLanguage];

/**
 * `?lang=` when it names a page language, else the browser's first acceptable one of ours, else `fallback` (the
 * candidate's language as the link names it: a browser asking only for, say, German is not a Japanese reader), else
 * Japanese.
 */
export function pageLanguage(
  chosen: string | undefined,
  acceptLanguage: string | undefined,
  fallback?: PageLanguage | undefined,
): PageLanguage {
  if (chosen === "ja" || chosen === "en") return chosen;
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...parameters] = part.trim().split(";");
      const quality = parameters.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { primary: tag.trim().toLowerCase().split("-")[0], q: quality ? Number(quality.slice(2)) : 1, index };
    })
    .filter((entry) => Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) if (entry.primary === "ja" || entry.primary === "en") return entry.primary;
  return fallback ?? "ja";
}
