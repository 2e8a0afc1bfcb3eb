/**
 * Slack's Events API: the pure signature check and envelope schema, and the
 * fake's signed deliveries (tokens_revoked, app_uninstalled) to a local receiver.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidGrantError } from "../../src/providers/errors.ts";
import { slackEventEnvelopeSchema, verifySlackSignature } from "../../src/providers/slack-events.ts";
import {
  hanako,
  installBot,
  installCode,
  redirectUri,
  sakura,
  type SlackHarness,
  startSlack,
} from "./slack-support.ts";

const secret = "8f742231b10e8888abcd99yyyzzz85a5";
const now = new Date("2026-11-22T10:00:00Z");
const timestamp = String(now.getTime() / 1000);
const rawBody =
  '{"type":"url_verification","token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}';
const sign = (body: string, at: string, key = secret) =>
  `v0=${createHmac("sha256", key).update(`v0:${at}:${body}`).digest("hex")}`;

describe("verifySlackSignature", () => {
  it("accepts Slack's signature over the raw body, from a Headers object or a plain record", () => {
    const headers = { "X-Slack-Signature": sign(rawBody, timestamp), "X-Slack-Request-Timestamp": timestamp };
    expect(verifySlackSignature({ headers, rawBody, signingSecret: secret, now })).toEqual({ ok: true });
    expect(verifySlackSignature({ headers: new Headers(headers), rawBody, signingSecret: secret, now })).toEqual({
      ok: true,
    });
  });

  it.each([
    [
      "another secret",
      { "x-slack-signature": sign(rawBody, timestamp, "other"), "x-slack-request-timestamp": timestamp },
      rawBody,
      "bad_signature",
    ],
    [
      "a changed body",
      { "x-slack-signature": sign(rawBody, timestamp), "x-slack-request-timestamp": timestamp },
      `${rawBody} `,
      "bad_signature",
    ],
    [
      "a truncated signature",
      { "x-slack-signature": sign(rawBody, timestamp).slice(0, 20), "x-slack-request-timestamp": timestamp },
      rawBody,
      "bad_signature",
    ],
    ["no signature", { "x-slack-request-timestamp": timestamp }, rawBody, "missing_headers"],
    [
      "a timestamp six minutes old",
      {
        "x-slack-signature": sign(rawBody, String(Number(timestamp) - 360)),
        "x-slack-request-timestamp": String(Number(timestamp) - 360),
      },
      rawBody,
      "stale_timestamp",
    ],
    [
      "a timestamp six minutes ahead",
      {
        "x-slack-signature": sign(rawBody, String(Number(timestamp) + 360)),
        "x-slack-request-timestamp": String(Number(timestamp) + 360),
      },
      rawBody,
      "stale_timestamp",
    ],
  ])("refuses %s", (_, headers, body, reason) => {
    expect(verifySlackSignature({ headers, rawBody: body, signingSecret: secret, now })).toEqual({ ok: false, reason });
  });

  it("accepts a timestamp just inside the five-minute window", () => {
    const at = String(Number(timestamp) - 299);
    expect(
      verifySlackSignature({
        headers: { "x-slack-signature": sign(rawBody, at), "x-slack-request-timestamp": at },
        rawBody,
        signingSecret: secret,
        now,
      }),
    ).toEqual({ ok: true });
  });
});

describe("slackEventEnvelopeSchema", () => {
  it("reads url_verification, tokens_revoked, app_uninstalled and other events", () => {
    expect(slackEventEnvelopeSchema.parse(JSON.parse(rawBody))).toMatchObject({
      type: "url_verification",
      challenge: expect.any(String),
    });
    const callback = {
      token: "t",
      team_id: sakura,
      api_app_id: "A1",
      type: "event_callback",
      event_id: "Ev1",
      event_time: 1,
    };
    expect(
      slackEventEnvelopeSchema.parse({ ...callback, event: { type: "tokens_revoked", tokens: { oauth: ["U1"] } } }),
    ).toMatchObject({ event: { tokens: { oauth: ["U1"], bot: [] } } });
    expect(slackEventEnvelopeSchema.parse({ ...callback, event: { type: "app_uninstalled" } })).toMatchObject({
      event: { type: "app_uninstalled" },
    });
    expect(
      slackEventEnvelopeSchema.parse({ ...callback, event: { type: "app_home_opened", user: "U1" } }),
    ).toMatchObject({ event: { type: "app_home_opened" } });
  });

  it("refuses a malformed tokens_revoked and an unknown envelope type", () => {
    const callback = { team_id: sakura, type: "event_callback", event_id: "Ev1", event_time: 1 };
    expect(
      slackEventEnvelopeSchema.safeParse({ ...callback, event: { type: "tokens_revoked", tokens: "all" } }).success,
    ).toBe(false);
    expect(slackEventEnvelopeSchema.safeParse({ type: "something_else" }).success).toBe(false);
  });
});

describe("the fake's Events API deliveries", () => {
  let receiver: Server;
  let received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  let harness: SlackHarness;

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      request.on("end", () => {
        received.push({ headers: request.headers, body });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    harness = await startSlack({
      webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/slack`,
    });
  });
  afterAll(async () => {
    await harness.fake.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
  beforeEach(async () => {
    await harness.fake.control("/reset");
    received = [];
  });

  const verify = (delivery: { headers: IncomingHttpHeaders; body: string }) =>
    verifySlackSignature({
      headers: delivery.headers,
      rawBody: delivery.body,
      signingSecret: harness.fake.context.webhookSecret,
      now: harness.fake.clock.now(),
    });

  it("tokens_revoked for some users revokes their user tokens and delivers a signed callback", async () => {
    const bot = await installBot(harness, hanako);
    const user =
      (
        await harness.client.oauth.exchangeInstall({
          code: await installCode(harness, hanako, { userScopes: ["users:read"] }),
          codeVerifier: "v",
          redirectUri,
        })
      ).authedUser.tokens?.accessToken ?? "";
    const answer = await harness.fake.control("/events", { type: "tokens_revoked", teamId: sakura, userIds: [hanako] });
    expect(answer).toMatchObject({ ok: true, revoked: 1, deliveries: [{ type: "tokens_revoked", status: 200 }] });
    expect(received).toHaveLength(1);
    const delivery = received[0] ?? { headers: {}, body: "" };
    expect(verify(delivery)).toEqual({ ok: true });
    expect(slackEventEnvelopeSchema.parse(JSON.parse(delivery.body))).toMatchObject({
      type: "event_callback",
      team_id: sakura,
      event: { type: "tokens_revoked", tokens: { oauth: [hanako], bot: [] } },
    });
    await expect(harness.client.api(user).whoAmI()).rejects.toBeInstanceOf(InvalidGrantError);
    await expect(harness.client.api(bot).whoAmI()).resolves.toMatchObject({ teamId: sakura });
  });

  it("app_uninstalled revokes every token of the workspace and sends tokens_revoked then app_uninstalled", async () => {
    const bot = await installBot(harness, hanako);
    const answer = await harness.fake.control("/events", { type: "app_uninstalled", teamId: sakura });
    expect(answer).toMatchObject({
      revoked: 1,
      deliveries: [
        { type: "tokens_revoked", status: 200 },
        { type: "app_uninstalled", status: 200 },
      ],
    });
    const bodies = received.map((delivery) => slackEventEnvelopeSchema.parse(JSON.parse(delivery.body)));
    expect(received.every((delivery) => verify(delivery).ok)).toBe(true);
    const me = bodies[0]?.type === "event_callback" ? bodies[0].event : undefined;
    expect(me).toMatchObject({ type: "tokens_revoked", tokens: { oauth: [], bot: [expect.stringMatching(/^U/)] } });
    expect(bodies[1]).toMatchObject({ type: "event_callback", event: { type: "app_uninstalled" } });
    await expect(harness.client.api(bot).whoAmI()).rejects.toMatchObject({
      message: expect.stringContaining("token_revoked"),
    });
  });

  it("signs with the fake's clock, so a delivery read ten minutes later is stale", async () => {
    await harness.fake.control("/events", { type: "tokens_revoked", teamId: sakura, userIds: [hanako] });
    const delivery = received[0] ?? { headers: {}, body: "" };
    harness.fake.clock.advance(10 * 60_000);
    expect(verify(delivery)).toEqual({ ok: false, reason: "stale_timestamp" });
  });
});
