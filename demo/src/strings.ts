/** The portal's own words (the widgets bring theirs). Japanese first. */
import type { PortalLanguage, PortalRole } from "./users.ts";

export interface PortalStrings {
  brandTagline: string;
  navigationLabel: string;
  pages: { integrations: string; interviews: string };
  pageIntros: { integrations: string; interviews: string };
  signedInAs: string;
  switchLanguage: string;
  roles: Record<PortalRole, string>;
  connection: {
    heading: string;
    intro: (path: string) => string;
    server: string;
    loading: string;
    connected: string;
    failed: string;
    reload: string;
    fields: Record<string, string>;
    errorCode: string;
    details: string;
    requestId: string;
  };
  slots: {
    integrationAccounts: string;
    scheduleInterview: string;
    zoomHostPicker: string;
    /** The label of the picker's start time; the demo interview lasts an hour. */
    interviewStart: string;
  };
  candidate: { name: string; email: string; position: string };
}

export const portalStrings: Record<PortalLanguage, PortalStrings> = {
  ja: {
    brandTagline: "採用管理ポータル",
    navigationLabel: "メインメニュー",
    pages: { integrations: "連携設定", interviews: "面接調整" },
    pageIntros: {
      integrations: "Google・Microsoft 365・Zoom・Slack のアカウントをさくら採用に連携します。",
      interviews: "候補者との面接日程を調整し、Zoom ミーティングとカレンダーの予定を作成します。",
    },
    signedInAs: "ログイン中のユーザー",
    switchLanguage: "English",
    roles: { admin: "管理者", recruiter: "採用担当", assistant: "アシスタント", guest: "ゲスト" },
    connection: {
      heading: "Tsunagu サーバーとの接続",
      intro: (path) =>
        `ポータルが署名したホストトークン（有効期限15分）で ${path} を呼び出し、サーバーが認識した利用者を表示します。`,
      server: "サーバー",
      loading: "接続を確認しています…",
      connected: "接続済み",
      failed: "接続エラー",
      reload: "再確認",
      fields: {
        host: "ホスト",
        org: "組織",
        user: "ユーザー",
        role: "ロール",
        email: "メールアドレス",
        name: "氏名",
        locale: "言語",
        tz: "タイムゾーン",
      },
      errorCode: "エラーコード",
      details: "詳細",
      requestId: "リクエスト ID",
    },
    slots: {
      integrationAccounts: "アカウント連携",
      scheduleInterview: "面接の日程調整",
      zoomHostPicker: "Zoom ホストの選択",
      interviewStart: "面接の開始日時（60分）",
    },
    candidate: { name: "候補者", email: "メールアドレス", position: "応募職種" },
  },
  en: {
    brandTagline: "Recruiting portal",
    navigationLabel: "Main menu",
    pages: { integrations: "Integrations", interviews: "Interview scheduling" },
    pageIntros: {
      integrations: "Link Google, Microsoft 365, Zoom and Slack accounts to Sakura Recruit.",
      interviews: "Schedule interviews with candidates, with a Zoom meeting and a calendar event.",
    },
    signedInAs: "Signed in as",
    switchLanguage: "日本語",
    roles: { admin: "Admin", recruiter: "Recruiter", assistant: "Assistant", guest: "Guest" },
    connection: {
      heading: "Connection to the Tsunagu server",
      intro: (path) =>
        `Calls ${path} with a host token the portal signed (valid 15 minutes) and shows who the server says is ` +
        `calling.`,
      server: "Server",
      loading: "Checking the connection…",
      connected: "Connected",
      failed: "Connection error",
      reload: "Check again",
      fields: {
        host: "Host",
        org: "Organisation",
        user: "User",
        role: "Role",
        email: "Email",
        name: "Name",
        locale: "Language",
        tz: "Time zone",
      },
      errorCode: "Error code",
      details: "Details",
      requestId: "Request ID",
    },
    slots: {
      integrationAccounts: "Linked accounts",
      scheduleInterview: "Schedule an interview",
      zoomHostPicker: "Choose a Zoom host",
      interviewStart: "Interview start (60 minutes)",
    },
    candidate: { name: "Candidate", email: "Email", position: "Position" },
  },
};
