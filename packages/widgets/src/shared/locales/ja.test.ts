import { expect } from "@open-wc/testing";
import { lostFeatures, statusReasons, zoomHostReasons } from "@tsunagu/contract";
import { providerIds } from "../provider-id.ts";
import { ja } from "./ja.ts";

/** A Latin letter straight against a kana or kanji, either way round: the one spacing rule says a space goes there
 * (numbers with counters, "3件", "10分", take none). */
const unspaced = /[A-Za-z][\u3040-\u30ff\u3400-\u9fff]|[\u3040-\u30ff\u3400-\u9fff][A-Za-z]/;

/** Every phrase the table can make: each term with each provider and a Latin name, and every error message. */
function everyPhrase(): string[] {
  const phrases: string[] = [];
  const table = ja as unknown as Record<string, unknown>;
  const examples: Record<string, unknown[][]> = {
    requestId: [["req_8Hk2"]],
    accountCount: [[3]],
    minutes: [[10]],
    connectedOn: [["2026年3月2日"]],
    accountStatus: [["active"], ["needs_reauth"], ["revoked"]],
    statusReason: statusReasons.map((reason) => [reason]),
    defaultMoves: [["Ken Sato"], [undefined]],
    zoomHostReason: zoomHostReasons.map((reason) => [reason]),
    zoomHostLoad: [[1, 2]],
    zoomHostPickedBecause: [["面接官の Ken Sato が空いているため選びました。"]],
    zoomHostsLoaded: [
      [3, "Ken Sato"],
      [2, "採用担当"],
      [0, undefined],
    ],
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
  phrases.push(...Object.values(ja.errors));
  return phrases;
}

describe("the Japanese table", () => {
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
    expect(ja.cancelLinking("microsoft", "organization")).to.equal("Microsoft 365 テナントの接続をキャンセル");
    expect(ja.organizationDisconnected("slack", false)).to.equal(
      "組織の Slack ワークスペースの接続が解除されました。管理者が接続し直すと、アカウントを再連携できます。",
    );
  });

  it("writes 'Google Workspace を接続' and '組織の Zoom アカウント', and Microsoft's own button name", () => {
    expect(ja.connectOrganization("google")).to.equal("Google Workspace を接続");
    expect(ja.organizationMissing("zoom", false)).to.equal(
      "組織の Zoom アカウントがまだ接続されていません。管理者に接続を依頼してください。",
    );
    expect(ja.consentDenied("microsoft")).to.contain("「承諾」");
  });

  it("words the Zoom hosts as a recruiter would read them", () => {
    expect(ja.zoomHostLabel).to.equal("Zoom 主催者");
    expect(ja.zoomHostReason("busy")).to.equal("同じ時間帯に他の会議があります。");
    expect(ja.zoomHostReason("basic_user_time_limit")).to.equal("無料（ベーシック）ユーザーは40分までです。");
    expect(ja.zoomHostsLoaded(2, "Ken Sato")).to.equal("Zoom 主催者の候補：2件。Ken Sato を選択中です。");
  });
});
