import type { InterviewStatus } from "@tsunagu/contract";
import type { ProviderId } from "../provider-id.ts";
import type { CandidateNews, LaterTerms, LostFeature } from "../translation.ts";
import type { JaWords } from "./ja.ts";

/** The button that grants access on each provider's own consent page, as it reads in Japanese. */
const consentButtons = { google: "続行", microsoft: "承諾", zoom: "許可", slack: "許可する" } as const;

/** What a personal account must belong to: the organisation's connection, in each provider's words. */
const organizationWords = {
  google: "Google Workspace ドメイン",
  microsoft: "Microsoft 365 組織",
  zoom: "Zoom アカウント",
  slack: "Slack ワークスペース",
} as const;

const calendarNames = {
  google: "Google カレンダー",
  microsoft: "Outlook カレンダー",
  zoom: "Zoom",
  slack: "Slack",
} as const;

/** The candidate message's first sentence: what happened to their interview. */
const candidateNews: Record<CandidateNews, string> = {
  scheduled: "面接の日時が決まりましたので、お知らせいたします。",
  rescheduled: "面接の日時を変更いたしましたので、あらためてお知らせいたします。",
  changed: "面接の内容を変更いたしましたので、あらためてお知らせいたします。",
};

const interviewStatuses: Record<InterviewStatus, string> = {
  booking: "設定中",
  confirmed: "確定",
  updating: "変更中",
  cancelling: "キャンセル中",
  cancelled: "キャンセル済み",
  failed: "設定できませんでした",
};

/**
 * 日本語 for the steps after an element's first screen (`LaterTerms`): a chunk of its own, loaded when a step
 * first needs it (`LocalizeController.loadLaterTerms`). The words it shares with ja.ts come from there.
 */
export function jaLater({ jp, providerNames, personalAccounts, connectionKinds }: JaWords): LaterTerms {
  function lostFeature(feature: LostFeature, provider: ProviderId, scope: "personal" | "organization"): string {
    const whose = scope === "personal" ? "このアカウントの" : "";
    switch (feature) {
      case "notifications":
        return scope === "personal"
          ? "このアカウントに Slack の面接通知（DM）が届かなくなります。"
          : "組織全体で Slack の面接通知（DM）が届かなくなります。";
      case "sign_in_with_slack":
        return scope === "personal"
          ? "このアカウントで「Slack でサインイン」できなくなります。"
          : "「Slack でサインイン」が使えなくなります。";
      case "calendar_events":
        return jp`面接の予定が${whose}${calendarNames[provider]}に登録されなくなります。`;
      case "free_busy":
        return jp`日程調整で${whose}${calendarNames[provider]}の予定を確認できなくなります。`;
      case "meeting_urls":
        return scope === "personal"
          ? "この Zoom ユーザーで面接のミーティング URL を発行できなくなります。"
          : "新しい面接で Zoom のミーティング URL を発行できなくなり、Zoom 主催者も選べなくなります。";
      case "personal_links":
        return jp`組織でもう一度連携するまで、メンバーは${personalAccounts[provider]}を連携できなくなります。連携済みのアカウントも再連携が必要になります。`;
    }
  }

  return {
    linkWaiting: (provider) => jp`開いた ${providerNames[provider]} のウィンドウで操作を続けてください。`,
    cancelLinking: (provider, kind) =>
      kind === "organization"
        ? jp`${connectionKinds[provider]}との連携をキャンセル`
        : jp`${personalAccounts[provider]}の連携をキャンセル`,
    popupBlocked: (provider) =>
      jp`ポップアップがブロックされたため、${providerNames[provider]} のウィンドウを開けませんでした。このページから移動して続けることもできます（完了後、このページに戻ります）。`,
    continueOnThisPage: "このページで続ける",
    consentDenied: (provider) =>
      jp`${providerNames[provider]} でアクセスが許可されなかったため、連携できませんでした。` +
      jp`もう一度連携し、${providerNames[provider]} の画面で「${consentButtons[provider]}」を押してください。`,
    wrongOrganization: (provider, name) => jp`組織で連携している${organizationWords[provider]}は「${name}」です。`,
    adminAccountLinkedNote: (provider, name) =>
      jp`${personalAccounts[provider]}「${name}」を「個人の連携」にも追加しました。`,
    linkedToast: (provider, name) => jp`${personalAccounts[provider]}「${name}」を連携しました。`,
    connectedToast: (provider, name) => jp`${connectionKinds[provider]}「${name}」と連携しました。`,
    linkCancelledToast: (provider) =>
      jp`ウィンドウが閉じられたため、${personalAccounts[provider]}の連携は完了していません。`,
    unlinkedToast: (provider, name) => jp`${personalAccounts[provider]}「${name}」の連携を解除しました。`,
    disconnectedToast: (provider, name, affectedAccounts) =>
      jp`${connectionKinds[provider]}「${name}」との連携を解除しました。` +
      (affectedAccounts > 0 ? `再連携が必要になったアカウント：${affectedAccounts}件。` : ""),
    defaultChangedToast: (provider, name) =>
      jp`「${name}」を ${providerNames[provider]} の既定のアカウントにしました。`,
    notRevokedNote: (provider) =>
      provider === "microsoft"
        ? "Microsoft 側の許可は取り消せないため、Tsunagu が保管していたトークンを削除しました（発行済みのトークンは有効期限で失効します）。"
        : jp`${providerNames[provider]} 側の許可は取り消されていません（組織の連携が同じ許可を使っているか、${providerNames[provider]} から応答がなかったためです）。`,
    unlinkTitle: (provider) => jp`${personalAccounts[provider]}の連携を解除しますか？`,
    disconnectTitle: (provider) => jp`${connectionKinds[provider]}との連携を解除しますか？`,
    unlinkLead: "連携を解除すると、次の機能が使えなくなります。",
    disconnectLead: "連携を解除すると、組織全体で次の機能が使えなくなります。",
    lostFeature,
    defaultMoves: (successor) =>
      successor
        ? jp`これは既定のアカウントです。解除すると「${successor}」が既定になります。`
        : "これは既定のアカウントです。解除すると、既定にできるアカウントがなくなります。",
    defaultMovedNote: (provider, name) => jp`「${name}」が ${providerNames[provider]} の既定のアカウントになりました。`,
    microsoftRevocation:
      "Microsoft 側の許可は取り消されません。Tsunagu が保管しているトークンを削除し、発行済みのトークンは有効期限で失効します。",
    hostedMeetings: "主催者になっている今後のミーティング：",
    untitledMeeting: "（件名なし）",
    pickedBusy: (names) => jp`この時間は${names}の予定と重なっています。`,
    summaryHeading: "内容の確認",
    whenLabel: "日時",
    candidateLabel: "候補者",
    webInterviewNone: "なし",
    zoomHostAuto: "自動選択",
    back: "戻る",
    confirm: "確定する",
    saveChanges: "変更を確定する",
    inProgress: (action) =>
      action === "book"
        ? "面接を設定しています…"
        : action === "update"
          ? "面接を変更しています…"
          : "面接をキャンセルしています…",
    bookFailed: "完了できませんでした。",
    inputKept: "入力内容はそのまま残っています。",
    resultHeading: (status, outcome) =>
      outcome === "loaded"
        ? "面接の詳細"
        : status === "cancelled"
          ? "面接をキャンセルしました"
          : outcome === "changed"
            ? "面接を変更しました"
            : "面接を設定しました",
    zoomUrlLabel: "Zoom の URL",
    passcodeLabel: "パスコード",
    copy: (what) => jp`${what}をコピー`,
    copied: "コピーしました。",
    copyFailed: "コピーできませんでした。テキストを選択してコピーしてください。",
    calendarLink: "カレンダーの予定を開く",
    candidateMessageHeading: "候補者へのメッセージ",
    candidateMessageLoading: "メッセージを作成しています…",
    candidateMessageFailed: "候補者へのメッセージを作成できませんでした。",
    candidateMessageTemplate: (news, withZoom) =>
      `{{candidate_name}} 様\n\n${candidateNews[news]}\n\n` +
      "日時：{{start}}〜{{end}}（{{time_zone}}）\n面接官：{{interviewers}}\n" +
      (withZoom ? "Web 面接の URL：{{zoom_url}}\nパスコード：{{zoom_passcode}}\n" : "") +
      "\nどうぞよろしくお願いいたします。\n",
    startMeeting: "ミーティングを開始",
    startMeetingRefused: "このミーティングを開始できるのは、主催者の Zoom ユーザーを連携している人だけです。",
    startMeetingNeedsReauth:
      "主催者の Zoom ユーザーの再連携が必要です。連携設定で再連携してから、ミーティングを開始してください。",
    editInterview: "日時や参加者を変更",
    cancelInterview: "面接をキャンセル",
    cancelTitle: "この面接をキャンセルしますか？",
    cancelLead: "Zoom ミーティングとカレンダーの予定が削除されます。元に戻すことはできません。",
    cancelConfirm: "キャンセルする",
    keepInterview: "キャンセルしない",
    interviewStatus: (status) => interviewStatuses[status],
  };
}
