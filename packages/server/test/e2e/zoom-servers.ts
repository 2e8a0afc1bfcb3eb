/**
 * Real server processes (`src/main.ts`) on one database and one Zoom fake,
 * and a portal user's browser walking start → begin → Zoom's consent page →
 * our callback against them, over loopback. SQLite: the processes share one
 * data directory; PostgreSQL: one schema of their own.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { TokenStoreDeps } from "../../src/accounts/tokens.ts";
import { parseEncryptionKeys } from "../../src/config.ts";
import { zoomSandboxEndpoints } from "../../src/sandbox/zoom/index.ts";
import { type DB, openDatabase } from "../../src/store/database.ts";
import { createVault } from "../../src/vault/vault.ts";
import { startZoom, walkConsent, type ZoomHarness } from "../providers/zoom-support.ts";
import { testDatabaseUrl } from "../support/database.ts";
import {
  generateSigningKey,
  portalClaims,
  randomSecret,
  secretKey,
  signToken,
  temporaryHostsFile,
} from "../support/hosts.ts";
import {
  encryptionKeyEntry,
  isolatedDatabaseUrl,
  type ServerEntry,
  type ServerProcess,
  startServerProcess,
} from "../support/server-process.ts";
import { beginRequest, postedMessage, type StartedFlow } from "../support/round-trip.ts";

export const portalOrigin = "https://portal.example";
export const tenant = { hostId: "e2e-portal", orgId: "sakura" };
const systemClock = { now: () => new Date() };

export interface Person {
  sub: string;
  role: "admin" | "recruiter";
}

/** A callback the browser is about to follow: Zoom's redirect, and the flow's binding cookie. */
export interface PendingCallback {
  url: URL;
  cookie: string;
}

export interface ZoomServers {
  zoom: ZoomHarness;
  processes: ServerProcess[];
  /** The database the processes share, opened by the test. */
  db: DB;
  /** Reads and writes tokens as the servers do (same keys). */
  store: TokenStoreDeps;
  /** Starts one more process on the same database and fake (`extra` adds to its environment). */
  startAnother(extra?: Record<string, string>): Promise<ServerProcess>;
  /** What a portal page sends with each call: a host token of `person` signed now, and the portal's origin. */
  headersOf(person: Person): Promise<Record<string, string>>;
  call(
    server: ServerProcess,
    person: Person,
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response>;
  /** start → begin → Zoom's consent as `zoomUser`: the callback, not yet followed. */
  prepareLink(
    server: ServerProcess,
    person: Person,
    zoomUser: string,
    purpose: "org" | "personal",
  ): Promise<PendingCallback>;
  /** Follows a callback; the message the popup page posts to the portal. */
  followCallback(server: ServerProcess, pending: PendingCallback): Promise<Record<string, unknown>>;
  /** The whole round trip; throws unless it ends `linked`. */
  link(
    server: ServerProcess,
    person: Person,
    zoomUser: string,
    purpose: "org" | "personal",
  ): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * `hostAlgorithm`: how the portal signs its host tokens, HS256 with a shared secret (the default) or ES256 with a key
 * pair whose public JWK the hosts file holds.
 */
export async function startZoomServers(
  count: number,
  extra: Record<string, string> = {},
  entry: ServerEntry = {},
  { hostAlgorithm = "HS256" }: { hostAlgorithm?: "HS256" | "ES256" } = {},
): Promise<ZoomServers> {
  const hostSecret = randomSecret();
  const signingKey = hostAlgorithm === "ES256" ? await generateSigningKey("ES256") : secretKey(hostSecret);
  const hosts = temporaryHostsFile([
    hostAlgorithm === "ES256"
      ? { id: tenant.hostId, origins: [portalOrigin], jwk: signingKey.publicJwk, algorithms: ["ES256"] }
      : { id: tenant.hostId, origins: [portalOrigin], secret: hostSecret, algorithms: ["HS256"] },
  ]);
  const keys = encryptionKeyEntry();
  const zoom = await startZoom();
  const database = await isolatedDatabaseUrl();
  const sharedDataDir = mkdtempSync(join(tmpdir(), "tsunagu-e2e-shared-"));
  const env = {
    TSUNAGU_HOSTS_FILE: hosts.file,
    TSUNAGU_ENCRYPTION_KEYS: keys,
    TSUNAGU_LOG_LEVEL: "warn",
    DATABASE_URL: database.url,
    TSUNAGU_DATA_DIR: sharedDataDir,
    TSUNAGU_ZOOM_CLIENT_ID: zoom.running.context.clientId,
    TSUNAGU_ZOOM_CLIENT_SECRET: zoom.running.context.clientSecret,
    TSUNAGU_PROVIDER_ENDPOINTS: JSON.stringify({ zoom: zoomSandboxEndpoints(zoom.running.baseUrl) }),
    ...extra,
  };
  const processes: ServerProcess[] = [];
  // One after the other: the first migrates the shared database.
  for (let index = 0; index < count; index++) processes.push(await startServerProcess(env, entry));
  const db = openDatabase(testDatabaseUrl ? { databaseUrl: database.url } : { dataDir: sharedDataDir });
  const store = { db, vault: createVault(parseEncryptionKeys(keys)), clock: systemClock };

  async function headersOf(person: Person): Promise<Record<string, string>> {
    const token = await signToken(
      signingKey,
      portalClaims(systemClock, tenant.hostId, {
        sub: person.sub,
        org: tenant.orgId,
        role: person.role,
        email: `${person.sub}@sakura.example`,
      }),
    );
    return { authorization: `Bearer ${token}`, origin: portalOrigin };
  }

  async function call(
    server: ServerProcess,
    person: Person,
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> {
    return fetch(`${server.baseUrl}${path}`, {
      method,
      headers: {
        ...(await headersOf(person)),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  }

  const onServer = (server: ServerProcess, address: string | URL) =>
    new URL(new URL(address).pathname + new URL(address).search, server.baseUrl);

  async function prepareLink(
    server: ServerProcess,
    person: Person,
    zoomUser: string,
    purpose: "org" | "personal",
  ): Promise<PendingCallback> {
    const started = await call(server, person, "POST", "/v1/oauth/zoom/start", { purpose, returnMode: "popup" });
    expect(started.status).toBe(201);
    // Begin as the element does: a form POST from the portal's page with the begin secret.
    const { path, init } = beginRequest((await started.json()) as StartedFlow, portalOrigin);
    const begun = await fetch(new URL(path, server.baseUrl), { ...init, redirect: "manual" });
    expect(begun.status).toBe(303);
    const cookie = (begun.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const { location } = await walkConsent(zoom, {
      url: new URL(begun.headers.get("location") ?? ""),
      account: zoomUser,
    });
    return { url: location, cookie };
  }

  async function followCallback(server: ServerProcess, pending: PendingCallback): Promise<Record<string, unknown>> {
    const answer = await fetch(onServer(server, pending.url), {
      headers: { cookie: pending.cookie },
      redirect: "manual",
    });
    const page = await answer.text();
    const message = postedMessage(page)?.message;
    if (!message) throw new Error(`the callback answered ${answer.status} without a message: ${page.slice(0, 300)}`);
    return message;
  }

  return {
    zoom,
    processes,
    db,
    store,
    async startAnother(more = {}) {
      const server = await startServerProcess({ ...env, ...more }, entry);
      processes.push(server);
      return server;
    },
    headersOf,
    call,
    prepareLink,
    followCallback,
    async link(server, person, zoomUser, purpose) {
      const message = await followCallback(server, await prepareLink(server, person, zoomUser, purpose));
      if (message.status !== "linked") throw new Error(`linking ${zoomUser} failed: ${JSON.stringify(message)}`);
      return message;
    },
    async close() {
      await db.destroy();
      await Promise.all(processes.map((server) => server.stop()));
      await zoom.close();
      await database.drop();
      rmSync(sharedDataDir, { recursive: true, force: true });
      hosts.cleanup();
    },
  };
}
