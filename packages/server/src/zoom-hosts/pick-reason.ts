/**
 * The one sentence that says why a host was picked, in the caller's language
 * (the host token's `locale`; English when it has none). The picker shows it
 * after 自動選択の理由：, in its own words: 主催者 (never ホスト) and the load as
 * its cards write it (この時間帯のミーティング：1件（上限2件）).
 */
import type { Pick } from "./picking.ts";

export type ReasonLanguage = "ja" | "en";

export function pickReason(pick: Pick, language: ReasonLanguage): string {
  const running = `${pick.load}/${pick.limit}`;
  if (language === "ja") {
    return pick.basis === "participant_free"
      ? `参加者の Zoom ユーザー「${pick.displayName}」がこの時間帯に空いているため、主催者に選びました。`
      : `参加者の Zoom ユーザーが空いていないため、共有の Zoom ユーザーのうち最も空いている「${pick.displayName}」` +
          `（この時間帯のミーティング${pick.load}件、上限${pick.limit}件）を主催者に選びました。`;
  }
  return pick.basis === "participant_free"
    ? `${pick.displayName} is a participant's own Zoom user and is free at that time.`
    : `${pick.displayName} hosts because no participant's own Zoom user is free and it is the least busy shared Zoom ` +
        `user (${running} meetings at that time).`;
}

export function reasonLanguage(locale: string | undefined): ReasonLanguage {
  return locale === "ja" ? "ja" : "en";
}
