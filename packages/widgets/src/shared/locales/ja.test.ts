import { expect } from "@open-wc/testing";
import {
  availabilityPersonStatuses,
  calendarUnreadableReasons,
  interviewStatuses,
  lostFeatures,
  statusReasons,
  zoomHostReasons,
} from "@tsunagu/contract";
import { providerIds } from "../provider-id.ts";
import type { LaterTerms, Terms } from "../translation.ts";
import { ja } from "./ja.ts";
import { jaErrors } from "./ja-errors.ts";

/** A Latin letter straight against a kana or kanji, either way round: the one spacing rule says a space goes there
 * (numbers with counters, "3件", "10分", take none). */
const unspaced = /[A-Za-z][\u3040-\u30ff\u3400-\u9fff]|[\u3040-\u30ff\u3400-\u9fff][A-Za-z]/;

const candidateNews = ["scheduled", "rescheduled", "changed"] as const;

/** The whole table: the first screen's terms and the later steps' (a chunk of their own). */
let terms: Terms;
before(async () => {
  const later: LaterTerms = typeof ja.later === "function" ? await ja.later() : ja.later;
  terms = { ...ja, ...later };
});

/** Every phrase the table can make: each term with each provider and a Latin name, and every error message. */
function everyPhrase(): string[] {
  const phrases: string[] = [];
  const table = terms as unknown as Record<string, unknown>;
  const examples: Record<string, unknown[][]> = {
    requestId: [["req_8Hk2"]],
    labelOf: [["パスコード"], ["Zoom の URL"]],
    sentences: [[["完了できませんでした。", "サーバーが混み合っています。"]]],
    accountCount: [[3]],
    minutes: [[10]],
    connectedOn: [["2026年3月2日"]],
    accountStatus: [["active"], ["needs_reauth"], ["revoked"]],
    statusReason: statusReasons.map((reason) => [reason]),
    defaultMoves: [["Ken Sato"], [undefined]],
    zoomHostReason: zoomHostReasons.flatMap((reason) => [
      [reason, "連携設定"],
      [reason, "上の「アカウント連携」"],
      [reason, "Tsunagu の設定画面"],
    ]),
    zoomHostsNone: [["連携設定"], ["上の「アカウント連携」"], ["Tsunagu の設定画面"]],
    zoomHostLoad: [[1, 2]],
    zoomHostPickedBecause: [["参加者の Zoom ユーザー「Ken Sato」がこの時間帯に空いているため、主催者に選びました。"]],
    zoomHostsLoaded: [
      [3, "Ken Sato"],
      [2, "採用担当"],
      [0, undefined],
    ],
    defaultTitle: [["山田"], ["Hanako Yamada"], [""]],
    timeZoneNote: [["Asia/Tokyo"]],
    slotsLoaded: [
      [12, false],
      [12, true],
    ],
    weekLabel: [["1月11日（月）", "1月17日（日）"]],
    dayText: [[{ year: 2026, month: 12, day: 1, weekday: 2 }], [{ month: 1, day: 11, weekday: 1 }]],
    clockText: [
      [9, 0],
      [14, 30],
    ],
    momentText: [["12月1日（火）", "9:00"]],
    rangeText: [["9:00", "10:00"]],
    inZone: [["12月1日（火）9:00〜10:00", "Asia/Tokyo"]],
    busyWith: [["Ken Sato、田中"]],
    unconfirmedFor: [["田中"]],
    dayOff: [
      ["holiday", "勤労感謝の日"],
      ["closure", "年末年始"],
      ["personal", ""],
    ],
    personStatus: availabilityPersonStatuses.map((status) => [status]),
    calendarUnreadable: calendarUnreadableReasons.map((reason) => [reason]),
    pickedBusy: [["Ken Sato"], ["田中"]],
    inProgress: [["book"], ["update"], ["cancel"]],
    resultHeading: interviewStatuses.flatMap((status) => [
      [status, "booked"],
      [status, "changed"],
      [status, "loaded"],
    ]),
    copy: [["Zoom の URL"], ["候補者へのメッセージ"]],
    candidateMessageTemplate: candidateNews.flatMap((news) => [
      [news, true],
      [news, false],
    ]),
    interviewStatus: interviewStatuses.map((status) => [status]),
  };
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === "string") phrases.push(value);
    if (typeof value !== "function") continue;
    const calls =
      examples[key] ??
      providerIds.flatMap((provider) =>
        key === "actionOn"
          ? [["連携を解除", provider, "Ken Sato (ken.sato@sakura-recruit.example)"]]
          : key === "lostFeature"
            ? lostFeatures.flatMap((feature) => [
                [feature, provider, "personal"],
                [feature, provider, "organization"],
              ])
            : key === "cancelLinking"
              ? [
                  [provider, "organization"],
                  [provider, "personal"],
                ]
              : [
                  [provider, true, 3],
                  [provider, false, 0],
                  [provider, "Sakura Recruit", 2],
                ],
      );
    for (const args of calls) phrases.push(String((value as (...args: unknown[]) => unknown)(...args)));
  }
  phrases.push(...Object.values(jaErrors));
  return phrases;
}

describe("the Japanese table", () => {
  it("leaves the later steps' terms to their own chunk", () => {
    expect(Object.keys(ja)).to.not.include.members(["unlinkTitle", "resultHeading", "copy"]);
    expect(terms.unlinkTitle("slack")).to.equal("Slack アカウントの連携を解除しますか？");
  });

  it("puts one space between every Latin word and Japanese word, in every phrase", () => {
    const offending = everyPhrase().filter((phrase) => unspaced.test(phrase));
    expect(offending).to.deep.equal([]);
  });

  it("puts no space between two Japanese words, nor between a number and its counter", () => {
    const japanese = "[\\u3040-\\u30ff\\u3400-\\u9fff]";
    // Counters ("3件", "10分", "1つ"), not names that end in a number ("Microsoft 365 の").
    const spacedJapanese = new RegExp(`${japanese} ${japanese}|[0-9] (件|分|秒|時間|日|週|か月|年|人|回|個|つ)`);
    const offending = everyPhrase().filter((phrase) => spacedJapanese.test(phrase));
    expect(offending).to.deep.equal([]);
    expect(terms.cancelLinking("microsoft", "organization")).to.equal("Microsoft 365 テナントとの連携をキャンセル");
    expect(terms.organizationDisconnected("slack", false)).to.equal(
      "組織の Slack ワークスペースとの連携が解除されました。管理者がもう一度連携すると、アカウントを再連携できます。",
    );
  });

  it("puts a full-width colon after a Japanese label, never a half-width one", () => {
    const halfWidth = /[\u3040-\u30ff\u3400-\u9fff）] ?:/;
    const offending = everyPhrase().filter((phrase) => halfWidth.test(phrase));
    expect(offending).to.deep.equal([]);
    expect(terms.labelOf("パスコード")).to.equal("パスコード：");
    // Nor a space after 。 when sentences are put together.
    expect(terms.sentences(["完了できませんでした。", "もう一度お試しください。"])).to.equal(
      "完了できませんでした。もう一度お試しください。",
    );
    expect(terms.actionOn("連携を解除", "slack", "佐藤 健")).to.equal("連携を解除：Slack 佐藤 健");
  });

  it("writes 'Google Workspace と連携' and '組織の Zoom アカウント', and Microsoft's own button name", () => {
    expect(terms.connectOrganization("google")).to.equal("Google Workspace と連携");
    expect(terms.organizationMissing("zoom", false)).to.equal(
      "組織の Zoom アカウントがまだ連携されていません。管理者に連携を依頼してください。",
    );
    expect(terms.consentDenied("microsoft")).to.contain("「承諾」");
  });

  it("says 連携 for an organisation's connections as for an account, as HERP Hire and HITO-Link do", () => {
    // 接続 only where a server or its database is reached; 連携 for every service, the organisation's and a person's.
    const connecting = everyPhrase().filter((phrase) => /(?<!(サーバー|データベース)に)接続/.test(phrase));
    expect(connecting).to.deep.equal([]);
    // Nor the translated "your" (あなたの): the sections are 組織の連携 and 個人の連携.
    expect(everyPhrase().filter((phrase) => phrase.includes("あなた"))).to.deep.equal([]);
    expect(terms.disconnectTitle("slack")).to.equal("Slack ワークスペースとの連携を解除しますか？");
    expect(terms.accountStatus("needs_reauth")).to.equal("再連携が必要");
    expect(terms.reconnect).to.equal("再連携");
  });

  it("says Zoom ユーザー for what a person links and Zoom アカウント for the organisation's, as the picker does", () => {
    expect(terms.linkAccount("zoom")).to.equal("Zoom ユーザーを連携");
    expect(terms.unlinkTitle("zoom")).to.equal("Zoom ユーザーの連携を解除しますか？");
    expect(terms.startMeetingNeedsReauth).to.contain("主催者の Zoom ユーザーの再連携が必要です。");
    expect(terms.connectOrganization("zoom")).to.equal("Zoom アカウントと連携");
    expect(terms.linkAccount("slack")).to.equal("Slack アカウントを連携");
  });

  it("words the Zoom hosts as a recruiter would read them", () => {
    expect(terms.zoomHostLabel).to.equal("Zoom 主催者");
    expect(terms.zoomHostReason("busy", terms.zoomLinkPlace)).to.equal(
      "同じ時間帯に別のミーティングを主催しています。",
    );
    // One word for each thing, as in the picker's label: 主催者 (not ホスト, save the portal's ホストトークン), ミーティング
    // (not 会議).
    const mixed = everyPhrase().filter((phrase) => /ホスト(?!トークン)|会議/.test(phrase));
    expect(mixed).to.deep.equal([]);
    expect(terms.zoomHostReason("basic_user_time_limit", terms.zoomLinkPlace)).to.equal(
      "ベーシック（無料）ユーザーが主催できるのは40分までのミーティングです。",
    );
    expect(terms.zoomHostsLoaded(2, "Ken Sato")).to.equal("Zoom 主催者の候補：2件。Ken Sato を選択中です。");
  });

  it("words the interview scheduler as a recruiter would read it", () => {
    expect(terms.scheduleHeading).to.equal("面接の設定");
    expect(terms.slotsHeading).to.equal("空き時間");
    expect(terms.confirm).to.equal("確定する");
    expect(terms.weekLabel("1月11日（月）", "1月17日（日）")).to.equal("候補日時：1月11日（月）〜1月17日（日）");
    expect(terms.pickedBusy("Ken Sato")).to.equal("この時間は Ken Sato の予定と重なっています。");
    expect(terms.inZone("12月1日（火）9:00〜10:00", "Asia/Tokyo")).to.equal("12月1日（火）9:00〜10:00（Asia/Tokyo）");
    expect(terms.dayOff("holiday", "勤労感謝の日")).to.equal("祝日：勤労感謝の日");
    expect(terms.copy("Zoom の URL")).to.equal("Zoom の URL をコピー");
  });
});
