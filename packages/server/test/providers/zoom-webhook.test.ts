import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidGrantError, ProviderResponseError } from "../../src/providers/errors.ts";
import {
  parseZoomWebhookEvent,
  verifyZoomWebhook,
  zoomUrlValidationResponse,
} from "../../src/providers/zoom-webhook.ts";
import { zoom as seed } from "../../src/sandbox/seed.ts";
import { link, startZoom, type ZoomHarness } from "./zoom-support.ts";

const secretToken = "zoom-webhook-secret";
const now = new Date("2026-11-22T10:00:00Z");
const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));
const sign = (secret: string, timestamp: string, body: string) =>
  `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;

describe("verifyZoomWebhook", () => {
  const rawBody = JSON.stringify({ event: "meeting.started", payload: { object: { id: 1 } } });
  const timestamp = seconds(now);

  it("accepts Zoom's v0 signature over the timestamp and the raw body", () => {
    const headers = { "x-zm-request-timestamp": timestamp, "x-zm-signature": sign(secretToken, timestamp, rawBody) };
    expect(verifyZoomWebhook({ headers, rawBody, secretToken, now })).toEqual({ ok: true });
    expect(
      verifyZoomWebhook({
        headers: new Headers(headers),
        rawBody,
        secretToken,
        now: new Date(now.getTime() + 299_000),
      }),
    ).toEqual({ ok: true });
  });

  it("refuses another secret, a changed body and missing headers", () => {
    const headers = { "x-zm-request-timestamp": timestamp, "x-zm-signature": sign("other-secret", timestamp, rawBody) };
    expect(verifyZoomWebhook({ headers, rawBody, secretToken, now })).toEqual({ ok: false, reason: "bad_signature" });
    const good = { ...headers, "x-zm-signature": sign(secretToken, timestamp, rawBody) };
    expect(verifyZoomWebhook({ headers: good, rawBody: `${rawBody} `, secretToken, now })).toEqual({
      ok: false,
      reason: "bad_signature",
    });
    expect(
      verifyZoomWebhook({ headers: { ...good, "x-zm-signature": "v0=short" }, rawBody, secretToken, now }),
    ).toEqual({ ok: false, reason: "bad_signature" });
    expect(
      verifyZoomWebhook({ headers: { "x-zm-signature": good["x-zm-signature"] }, rawBody, secretToken, now }),
    ).toEqual({ ok: false, reason: "missing_headers" });
  });

  it("refuses a correctly signed request more than five minutes old or ahead", () => {
    for (const skew of [-301_000, 301_000]) {
      const stamp = seconds(new Date(now.getTime() + skew));
      const headers = { "x-zm-request-timestamp": stamp, "x-zm-signature": sign(secretToken, stamp, rawBody) };
      expect(verifyZoomWebhook({ headers, rawBody, secretToken, now })).toEqual({
        ok: false,
        reason: "stale_timestamp",
      });
    }
  });
});

describe("zoomUrlValidationResponse and parseZoomWebhookEvent", () => {
  it("answers the challenge with hex(HMAC_SHA256(secret, plainToken))", () => {
    expect(zoomUrlValidationResponse("qgg8vlvZRS6UYooatFL8Aw", secretToken)).toEqual({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      encryptedToken: createHmac("sha256", secretToken).update("qgg8vlvZRS6UYooatFL8Aw").digest("hex"),
    });
  });

  it("parses app_deauthorized, the URL challenge and passes other events through", () => {
    const deauthorized = {
      event: "app_deauthorized",
      event_ts: 1,
      payload: {
        account_id: "A",
        user_id: "U",
        signature: "s",
        deauthorization_time: "2026-11-22T10:00:00.000Z",
        client_id: "C",
        user_data_retention: "false",
      },
    };
    expect(parseZoomWebhookEvent(JSON.stringify(deauthorized))).toEqual({
      type: "app_deauthorized",
      accountId: "A",
      zoomUserId: "U",
      clientId: "C",
      deauthorizedAt: now,
      eventTs: 1,
    });
    expect(
      parseZoomWebhookEvent(JSON.stringify({ event: "endpoint.url_validation", payload: { plainToken: "p" } })),
    ).toEqual({ type: "url_validation", plainToken: "p" });
    expect(parseZoomWebhookEvent(JSON.stringify({ event: "meeting.ended", payload: { x: 1 } }))).toEqual({
      type: "other",
      event: "meeting.ended",
      payload: { x: 1 },
    });
  });

  it("refuses a deauthorization without user_id, and a body that is not JSON", () => {
    expect(() =>
      parseZoomWebhookEvent(JSON.stringify({ event: "app_deauthorized", payload: { account_id: "A" } })),
    ).toThrow(ProviderResponseError);
    expect(() => parseZoomWebhookEvent("not json")).toThrow(ProviderResponseError);
  });
});

/** A local endpoint standing in for Tsunagu's /webhooks/zoom, answering with our production helpers. */
interface Received {
  headers: IncomingHttpHeaders;
  rawBody: string;
}
let receiver: Server;
let received: Received[] = [];
let answerSecret: () => string;
let zoom: ZoomHarness;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: request.headers, rawBody });
      const event = parseZoomWebhookEvent(rawBody);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        event.type === "url_validation"
          ? JSON.stringify(zoomUrlValidationResponse(event.plainToken, answerSecret()))
          : "",
      );
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  zoom = await startZoom({ webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/zoom` });
});
afterAll(async () => {
  await zoom.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(async () => {
  await zoom.running.control("/reset");
  received = [];
  answerSecret = () => zoom.running.context.webhookSecret;
});

describe("the fake's webhooks, checked by our helpers", () => {
  it("deauthorizing a user ends their grants and delivers a signed app_deauthorized", async () => {
    const tokens = await link(zoom, "zU_recruiting");
    const outcome = await zoom.running.control("/deauthorize", { userId: "recruiting@sakura-recruit.example" });
    expect(outcome).toMatchObject({ ok: true, revoked: 1, delivery: { status: 200 } });
    expect(received).toHaveLength(1);
    const [delivery] = received;
    if (!delivery) throw new Error("nothing delivered");
    expect(
      verifyZoomWebhook({
        headers: delivery.headers,
        rawBody: delivery.rawBody,
        secretToken: zoom.running.context.webhookSecret,
        now: zoom.running.clock.now(),
      }),
    ).toEqual({ ok: true });
    expect(
      verifyZoomWebhook({
        headers: delivery.headers,
        rawBody: delivery.rawBody,
        secretToken: "not-the-secret",
        now: zoom.running.clock.now(),
      }),
    ).toEqual({ ok: false, reason: "bad_signature" });
    expect(parseZoomWebhookEvent(delivery.rawBody)).toMatchObject({
      type: "app_deauthorized",
      zoomUserId: "zU_recruiting",
      accountId: seed.accountId,
      clientId: "test-client",
    });
    await expect(zoom.client.oauth.refresh(tokens.refreshToken ?? "")).rejects.toBeInstanceOf(InvalidGrantError);
    await expect(zoom.client.api(tokens.accessToken).me()).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("a delivery replayed after five minutes no longer verifies", async () => {
    await zoom.running.control("/deauthorize", { userId: "zU_sho" });
    const [delivery] = received;
    if (!delivery) throw new Error("nothing delivered");
    const later = new Date(zoom.running.clock.now().getTime() + 6 * 60_000);
    expect(
      verifyZoomWebhook({
        headers: delivery.headers,
        rawBody: delivery.rawBody,
        secretToken: zoom.running.context.webhookSecret,
        now: later,
      }),
    ).toEqual({ ok: false, reason: "stale_timestamp" });
  });

  it("URL validation passes with our answer and fails when the endpoint holds the wrong secret", async () => {
    await expect(zoom.running.control("/url-validation")).resolves.toEqual({ ok: true, validated: true, status: 200 });
    const [challenge] = received;
    expect(
      challenge &&
        verifyZoomWebhook({
          headers: challenge.headers,
          rawBody: challenge.rawBody,
          secretToken: zoom.running.context.webhookSecret,
          now: zoom.running.clock.now(),
        }),
    ).toEqual({ ok: true });
    answerSecret = () => "stale-secret";
    await expect(zoom.running.control("/url-validation")).resolves.toEqual({ ok: true, validated: false, status: 200 });
  });
});
