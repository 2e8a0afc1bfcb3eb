/**
 * The real app over a test database, two registered hosts, a real vault, and
 * the Zoom fake on loopback behind a test-only adapter; plus a browser-like
 * walk through the round trip (start → begin → Zoom consent → callback).
 * Begin is the element's form POST (../oauth/adapters/round-trip.ts).
 */
import { randomBytes } from "node:crypto";
import { createApp } from "../../src/app.ts";
import { createTokenRefresher, type TokenRefresher } from "../../src/accounts/refresh.ts";
import { loadHostRegistry, syncHostsToDatabase } from "../../src/auth/host-registry.ts";
import { createLogger, silentLogger } from "../../src/log.ts";
import type { LinkAdapters } from "../../src/oauth/provider-link.ts";
import type { DatabaseOptions, DB } from "../../src/store/database.ts";
import { createVault, type Vault } from "../../src/vault/vault.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { type MovableClock, movableClock, portalClaims, randomSecret, secretKey, signToken, temporaryHostsFile } from "../support/hosts.ts";
import { startZoom, walkConsent, type ZoomHarness } from "../providers/zoom-support.ts";
import { beginRequest, type StartedFlow } from "./adapters/round-trip.ts";
import { zoomLinkAdapter } from "./zoom-link-adapter.ts";

export const publicUrl = "http://tsunagu.test";
export const originA = "https://portal-a.example";
export const otherOriginA = "https://careers.portal-a.example";
export const originB = "https://portal-b.example";

export interface Caller {
  host?: "portal-a" | "portal-b";
  sub: string;
  org: string;
  role: "admin" | "recruiter" | "assistant" | "guest";
  email?: string;
}

/** The page a caller's portal serves the element on: its host's first origin. */
function homeOrigin(caller: Caller): string {
  return (caller.host ?? "portal-a") === "portal-a" ? originA : originB;
}

export interface OAuthTestApp {
  app: ReturnType<typeof createApp>;
  db: DB;
  /** Opens another pool on the same data: a second server process. */
  databaseOptions: DatabaseOptions;
  vault: Vault;
  clock: MovableClock;
  zoom: ZoomHarness;
  refresher: TokenRefresher;
  /** What the server logged, one JSON line each. */
  logLines: string[];
  token(caller: Caller): Promise<string>;
  /** A JSON call to the API as `caller`, from the host's first origin unless `origin` says otherwise (null: none). */
  api(caller: Caller, method: string, path: string, options?: { body?: unknown; origin?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export async function startOAuthTestApp(): Promise<OAuthTestApp> {
  const database: TestDatabase = await createTestDatabase();
  const zoom = await startZoom();
  const secrets = { "portal-a": randomSecret(), "portal-b": randomSecret() };
  const hostsFile = temporaryHostsFile([
    { id: "portal-a", origins: [originA, otherOriginA], secret: secrets["portal-a"], algorithms: ["HS256"] },
    { id: "portal-b", origins: [originB], secret: secrets["portal-b"], algorithms: ["HS256"] },
  ]);
  // Start where the fake's clock is, so token expiry means the same to both sides.
  const clock = movableClock(zoom.running.clock.now().toISOString());
  const hosts = await loadHostRegistry(hostsFile.file, { logger: silentLogger });
  await syncHostsToDatabase(database.db, hosts, clock);
  const vault = createVault([{ id: "test", key: new Uint8Array(randomBytes(32)) }]);
  const adapters: LinkAdapters = { zoom: zoomLinkAdapter(zoom.client) };
  const logLines: string[] = [];
  const logger = createLogger({ level: "info", write: (line) => logLines.push(line) });
  const deps = { db: database.db, vault, clock, logger, hosts };

  const app = createApp({ ...deps, config: { publicUrl }, providers: {}, linkAdapters: adapters });
  // A refresher of the test's own, as a second server process would have.
  const refresher = createTokenRefresher(deps);

  const token = (caller: Caller) => {
    const host = caller.host ?? "portal-a";
    return signToken(secretKey(secrets[host]), portalClaims(clock, host, { sub: caller.sub, org: caller.org, role: caller.role, email: caller.email ?? `${caller.sub}@${caller.org}.example` }));
  };
  return {
    app,
    db: database.db,
    databaseOptions: database.options,
    vault,
    clock,
    zoom,
    refresher,
    logLines,
    token,
    async api(caller, method, path, options = {}) {
      const headers: Record<string, string> = { Authorization: `Bearer ${await token(caller)}` };
      const origin = options.origin === undefined ? homeOrigin(caller) : options.origin;
      if (origin !== null) headers.Origin = origin;
      if (options.body !== undefined) headers["Content-Type"] = "application/json";
      return app.request(path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    },
    async close() {
      await zoom.close();
      await database.close();
      hostsFile.cleanup();
    },
  };
}

export interface BegunFlow {
  flow: string;
  /** Where begin sent the browser: the provider's authorize URL. */
  authorizeUrl: URL;
  /** `name=value` of the binding cookie. */
  cookie: string;
}

/** A started flow, with the origin the portal page started it from (the one begin must come from). */
export interface Started extends StartedFlow {
  origin: string;
}

export async function startFlow(t: OAuthTestApp, caller: Caller, body: Record<string, unknown>, origin?: string): Promise<Started> {
  const response = await t.api(caller, "POST", "/v1/oauth/zoom/start", { body, ...(origin ? { origin } : {}) });
  if (response.status !== 201) throw new Error(`start answered ${response.status}: ${await response.text()}`);
  return { ...((await response.json()) as StartedFlow), origin: origin ?? homeOrigin(caller) };
}

/** The element's begin form, submitted from the page that started the flow; `from` overrides what the browser would send. */
export async function begin(t: OAuthTestApp, started: Started, from: { origin?: string | null; secret?: string | null } = {}): Promise<Response> {
  const { path, init } = beginRequest(started, from.origin === undefined ? started.origin : from.origin, from.secret === undefined ? started.beginSecret : from.secret);
  return t.app.request(path, init);
}

export async function startAndBegin(t: OAuthTestApp, caller: Caller, body: Record<string, unknown> = { purpose: "personal", returnMode: "popup" }): Promise<BegunFlow> {
  const started = await startFlow(t, caller, body);
  const response = await begin(t, started);
  if (response.status !== 303) throw new Error(`begin answered ${response.status}: ${await response.text()}`);
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { flow: started.flow, authorizeUrl: new URL(response.headers.get("location") ?? ""), cookie };
}

/** The provider's redirect back to us, as the browser would follow it. */
export async function callback(t: OAuthTestApp, location: URL | string, cookie: string | undefined): Promise<Response> {
  const url = new URL(location);
  return t.app.request(url.pathname + url.search, { headers: cookie ? { Cookie: cookie } : {} });
}

/** Start, begin, consent at the Zoom fake as `zoomUser`, and return where Zoom sends the browser back. */
export async function consent(t: OAuthTestApp, caller: Caller, zoomUser: string, body?: Record<string, unknown>, decision: "allow" | "deny" = "allow") {
  // A second passes between links, as it would for a person: accounts list in the order they were linked.
  t.clock.advance(1);
  const begun = await startAndBegin(t, caller, body);
  const { location } = await walkConsent(t.zoom, { url: begun.authorizeUrl, account: zoomUser, decision });
  return { ...begun, location };
}

/** The whole round trip; returns the callback's answer. */
export async function link(t: OAuthTestApp, caller: Caller, zoomUser: string, body?: Record<string, unknown>) {
  const consented = await consent(t, caller, zoomUser, body);
  return { ...consented, response: await callback(t, consented.location, consented.cookie) };
}

/** The message the popup page posts, and the origin it posts it to. */
export function postedMessage(html: string): { message: Record<string, unknown>; origin: string } | undefined {
  const match = /var message = (.*);\n\s*var origin = (.*);/.exec(html);
  if (!match?.[1] || !match[2]) return undefined;
  return { message: JSON.parse(match[1]) as Record<string, unknown>, origin: JSON.parse(match[2]) as string };
}

export function errorCodeOnPage(html: string): string | undefined {
  return /data-error-code="([^"]+)"/.exec(html)?.[1];
}
