/**
 * An interviewer reads the Slack notices about one interview in the order they were written: on the real app, the
 * Slack fake and this project's database, the saga's observer queuing the notices in real transactions and the
 * delivery worker sending them. A notice retried after Slack failed it is not sent after a later notice about the
 * same interview (it would say "scheduled" after "cancelled"); notices about other interviews are not held up.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InterviewChange } from "../../src/interviews/ports.ts";
import { createInterviewNotices } from "../../src/notices/observer.ts";
import { sequencePendingNotices } from "../../src/store/migrations/0015_outbox_sequences.ts";
import { expectLinked, linkSlack } from "../oauth/adapters/zoom-slack-links.ts";
import { type Caller, createTestApp, type WebhookTestApp } from "../support/test-app.ts";
import { sleep, waitFor } from "../support/wait.ts";
import { confirmedInterview, person } from "./interview-views.ts";
import { dmsTo } from "./slack-dms.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const tenant = { hostId: "portal-a", orgId: "sakura" };
const hanako: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const kenSlack = "U0S002KEN";
const ken = person("ken", "田中 健");

const kensDms = () => dmsTo(t.slack.fake, kenSlack);
const control = (path: string, body: unknown = {}) => t.slack.fake.control(`/${path}`, body);
const heldAtSlack = () => t.slack.fake.held();

/** As the saga does: one change of an interview ken is on, settled and its notices queued in one transaction. */
async function settle(kind: InterviewChange["kind"], id: string, start = "2026-12-03T05:00:00.000Z"): Promise<void> {
  const end = new Date(Date.parse(start) + 3600_000).toISOString();
  const interview = confirmedInterview({ id, interviewers: [ken], start, end });
  const before = kind === "updated" ? confirmedInterview({ id, interviewers: [ken] }) : undefined;
  await t.db.transaction().execute((trx) =>
    createInterviewNotices({ clock: t.clock }).record(trx, {
      tenant,
      actorUserId: "hanako",
      kind,
      interview: kind === "cancelled" ? { ...interview, status: "cancelled" } : interview,
      ...(before && { before }),
    }),
  );
}

/** Runs a pass while Slack holds every call, letting them go one at a time; the largest number held at once. */
async function deliverOneCallAtATime(): Promise<{ mostHeld: number }> {
  await control("latency", { ms: 60_000 });
  let mostHeld = 0;
  let done = false;
  const pass = t.delivery.deliverDue().finally(() => {
    done = true;
  });
  try {
    while (!done) {
      // Long enough for every send the worker would start in parallel to reach Slack.
      await sleep(150);
      const held = await heldAtSlack();
      mostHeld = Math.max(mostHeld, held.filter((call) => call.includes("/api/")).length);
      const [first] = held;
      if (first !== undefined) await control("release", { calls: [first] });
    }
    await pass;
  } finally {
    await control("latency", { ms: 0 });
    await control("release");
  }
  return { mostHeld };
}

/** An interview ken is on booked, moved a day, then cancelled; `secondsApart` between the changes. */
async function bookMoveAndCancel(id: string, secondsApart = 0): Promise<void> {
  await settle("scheduled", id);
  t.clock.advance(secondsApart);
  await settle("updated", id, "2026-12-04T05:00:00.000Z");
  t.clock.advance(secondsApart);
  await settle("cancelled", id, "2026-12-04T05:00:00.000Z");
}

/** A pass, Slack letting one call go at a time: ken told of the booking, the move and the cancellation, in order. */
async function expectToldOneAtATimeInOrder(before: number): Promise<void> {
  const { mostHeld } = await deliverOneCallAtATime();
  // One notice's call at Slack at a time: the next is not sent before the one before it was.
  expect(mostHeld).toBe(1);
  const dms = (await kensDms()).slice(before);
  expect(dms.map((text) => text.split("\n")[0])).toEqual([
    "*面接が確定しました*",
    "*面接の日時が変更されました*",
    "*面接がキャンセルされました*",
  ]);
}

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], webhooks: {} });
  expectLinked((await linkSlack(t, hanako, "org", "U0S001HANA")).outcome);
  expectLinked((await linkSlack(t, { sub: "ken", org: "sakura", role: "recruiter" }, "personal", kenSlack)).outcome);
  await t.delivery.deliverDue();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("the notices about one interview", () => {
  it("reach the interviewer in the order they were written, one after the other", async () => {
    const before = (await kensDms()).length;
    await bookMoveAndCancel("iv_order");
    await expectToldOneAtATimeInOrder(before);
  });

  it("queued before the outbox had sequences are put in order by the migration that adds them", async () => {
    const before = (await kensDms()).length;
    // Changes a second apart, as changes are (each waits for the providers): the only order old rows carry.
    await bookMoveAndCancel("iv_upgraded", 1);
    // As the rows stood when written by the server before migration 0015.
    await t.db
      .updateTable("webhook_outbox")
      .set({ sequence_key: null, sequence_no: null })
      .where("payload", "like", "%iv_upgraded%")
      .execute();
    await sequencePendingNotices(t.db as never);
    await expectToldOneAtATimeInOrder(before);
  });

  it("do not hold up the notices about another interview", async () => {
    const before = (await kensDms()).length;
    await settle("scheduled", "iv_first");
    await settle("scheduled", "iv_second", "2026-12-05T05:00:00.000Z");

    const { mostHeld } = await deliverOneCallAtATime();
    expect(mostHeld).toBe(2);
    expect((await kensDms()).slice(before)).toHaveLength(2);
  });

  it("are not sent out of order by a second process while the first sends", async () => {
    const before = (await kensDms()).length;
    await settle("scheduled", "iv_two_processes");
    await settle("cancelled", "iv_two_processes");
    await control("latency", { ms: 60_000 });
    const other = await t.secondDelivery();
    try {
      const first = t.delivery.deliverDue();
      await waitFor("the first process's call at Slack", async () =>
        (await heldAtSlack()).length > 0 ? true : undefined,
      );
      // The second process finds the cancellation behind the booking's notice being sent: it sends nothing.
      expect(await other.delivery.deliverDue()).toEqual({ delivered: 0, retrying: 0, failed: 0, skipped: 0 });
      await control("latency", { ms: 0 });
      await control("release");
      // The two notices and the portal's two webhooks.
      expect(await first).toMatchObject({ delivered: 4 });
    } finally {
      await control("latency", { ms: 0 });
      await control("release");
      await other.close();
    }
    const dms = (await kensDms()).slice(before);
    expect(dms.map((text) => text.split("\n")[0])).toEqual(["*面接が確定しました*", "*面接がキャンセルされました*"]);
  });

  it("never say an earlier change after a later one: a notice waiting to be retried is superseded", async () => {
    const before = (await kensDms()).length;
    await settle("scheduled", "iv_superseded");
    await control("fail", { count: 1, status: 500, path: "/api/chat.postMessage" });
    // The portal's webhook went; the notice waits to be tried again.
    expect(await t.delivery.deliverDue()).toMatchObject({ delivered: 1, retrying: 1 });

    // Cancelled before the booking's notice could be sent again: ken is told of the cancellation at once.
    await settle("cancelled", "iv_superseded");
    expect(await t.delivery.deliverDue()).toMatchObject({ delivered: 2, skipped: 1 });
    const rows = (await t.outbox()).filter(
      (row) => row.type === "notice.slack" && row.payload.includes("iv_superseded"),
    );
    expect(rows.map((row) => [row.status, row.last_error])).toEqual(
      expect.arrayContaining([
        ["skipped", "superseded"],
        ["delivered", null],
      ]),
    );

    // The booking's retry time comes: nothing more is sent.
    t.clock.advance(3600);
    expect(await t.delivery.deliverDue()).toEqual({ delivered: 0, retrying: 0, failed: 0, skipped: 0 });
    const dms = (await kensDms()).slice(before);
    expect(dms.map((text) => text.split("\n")[0])).toEqual(["*面接がキャンセルされました*"]);
  });

  it("follow a notice that is retried when its time comes before the next one is written", async () => {
    const before = (await kensDms()).length;
    await settle("scheduled", "iv_retried");
    await control("fail", { count: 1, status: 500, path: "/api/chat.postMessage" });
    expect(await t.delivery.deliverDue()).toMatchObject({ retrying: 1 });
    t.clock.advance(31);
    // Due again together with the later notice: the booking's goes first, then the cancellation, in one pass.
    await settle("cancelled", "iv_retried");
    // The two notices and the cancellation's webhook.
    expect(await t.delivery.deliverDue()).toMatchObject({ delivered: 3, skipped: 0 });
    const dms = (await kensDms()).slice(before);
    expect(dms.map((text) => text.split("\n")[0])).toEqual(["*面接が確定しました*", "*面接がキャンセルされました*"]);
  });
});
