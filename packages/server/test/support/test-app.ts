/**
 * The one way the server suites build the app: the real `createApp`, composed
 * as `main.ts` composes it, over a fresh test database (SQLite, or a schema of
 * its own in PostgreSQL in the postgres project), a movable clock, a real
 * vault, a hosts file, and a log captured as JSON lines. Options add what a
 * suite needs:
 *
 * - `providers`: sandbox fakes started on loopback, handed to the app as
 *   provider settings and as the production link adapters (`createLinkAdapters`),
 *   exactly as the sandbox hands them to `main.ts`; the clock then starts at the
 *   fakes' time, so token expiry means the same to both sides;
 * - `hosts`: hosts file entries instead of the two default portals (the test
 *   then signs its own tokens); `hostRegistry` for the registry's options;
 * - `webhooks`: portal-a takes Tsunagu's webhooks at a recording receiver, with
 *   the delivery worker run by hand (`deliverDue`);
 * - `serve`: the app listens on loopback, and the Zoom and Slack fakes deliver
 *   their webhooks to it;
 * - `pool`: the app's own connection pool on the test database, opened with
 *   other options (timeouts);
 * - `benchRoutes`, `elementsDir`: the app's config.
 *
 * Every JSON answer the app gives is checked against its OpenAPI document
 * (openapi-contract.ts): an answer the document does not describe throws
 * where it was received, and again from `close()`.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { JWTPayload } from "jose";
import { type createApp, createServerApp } from "../../src/app.ts";
import type { InterviewObserver } from "../../src/interviews/ports.ts";
import type { Interviews } from "../../src/interviews/service.ts";
import { createTokenRefresher, type TokenRefresher } from "../../src/accounts/refresh.ts";
import {
  type HostRegistry,
  type HostRegistryOptions,
  loadHostRegistry,
  syncHostsToDatabase,
} from "../../src/auth/host-registry.ts";
import type { Clock } from "../../src/clock.ts";
import type { EncryptionKey } from "../../src/config.ts";
import { createLogger, type Logger } from "../../src/log.ts";
import { createLinkAdapters } from "../../src/oauth/adapters/index.ts";
import type { LinkAdapter, LinkAdapters } from "../../src/oauth/provider-link.ts";
import type { HttpDeps } from "../../src/providers/http.ts";
import type { ProviderSettings } from "../../src/providers/settings.ts";
import { createGoogleFake, googleSandboxEndpoints } from "../../src/sandbox/google/index.ts";
import { createMicrosoftFake, microsoftSandboxEndpoints } from "../../src/sandbox/microsoft/index.ts";
import { slackSandboxEndpoints } from "../../src/sandbox/slack/index.ts";
import { zoomSandboxEndpoints } from "../../src/sandbox/zoom/index.ts";
import { type DatabaseOptions, type DB, openDatabase } from "../../src/store/database.ts";
import { openApiDocument } from "../../src/routes/openapi.ts";
import { createVault, type Vault } from "../../src/vault/vault.ts";
import { createWebhookDelivery, type DeliveryPolicy, type WebhookDelivery } from "../../src/webhooks/delivery.ts";
import { createSlackNoticeSender } from "../../src/notices/slack-sender.ts";
import { type SlackHarness, startSlack } from "../providers/slack-support.ts";
import { startZoom, type ZoomHarness } from "../providers/zoom-support.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";
import { answerContract, undocumentedRoutes, webhookProblem } from "./openapi-contract.ts";
import { type RunningFake, startFake } from "./fake-server.ts";
import {
  type HostsFile,
  type MovableClock,
  movableClock,
  portalClaims,
  randomSecret,
  secretKey,
  signToken,
  temporaryHostsFile,
} from "./hosts.ts";
import { type ReceivedWebhook, type Receiver, startReceiver } from "./webhook-receiver.ts";

export const publicUrl = "http://tsunagu.test";
/** portal-a's first origin: the page the element is embedded in. */
export const originA = "https://portal-a.example";
/** portal-a's second origin. */
export const otherOriginA = "https://careers.portal-a.example";
export const originB = "https://portal-b.example";

export type PortalId = "portal-a" | "portal-b";

/** A portal user: who the host token names. */
export interface Caller {
  /** portal-a unless given. */
  host?: PortalId;
  sub: string;
  org: string;
  role: "admin" | "recruiter" | "assistant" | "guest";
  /** `<sub>@<org>.example` unless given. */
  email?: string;
  /** The token's `locale`; portalClaims' default (ja) when absent. */
  locale?: "ja" | "en";
}

/** The claims of `caller`'s host token, issued now on `clock` by its host; `claims` override. */
export function callerClaims(clock: Clock, caller: Caller, claims: Record<string, unknown> = {}): JWTPayload {
  const host = caller.host ?? "portal-a";
  return portalClaims(clock, host, {
    sub: caller.sub,
    org: caller.org,
    role: caller.role,
    email: caller.email ?? `${caller.sub}@${caller.org}.example`,
    ...(caller.locale && { locale: caller.locale }),
    ...claims,
  });
}

/** The page a caller's portal serves the element on: its host's first origin. */
export const homeOrigin = (caller: Pick<Caller, "host">): string =>
  (caller.host ?? "portal-a") === "portal-a" ? originA : originB;

export type SandboxProvider = "google" | "microsoft" | "zoom" | "slack";

/** Each started fake: Zoom and Slack with our production client pointed at them (../providers/*-support.ts). */
export interface SandboxFakes {
  google: RunningFake;
  microsoft: RunningFake;
  zoom: ZoomHarness;
  slack: SlackHarness;
}

export interface TestAppOptions<P extends SandboxProvider> {
  providers?: readonly P[];
  /** Hosts file entries instead of the default portal-a and portal-b (HS256, secrets in `secrets`). */
  hosts?: unknown[];
  hostRegistry?: Partial<HostRegistryOptions>;
  webhooks?: { policy?: Partial<DeliveryPolicy> };
  serve?: boolean;
  /** The app's pool on the test database, opened with these options instead of sharing the test's. */
  pool?: (options: DatabaseOptions) => DatabaseOptions;
  benchRoutes?: boolean;
  /** The app's `config.elementsDir`: where it serves the built elements from. */
  elementsDir?: string;
  /** How long an interview's saga lease lasts (the app's default otherwise). */
  interviewLeaseMs?: number;
  /** Told of every settled interview change (the app's `interviewObservers`). */
  interviewObservers?: readonly InterviewObserver[];
}

export interface BaseTestApp {
  app: ReturnType<typeof createApp>;
  /** The app's interviews (its recovery pass is run by hand: `interviews.recovery.runOnce()`). */
  interviews: Interviews;
  /** The app's pool. */
  db: DB;
  /** The test database itself (its own pool, and options to open another: a second server process). */
  database: TestDatabase;
  databaseOptions: DatabaseOptions;
  vault: Vault;
  /** The one key of `vault`, id "test". */
  encryptionKey: EncryptionKey;
  clock: MovableClock;
  logger: Logger;
  /** What the server logged, one JSON line each. */
  logLines: string[];
  hosts: HostRegistry;
  hostsFile: HostsFile;
  /** Each default portal's HS256 secret (base64url). */
  secrets: Record<PortalId, string>;
  /** The provider settings and link adapters the app was given. */
  providers: ProviderSettings;
  adapters: LinkAdapters;
  /** A refresher of the test's own, as another server process would have. */
  refresher: TokenRefresher;
  /** Where the app listens on loopback (`serve`), else undefined. */
  baseUrl: string | undefined;
  /** A host token for `caller`, issued now on the test clock; `claims` override. */
  token(caller: Caller, claims?: Record<string, unknown>): Promise<string>;
  /** A JSON call to the API as `caller`, from its host's first origin unless `origin` says otherwise (null: none). */
  api(
    caller: Caller,
    method: string,
    path: string,
    body?: unknown,
    options?: { origin?: string | null; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** The portal's webhook side (`webhooks`): its receiver, its secret, and the delivery worker. */
export interface PortalWebhooks {
  receiver: Receiver;
  /** portal-a's webhook secret (base64url). */
  webhookSecret: string;
  delivery: WebhookDelivery;
  /** Another worker, as a second server process would run, on its own connection pool. */
  secondDelivery(): Promise<{ delivery: WebhookDelivery; close(): Promise<void> }>;
  /** Every outbox row, oldest first. */
  outbox(): Promise<
    Array<{
      id: string;
      host_id: string;
      type: string;
      payload: string;
      status: string;
      attempts: number;
      next_attempt_at: string;
      last_error: string | null;
    }>
  >;
}

/** The test app with the fakes of `P` started, and a link adapter for each. */
export type TestApp<P extends SandboxProvider = never> = BaseTestApp &
  Pick<SandboxFakes, P> & { adapters: Record<P, LinkAdapter> };
export type WebhookTestApp<P extends SandboxProvider = never> = TestApp<P> & PortalWebhooks;

/** A vault over one fresh key, id "test"; tests of the stores without the app take theirs here too. */
export function testVault(key: EncryptionKey = { id: "test", key: new Uint8Array(randomBytes(32)) }): Vault {
  return createVault([key]);
}

/** Fast retries that never sleep, on the fake's clock: no test waits on a timer. */
function fastRetries(clock: Clock): HttpDeps {
  return {
    fetch: globalThis.fetch,
    clock,
    sleep: async () => {},
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1000 },
  };
}

interface StartedFake {
  clock: RunningFake["clock"];
  settings: ProviderSettings;
  /** Where the fake delivers webhooks, for fakes that send them. */
  setWebhookUrl?(url: string): void;
  close(): Promise<void>;
}

const oauthApp = (fake: RunningFake) => ({ clientId: fake.context.clientId, clientSecret: fake.context.clientSecret });

async function startSandboxFake(provider: SandboxProvider, fakes: Partial<SandboxFakes>): Promise<StartedFake> {
  switch (provider) {
    case "google": {
      const fake = (fakes.google = await startFake(createGoogleFake));
      return {
        clock: fake.clock,
        settings: { google: { ...oauthApp(fake), endpoints: googleSandboxEndpoints(fake.baseUrl) } },
        close: () => fake.close(),
      };
    }
    case "microsoft": {
      const fake = (fakes.microsoft = await startFake(createMicrosoftFake));
      return {
        clock: fake.clock,
        settings: { microsoft: { ...oauthApp(fake), endpoints: microsoftSandboxEndpoints(fake.baseUrl) } },
        close: () => fake.close(),
      };
    }
    case "zoom": {
      const zoom = (fakes.zoom = await startZoom());
      const fake = zoom.running;
      const settings = {
        zoom: {
          ...oauthApp(fake),
          webhookSecret: fake.context.webhookSecret,
          endpoints: zoomSandboxEndpoints(fake.baseUrl),
        },
      };
      return {
        clock: fake.clock,
        settings,
        setWebhookUrl: (url) => void (fake.context.webhookUrl = url),
        close: () => zoom.close(),
      };
    }
    case "slack": {
      const slack = (fakes.slack = await startSlack());
      const fake = slack.fake;
      const settings = {
        slack: {
          ...oauthApp(fake),
          signingSecret: fake.context.webhookSecret,
          endpoints: slackSandboxEndpoints(fake.baseUrl),
        },
      };
      return {
        clock: fake.clock,
        settings,
        setWebhookUrl: (url) => void (fake.context.webhookUrl = url),
        close: () => fake.close(),
      };
    }
  }
}

/** Serves an app on loopback, for clients that fetch (jose's remote JWKS, the fakes' webhooks). */
export async function serveApp(app: {
  fetch: (request: Request) => Response | Promise<Response>;
}): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * Checks each JSON answer of `app` against the OpenAPI document it serves: a mismatch throws to the caller and is
 * kept in the returned list (for answers given to a served request, whose caller only sees a 500). An app with a
 * /v1 route the document does not list is refused outright.
 */
function keepToTheDocument(app: ReturnType<typeof createApp>): string[] {
  const document = openApiDocument(app, publicUrl);
  const missing = undocumentedRoutes(app.routes, document);
  if (missing.length > 0)
    throw new Error(`Routes missing from the OpenAPI document (add documented({...}) to each): ${missing.join(", ")}`);
  const contract = answerContract(document);
  const broken: string[] = [];
  const fetch = app.fetch;
  app.fetch = async (request, ...rest) => {
    const response = await fetch(request, ...rest);
    const problem = await contract.check(request, response);
    if (problem) {
      broken.push(problem);
      throw new Error(problem);
    }
    return response;
  };
  return broken;
}

export function createTestApp<const P extends SandboxProvider = never>(
  options: TestAppOptions<P> & { webhooks: { policy?: Partial<DeliveryPolicy> } },
): Promise<WebhookTestApp<P>>;
export function createTestApp<const P extends SandboxProvider = never>(
  options?: TestAppOptions<P>,
): Promise<TestApp<P>>;
export async function createTestApp<const P extends SandboxProvider = never>(
  options: TestAppOptions<P> = {},
): Promise<TestApp<P> | WebhookTestApp<P>> {
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const database = await createTestDatabase();
    closers.push(() => database.close());
    let db = database.db;
    if (options.pool) {
      const pool = openDatabase(options.pool(database.options));
      closers.push(() => pool.destroy());
      db = pool;
    }

    const fakes: Partial<SandboxFakes> = {};
    const started = await Promise.all((options.providers ?? []).map((provider) => startSandboxFake(provider, fakes)));
    for (const fake of started) closers.push(() => fake.close());
    const providers: ProviderSettings = Object.assign({}, ...started.map((fake) => fake.settings));
    // Each adapter on its own fake's clock, built the way main.ts builds them.
    const adapters: LinkAdapters = Object.assign(
      {},
      ...started.map((fake) => createLinkAdapters(fake.settings, fastRetries(fake.clock))),
    );

    // Each webhook the portal receives is checked against the app's OpenAPI document, as its answers are.
    const receivedWebhooks: ReceivedWebhook[] = [];
    const receiver = options.webhooks ? await startReceiver((webhook) => receivedWebhooks.push(webhook)) : undefined;
    if (receiver) closers.push(() => receiver.close());
    const webhookSecret = randomSecret();
    const secrets: Record<PortalId, string> = { "portal-a": randomSecret(), "portal-b": randomSecret() };
    const hostsFile = temporaryHostsFile(
      options.hosts ?? [
        {
          id: "portal-a",
          origins: [originA, otherOriginA],
          secret: secrets["portal-a"],
          algorithms: ["HS256"],
          ...(receiver && { webhookUrl: receiver.url, webhookSecret }),
        },
        { id: "portal-b", origins: [originB], secret: secrets["portal-b"], algorithms: ["HS256"] },
      ],
    );
    closers.push(() => hostsFile.cleanup());

    const clock = started[0] ? movableClock(started[0].clock.now().toISOString()) : movableClock();
    const logLines: string[] = [];
    const logger = createLogger({ level: "info", write: (line) => logLines.push(line) });
    const hosts = await loadHostRegistry(hostsFile.file, { logger, ...options.hostRegistry });
    await syncHostsToDatabase(db, hosts, clock);
    const encryptionKey: EncryptionKey = { id: "test", key: new Uint8Array(randomBytes(32)) };
    const vault = testVault(encryptionKey);
    const deps = { db, vault, clock, logger, hosts };
    const { app, interviews } = createServerApp({
      ...deps,
      config: { publicUrl, benchRoutes: options.benchRoutes ?? false, elementsDir: options.elementsDir },
      providers,
      linkAdapters: adapters,
      interviewLeaseMs: options.interviewLeaseMs,
      interviewObservers: options.interviewObservers,
    });
    const brokenContract = keepToTheDocument(app);
    closers.unshift(() => {
      const document = openApiDocument(app, publicUrl);
      for (const webhook of receivedWebhooks) {
        const problem = webhookProblem(document, String(webhook.headers["tsunagu-event-type"]), webhook.body);
        if (problem) brokenContract.push(problem);
      }
      if (brokenContract.length > 0) throw new Error(brokenContract.join("\n"));
    });

    let baseUrl: string | undefined;
    if (options.serve) {
      const served = await serveApp(app);
      closers.push(() => served.close());
      baseUrl = served.baseUrl;
      // The fakes learn where to deliver once the app listens.
      for (const [index, provider] of (options.providers ?? []).entries())
        started[index]?.setWebhookUrl?.(`${baseUrl}/webhooks/${provider}`);
    }

    const token = (caller: Caller, claims: Record<string, unknown> = {}) =>
      signToken(secretKey(secrets[caller.host ?? "portal-a"]), callerClaims(clock, caller, claims));
    const testApp: BaseTestApp = {
      app,
      interviews,
      db,
      database,
      databaseOptions: database.options,
      vault,
      encryptionKey,
      clock,
      logger,
      logLines,
      hosts,
      hostsFile,
      secrets,
      providers,
      adapters,
      refresher: createTokenRefresher(deps),
      baseUrl,
      token,
      async api(caller, method, path, body, requestOptions = {}) {
        const headers: Record<string, string> = {
          Authorization: `Bearer ${await token(caller)}`,
          ...requestOptions.headers,
        };
        const origin = requestOptions.origin === undefined ? homeOrigin(caller) : requestOptions.origin;
        if (origin !== null) headers.Origin = origin;
        if (body !== undefined) headers["Content-Type"] = "application/json";
        return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      },
      close,
    };
    if (!receiver) return Object.assign(testApp, fakes) as TestApp<P>;

    const policy = options.webhooks?.policy;
    // The worker also sends the Slack notices, as main.ts composes it (the Slack client: the harness's, on the fake).
    const worker = (workerDb: DB) =>
      createWebhookDelivery({
        db: workerDb,
        clock,
        logger,
        hosts,
        policy,
        senders: [
          createSlackNoticeSender({
            db: workerDb,
            clock,
            logger,
            refresher: createTokenRefresher({ db: workerDb, vault, clock, logger }),
            adapters,
            slack: fakes.slack?.client,
          }),
        ],
      });
    const webhooks: PortalWebhooks = {
      receiver,
      webhookSecret,
      delivery: worker(db),
      async secondDelivery() {
        const second = openDatabase(database.options);
        return {
          delivery: worker(second),
          close: () => second.destroy(),
        };
      },
      outbox: () =>
        db
          .selectFrom("webhook_outbox")
          .select(["id", "host_id", "type", "payload", "status", "attempts", "next_attempt_at", "last_error"])
          .orderBy("created_at")
          .orderBy("id")
          .execute(),
    };
    return Object.assign(testApp, fakes, webhooks) as WebhookTestApp<P>;
  } catch (error) {
    await close();
    throw error;
  }
}
