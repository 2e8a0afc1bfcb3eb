import type { AvailabilityPersonStatus, CalendarUnreadableReason, DayOffReason } from "@tsunagu/contract";
import type { StatusReason, Translation, ZoomHostReason } from "../translation.ts";

/**
 * A template that puts one space wherever a Latin word meets a Japanese one
 * ("Google Workspace と連携", "組織の Zoom アカウント"), the one spacing rule
 * of this table; brackets, punctuation and counters ("3件") take none.
 */
function jp(strings: TemplateStringsArray, ...values: string[]): string {
  return values.reduce((text, value, index) => glue(glue(text, value), strings[index + 1] ?? ""), strings[0] ?? "");
}

function glue(left: string, right: string): string {
  const before = left.at(-1) ?? "";
  const after = right[0] ?? "";
  const meets =
    (latinWord.test(before) && japaneseWord.test(after)) || (japaneseWord.test(before) && latinWord.test(after));
  return meets ? `${left} ${right}` : left + right;
}

const latinWord = /[A-Za-z0-9]/;
const japaneseWord = /[\u3040-\u30ff\u3400-\u9fff]/;

const weekdays = ["日", "月", "火", "水", "木", "金", "土"] as const;
const providerNames = { google: "Google", microsoft: "Microsoft 365", zoom: "Zoom", slack: "Slack" } as const;
const accountStatuses = { active: "連携済み", needs_reauth: "再連携が必要", revoked: "連携取り消し済み" } as const;
/**
 * What a person links, in each provider's words: a Zoom アカウント is the organisation's (connectionKinds), and the
 * people in it are Zoom ユーザー, as Zoom and the HR portals' help pages say.
 */
const personalAccounts = {
  google: "Google アカウント",
  microsoft: "Microsoft 365 アカウント",
  zoom: "Zoom ユーザー",
  slack: "Slack アカウント",
} as const;
const connectionKinds = {
  google: "Google Workspace",
  microsoft: "Microsoft 365 テナント",
  zoom: "Zoom アカウント",
  slack: "Slack ワークスペース",
} as const;
const accountHomes = {
  google: "ドメイン",
  microsoft: "テナント",
  zoom: "Zoom アカウント",
  slack: "ワークスペース",
} as const;

const statusReasons: Record<StatusReason, string> = {
  invalid_grant: "連携先が認証の更新を受け付けませんでした。再連携してください。",
  no_refresh_token: "連携先から継続利用の許可が得られませんでした。再連携してください。",
  org_disconnected: "組織の連携が解除されました。管理者が組織でもう一度連携してから、再連携してください。",
  unauthorized: "連携先でこの連携が無効になりました。再連携してください。",
  deauthorized: "連携先でアプリの許可が取り消されました。再連携してください。",
  tokens_revoked: "連携先で連携が取り消されました。再連携してください。",
  app_uninstalled: "ワークスペースからアプリが削除されました。管理者が組織でもう一度連携してから、再連携してください。",
};

const zoomHostReasons: Record<ZoomHostReason, (place: string) => string> = {
  busy: () => "同じ時間帯に別のミーティングを主催しています。",
  needs_reauth: (place) => jp`再連携が必要です。${place}でこの Zoom ユーザーを再連携してください。`,
  basic_user_time_limit: () => "ベーシック（無料）ユーザーが主催できるのは40分までのミーティングです。",
  zoom_unavailable: () =>
    "Zoom からこのユーザーのミーティング予定を取得できませんでした。しばらくしてからもう一度お試しください。",
};

const dayOffKinds: Record<DayOffReason, string> = { holiday: "祝日", closure: "休業", personal: "休暇" };
const personStatuses: Record<AvailabilityPersonStatus, string> = {
  ok: "予定を確認済み",
  unconfirmed: "一部のカレンダーを確認できません",
  no_calendar: "カレンダー未連携（予定を確認できません）",
};
const unreadableReasons: Record<CalendarUnreadableReason, string> = {
  needs_reauth: "再連携が必要です",
  revoked: "連携が取り消されています",
  provider_unavailable: "カレンダーサービスが応答しませんでした",
  calendar_error: "カレンダーサービスでエラーが発生しました",
  provider_not_configured: "このサーバーでは利用できないサービスです",
};

/** 日本語. Counts need no plural form: 1件 and 3件 read alike. */
/** What ja-later.ts shares with this table. */
export type JaWords = {
  jp: typeof jp;
  providerNames: typeof providerNames;
  personalAccounts: typeof personalAccounts;
  connectionKinds: typeof connectionKinds;
};

export const ja: Translation = {
  $language: "ja",
  $name: "日本語",

  dayText: ({ year, month, day, weekday }) => `${year ? `${year}年` : ""}${month}月${day}日（${weekdays[weekday]}）`,
  clockText: (hour, minute) => `${hour}:${String(minute).padStart(2, "0")}`,
  momentText: (day, clock) => `${day}${clock}`,
  rangeText: (from, to) => `${from}〜${to}`,
  inZone: (text, zone) => `${text}（${zone}）`,
  loading: "読み込み中…",
  retry: "再試行",
  close: "閉じる",
  cancel: "キャンセル",
  disconnect: "連携を解除",
  reconnect: "再連携",
  errorHeading: "エラーが発生しました。",
  requestId: (id) => `リクエスト ID：${id}`,
  labelOf: (label) => `${label}：`,
  sentences: (parts) => parts.join(""),

  providerName: (provider) => providerNames[provider],
  accountStatus: (status) => accountStatuses[status],
  accountCount: (count, provider) => `${provider === "zoom" ? "Zoom ユーザー" : "アカウント"}：${count}件`,
  minutes: (count) => `${count}分`,

  integrationsNoneOffered: "このサーバーで利用できる連携はありません。",
  organizationHeading: "組織の連携",
  organizationIntro:
    "管理者向けの設定です。組織で各サービスと連携すると、メンバーが自分のアカウントを連携できるようになります。",
  personalHeading: "個人の連携",
  personalIntro: "面接の予定や通知に使うアカウントを連携します。同じサービスのアカウントを複数連携できます。",
  connectionKind: (provider) => connectionKinds[provider],
  notConnected: "未連携",
  connectedOn: (date) => `${date}に連携`,
  connectOrganization: (provider) => jp`${connectionKinds[provider]}と連携`,
  actionOn: (action, provider, name) => jp`${action}：${providerNames[provider]} ${name}`,
  accountHome: (provider) => accountHomes[provider],
  linkAccount: (provider) => jp`${personalAccounts[provider]}を連携`,
  linkAnotherAccount: (provider) => jp`別の${personalAccounts[provider]}を連携`,
  noAccounts: (provider) => jp`${personalAccounts[provider]}はまだ連携されていません。`,
  organizationMissing: (provider, viewerIsAdmin) =>
    viewerIsAdmin
      ? jp`先に「組織の連携」で${connectionKinds[provider]}と連携してください。`
      : jp`組織の${connectionKinds[provider]}がまだ連携されていません。管理者に連携を依頼してください。`,
  organizationNeedsReauth: (provider, viewerIsAdmin) =>
    viewerIsAdmin
      ? jp`組織の${connectionKinds[provider]}の再連携が必要です。「組織の連携」で再連携してください。`
      : jp`組織の${connectionKinds[provider]}の再連携が必要です。管理者に再連携を依頼してください。`,
  organizationDisconnected: (provider, viewerIsAdmin) =>
    viewerIsAdmin
      ? jp`組織の${connectionKinds[provider]}との連携が解除されました。「組織の連携」でもう一度連携すると、アカウントを再連携できます。`
      : jp`組織の${connectionKinds[provider]}との連携が解除されました。管理者がもう一度連携すると、アカウントを再連携できます。`,
  defaultAccount: "既定",
  makeDefault: "既定にする",
  relink: "再連携",
  unlink: "連携を解除",
  statusReason: (reason) => statusReasons[reason],
  statusReasonOther: "このアカウントは現在使えません。再連携してください。",
  linkStarting: "準備中…",
  organizationLinksAdmin: (provider) =>
    jp`組織の連携に使った${personalAccounts[provider]}は「個人の連携」にも追加されます（ほかの${personalAccounts[provider]}と同じように解除できます）。`,
  defaultMovedAfterReauth: (provider, from, to) =>
    jp`「${from}」の再連携が必要になったため、「${to}」が ${providerNames[provider]} の既定のアカウントになりました。`,
  working: "処理中…",
  loadFailed: "連携の情報を読み込めませんでした。",
  dismiss: "通知を閉じる",

  zoomHostLabel: "Zoom 主催者",
  zoomHostsLoading: "Zoom 主催者の候補を確認しています…",
  zoomHostsNeedTime: "面接の日時を決めると、Zoom 主催者の候補が表示されます。",
  zoomLinkPlace: "連携設定",
  zoomHostsNone: (place) =>
    jp`組織で連携済みの Zoom ユーザーがまだいません。${place}で Zoom ユーザーを連携してください。`,
  zoomHostsLoadFailed: "Zoom 主催者の候補を読み込めませんでした。",
  zoomHostAvailable: "主催できます",
  zoomHostUnavailable: "主催できません",
  zoomHostReason: (reason, place) => zoomHostReasons[reason](place),
  zoomHostReasonOther: "この時間帯は主催できません。",
  zoomHostLoad: (load, limit) => `この時間帯のミーティング：${load}件（上限${limit}件）`,
  zoomHostSuggested: "おすすめ",
  zoomHostPickedBecause: (reason) => `自動選択の理由：${reason}`,
  zoomHostsNoPick:
    "この時間帯に主催できる Zoom ユーザーがいません。別の時間帯を選ぶか、Zoom で主催者の予定を空けてください。",
  zoomHostsLoaded: (count, chosen) =>
    `Zoom 主催者の候補：${count}件。${chosen ? jp`${chosen}を選択中です。` : "選択されていません。"}`,
  zoomHostRequired: "Zoom 主催者を選んでください。",

  scheduleHeading: "面接の設定",
  editHeading: "面接の変更",
  interviewHeading: "面接",
  titleLabel: "件名",
  defaultTitle: (candidate) => (candidate ? jp`面接：${candidate}様` : "面接"),
  candidateNameLabel: "候補者の氏名",
  candidateEmailLabel: "候補者のメールアドレス",
  interviewersLabel: "面接官",
  noInterviewers: "面接官が指定されていません。",
  durationLabel: "所要時間",
  rangeStartLabel: "候補期間の開始日",
  rangeEndLabel: "候補期間の終了日",
  hoursStartLabel: "時間帯（開始）",
  hoursEndLabel: "時間帯（終了）",
  timeZoneNote: (zone) => jp`時刻はすべてタイムゾーン${zone}で表示しています。`,
  slotsHeading: "空き時間",
  slotsLoading: "空き時間を確認しています…",
  slotsLoadFailed: "空き時間を読み込めませんでした。",
  slotsNeedInput: "面接官と候補期間を指定すると、空き時間が表示されます。",
  slotsNone: "この期間に全員が空いている時間はありません。期間や時間帯を広げてください。",
  slotsLoaded: (count, unconfirmed) =>
    unconfirmed ? `予定を確認できた面接官が全員空いている候補日時：${count}件` : `全員が空いている候補日時：${count}件`,
  weekLabel: (from, to) => `候補日時：${from}〜${to}`,
  previousWeek: "前の週",
  nextWeek: "次の週",
  timeHeader: "時刻",
  slotFree: "空き",
  busyWith: (names) => `予定あり：${names}`,
  unconfirmedFor: (names) => `未確認：${names}`,
  dayOff: (reason, name) => (name ? `${dayOffKinds[reason]}：${name}` : dayOffKinds[reason]),
  personStatus: (status) => personStatuses[status],
  calendarUnreadable: (reason) => unreadableReasons[reason],
  calendarAccountLabel: "予定を登録するカレンダー",
  calendarAccountsLoadFailed: "予定を登録するカレンダーを読み込めませんでした。",
  calendarAccountNone:
    "予定を登録できるカレンダーがありません。連携設定で Google カレンダーか Outlook カレンダーを連携してください。",
  webInterviewLabel: "Web 面接（Zoom）",
  chooseSlotFirst: "候補日時を選んでください。",
  review: "内容を確認",
  interviewLoading: "面接の情報を読み込んでいます…",
  interviewLoadFailed: "面接の情報を読み込めませんでした。",

  errors: async () => (await import("./ja-errors.ts")).jaErrors,
  later: async () => (await import("./ja-later.ts")).jaLater({ jp, providerNames, personalAccounts, connectionKinds }),
};
