/**
 * The sentence a recruiter reads beside a picked host: the exact Japanese wording (full-width brackets throughout,
 * as every Japanese line of the product writes them; 主催者 and the load in the picker's own words) and the English
 * one.
 */
import { describe, expect, it } from "vitest";
import { pickReason, reasonLanguage } from "../../src/zoom-hosts/pick-reason.ts";

const shared = {
  zoomUserId: "zU_shared",
  displayName: "面接用アカウント",
  basis: "shared_least_loaded",
  load: 1,
  limit: 2,
} as const;
const own = { ...shared, zoomUserId: "zU_ken", displayName: "佐藤 健", basis: "participant_free" } as const;

describe("pickReason", () => {
  it("writes a shared host's reason with full-width brackets around its load", () => {
    expect(pickReason(shared, "ja")).toBe(
      "参加者の Zoom ユーザーが空いていないため、共有の Zoom ユーザーのうち最も空いている" +
        "「面接用アカウント」（この時間帯のミーティング1件、上限2件）を主催者に選びました。",
    );
    expect(pickReason(shared, "en")).toBe(
      "面接用アカウント hosts because no participant's own Zoom user is free and it is the least busy shared Zoom " +
        "user (1/2 meetings at that time).",
    );
  });

  it("writes a participant's own host's reason", () => {
    expect(pickReason(own, "ja")).toBe(
      "参加者の Zoom ユーザー「佐藤 健」がこの時間帯に空いているため、主催者に選びました。",
    );
    // A person is not "it": the sentence names them as its subject.
    expect(pickReason({ ...own, displayName: "Ken Sato" }, "en")).toBe(
      "Ken Sato is a participant's own Zoom user and is free at that time.",
    );
    expect(reasonLanguage("ja")).toBe("ja");
    expect(reasonLanguage(undefined)).toBe("en");
  });
});
