import type { Translation } from "../translation.ts";

const providerNames = { google: "Google", microsoft: "Microsoft 365", zoom: "Zoom", slack: "Slack" } as const;
const accountStatuses = { active: "接続済み", needs_reauth: "再認証が必要", revoked: "取り消し済み" } as const;

/** 日本語. Counts need no plural form: 1件 and 3件 read alike. */
export const ja: Translation = {
  $language: "ja",
  $name: "日本語",

  loading: "読み込み中…",
  retry: "再試行",
  close: "閉じる",
  cancel: "キャンセル",
  save: "保存",
  connect: "接続",
  disconnect: "接続を解除",
  reconnect: "再接続",
  errorHeading: "問題が発生しました",
  requestId: (id) => `リクエストID: ${id}`,

  providerName: (provider) => providerNames[provider],
  accountStatus: (status) => accountStatuses[status],
  accountCount: (count) => `${count}件のアカウント`,
  minutes: (count) => `${count}分`,

  errors: {
    network_error: "Tsunagu サーバーに接続できませんでした。ネットワークを確認して、もう一度お試しください。",
    timeout: "Tsunagu サーバーから時間内に応答がありませんでした。もう一度お試しください。",
    invalid_response: "Tsunagu サーバーから予期しない応答がありました。",
    server_missing: "Tsunagu サーバーのURLが設定されていません（server 属性）。",
    token_missing: "ホストトークンが設定されていません（token または tokenProvider）。",
    token_unavailable: "ポータルからホストトークンを取得できませんでした。",
    token_expired: "セッションの有効期限が切れました。ページを再読み込みしてください。",
    token_signature: "ホストトークンの署名を確認できませんでした。",
    forbidden: "この操作を行う権限がありません。",
    rate_limited: "リクエストが多すぎます。しばらくしてからもう一度お試しください。",
    internal_error: "サーバーでエラーが発生しました。",
  },
};
