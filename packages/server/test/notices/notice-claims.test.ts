/**
 * Two server processes sending the outbox's Slack notices while Slack is slow (rate limits waited out, calls that
 * take long to answer). A Slack send is not bounded by the webhook timeout: the provider client waits out Retry-After
 * and retries, twice over (conversations.open, then chat.postMessage), so one send can outlast the row's claim. The
 * worker keeps the claim while its send is under way, so the other process does not take the row and DM the
 * person a second time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectLinked, linkSlack } from "../oauth/adapters/zoom-slack-links.ts";
import { type Caller, createTestApp, type WebhookTestApp } from "../support/test-app.ts";
import { sleep, waitFor } from "../support/wait.ts";
import { dmsTo } from "./slack-dms.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const hanako: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const recruiter: Caller = { sub: "misaki", org: "sakura", role: "recruiter" };
const kenSlack = "U0S002KEN";
/** Short claims, so the test sees one lapse within a second of real time (the heartbeat renews every third of it). */
const claimMs = 300;

const control = (path: string, body: unknown = {}) => t.slack.fake.control(`/${path}`, body);
const heldAtSlack = () => t.slack.fake.held();

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], webhooks: { policy: { claimMs } } });
  expectLinked((await linkSlack(t, hanako, "org", "U0S001HANA")).outcome);
  expectLinked((await linkSlack(t, { sub: "ken", org: "sakura", role: "recruiter" }, "personal", kenSlack)).outcome);
  // The links' own webhooks (account.linked, connection.linked) sent now: the passes below have the notice alone.
  await t.delivery.deliverDue();
}, 60_000);
afterAll(async () => {
  await control("latency", { ms: 0 });
  await control("release");
  await t?.close();
});

describe("a Slack send that outlasts its claim", () => {
  it("is not taken and sent again by a second process: the person gets one DM", async () => {
    const response = await t.api(recruiter, "POST", "/v1/notifications", { userId: "ken", text: "評価をお願いします" });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };

    // Slack answers nothing until released: the first process's send is under way, its claim running.
    await control("latency", { ms: 60_000 });
    const first = t.delivery.deliverDue();
    await waitFor("the first process's call at Slack", async () =>
      (await heldAtSlack()).length > 0 ? true : undefined,
    );
    // Time passes past the claim's length while the send waits (the worker renews the claim as it goes).
    for (let step = 0; step < 4; step++) {
      t.clock.advance(claimMs / 1000 / 2);
      await sleep(claimMs / 2 + 50);
    }

    const other = await t.secondDelivery();
    try {
      const second = other.delivery.deliverDue();
      await sleep(claimMs);
      await control("latency", { ms: 0 });
      await control("release");
      const [firstReport, secondReport] = await Promise.all([first, second]);
      expect(firstReport.delivered).toBe(1);
      expect(secondReport).toEqual({ delivered: 0, retrying: 0, failed: 0, skipped: 0 });
    } finally {
      await other.close();
    }
    expect(await dmsTo(t.slack.fake, kenSlack)).toEqual(["評価をお願いします"]);
    const after = await t.api(hanako, "GET", `/v1/notifications/${id}`);
    expect(await after.json()).toMatchObject({ id, status: "delivered", attempts: 1, lastError: null });
  });
});
