/**
 * Zoom's side of webhooks, driven from the control API: the signed
 * `app_deauthorized` notification when someone uninstalls the app, and the
 * `endpoint.url_validation` challenge Zoom sends when an endpoint is saved
 * (and every 72 hours). Signed independently of the production verifier, so
 * the contract tests check one against the other.
 * https://developers.zoom.us/docs/api/webhooks/ · https://marketplace.zoom.us/docs/guides/auth/deauthorization/
 */
import { createHmac, randomBytes } from "node:crypto";
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { FakeContext } from "../fake.ts";
import { zoom as seed } from "../seed.ts";
import type { ZoomGrants } from "./grants.ts";

const deauthorizeBody = z.object({ userId: z.string().min(1) });

export function zoomWebhookControlRoutes(context: FakeContext, grants: ZoomGrants): Hono {
  const app = new Hono();

  /** Uninstall by one Zoom user (id or email): their grants end, then Zoom notifies the app. */
  app.post("/_control/deauthorize", async (c) => {
    const parsed = deauthorizeBody.safeParse(await c.req.json().catch(() => ({})));
    if (!parsed.success) return controlError(c, 400, "invalid_control_request", "body must be {userId}");
    const wanted = parsed.data.userId.toLowerCase();
    const user = seed.users.find(
      (candidate) => candidate.id.toLowerCase() === wanted || candidate.person.email.toLowerCase() === wanted,
    );
    if (!user) return controlError(c, 404, "unknown_user", `no seeded Zoom user ${parsed.data.userId}`);
    const revoked = grants.revokeUser(user.id);
    const now = context.clock.now();
    const event = {
      event: "app_deauthorized",
      event_ts: now.getTime(),
      payload: {
        account_id: user.accountId,
        user_id: user.id,
        // Legacy field from the retired verification-token scheme.
        signature: randomBytes(32).toString("hex"),
        deauthorization_time: now.toISOString(),
        client_id: context.clientId,
        user_data_retention: "false",
      },
    };
    const delivery = context.webhookUrl ? await deliver(context, context.webhookUrl, event) : null;
    return c.json({ ok: true, revoked, delivery: delivery && { url: context.webhookUrl, status: delivery.status } });
  });

  /** Sends the challenge to the webhook URL and says whether the answer proves knowledge of the secret token. */
  app.post("/_control/url-validation", async (c) => {
    if (!context.webhookUrl)
      return controlError(c, 409, "no_webhook_url", "the fake was started without a webhook URL");
    const plainToken = randomBytes(16).toString("base64url");
    const event = {
      event: "endpoint.url_validation",
      event_ts: context.clock.now().getTime(),
      payload: { plainToken },
    };
    const delivery = await deliver(context, context.webhookUrl, event);
    const answer = z.object({ plainToken: z.string(), encryptedToken: z.string() }).safeParse(delivery.body);
    const expected = createHmac("sha256", context.webhookSecret).update(plainToken).digest("hex");
    const validated =
      delivery.status === 200 &&
      answer.success &&
      answer.data.plainToken === plainToken &&
      answer.data.encryptedToken === expected;
    return c.json({ ok: true, validated, status: delivery.status });
  });

  return app;
}

async function deliver(context: FakeContext, url: string, event: object): Promise<{ status: number; body: unknown }> {
  const rawBody = JSON.stringify(event);
  // x-zm-request-timestamp is in seconds; the signature covers "v0:<timestamp>:<raw body>".
  const timestamp = String(Math.floor(context.clock.now().getTime() / 1000));
  const signature = `v0=${createHmac("sha256", context.webhookSecret)
    .update(`v0:${timestamp}:${rawBody}`)
    .digest("hex")}`;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Zoom Marketplace/1.1a",
        "x-zm-request-timestamp": timestamp,
        "x-zm-signature": signature,
      },
      body: rawBody,
      // Zoom gives an endpoint three seconds to answer.
      signal: AbortSignal.timeout(3000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text, the caller only compares JSON answers.
    }
    return { status: response.status, body };
  } catch {
    // Unreachable or too slow counts as a failed delivery, as in Zoom's webhook logs.
    return { status: 0, body: null };
  }
}

export function controlError(c: Context, status: 400 | 404 | 409, code: string, message: string): Response {
  return c.json({ error: { code, message } }, status);
}
