/** The portal's own words (the widgets bring theirs). Japanese first. */
import type { InterviewStatus } from "@tsunagu/contract";
import type { CandidateStage } from "./candidates.ts";
import type { NavigationPage } from "./routes.ts";
import type { PortalLanguage, PortalRole } from "./users.ts";

export interface PortalStrings {
  brandTagline: string;
  navigationLabel: string;
  pages: Record<NavigationPage, string>;
  pageIntros: Record<NavigationPage, string>;
  signedInAs: string;
  switchLanguage: string;
  roles: Record<PortalRole, string>;
  /** A user in the switcher: their name and role, in the language's brackets. */
  userOption: (name: string, role: string) => string;
  /** Said wherever someone who may not book would otherwise find a booking action (the server's roles). */
  cannotBook: { assistant: string; guest: string };
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
    zoomHostPicker: string;
    /** The label of the picker's start time; the check is for an hour. */
    interviewStart: string;
    /** Where the picker tells people to link a Zoom user: the accounts section above it, on this very page. */
    zoomLinkPlace: string;
  };
  candidates: {
    listLabel: string;
    name: string;
    position: string;
    stage: string;
    email: string;
    stages: Record<CandidateStage, string>;
  };
  candidate: {
    back: string;
    notFound: (id: string) => string;
    /** The profile's heading, naming the candidate. */
    profile: (name: string) => string;
    interviewers: string;
    interviewersHint: string;
    /** Under the page's title (the candidate's name), as each menu page has its own. */
    intro: string;
    /** The booking section's heading: the element inside heads its own steps (面接の設定, 面接, 面接の変更). */
    schedule: string;
    /** After a booking, beside the element's own confirmation: where the interview can be changed. */
    seeInterviews: string;
  };
  interviews: {
    loading: string;
    empty: string;
    reload: string;
    tableLabel: string;
    when: string;
    title: string;
    candidate: string;
    interviewers: string;
    web: string;
    status: string;
    actions: string;
    statuses: Record<InterviewStatus, string>;
    noWeb: string;
    join: string;
    reschedule: string;
    cancel: string;
    /** An action's accessible name: its visible words, then the interview's title. */
    about: (action: string, title: string) => string;
    editing: (title: string) => string;
    close: string;
    confirmHeading: string;
    confirmBody: (title: string, when: string, candidate: string) => string;
    confirmCancel: string;
    keep: string;
    cancelled: (title: string) => string;
  };
  templates: {
    kinds: Record<string, string>;
    choose: string;
    language: string;
    languages: Record<PortalLanguage, string>;
    name: string;
    subject: string;
    body: string;
    tags: string;
    /** What each tag becomes; a tag a newer server adds shows the server's own description. */
    tagDescriptions: Record<string, string>;
    stored: string;
    notStored: string;
    save: string;
    saving: string;
    saved: string;
    adminOnly: string;
    preview: string;
    previewNote: string;
    previewing: string;
    /** Before the previewed subject, with the language's colon (and English's space). */
    previewSubject: string;
    /** The render route's refusals, each naming the tag (error.details.tag). */
    problems: Record<"template_unknown_tag" | "template_value_missing" | "template_malformed", (tag: string) => string>;
    sample: { title: string; candidateName: string; interviewers: string[] };
  };
  links: {
    candidate: string;
    interviewers: string;
    duration: string;
    minutes: (count: number) => string;
    days: string;
    daysOption: (count: number) => string;
    find: string;
    finding: string;
    slots: string;
    slotsHint: string;
    noSlots: string;
    create: string;
    creating: string;
    created: string;
    url: string;
    expires: string;
    open: string;
    copy: string;
    copied: string;
    chooseSlot: string;
    chooseInterviewer: string;
    title: string;
    zoom: string;
  };
}

export const portalStrings: Record<PortalLanguage, PortalStrings> = {
  ja: {
    brandTagline: "採用管理ポータル",
    navigationLabel: "メインメニュー",
    pages: {
      candidates: "候補者",
      interviews: "面接一覧",
      links: "日程調整リンク",
      templates: "メッセージテンプレート",
      integrations: "連携設定",
    },
    pageIntros: {
      candidates: "選考中の候補者です。候補者を開いて面接を設定します。",
      interviews: "設定済みの面接です。日程の変更やキャンセルができます。",
      links: "候補者に空き枠を選んでもらうリンクを作成します。",
      templates: "候補者に送る日程確定メールなどの文面を編集します。タグは面接ごとの値に置き換わります。",
      integrations:
        "Google・Microsoft 365・Zoom・Slack のアカウントをさくら採用に連携し、面接の日程調整に使う勤務時間と休日を設定します。",
    },
    signedInAs: "ログイン中のユーザー",
    switchLanguage: "English",
    roles: { admin: "管理者", recruiter: "リクルーター", assistant: "アシスタント", guest: "ゲスト" },
    userOption: (name, role) => `${name}（${role}）`,
    cannotBook: {
      assistant: "アシスタントは面接の設定・変更・キャンセルができません（面接一覧は閲覧できます）。",
      guest: "ゲストは面接の設定・変更・キャンセルも、面接一覧の閲覧もできません。",
    },
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
      zoomHostPicker: "Zoom 主催者の空き確認",
      interviewStart: "開始日時（60分）",
      zoomLinkPlace: "上の「アカウント連携」",
    },
    candidates: {
      listLabel: "候補者一覧",
      name: "氏名",
      position: "応募職種",
      stage: "選考状況",
      email: "メールアドレス",
      stages: { screening: "書類選考通過", first: "一次面接済み", second: "二次面接済み", final: "最終選考" },
    },
    candidate: {
      back: "候補者一覧に戻る",
      notFound: (id) => `候補者 ${id} は見つかりません。`,
      profile: (name) => `候補者情報：${name}`,
      interviewers: "面接官",
      interviewersHint: "面接官を選ぶと、全員の空き時間が表示されます。",
      intro: "応募内容を確認し、次の面接を設定します。",
      schedule: "次の面接",
      seeInterviews: "面接一覧で確認する",
    },
    interviews: {
      loading: "面接を読み込んでいます…",
      empty: "設定済みの面接はありません。",
      reload: "再読み込み",
      tableLabel: "設定済みの面接",
      when: "日時",
      title: "件名",
      candidate: "候補者",
      interviewers: "面接官",
      web: "Web 面接",
      status: "状態",
      actions: "操作",
      statuses: {
        booking: "設定中",
        confirmed: "確定",
        updating: "変更中",
        cancelling: "キャンセル中",
        cancelled: "キャンセル済み",
        failed: "設定できませんでした",
      },
      noWeb: "対面",
      join: "参加 URL",
      reschedule: "日程変更",
      cancel: "キャンセル",
      about: (action, title) => `${action}（${title}）`,
      editing: (title) => `「${title}」の変更`,
      close: "閉じる",
      // As <schedule-interview>'s own confirmation words it (この面接…, 元に戻すことはできません).
      confirmHeading: "この面接をキャンセルしますか？",
      confirmBody: (title, when, candidate) =>
        `${when} の「${title}」（${candidate} 様）をキャンセルします。Zoom ミーティングとカレンダーの予定も削除され、` +
        "元に戻すことはできません。",
      confirmCancel: "キャンセルする",
      keep: "キャンセルしない",
      cancelled: (title) => `「${title}」をキャンセルしました。`,
    },
    templates: {
      kinds: {
        interview_confirmed: "日程確定メール",
        interview_rescheduled: "日程変更メール",
        interview_cancelled: "面接キャンセルメール",
      },
      choose: "テンプレート",
      language: "言語",
      languages: { ja: "日本語", en: "英語" },
      name: "テンプレート名",
      subject: "件名",
      body: "本文",
      tags: "使えるタグ",
      tagDescriptions: {
        title: "面接の件名",
        date: "開始日。例：2026年12月3日（木）",
        start: "開始日時。例：2026年12月3日（木）9:00",
        end: "終了時刻。例：10:00（日をまたぐときは日付も）",
        duration: "所要時間。例：60分",
        time_zone: "時刻のタイムゾーン。例：Asia/Tokyo",
        candidate_name: "候補者の氏名",
        interviewers: "面接官の氏名。例：佐藤、田中",
        zoom_url: "Zoom ミーティングの参加 URL",
        zoom_passcode: "Zoom ミーティングのパスコード",
        zoom_meeting_id: "Zoom ミーティング ID。例：123 4567 8901",
        calendar_link: "カレンダーの予定へのリンク",
      },
      stored: "保存済み",
      notStored: "未保存（標準の文面）",
      save: "保存",
      saving: "保存しています…",
      saved: "保存しました。",
      adminOnly: "テンプレートを変更できるのは管理者だけです。",
      preview: "プレビュー",
      previewNote: "サンプルの面接（Zoom あり）の値で表示しています。",
      previewing: "プレビューを更新しています…",
      previewSubject: "件名：",
      problems: {
        template_unknown_tag: (tag) => `{{${tag}}} というタグはありません。下の「使えるタグ」から選んでください。`,
        template_value_missing: (tag) => `{{${tag}}} に入る値がこの面接にはありません。`,
        template_malformed: (near) => `「{{」が「}}」で閉じられていません（${near}）。`,
      },
      sample: { title: "一次面接", candidateName: "小林 さくら", interviewers: ["佐藤 健", "高橋 翔"] },
    },
    links: {
      candidate: "候補者",
      interviewers: "面接官",
      duration: "所要時間",
      minutes: (count) => `${count}分`,
      days: "期間",
      daysOption: (count) => `明日から${count}日間`,
      find: "空き枠を探す",
      finding: "空き枠を探しています…",
      slots: "候補者に提示する枠",
      slotsHint: "候補者はこの中から1つを選んで予約します。",
      noSlots: "この期間に全員が空いている枠はありません。",
      create: "リンクを作成",
      creating: "リンクを作成しています…",
      created: "日程調整リンクを作成しました。",
      url: "リンク",
      expires: "有効期限",
      open: "候補者のページを開く",
      copy: "リンクをコピー",
      copied: "コピーしました。",
      chooseSlot: "枠を1つ以上選んでください。",
      chooseInterviewer: "面接官を1人以上選んでください。",
      title: "件名",
      zoom: "Zoom で Web 面接にする",
    },
  },
  en: {
    brandTagline: "Recruiting portal",
    navigationLabel: "Main menu",
    pages: {
      candidates: "Candidates",
      interviews: "Interviews",
      links: "Scheduling links",
      templates: "Message templates",
      integrations: "Integrations",
    },
    pageIntros: {
      candidates: "Candidates in the pipeline. Open one to schedule an interview.",
      interviews: "Scheduled interviews. Reschedule or cancel them here.",
      links: "Make a link where a candidate picks one of the free slots.",
      templates: "Edit the messages candidates receive, such as the confirmation. Tags become each interview's values.",
      integrations:
        "Link Google, Microsoft 365, Zoom and Slack accounts to Sakura Recruit, and set the working hours and " +
        "days off that interviews are scheduled in.",
    },
    signedInAs: "Signed in as",
    switchLanguage: "日本語",
    roles: { admin: "Admin", recruiter: "Recruiter", assistant: "Assistant", guest: "Guest" },
    userOption: (name, role) => `${name} (${role})`,
    cannotBook: {
      assistant: "Assistants cannot schedule, change or cancel interviews (they can see the list).",
      guest: "Guests cannot schedule, change or cancel interviews, nor see the list.",
    },
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
      zoomHostPicker: "Check Zoom hosts",
      interviewStart: "Start (60 minutes)",
      zoomLinkPlace: "the Linked accounts section above",
    },
    candidates: {
      listLabel: "Candidates",
      name: "Name",
      position: "Position",
      stage: "Stage",
      email: "Email",
      stages: {
        screening: "Passed screening",
        first: "First interview done",
        second: "Second interview done",
        final: "Final round",
      },
    },
    candidate: {
      back: "Back to candidates",
      notFound: (id) => `No candidate ${id}.`,
      profile: (name) => `Candidate: ${name}`,
      interviewers: "Interviewers",
      interviewersHint: "Choose the interviewers; their common free time is shown.",
      schedule: "Next interview",
      intro: "The candidate's application, and their next interview to schedule.",
      seeInterviews: "See it in the interview list",
    },
    interviews: {
      loading: "Loading interviews…",
      empty: "No interviews scheduled.",
      reload: "Reload",
      tableLabel: "Scheduled interviews",
      when: "When",
      title: "Title",
      candidate: "Candidate",
      interviewers: "Interviewers",
      web: "Web interview",
      status: "Status",
      actions: "Actions",
      statuses: {
        booking: "Scheduling",
        confirmed: "Confirmed",
        updating: "Changing",
        cancelling: "Cancelling",
        cancelled: "Cancelled",
        failed: "Could not be scheduled",
      },
      noWeb: "In person",
      join: "Join URL",
      reschedule: "Reschedule",
      cancel: "Cancel",
      about: (action, title) => `${action} (${title})`,
      editing: (title) => `Changing "${title}"`,
      close: "Close",
      confirmHeading: "Cancel this interview?",
      confirmBody: (title, when, candidate) =>
        `"${title}" with ${candidate} on ${when} will be cancelled, and its Zoom meeting and calendar event deleted. ` +
        "This cannot be undone.",
      confirmCancel: "Cancel the interview",
      keep: "Keep it",
      cancelled: (title) => `Cancelled "${title}".`,
    },
    templates: {
      kinds: {
        interview_confirmed: "Interview confirmation",
        interview_rescheduled: "Interview rescheduled",
        interview_cancelled: "Interview cancelled",
      },
      choose: "Template",
      language: "Language",
      languages: { ja: "Japanese", en: "English" },
      name: "Name",
      subject: "Subject",
      body: "Body",
      tags: "Tags",
      tagDescriptions: {
        title: "the interview's title",
        date: "the day it starts, e.g. Thu, Dec 3, 2026",
        start: "the day and time it starts, e.g. Thu, Dec 3, 2026, 9:00 AM",
        end: "the time it ends, e.g. 10:00 AM (with the day when that is another day)",
        duration: "its length, e.g. 60 minutes",
        time_zone: "the time zone of the times, e.g. Asia/Tokyo",
        candidate_name: "the candidate's name",
        interviewers: "the interviewers' names, e.g. Sato, Tanaka",
        zoom_url: "the Zoom meeting's join URL",
        zoom_passcode: "the Zoom meeting's passcode",
        zoom_meeting_id: "the Zoom meeting ID, e.g. 123 4567 8901",
        calendar_link: "the calendar event's link",
      },
      stored: "Saved",
      notStored: "Not saved (the standard text)",
      save: "Save",
      saving: "Saving…",
      saved: "Saved.",
      adminOnly: "Only an administrator can change templates.",
      preview: "Preview",
      previewNote: "Shown with a sample interview's values (with Zoom).",
      previewing: "Updating the preview…",
      previewSubject: "Subject: ",
      problems: {
        template_unknown_tag: (tag) => `{{${tag}}} is not a tag. Choose one from the tags below.`,
        template_value_missing: (tag) => `This interview has no value for {{${tag}}}.`,
        template_malformed: (near) => `A "{{" is not closed by "}}" (at "${near}").`,
      },
      sample: {
        title: "First interview",
        candidateName: "Sakura Kobayashi",
        interviewers: ["Ken Sato", "Sho Takahashi"],
      },
    },
    links: {
      candidate: "Candidate",
      interviewers: "Interviewers",
      duration: "Length",
      minutes: (count) => `${count} minutes`,
      days: "Range",
      daysOption: (count) => `${count} days from tomorrow`,
      find: "Find free slots",
      finding: "Finding free slots…",
      slots: "Slots to offer",
      slotsHint: "The candidate books one of these.",
      noSlots: "Nobody has common free time in this range.",
      create: "Make the link",
      creating: "Making the link…",
      created: "The scheduling link is ready.",
      url: "Link",
      expires: "Expires",
      open: "Open the candidate's page",
      copy: "Copy the link",
      copied: "Copied.",
      chooseSlot: "Choose at least one slot.",
      chooseInterviewer: "Choose at least one interviewer.",
      title: "Title",
      zoom: "A web interview on Zoom",
    },
  },
};
