/**
 * The real app served on loopback (the fakes deliver their webhooks to it),
 * with the Zoom and Slack fakes configured as providers, a portal that takes
 * Tsunagu's webhooks at a recording receiver, a second portal without a
 * webhook URL, and the delivery worker (run by hand: `deliverDue`).
 * Satisfies OAuthTestApp, so the round-trip helpers of ../oauth/harness.ts work on it.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { createApp } from "../../src/app.ts";
import { createTokenRefresher } from "../../src/accounts/refresh.ts";
import { loadHostRegistry, syncHostsToDatabase } from "../../src/auth/host-registry.ts";
import { createLogger, silentLogger } from "../../src/log.ts";
import type { ProviderSettings } from "../../src/providers/settings.ts";
import { openDatabase } from "../../src/store/database.ts";
import { createSlackFake, slackSandboxEndpoints } from "../../src/sandbox/slack/index.ts";
import { zoomSandboxEndpoints } from "../../src/sandbox/zoom/index.ts";
import { createZoomLinkAdapter } from "../../src/oauth/adapters/zoom.ts";
import { defaultHttpDeps } from "../../src/providers/http.ts";
import { createVault } from "../../src/vault/vault.ts";
import { createWebhookDelivery, type DeliveryPolicy, type WebhookDelivery } from "../../src/webhooks/delivery.ts";
import { type Caller, type OAuthTestApp, originA, originB, otherOriginA } from "../oauth/harness.ts";
import { zoomLinkAdapter } from "../oauth/zoom-link-adapter.ts";
import { startZoom } from "../providers/zoom-support.ts";
import { createTestDatabase } from "../support/database.ts";
import { type RunningFake, startFake } from "../support/fake-server.ts";
import { movableClock, portalClaims, randomSecret, secretKey, signToken, temporaryHostsFile } from "../support/hosts.ts";

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** The portal's webhook endpoint: records every request and answers with the queued statuses, then 204. */
export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** The next answers, in order (e.g. [500, 500]). */
  failNext(...statuses: number[]): void;
  /** Parsed bodies of what arrived, oldest first. */
  events(): Array<Record<string, unknown>>;
  clear(): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedWebhook[] = [];
  const queued: number[] = [];
  const server: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.statusCode = queued.shift() ?? 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsunagu/webhooks`,
    received,
    failNext: (...statuses) => void queued.push(...statuses),
    events: () => received.map((request) => JSON.parse(request.body) as Record<string, unknown>),
    clear: () => void received.splice(0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface WebhookTestApp extends OAuthTestApp {
  /** Where the app listens on loopback. */
  baseUrl: string;
  slack: RunningFake;
  receiver: Receiver;
  /** portal-a's webhook secret (base64url). */
  webhookSecret: string;
  providers: ProviderSettings;
  delivery: WebhookDelivery;
  /** Another worker, as a second server process would run, on its own connection pool. */
  secondDelivery(): Promise<{ delivery: WebhookDelivery; close(): Promise<void> }>;
  /** Every outbox row, oldest first. */
  outbox(): Promise<Array<{ id: string; host_id: string; type: string; payload: string; status: string; attempts: number; next_attempt_at: string; last_error: string | null }>>;
}

/** `productionZoomAdapter`: link Zoom with the server's own adapter (every guard, and the Zoom user's type in the account), not the test one. */
export async function startWebhookTestApp(options: { policy?: Partial<DeliveryPolicy>; productionZoomAdapter?: boolean } = {}): Promise<WebhookTestApp> {
  const database = await createTestDatabase();
  const zoom = await startZoom();
  const slack = await startFake(createSlackFake);
  const receiver = await startReceiver();
  const webhookSecret = randomSecret();
  const secrets = { "portal-a": randomSecret(), "portal-b": randomSecret() };
  const hostsFile = temporaryHostsFile([
    { id: "portal-a", origins: [originA, otherOriginA], secret: secrets["portal-a"], algorithms: ["HS256"], webhookUrl: receiver.url, webhookSecret },
    { id: "portal-b", origins: [originB], secret: secrets["portal-b"], algorithms: ["HS256"] },
  ]);
  const clock = movableClock(zoom.running.clock.now().toISOString());
  const hosts = await loadHostRegistry(hostsFile.file, { logger: silentLogger });
  await syncHostsToDatabase(database.db, hosts, clock);
  const vault = createVault([{ id: "test", key: new Uint8Array(randomBytes(32)) }]);
  const providers: ProviderSettings = {
    zoom: { clientId: zoom.running.context.clientId, clientSecret: zoom.running.context.clientSecret, webhookSecret: zoom.running.context.webhookSecret, endpoints: zoomSandboxEndpoints(zoom.running.baseUrl) },
    slack: { clientId: slack.context.clientId, clientSecret: slack.context.clientSecret, signingSecret: slack.context.webhookSecret, endpoints: slackSandboxEndpoints(slack.baseUrl) },
  };
  const logLines: string[] = [];
  const deps = { db: database.db, vault, clock, logger: createLogger({ level: "info", write: (line) => logLines.push(line) }), hosts };
  const app = createApp({ ...deps, config: { publicUrl: "http://tsunagu.test" }, providers, linkAdapters: { zoom: options.productionZoomAdapter ? createZoomLinkAdapter(providers.zoom!, defaultHttpDeps(clock)) : zoomLinkAdapter(zoom.client) } });
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The fakes learn where to deliver once the app listens.
  zoom.running.context.webhookUrl = `${baseUrl}/webhooks/zoom`;
  slack.context.webhookUrl = `${baseUrl}/webhooks/slack`;
  const delivery = createWebhookDelivery({ db: database.db, clock, logger: silentLogger, hosts, policy: options.policy });

  const token = (caller: Caller) => {
    const host = caller.host ?? "portal-a";
    return signToken(secretKey(secrets[host]), portalClaims(clock, host, { sub: caller.sub, org: caller.org, role: caller.role, email: caller.email ?? `${caller.sub}@${caller.org}.example`, ...(caller.locale ? { locale: caller.locale } : {}) }));
  };
  return {
    app,
    logLines,
    db: database.db,
    databaseOptions: database.options,
    vault,
    clock,
    zoom,
    slack,
    receiver,
    webhookSecret,
    providers,
    baseUrl,
    delivery,
    refresher: createTokenRefresher(deps),
    token,
    async api(caller, method, path, requestOptions = {}) {
      const headers: Record<string, string> = { Authorization: `Bearer ${await token(caller)}` };
      const origin = requestOptions.origin === undefined ? ((caller.host ?? "portal-a") === "portal-a" ? originA : originB) : requestOptions.origin;
      if (origin !== null) headers.Origin = origin;
      if (requestOptions.body !== undefined) headers["Content-Type"] = "application/json";
      return app.request(path, { method, headers, body: requestOptions.body === undefined ? undefined : JSON.stringify(requestOptions.body) });
    },
    async secondDelivery() {
      const db = openDatabase(database.options);
      return { delivery: createWebhookDelivery({ db, clock, logger: silentLogger, hosts, policy: options.policy }), close: () => db.destroy() };
    },
    outbox: () =>
      database.db
        .selectFrom("webhook_outbox")
        .select(["id", "host_id", "type", "payload", "status", "attempts", "next_attempt_at", "last_error"])
        .orderBy("created_at")
        .orderBy("id")
        .execute(),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await receiver.close();
      await slack.close();
      await zoom.close();
      await database.close();
      hostsFile.cleanup();
    },
  };
}
