/**
 * The interview notices end to end on the real app, the real Slack fake and
 * this project's database: the saga's observer (interviews/ports.ts) called
 * inside a real transaction with real InterviewViews, the outbox rows it
 * writes there, and the delivery worker sending them: the portal's signed
 * webhooks to a receiver, the interviewers' DMs to the Slack fake (read back
 * from its `GET /_control/messages`).
 */
import type { InterviewView } from "@tsunagu/contract";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { InterviewChange } from "../../src/interviews/ports.ts";
import { createInterviewNotices } from "../../src/notices/observer.ts";
import { verifySignature } from "../../src/webhooks/signature.ts";
import { expectLinked, linkSlack } from "../oauth/adapters/zoom-slack-links.ts";
import { type Caller, createTestApp, originA, type WebhookTestApp } from "../support/test-app.ts";
import { confirmedInterview, person } from "./interview-views.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const tenant = { hostId: "portal-a", orgId: "sakura" };
const hanako: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const slackIds = { ken: "U0S002KEN", misaki: "U0S003MISA", emily: "U0S008EMIL" } as const;
/** The year is written only for another year than the clock's. */
let year = "";

interface PostedDm {
  recipient?: string;
  text?: string;
}

async function slackMessages(): Promise<PostedDm[]> {
  const response = await fetch(`${t.slack.fake.baseUrl}/_control/messages`);
  return ((await response.json()) as { messages: PostedDm[] }).messages;
}

/** The DMs posted since `before`, by Slack user id. */
async function dmsSince(before: number): Promise<Record<string, string>> {
  const posted = (await slackMessages()).slice(before);
  const byRecipient: Record<string, string> = {};
  for (const message of posted) {
    expect(message.recipient, "one DM per recipient").toBeDefined();
    expect(byRecipient[message.recipient as string], `a second DM to ${message.recipient}`).toBeUndefined();
    byRecipient[message.recipient as string] = message.text ?? "";
  }
  return byRecipient;
}

const observer = () => createInterviewNotices({ clock: t.clock });

/** As the saga does: the change settled and its notices queued in one transaction. */
async function settle(change: Omit<InterviewChange, "tenant" | "actorUserId">): Promise<void> {
  await t.db.transaction().execute((trx) => observer().record(trx, { tenant, actorUserId: "hanako", ...change }));
}

async function link(sub: string, slackUserId: string, claims: Record<string, unknown> = {}): Promise<void> {
  const caller: Caller = { sub, org: "sakura", role: "recruiter" };
  expectLinked((await linkSlack(t, caller, "personal", slackUserId)).outcome);
  // The portal's token says the person's language and zone; the server records them as the users row.
  const me = await t.app.request("/v1/me", {
    headers: { authorization: `Bearer ${await t.token(caller, claims)}`, origin: originA },
  });
  expect(me.status).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], webhooks: { policy: { maxAttempts: 3 } } });
  expectLinked((await linkSlack(t, hanako, "org", "U0S001HANA")).outcome);
  await link("ken", slackIds.ken);
  await link("misaki", slackIds.misaki);
  await link("emily", slackIds.emily, { locale: "en", tz: "America/New_York" });
  // sho has no Slack: he is an interviewer who gets no DM.
  await t.delivery.deliverDue();
  year = t.clock.now().getUTCFullYear() === 2026 ? "" : "2026年";
}, 60_000);
afterAll(async () => {
  await t?.close();
});
beforeEach(() => {
  t.receiver.clear();
});

describe("a booking", () => {
  it("DMs each interviewer with Slack in their language and zone, and nobody without Slack", async () => {
    const before = (await slackMessages()).length;
    await settle({ kind: "scheduled", interview: confirmedInterview() });
    const report = await t.delivery.deliverDue();
    expect(report).toMatchObject({ delivered: 3, failed: 0, retrying: 0 });

    const dms = await dmsSince(before);
    expect(Object.keys(dms).sort()).toEqual([slackIds.emily, slackIds.ken].sort());
    expect(dms[slackIds.ken]).toBe(
      [
        "*面接が確定しました*",
        "一次面接 &lt;バックエンド&gt;",
        "候補者：山田 花子さん",
        `日時：${year}12月3日（木）14:00〜15:00（Asia/Tokyo）`,
        "Zoom：https://zoom.us/j/81234567890?pwd=abc（パスコード：a1b2c3）",
        "カレンダー：https://calendar.google.com/calendar/event?eid=dHN1bmFndQ",
      ].join("\n"),
    );
    // Emily reads English, in New York: 05:00 UTC is midnight there.
    expect(dms[slackIds.emily]).toBe(
      [
        "*Interview scheduled*",
        "一次面接 &lt;バックエンド&gt;",
        "Candidate: 山田 花子",
        `When: Thu, Dec 3${year ? ", 2026" : ""}, 12:00 AM – 1:00 AM (America/New_York)`,
        "Zoom: https://zoom.us/j/81234567890?pwd=abc (passcode a1b2c3)",
        "Calendar: https://calendar.google.com/calendar/event?eid=dHN1bmFndQ",
      ].join("\n"),
    );
  });

  it("sends the portal interview.scheduled, signed, with the interview and nothing secret", async () => {
    await settle({ kind: "scheduled", interview: confirmedInterview({ id: "iv_signed" }) });
    await t.delivery.deliverDue();
    expect(t.receiver.received).toHaveLength(1);
    const [request] = t.receiver.received;
    const check = verifySignature({
      header: request?.headers["tsunagu-signature"] as string,
      body: request?.body ?? "",
      secret: t.webhookSecret,
      now: t.clock.now(),
    });
    expect(check.ok).toBe(true);
    expect(request?.headers["tsunagu-event-type"]).toBe("interview.scheduled");
    const body = JSON.parse(request?.body ?? "{}") as Record<string, unknown>;
    expect(body).toEqual({
      id: request?.headers["tsunagu-event-id"],
      type: "interview.scheduled",
      createdAt: t.clock.now().toISOString(),
      host: "portal-a",
      org: "sakura",
      user: "hanako",
      reason: null,
      interview: confirmedInterview({ id: "iv_signed" }),
    });
    expect(request?.body).not.toMatch(/start_url|startUrl|token/i);
  });

  it("never carries a field the view may gain later, such as a start URL", async () => {
    const withSecret = { ...confirmedInterview({ id: "iv_extra" }), startUrl: "https://zoom.us/s/1?zak=secret" };
    await settle({ kind: "scheduled", interview: withSecret as InterviewView });
    await t.delivery.deliverDue();
    expect(t.receiver.received).toHaveLength(1);
    expect(t.receiver.received[0]?.body).not.toContain("zak=secret");
  });
});

describe("a change", () => {
  it(
    "tells those who stay the old and the new time, those added that they are on it, those removed that they are " +
      "off",
    async () => {
      const before = confirmedInterview();
      const after = confirmedInterview({
        start: "2026-12-04T01:00:00.000Z",
        end: "2026-12-04T02:00:00.000Z",
        interviewers: [person("ken", "田中 健"), person("misaki", "高橋 美咲"), person("sho", "鈴木 翔")],
        updatedAt: "2026-11-30T02:00:00.000Z",
      });
      const posted = (await slackMessages()).length;
      await settle({ kind: "updated", interview: after, before });
      await t.delivery.deliverDue();

      const dms = await dmsSince(posted);
      expect(Object.keys(dms).sort()).toEqual([slackIds.misaki, slackIds.ken, slackIds.emily].sort());
      expect(dms[slackIds.ken]).toBe(
        [
          "*面接の日時が変更されました*",
          "一次面接 &lt;バックエンド&gt;",
          "候補者：山田 花子さん",
          `変更前：~${year}12月3日（木）14:00〜15:00~`,
          `変更後：${year}12月4日（金）10:00〜11:00（Asia/Tokyo）`,
          "Zoom：https://zoom.us/j/81234567890?pwd=abc（パスコード：a1b2c3）",
          "カレンダー：https://calendar.google.com/calendar/event?eid=dHN1bmFndQ",
        ].join("\n"),
      );
      expect(dms[slackIds.misaki]).toMatch(/^\*面接官に追加されました\*\n/);
      expect(dms[slackIds.misaki]).toContain(`日時：${year}12月4日（金）10:00〜11:00（Asia/Tokyo）`);
      expect(dms[slackIds.emily]).toBe(
        [
          "*You were removed from an interview*",
          "一次面接 &lt;バックエンド&gt;",
          "Candidate: 山田 花子",
          `When: Thu, Dec 3${year ? ", 2026" : ""}, 8:00 PM – 9:00 PM (America/New_York)`,
        ].join("\n"),
      );

      const [event] = t.receiver.events();
      expect(event).toMatchObject({ type: "interview.updated", interview: after, before });
      expect(event?.changed).toEqual(["start", "end", "interviewers"]);
    },
  );

  it("tells nobody on Slack when nothing an interviewer acts on changed, but still tells the portal", async () => {
    const before = confirmedInterview();
    const after = confirmedInterview({ description: "持ち物はありません。", updatedAt: "2026-11-30T03:00:00.000Z" });
    const posted = (await slackMessages()).length;
    await settle({ kind: "updated", interview: after, before });
    await t.delivery.deliverDue();
    expect(await dmsSince(posted)).toEqual({});
    expect(t.receiver.events()).toMatchObject([{ type: "interview.updated", changed: ["description"] }]);
  });
});

describe("a cancellation and a failed booking", () => {
  it("tells the interviewers it is cancelled, with no join URL left to use", async () => {
    const { event: _removed, ...rest } = confirmedInterview();
    const cancelled: InterviewView = { ...rest, status: "cancelled", updatedAt: "2026-11-30T04:00:00.000Z" };
    const posted = (await slackMessages()).length;
    await settle({ kind: "cancelled", interview: cancelled, before: confirmedInterview() });
    await t.delivery.deliverDue();
    const dms = await dmsSince(posted);
    expect(dms[slackIds.ken]).toBe(
      [
        "*面接がキャンセルされました*",
        "一次面接 &lt;バックエンド&gt;",
        "候補者：山田 花子さん",
        `日時：${year}12月3日（木）14:00〜15:00（Asia/Tokyo）`,
      ].join("\n"),
    );
    expect(dms[slackIds.emily]).toMatch(/^\*Interview cancelled\*\n/);
    expect(t.receiver.events()).toMatchObject([{ type: "interview.cancelled", interview: { status: "cancelled" } }]);
  });

  it("tells only the portal of a failed booking, with the failure's code as the reason", async () => {
    const failed = confirmedInterview({
      status: "failed",
      failure: { code: "provider_failed", message: "Google Calendar did not answer; nothing was left behind." },
    });
    const posted = (await slackMessages()).length;
    await settle({ kind: "failed", interview: failed });
    await t.delivery.deliverDue();
    expect(await dmsSince(posted)).toEqual({});
    expect(t.receiver.events()).toMatchObject([
      { type: "interview.failed", reason: "provider_failed", interview: { status: "failed" } },
    ]);
  });

  it("queues nothing when the saga's transaction rolls back", async () => {
    const count = async () => (await t.outbox()).length;
    const rows = await count();
    await expect(
      t.db.transaction().execute(async (trx) => {
        await observer().record(trx, {
          kind: "scheduled",
          tenant,
          actorUserId: "hanako",
          interview: confirmedInterview(),
        });
        throw new Error("the saga's own write failed");
      }),
    ).rejects.toThrow("the saga's own write failed");
    expect(await count()).toBe(rows);
  });
});

describe("delivery", () => {
  it("sends each webhook and each DM once when two workers run at the same time", async () => {
    const posted = (await slackMessages()).length;
    for (const id of ["iv_race_1", "iv_race_2", "iv_race_3"])
      await settle({ kind: "scheduled", interview: confirmedInterview({ id }) });
    const second = await t.secondDelivery();
    try {
      await Promise.all([t.delivery.deliverDue(), second.delivery.deliverDue(), t.delivery.deliverDue()]);
    } finally {
      await second.close();
    }
    const ids = t.receiver.received.map((request) => request.headers["tsunagu-event-id"]);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    const dms = (await slackMessages()).slice(posted);
    // Two interviewers with Slack, three interviews: six DMs, none twice.
    expect(dms).toHaveLength(6);
    expect(dms.filter((dm) => dm.recipient === slackIds.ken)).toHaveLength(3);
  });

  it("survives a restart: rows queued before are sent by a worker started afterwards", async () => {
    const posted = (await slackMessages()).length;
    await settle({
      kind: "scheduled",
      interview: confirmedInterview({ id: "iv_restart", interviewers: [person("ken", "田中 健")] }),
    });
    const fresh = await t.secondDelivery();
    try {
      expect(await fresh.delivery.deliverDue()).toMatchObject({ delivered: 2 });
    } finally {
      await fresh.close();
    }
    expect(Object.keys(await dmsSince(posted))).toEqual([slackIds.ken]);
  });

  it("retries a Slack failure with backoff and sends the DM once it works", async () => {
    const posted = (await slackMessages()).length;
    await settle({
      kind: "scheduled",
      interview: confirmedInterview({ id: "iv_retry", interviewers: [person("ken", "田中 健")] }),
    });
    await fetch(`${t.slack.fake.baseUrl}/_control/fail`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ count: 1, status: 500, path: "/api/chat.postMessage" }),
    });
    expect(await t.delivery.deliverDue()).toMatchObject({ delivered: 1, retrying: 1 });
    const notice = (await t.outbox()).find((row) => row.type === "notice.slack" && row.status === "pending");
    expect(notice).toMatchObject({ attempts: 1, last_error: "slack internal_error" });
    expect(await dmsSince(posted)).toEqual({});

    // Not yet due: nothing is sent again before the backoff.
    expect(await t.delivery.deliverDue()).toMatchObject({ delivered: 0, retrying: 0 });
    t.clock.advance(31);
    expect(await t.delivery.deliverDue()).toMatchObject({ delivered: 1 });
    expect(Object.keys(await dmsSince(posted))).toEqual([slackIds.ken]);
  });

  it("records a Slack account that needs linking again as failed and goes on with the others", async () => {
    const posted = (await slackMessages()).length;
    await settle({ kind: "scheduled", interview: confirmedInterview({ id: "iv_reauth" }) });
    await t.db
      .updateTable("accounts")
      .set({ status: "needs_reauth", status_reason: "invalid_grant" })
      .where("org_id", "=", "sakura")
      .where("user_id", "=", "emily")
      .where("provider", "=", "slack")
      .execute();
    const report = await t.delivery.deliverDue();
    expect(report).toMatchObject({ delivered: 2, failed: 1 });
    const rows = await t.outbox();
    expect(rows.filter((row) => row.status === "failed")).toEqual([
      expect.objectContaining({ type: "notice.slack", last_error: "slack_account_needs_reauth" }),
    ]);
    expect(rows.find((row) => row.status === "failed")?.payload).toContain('"userId":"emily"');
    expect(Object.keys(await dmsSince(posted))).toEqual([slackIds.ken]);
  });
});
