import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { parseEncryptionKeys } from "../../src/config.ts";
import { createServerKeys } from "../../src/signin/server-keys.ts";
import { migrateToLatest, openDatabase } from "../../src/store/database.ts";
import { createVault } from "../../src/vault/vault.ts";
import { testDatabaseUrl } from "../support/database.ts";
import { portalClaims, randomSecret, secretKey, signToken, temporaryHostsFile } from "../support/hosts.ts";
import {
  encryptionKeyEntry,
  freePort,
  isolatedDatabaseUrl,
  runServerToExit,
  type ServerProcess,
  startServerProcess,
} from "../support/server-process.ts";

const secret = randomSecret();
const hosts = temporaryHostsFile([
  { id: "e2e-portal", origins: ["https://portal.example"], secret, algorithms: ["HS256"] },
]);
let server: ServerProcess;
let database: Awaited<ReturnType<typeof isolatedDatabaseUrl>>;

beforeAll(async () => {
  database = await isolatedDatabaseUrl();
  server = await startServerProcess({
    TSUNAGU_HOSTS_FILE: hosts.file,
    TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
    TSUNAGU_SANDBOX: "1",
    TSUNAGU_SANDBOX_PORT: "0",
    DATABASE_URL: database.url,
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
  hosts.cleanup();
});

describe("the server started as `pnpm start` does", () => {
  it("answers /healthz and lists each fake provider's own origin when the sandbox is on", async () => {
    const response = await fetch(`${server.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { sandbox: boolean; providers: Record<string, string> };
    expect(body.sandbox).toBe(true);
    expect(Object.keys(body.providers).sort()).toEqual(["google", "microsoft", "slack", "zoom"]);
    expect(new Set(Object.values(body.providers)).size).toBe(4);
    for (const origin of Object.values(body.providers)) expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("answers /v1/me with 401, 401 and 200 for no token, a bad token and a good one", async () => {
    const none = await fetch(`${server.baseUrl}/v1/me`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: "token_missing" } });

    const bad = await fetch(`${server.baseUrl}/v1/me`, { headers: { authorization: "Bearer not.a.token" } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: expect.stringMatching(/^token_/) } });

    const clock = { now: () => new Date() };
    const token = await signToken(
      secretKey(secret),
      portalClaims(clock, "e2e-portal", { sub: "u-1", org: "acme", role: "recruiter", email: "ken@acme.example" }),
    );
    const good = await fetch(`${server.baseUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({
      host: "e2e-portal",
      org: "acme",
      user: "u-1",
      role: "recruiter",
      email: "ken@acme.example",
    });
  });

  it("warns at start-up that nothing can be linked without a provider app, and not with the sandbox", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-no-providers-"));
    const alone = await startServerProcess({
      TSUNAGU_HOSTS_FILE: hosts.file,
      TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
      TSUNAGU_DATA_DIR: dataDir,
    });
    try {
      const warnings = alone
        .output()
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line))
        .filter((line) => line.level === "warn");
      expect(warnings).toContainEqual(
        expect.objectContaining({
          message: expect.stringMatching(/^no provider app is configured, so there is nothing to link: .*SANDBOX=1/),
        }),
      );
      expect(server.output()).not.toContain("no provider app is configured");
    } finally {
      await alone.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("writes JSON log lines with a request id and never the token", async () => {
    const clock = { now: () => new Date() };
    const token = await signToken(secretKey(secret), portalClaims(clock, "e2e-portal"));
    const response = await fetch(`${server.baseUrl}/v1/me`, {
      headers: { authorization: `Bearer ${token}`, "x-request-id": "e2e-request-0001" },
    });
    expect(response.headers.get("x-request-id")).toBe("e2e-request-0001");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = server
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"));
    expect(lines.some((line) => JSON.parse(line).requestId === "e2e-request-0001")).toBe(true);
    expect(server.output()).not.toContain(token);
    expect(server.output()).not.toContain(secret);
  });
});

describe("the sandbox's state file and the server's database", { timeout: 60_000 }, () => {
  it("warns at start when the file is missing but the database holds active links, counting them", async () => {
    // As after `pnpm demo` with its sandbox-state.json deleted and its database kept: links the fakes never made.
    const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-links-kept-"));
    const database = await isolatedDatabaseUrl();
    let started: ServerProcess | undefined;
    try {
      const db = openDatabase({ databaseUrl: database.url, dataDir });
      await migrateToLatest(db);
      const at = new Date().toISOString();
      await db.insertInto("hosts").values({ id: "e2e-portal", created_at: at, updated_at: at }).execute();
      await db
        .insertInto("organisations")
        .values({ host_id: "e2e-portal", org_id: "sakura", created_at: at })
        .execute();
      const connection = (provider: string, status: "active" | "needs_reauth") => ({
        id: `connection-${provider}`,
        host_id: "e2e-portal",
        org_id: "sakura",
        provider,
        external_id: "sakura-recruit.example",
        display_name: "Sakura Recruit Inc.",
        detail: null,
        credential_id: null,
        status,
        status_reason: null,
        connected_by: "hanako",
        created_at: at,
        updated_at: at,
        grant_user_id: null,
      });
      // Only the active one is counted: the other reads 再連携が必要 already.
      await db
        .insertInto("connections")
        .values([connection("google", "active"), connection("zoom", "needs_reauth")])
        .execute();
      await db.destroy();
      const stateFile = join(dataDir, "sandbox-state.json");
      started = await startServerProcess({
        TSUNAGU_HOSTS_FILE: hosts.file,
        TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
        TSUNAGU_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        TSUNAGU_SANDBOX: "1",
        TSUNAGU_SANDBOX_PORT: "0",
        TSUNAGU_SANDBOX_STATE: stateFile,
      });
      const aboutTheFile = started
        .output()
        .split("\n")
        .filter((line) => line.includes(stateFile))
        .map((line) => JSON.parse(line));
      expect(aboutTheFile).toEqual([
        expect.objectContaining({
          level: "warn",
          links: 1,
          message: expect.stringContaining(
            `sandbox state file ${stateFile} does not exist, but the server's database holds 1 linked account(s)`,
          ),
        }),
      ]);
    } finally {
      await started?.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

// Each test starts src/main.ts under tsx, which compiles TypeScript: on a loaded machine that alone took more than the
// default 20 s (seen next to other runs at load 20); the bound is startServerProcess's wait and a margin.
describe("start-up refusals", { timeout: 60_000 }, () => {
  it("exits with a message naming a missing variable", async () => {
    const { code, output } = await runServerToExit({ TSUNAGU_HOSTS_FILE: hosts.file });
    expect(code).toBe(2);
    expect(output).toContain("TSUNAGU_ENCRYPTION_KEYS");
  });

  it("exits with a message, not a stack trace, when its port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const { port } = taken.address() as AddressInfo;
    const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-port-taken-"));
    try {
      const { code, output } = await runServerToExit({
        TSUNAGU_HOSTS_FILE: hosts.file,
        TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
        TSUNAGU_DATA_DIR: dataDir,
        PORT: String(port),
      });
      expect(code).toBe(1);
      expect(output).toContain(
        `tsunagu: cannot start: cannot listen on port ${port}: it is already in use (EADDRINUSE); stop what holds ` +
          "it, or set PORT to another port",
      );
      expect(output).not.toContain("Unhandled 'error' event");
      expect(output).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("exits naming the sandbox state file and the place in it that is wrong, not with a stack trace", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-sandbox-state-"));
    const stateFile = join(dataDir, "sandbox-state.json");
    const saved = {
      format: "tsunagu-sandbox-state",
      version: 1,
      clockOffsetMs: 0,
      origins: { google: "http://127.0.0.1:8788", microsoft: "", zoom: "x", slack: "http://127.0.0.1:8791" },
      fakes: {},
    };
    writeFileSync(stateFile, JSON.stringify(saved));
    try {
      const { code, output } = await runServerToExit({
        TSUNAGU_HOSTS_FILE: hosts.file,
        TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
        TSUNAGU_DATA_DIR: dataDir,
        TSUNAGU_SANDBOX: "1",
        TSUNAGU_SANDBOX_PORT: "0",
        TSUNAGU_SANDBOX_STATE: stateFile,
        PORT: String(await freePort()),
      });
      expect(code).toBe(2);
      expect(output).toContain(
        `tsunagu: cannot start: TSUNAGU_SANDBOX_STATE: the sandbox state file ${stateFile} cannot be used:\n` +
          '  - origins.microsoft: not an origin such as http://127.0.0.1:8788 (found "")\n' +
          '  - origins.zoom: not an origin such as http://127.0.0.1:8788 (found "x")\n',
      );
      expect(output).toContain("Correct the file (it is JSON), or move it away");
      expect(output).not.toMatch(/^\s+at /m);
      expect(readFileSync(stateFile, "utf8")).toBe(JSON.stringify(saved));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("exits naming TSUNAGU_ELEMENTS_DIR when it is no directory, taken from where pnpm was started", async () => {
    const typedIn = mkdtempSync(join(tmpdir(), "tsunagu-typed-in-"));
    try {
      const { code, output } = await runServerToExit({
        INIT_CWD: typedIn,
        TSUNAGU_HOSTS_FILE: hosts.file,
        TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
        TSUNAGU_ELEMENTS_DIR: "packages/widgets/dist/browser",
      });
      expect(code).toBe(2);
      const elementsDir = join(typedIn, "packages/widgets/dist/browser");
      expect(output).toContain(`tsunagu: cannot start: TSUNAGU_ELEMENTS_DIR: ${elementsDir} is not a directory`);
    } finally {
      rmSync(typedIn, { recursive: true, force: true });
    }
  });

  it("exits naming TSUNAGU_HOSTS_FILE when the hosts file is missing or not valid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsunagu-hosts-refused-"));
    try {
      const missing = join(dir, "missing.json");
      const broken = join(dir, "broken.json");
      writeFileSync(broken, '[{"id": "p", "origins": ');
      for (const [file, problem] of [
        [missing, "cannot be read (ENOENT)"],
        [broken, "is not valid JSON"],
      ] as const) {
        const { code, output } = await runServerToExit({
          TSUNAGU_HOSTS_FILE: file,
          TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
          TSUNAGU_DATA_DIR: join(dir, "data"),
        });
        expect(code).toBe(2);
        expect(output).toContain(`tsunagu: cannot start: TSUNAGU_HOSTS_FILE: hosts file ${file}: ${problem}`);
        expect(output).not.toMatch(/^\s+at /m);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits naming TSUNAGU_DATA_DIR and its path when the SQLite database cannot be kept there", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsunagu-data-refused-"));
    try {
      // A file where the directory should be (mkdir refuses), and a directory where the database file should be
      // (SQLite cannot open it: its own message, "unable to open database file", names no path).
      const aFile = join(dir, "a-file");
      writeFileSync(aFile, "");
      const fileInTheWay = join(dir, "data");
      mkdirSync(join(fileInTheWay, "tsunagu.sqlite"), { recursive: true });
      for (const [dataDir, problem] of [
        [aFile, "EEXIST"],
        [fileInTheWay, "unable to open database file"],
      ] as const) {
        const { code, output } = await runServerToExit({
          TSUNAGU_HOSTS_FILE: hosts.file,
          TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
          TSUNAGU_DATA_DIR: dataDir,
        });
        expect(code).toBe(2);
        expect(output).toContain(
          `tsunagu: cannot start: TSUNAGU_DATA_DIR: cannot keep the SQLite database in ${dataDir}: `,
        );
        expect(output).toContain(problem);
        expect(output.trim().split("\n")).toHaveLength(1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits naming DATABASE_URL, and not repeating it, when PostgreSQL cannot read it as a URL", async () => {
    const { code, output } = await runServerToExit({
      TSUNAGU_HOSTS_FILE: hosts.file,
      TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
      DATABASE_URL: "postgres://tsunagu:not-for-logs@127.0.0.1:no-port/tsunagu",
    });
    expect(code).toBe(2);
    expect(output.trim()).toMatch(/^tsunagu: cannot start: DATABASE_URL: is not a valid URL: /);
    expect(output).not.toContain("not-for-logs");
  });

  it("exits saying to start PostgreSQL or correct DATABASE_URL when it cannot reach it (password hidden)", async () => {
    const { code, output } = await runServerToExit({
      TSUNAGU_HOSTS_FILE: hosts.file,
      TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
      DATABASE_URL: "postgres://tsunagu:not-for-logs@127.0.0.1:1/tsunagu",
    });
    expect(code).toBe(1);
    expect(output.trim()).toMatch(
      /^tsunagu: cannot start: cannot reach PostgreSQL on 127\.0\.0\.1:1 \(DATABASE_URL\): /,
    );
    expect(output.trim()).toMatch(/ECONNREFUSED.*; start it, or correct the host and port in DATABASE_URL$/);
    expect(output).not.toContain("not-for-logs");
  });

  // PostgreSQL's own refusals, in the project that has a PostgreSQL server to refuse.
  if (testDatabaseUrl) {
    const postgres = testDatabaseUrl;
    it("exits naming DATABASE_URL when PostgreSQL refuses its password or has no such database", async () => {
      const { host } = new URL(postgres);
      for (const [databaseUrl, said] of [
        [
          withUrl(postgres, (url) => (url.password = "not-the-password")),
          `PostgreSQL on ${host} refused its user and password (password authentication failed for user`,
        ],
        [
          withUrl(postgres, (url) => (url.pathname = "/tsunagu_no_such_database")),
          `PostgreSQL on ${host} has no database "tsunagu_no_such_database": create it (createdb), or name an ` +
            "existing one",
        ],
      ]) {
        const { code, output } = await runServerToExit({
          TSUNAGU_HOSTS_FILE: hosts.file,
          TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
          DATABASE_URL: databaseUrl,
        });
        expect(code).toBe(2);
        expect(output).toContain(`tsunagu: cannot start: DATABASE_URL: ${said}`);
        expect(output).not.toContain("not-the-password");
        expect(output.trim().split("\n")).toHaveLength(1);
      }
    });
  }

  it("exits naming the database and the key when the database was sealed with another encryption key", async () => {
    // As after `pnpm demo`, whose database (sealed with its own key) is the default ./.data of `pnpm start` too.
    const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-other-key-"));
    const database = await isolatedDatabaseUrl();
    try {
      const db = openDatabase({ databaseUrl: database.url, dataDir });
      await migrateToLatest(db);
      const vault = createVault(parseEncryptionKeys(encryptionKeyEntry("demo-key")));
      await createServerKeys({ db, vault, clock: systemClock }).ensure();
      await db.destroy();
      const { code, output } = await runServerToExit({
        TSUNAGU_HOSTS_FILE: hosts.file,
        TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry("mine"),
        TSUNAGU_DATA_DIR: dataDir,
        DATABASE_URL: database.url,
      });
      expect(code).toBe(2);
      const where = database.url
        ? `the PostgreSQL database "${new URL(database.url).pathname.slice(1)}" on ${new URL(database.url).host} ` +
          "(DATABASE_URL)"
        : `the SQLite database in ${dataDir} (TSUNAGU_DATA_DIR)`;
      // The line that ends the start (beside the log's warning that no provider app is configured).
      expect(output.split("\n").filter((line) => line.startsWith("tsunagu:"))).toEqual([
        `tsunagu: cannot start: TSUNAGU_ENCRYPTION_KEYS: ${where} was sealed with encryption key "demo-key", which ` +
          `is not in it: add that key to it, or point ${database.url ? "DATABASE_URL" : "TSUNAGU_DATA_DIR"} at a ` +
          "database of this server's own (`pnpm demo` keeps its database, sealed with the demo's key, in the " +
          "repository's .data)",
      ]);
    } finally {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("exits with a message naming a malformed variable", async () => {
    const { code, output } = await runServerToExit({
      TSUNAGU_HOSTS_FILE: hosts.file,
      TSUNAGU_ENCRYPTION_KEYS: encryptionKeyEntry(),
      PORT: "http",
    });
    expect(code).toBe(2);
    expect(output).toContain("PORT");
  });
});

/** `url` with one part changed. */
function withUrl(url: string, change: (url: URL) => void): string {
  const changed = new URL(url);
  change(changed);
  return changed.toString();
}
