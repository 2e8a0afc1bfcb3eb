/**
 * Issue 4, item 8: 50 concurrent health checks through one expired Zoom token,
 * split across two real server processes (`src/main.ts`) on one database and
 * one Zoom fake, cause exactly one token refresh at Zoom, and the account
 * stays active. The account is linked through the real round trip in the
 * first process; the test then makes its stored token expired as well as
 * dead at Zoom.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTokens, replaceTokens } from "../../src/accounts/tokens.ts";
import { parseEncryptionKeys } from "../../src/config.ts";
import { zoomSandboxEndpoints } from "../../src/sandbox/zoom/index.ts";
import { type DB, openDatabase } from "../../src/store/database.ts";
import { createVault } from "../../src/vault/vault.ts";
import { beginRequest, type StartedFlow } from "../oauth/adapters/round-trip.ts";
import { postedMessage } from "../oauth/harness.ts";
import { startZoom, walkConsent, type ZoomHarness } from "../providers/zoom-support.ts";
import { testDatabaseUrl } from "../support/database.ts";
import { portalClaims, randomSecret, secretKey, signToken, temporaryHostsFile } from "../support/hosts.ts";
import { encryptionKeyEntry, isolatedDatabaseUrl, type ServerProcess, startServerProcess } from "../support/server-process.ts";

const origin = "https://portal.example";
const hostSecret = randomSecret();
const hosts = temporaryHostsFile([{ id: "e2e-portal", origins: [origin], secret: hostSecret, algorithms: ["HS256"] }]);
const keys = encryptionKeyEntry();
const systemClock = { now: () => new Date() };
const tenant = { hostId: "e2e-portal", orgId: "sakura" };

let zoom: ZoomHarness;
let database: Awaited<ReturnType<typeof isolatedDatabaseUrl>>;
/** SQLite: both processes share this data directory (and so one database file). */
let sharedDataDir: string;
let processes: ServerProcess[] = [];
let db: DB;

interface Person {
  sub: string;
  role: "admin" | "recruiter";
}

async function call(server: ServerProcess, person: Person, method: string, path: string, body?: unknown): Promise<Response> {
  const token = await signToken(secretKey(hostSecret), portalClaims(systemClock, "e2e-portal", { sub: person.sub, org: "sakura", role: person.role, email: `${person.sub}@sakura.example` }));
  return fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, origin, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** start → begin → the Zoom consent page → callback, as the popup would, all against one process. */
async function linkThroughTheBrowser(server: ServerProcess, person: Person, zoomUser: string, purpose: "org" | "personal"): Promise<Record<string, unknown>> {
  const started = await call(server, person, "POST", "/v1/oauth/zoom/start", { purpose, returnMode: "popup" });
  expect(started.status).toBe(201);
  const onServer = (address: string) => new URL(new URL(address).pathname + new URL(address).search, server.baseUrl);
  const { path, init } = beginRequest((await started.json()) as StartedFlow, origin);
  const begun = await fetch(new URL(path, server.baseUrl), { ...init, redirect: "manual" });
  expect(begun.status).toBe(303);
  const cookie = (begun.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const { location } = await walkConsent(zoom, { url: new URL(begun.headers.get("location") ?? ""), account: zoomUser });
  const callback = await fetch(onServer(location.toString()), { headers: { cookie }, redirect: "manual" });
  const message = postedMessage(await callback.text())?.message;
  if (message?.status !== "linked") throw new Error(`linking ${zoomUser} failed: ${JSON.stringify(message)}`);
  return message;
}

beforeAll(async () => {
  zoom = await startZoom();
  database = await isolatedDatabaseUrl();
  sharedDataDir = mkdtempSync(join(tmpdir(), "tsunagu-e2e-shared-"));
  const env = {
    TSUNAGU_HOSTS_FILE: hosts.file,
    TSUNAGU_ENCRYPTION_KEYS: keys,
    TSUNAGU_LOG_LEVEL: "warn",
    DATABASE_URL: database.url,
    TSUNAGU_DATA_DIR: sharedDataDir,
    TSUNAGU_ZOOM_CLIENT_ID: zoom.running.context.clientId,
    TSUNAGU_ZOOM_CLIENT_SECRET: zoom.running.context.clientSecret,
    // Both processes talk to the one fake: its token counter sees every refresh.
    TSUNAGU_PROVIDER_ENDPOINTS: JSON.stringify({ zoom: zoomSandboxEndpoints(zoom.running.baseUrl) }),
  };
  // One after the other: the first migrates the shared database.
  processes.push(await startServerProcess(env));
  processes.push(await startServerProcess(env));
  db = openDatabase(testDatabaseUrl ? { databaseUrl: database.url } : { dataDir: sharedDataDir });
}, 60_000);

afterAll(async () => {
  await db?.destroy();
  await Promise.all(processes.map((server) => server.stop()));
  await zoom?.close();
  await database?.drop();
  rmSync(sharedDataDir, { recursive: true, force: true });
  hosts.cleanup();
});

describe("two server processes, one database, one Zoom", () => {
  it("refresh an expired Zoom token exactly once for 50 concurrent checks, and the account stays active", async () => {
    const [first, second] = processes as [ServerProcess, ServerProcess];
    await linkThroughTheBrowser(first, { sub: "hanako", role: "admin" }, "zU_hanako", "org");
    const linked = await linkThroughTheBrowser(first, { sub: "ken", role: "recruiter" }, "zU_ken", "personal");
    const accountId = String(linked.accountId);
    const ken: Person = { sub: "ken", role: "recruiter" };

    // Expired on both sides: Zoom refuses the access token, and its stored expiry is in the past.
    await zoom.running.control("/expire-tokens");
    const row = await db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirstOrThrow();
    const store = { db, vault: createVault(parseEncryptionKeys(keys)), clock: systemClock };
    const stored = (await readTokens(store, tenant, row.credential_id))!;
    expect(await replaceTokens(store, tenant, row.credential_id, stored.version, { ...stored.tokens, expiresAt: new Date(Date.now() - 60_000).toISOString() })).toBe(true);

    const tokenCalls = await zoom.running.calls("POST /oauth/token");
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => call(processes[index % 2]!, ken, "POST", `/v1/accounts/${accountId}/check`)));
    const bodies = await Promise.all(answers.map(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> })));

    expect(bodies.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(new Set(bodies.map((answer) => answer.body.status))).toEqual(new Set(["active"]));
    expect((await zoom.running.calls("POST /oauth/token")) - tokenCalls).toBe(1);
    expect(await db.selectFrom("accounts").select(["status", "status_reason"]).where("id", "=", accountId).executeTakeFirstOrThrow()).toEqual({ status: "active", status_reason: null });
    const refreshed = (await readTokens(store, tenant, row.credential_id))!;
    expect(refreshed.version).toBe(stored.version + 2);
    expect(Date.parse(refreshed.tokens.expiresAt!)).toBeGreaterThan(Date.now());
    // Half of the checks went to each process, and each answered all of its own.
    const answeredBy = (server: ServerProcess) => answers.filter((response, index) => processes[index % 2] === server && response.status === 200 && response.url.startsWith(server.baseUrl));
    expect([answeredBy(first).length, answeredBy(second).length]).toEqual([25, 25]);
  }, 60_000);
});
