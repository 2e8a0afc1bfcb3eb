/**
 * `POST /v1/notifications` on the real app: the portal's own notice to one of
 * its users, validated, authorised, queued, and sent as a Slack DM by the
 * delivery worker to the Slack fake.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { expectLinked, linkSlack } from "../oauth/adapters/zoom-slack-links.ts";
import { type Caller, createTestApp, originA, type WebhookTestApp } from "../support/test-app.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const hanako: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const recruiter: Caller = { sub: "misaki", org: "sakura", role: "recruiter" };
const assistant: Caller = { sub: "yui", org: "sakura", role: "assistant" };
const guest: Caller = { sub: "olivia", org: "sakura", role: "guest" };
const otherPortal: Caller = { host: "portal-b", sub: "boss", org: "sakura", role: "admin" };
const kenSlack = "U0S002KEN";

async function dmsTo(slackUserId: string): Promise<string[]> {
  const response = await fetch(`${t.slack.fake.baseUrl}/_control/messages`);
  const { messages } = (await response.json()) as { messages: Array<{ recipient?: string; text?: string }> };
  return messages.filter((message) => message.recipient === slackUserId).map((message) => message.text ?? "");
}

const notify = (caller: Caller, body: unknown) => t.api(caller, "POST", "/v1/notifications", body);

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], webhooks: {} });
  expectLinked((await linkSlack(t, hanako, "org", "U0S001HANA")).outcome);
  expectLinked((await linkSlack(t, { sub: "ken", org: "sakura", role: "recruiter" }, "personal", kenSlack)).outcome);
  expectLinked((await linkSlack(t, { sub: "ai", org: "sakura", role: "recruiter" }, "personal", "U0S005AI")).outcome);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe("sending", () => {
  it("queues the notice (202 with an id) and the worker DMs it, escaped, with the link on its own line", async () => {
    const response = await notify(recruiter, {
      userId: "ken",
      text: "<!channel> 田中さん、山田 花子さんの評価をお願いします & 今日中に",
      url: "https://portal-a.example/candidates/42/evaluation",
    });
    expect(response.status).toBe(202);
    const { id, status } = (await response.json()) as { id: string; status: string };
    expect(status).toBe("queued");
    expect(id).toMatch(/^ntc_/);

    const before = await t.api(recruiter, "GET", `/v1/notifications/${id}`);
    expect(await before.json()).toMatchObject({ id, userId: "ken", status: "queued", attempts: 0 });
    await t.delivery.deliverDue();
    expect(await dmsTo(kenSlack)).toEqual([
      "&lt;!channel&gt; 田中さん、山田 花子さんの評価をお願いします &amp; 今日中に\n" +
        "https://portal-a.example/candidates/42/evaluation",
    ]);
    const after = await t.api(hanako, "GET", `/v1/notifications/${id}`);
    expect(await after.json()).toMatchObject({ id, status: "delivered", attempts: 1, lastError: null });
  });

  it("sends the link as a URL only: no mention or link label of its own rides along after it", async () => {
    for (const url of [
      "https://portal-a.example/c/42 <https://evil.example|評価フォーム>",
      "https://portal-a.example/c/42?next=<!channel>",
    ]) {
      expect((await notify(recruiter, { userId: "ken", text: "評価をお願いします", url })).status).toBe(202);
    }
    await t.delivery.deliverDue();
    // Two notices queued together may go out in either order.
    const sent = (await dmsTo(kenSlack)).slice(-2).sort();
    expect(sent).toEqual([
      "評価をお願いします\nhttps://portal-a.example/c/42%20%3Chttps://evil.example|%E8%A9%95%E4%BE%A1%E3%83%95%E3%82%A9%E3%83%BC%E3%83%A0%3E",
      "評価をお願いします\nhttps://portal-a.example/c/42?next=%3C!channel%3E",
    ]);
    for (const message of sent) expect(message).not.toMatch(/[<>]/);
  });

  it("records a notice Slack refuses as failed, and logs Slack's code for the operator", async () => {
    const response = await notify(recruiter, { userId: "ai", text: "評価をお願いします" });
    const { id } = (await response.json()) as { id: string };
    // The person left the workspace after linking: Slack no longer knows their id.
    await t.db
      .updateTable("accounts")
      .set({ external_user_id: "U0SGONE00" })
      .where("org_id", "=", "sakura")
      .where("user_id", "=", "ai")
      .where("provider", "=", "slack")
      .execute();
    await t.delivery.deliverDue();
    const after = await t.api(hanako, "GET", `/v1/notifications/${id}`);
    expect(await after.json()).toMatchObject({ id, status: "failed", lastError: "slack user_not_found" });
    const line = t.logLines.find((text) => text.includes("slack notice refused by Slack"));
    expect(JSON.parse(line ?? "{}")).toMatchObject({ level: "warn", errorCode: "user_not_found" });
  });

  it("waits out Slack's Retry-After before trying a rate-limited notice again, not the shorter backoff", async () => {
    const before = (await dmsTo(kenSlack)).length;
    // Longer than the client waits in place: the limit comes back to the worker, with Slack's Retry-After.
    await fetch(`${t.slack.fake.baseUrl}/_control/rate-limit`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ count: 1, retryAfter: 120, path: "/api/chat.postMessage" }),
    });
    const { id } = (await (await notify(recruiter, { userId: "ken", text: "後ほどお願いします" })).json()) as {
      id: string;
    };
    await t.delivery.deliverDue();
    const limited = await t.api(hanako, "GET", `/v1/notifications/${id}`);
    expect(await limited.json()).toMatchObject({ status: "queued", attempts: 1, lastError: "slack ratelimited" });
    const row = (await t.outbox()).find((entry) => entry.id === id);
    expect(new Date(row?.next_attempt_at ?? 0).getTime() - t.clock.now().getTime()).toBe(120_000);

    // The first backoff (30 s) has passed, Slack's two minutes not: nothing is sent.
    t.clock.advance(60);
    await t.delivery.deliverDue();
    expect(await dmsTo(kenSlack)).toHaveLength(before);
    t.clock.advance(60);
    await t.delivery.deliverDue();
    expect((await dmsTo(kenSlack)).slice(before)).toEqual(["後ほどお願いします"]);
    const after = await t.api(hanako, "GET", `/v1/notifications/${id}`);
    expect(await after.json()).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("answers another organisation's portal 404 for the notice, and 422 for the same user id", async () => {
    const sent = (await (await notify(hanako, { userId: "ken", text: "ping" })).json()) as { id: string };
    const peek = await t.api(otherPortal, "GET", `/v1/notifications/${sent.id}`, undefined, {
      origin: "https://portal-b.example",
    });
    expect(peek.status).toBe(404);
    expect(await peek.json()).toMatchObject({ error: { code: "notification_not_found" } });
    const across = await t.api(
      otherPortal,
      "POST",
      "/v1/notifications",
      { userId: "ken", text: "hello" },
      {
        origin: "https://portal-b.example",
      },
    );
    expect(across.status).toBe(422);
    expect(await across.json()).toMatchObject({ error: { code: "slack_not_linked" } });
    await t.delivery.deliverDue();
    expect((await dmsTo(kenSlack)).at(-1)).toBe("ping");
  });
});

describe("Idempotency-Key", () => {
  const withKey = (caller: Caller, body: unknown, key: string) =>
    t.api(caller, "POST", "/v1/notifications", body, { headers: { "idempotency-key": key } });
  const idOf = async (response: Response) => {
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  };
  // What a test queued is sent before the next: the tests after these count the DMs a pass sends.
  afterEach(async () => {
    await t.delivery.deliverDue();
  });

  it("queues a message sent again with the same key once, and answers the retry as the first", async () => {
    const before = (await dmsTo(kenSlack)).length;
    const body = { userId: "ken", text: "一次面接の評価をお願いします" };
    const first = await idOf(await withKey(recruiter, body, "eval-42"));
    expect(await idOf(await withKey(recruiter, body, "eval-42"))).toBe(first);
    // Sent five times at once (a portal retrying over several connections): one notice.
    const together = await Promise.all(
      Array.from({ length: 5 }, () => withKey(recruiter, { userId: "ken", text: "二次面接の評価を" }, "eval-43")),
    );
    const ids = new Set(await Promise.all(together.map(idOf)));
    expect(ids.size).toBe(1);
    await t.delivery.deliverDue();
    // The portal's notices queued together may go out in either order.
    expect((await dmsTo(kenSlack)).slice(before).sort()).toEqual(["一次面接の評価をお願いします", "二次面接の評価を"]);
    // After delivery the retry still answers the first notice, and sends nothing.
    expect(await idOf(await withKey(recruiter, body, "eval-42"))).toBe(first);
    await t.delivery.deliverDue();
    expect((await dmsTo(kenSlack)).slice(before)).toHaveLength(2);
    expect(await (await t.api(recruiter, "GET", `/v1/notifications/${first}`)).json()).toMatchObject({
      status: "delivered",
      attempts: 1,
    });
  });

  it("answers a retry with the first notice's id though the recipient's Slack link must now be renewed", async () => {
    const body = { userId: "ken", text: "最終面接の評価をお願いします" };
    const first = await idOf(await withKey(recruiter, body, "eval-renew"));
    const kensSlack = t.db
      .updateTable("accounts")
      .where("org_id", "=", "sakura")
      .where("user_id", "=", "ken")
      .where("provider", "=", "slack");
    await kensSlack.set({ status: "needs_reauth", status_reason: "invalid_grant" }).execute();
    try {
      expect(await idOf(await withKey(recruiter, body, "eval-renew"))).toBe(first);
      // A new message is refused as ever.
      expect((await withKey(recruiter, { ...body, text: "別件です" }, "eval-renew-2")).status).toBe(422);
    } finally {
      await kensSlack.set({ status: "active", status_reason: null }).execute();
    }
  });

  it("answers 422 idempotency_key_reused for the same key with another message", async () => {
    await idOf(await withKey(recruiter, { userId: "ken", text: "評価をお願いします" }, "reused-1"));
    const other = await withKey(recruiter, { userId: "ken", text: "別の用件です" }, "reused-1");
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: { code: "idempotency_key_reused" } });
    const otherUser = await withKey(recruiter, { userId: "ai", text: "評価をお願いします" }, "reused-1");
    expect(otherUser.status).toBe(422);
  });

  it("keeps keys per portal user: another user's same key is another message", async () => {
    const body = { userId: "ken", text: "評価をお願いします" };
    const mine = await idOf(await withKey(recruiter, body, "per-user"));
    const theirs = await idOf(await withKey(hanako, body, "per-user"));
    expect(theirs).not.toBe(mine);
    const otherPortalUser = await withKey(otherPortal, body, "per-user");
    // Another portal's organisation has no such user linked: refused as ever, nothing of the first one shown.
    expect(otherPortalUser.status).toBe(422);
    expect(await otherPortalUser.json()).toMatchObject({ error: { code: "slack_not_linked" } });
  });

  it("answers 400 invalid_request for a malformed key", async () => {
    for (const key of ["", "x".repeat(256), "two words"]) {
      const response = await withKey(recruiter, { userId: "ken", text: "評価をお願いします" }, key);
      expect(response.status, JSON.stringify(key)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
  });
});

describe("refusals", () => {
  it("answers 422 slack_not_linked for a user without Slack, saying what to do", async () => {
    const response = await notify(hanako, { userId: "sho", text: "評価をお願いします" });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("slack_not_linked");
    expect(body.error.message).toContain("link Slack");
  });

  it("answers 422 slack_not_linked for a user whose Slack account must be linked again", async () => {
    await t.db
      .updateTable("accounts")
      .set({ status: "needs_reauth", status_reason: "invalid_grant" })
      .where("org_id", "=", "sakura")
      .where("user_id", "=", "ai")
      .where("provider", "=", "slack")
      .execute();
    const response = await notify(hanako, { userId: "ai", text: "評価をお願いします" });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: { code: "slack_not_linked", message: expect.stringContaining("linked again") },
    });
  });

  it.each([
    ["no text", { userId: "ken" }],
    ["an empty text", { userId: "ken", text: "   " }],
    ["a text over 4000 characters", { userId: "ken", text: "あ".repeat(4001) }],
    ["a url that is not http(s)", { userId: "ken", text: "hi", url: "javascript:alert(1)" }],
    ["a url that is not a URL", { userId: "ken", text: "hi", url: "portal/candidates/42" }],
    ["no userId", { text: "hi" }],
    ["an unknown field", { userId: "ken", text: "hi", channel: "#general" }],
    ["a userId that is not a string", { userId: 42, text: "hi" }],
  ])("answers 400 invalid_body for %s", async (_, body) => {
    const response = await notify(hanako, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_body" } });
  });

  it("answers 400 invalid_body for a body that is not JSON", async () => {
    const response = await t.app.request("/v1/notifications", {
      method: "POST",
      headers: {
        authorization: `Bearer ${await t.token(hanako)}`,
        origin: originA,
        "content-type": "application/json",
      },
      body: "{userId:",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_body" } });
  });

  it.each([
    ["an assistant", assistant],
    ["a guest", guest],
  ])("refuses %s with 403 forbidden_role, sending nothing", async (_, caller) => {
    const before = (await dmsTo(kenSlack)).length;
    const response = await notify(caller, { userId: "ken", text: "hi" });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "forbidden_role" } });
    const status = await t.api(caller, "GET", "/v1/notifications/ntc_any");
    expect(status.status).toBe(403);
    await t.delivery.deliverDue();
    expect(await dmsTo(kenSlack)).toHaveLength(before);
  });

  it("answers 401 without a host token", async () => {
    const response = await t.app.request("/v1/notifications", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "ken", text: "hi" }),
    });
    expect(response.status).toBe(401);
  });
});
