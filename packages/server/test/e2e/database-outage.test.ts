/**
 * Issue 7, item 1: the real server (`src/main.ts`) survives its database going
 * away and comes back by itself. On PostgreSQL: its backends are terminated
 * (pg_terminate_backend, only this server's, found by the application_name
 * the test gives it), and a TCP relay between it and PostgreSQL is cut, first
 * refusing new connections, then swallowing them. On SQLite: another
 * connection holds the write lock past the busy timeout. Meanwhile requests
 * answer 503 `database_unavailable` within a bounded wait, `/healthz` answers
 * 503, and the process stays up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "../support/database.ts";
import { portalClaims, randomSecret, secretKey, signToken, temporaryHostsFile } from "../support/hosts.ts";
import {
  encryptionKeyEntry,
  isolatedDatabaseUrl,
  type ServerProcess,
  startServerProcess,
} from "../support/server-process.ts";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.ts";

const origin = "https://portal.example";
const hostSecret = randomSecret();
const hosts = temporaryHostsFile([{ id: "e2e-portal", origins: [origin], secret: hostSecret, algorithms: ["HS256"] }]);
const baseEnv = {
  TSUNAGU_HOSTS_FILE: hosts.file,
  TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
  TSUNAGU_LOG_LEVEL: "warn",
};
const systemClock = { now: () => new Date() };
/** Longer than the pool's connection timeout (5 s): every answer during an outage must come well within it. */
const answerWithinMs = 15_000;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => hosts.cleanup());

/** `GET /v1/me` as a portal user: hostAuth writes the user's row the first time it sees them. */
async function me(server: ServerProcess, sub: string): Promise<Response> {
  const token = await signToken(
    secretKey(hostSecret),
    portalClaims(systemClock, "e2e-portal", { sub, org: "sakura", role: "recruiter", email: `${sub}@sakura.example` }),
  );
  return fetch(`${server.baseUrl}/v1/me`, {
    headers: { authorization: `Bearer ${token}`, origin },
    signal: AbortSignal.timeout(answerWithinMs),
  });
}

async function healthz(server: ServerProcess): Promise<Response> {
  return fetch(`${server.baseUrl}/healthz`, { signal: AbortSignal.timeout(answerWithinMs) });
}

async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("database_unavailable");
}

/** Seconds until /healthz answers 200 again, polling for at most `limitMs`; throws past it. */
async function secondsUntilHealthy(server: ServerProcess, limitMs = 20_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < limitMs) {
    const answer = await healthz(server).catch(() => undefined);
    if (answer?.status === 200) return (Date.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`/healthz still failing after ${limitMs} ms:\n${server.output()}`);
}

if (testDatabaseUrl) {
  const adminUrl = testDatabaseUrl;

  /** A server on its own schema, its connections named so that only they are terminated; through `proxy` when given. */
  async function startOnPostgres(proxy?: TcpProxy): Promise<{ server: ServerProcess; applicationName: string }> {
    const database = await isolatedDatabaseUrl();
    cleanups.push(() => database.drop());
    const applicationName = `tsunagu-e2e-${randomBytes(6).toString("hex")}`;
    const url = new URL(proxy ? proxy.route(database.url!) : database.url!);
    url.searchParams.set("application_name", applicationName);
    const server = await startServerProcess({ ...baseEnv, DATABASE_URL: url.toString() });
    cleanups.push(() => server.stop());
    return { server, applicationName };
  }

  async function terminateBackends(applicationName: string): Promise<number> {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ terminated: boolean }>(
        "select pg_terminate_backend(pid) as terminated from pg_stat_activity where application_name = $1 and pid <> " +
          "pg_backend_pid()",
        [applicationName],
      );
      return rows.filter((row) => row.terminated).length;
    } finally {
      await admin.end();
    }
  }

  describe("a PostgreSQL server whose connections are terminated", () => {
    it("stays up and answers the next requests", async () => {
      const { server, applicationName } = await startOnPostgres();
      expect((await me(server, "ken")).status).toBe(200);

      for (let round = 0; round < 3; round++) {
        // Requests in flight while the backends go: each ends 200 or 503, never a hang or a dropped connection.
        const inFlight = Promise.all(
          Array.from({ length: 5 }, (_, index) => me(server, `in-flight-${round}-${index}`)),
        );
        expect(await terminateBackends(applicationName)).toBeGreaterThan(0);
        for (const answer of await inFlight) expect([200, 503]).toContain(answer.status);
        // Let pg report the closed connections before asking again.
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(server.alive(), server.output()).toBe(true);
        expect((await me(server, `after-${round}`)).status).toBe(200);
        expect((await healthz(server)).status).toBe(200);
      }
      expect(server.output()).toContain("database connection lost");
      expect(server.output()).not.toContain("Unhandled");
    }, 60_000);
  });

  describe("a PostgreSQL outage between the server and the database", () => {
    const target = new URL(adminUrl);

    for (const mode of ["refuse", "hang"] as const) {
      it(`answers 503 database_unavailable while connections are ` +
        `${mode === "refuse" ? "refused" : "left unanswered"}, and recovers once the database is back`, async () => {
        const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
        cleanups.push(() => proxy.close());
        const { server } = await startOnPostgres(proxy);
        expect((await me(server, "ken")).status).toBe(200);

        await proxy.cut(mode);
        await expectUnavailable(await healthz(server));
        // A new user makes hostAuth write; a known one only reads: both need the database.
        await expectUnavailable(await me(server, "aiko"));
        await expectUnavailable(await me(server, "ken"));
        expect(server.alive(), server.output()).toBe(true);

        await proxy.restore();
        const seconds = await secondsUntilHealthy(server);
        expect((await me(server, "aiko")).status).toBe(200);
        expect((await me(server, "ken")).status).toBe(200);
        expect(server.alive()).toBe(true);
        expect(server.output()).not.toContain("Unhandled");
        console.info(`outage (${mode}): /healthz healthy ${seconds.toFixed(2)} s after the database came back`);
      }, 60_000);
    }
  });
} else {
  describe("a SQLite database locked by another writer past the busy timeout", () => {
    it("answers a write 503 database_unavailable, stays up, and writes once the lock is gone", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-e2e-locked-"));
      cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      const server = await startServerProcess({ ...baseEnv, TSUNAGU_DATA_DIR: dataDir });
      cleanups.push(() => server.stop());
      expect((await me(server, "ken")).status).toBe(200);

      const other = new SQLite(join(dataDir, "tsunagu.sqlite"));
      cleanups.push(async () => void other.close());
      other.exec("begin immediate");
      // A new user: hostAuth writes the user's row, and waits out the 5 s busy timeout first.
      await expectUnavailable(await me(server, "aiko"));
      expect(server.alive(), server.output()).toBe(true);
      // Readers are not blocked by a writer in WAL mode.
      expect((await healthz(server)).status).toBe(200);

      other.exec("rollback");
      expect((await me(server, "aiko")).status).toBe(200);
      expect(server.output()).not.toContain("unhandled error");
    }, 60_000);
  });
}
