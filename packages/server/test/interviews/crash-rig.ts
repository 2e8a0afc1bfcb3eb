/**
 * What the real-kill crash tests (test/e2e/interview-crash*.test.ts) share:
 * the organisation set up on a test app (setUpOrganisation: Zoom, Google and
 * Outlook linked), whose database real server processes (`src/main.ts`) then
 * use (PostgreSQL: the same schema; SQLite: a copy made with VACUUM INTO),
 * the environment that points those processes at the same fakes
 * (test/support/server-environment.ts), and the calls a test makes to a
 * process it may SIGKILL at any moment.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InterviewRow } from "../../src/interviews/records.ts";
import { type DB, openDatabase } from "../../src/store/database.ts";
import { testDatabaseUrl } from "../support/database.ts";
import { serverEnvironment } from "../support/server-environment.ts";
import { type ServerProcess, startServerProcess } from "../support/server-process.ts";
import { type Caller, createTestApp } from "../support/test-app.ts";
import { waitFor } from "../support/wait.ts";
import { type InterviewApp, setUpOrganisation } from "./support.ts";

export interface CrashRig {
  t: InterviewApp;
  /** The database the server processes use. */
  db: DB;
  accounts: { googleAccountId: string; outlookAccountId: string };
  /** Starts one more server process on the rig's database and fakes. */
  start(): Promise<ServerProcess>;
  /** A call to a process; "killed" when the process died before answering. */
  request(
    server: ServerProcess,
    caller: Caller,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response | "killed">;
  /** The id of the one interview titled `title` (a killed booking never answered it). */
  idOf(title: string): Promise<string>;
  /** Waits until interview `id` is in one of `statuses` (the recovery pass settled it) and answers its row. */
  settled(id: string, statuses: readonly string[]): Promise<InterviewRow>;
  close(): Promise<void>;
}

const interviewRow = (db: DB, id: string) =>
  db.selectFrom("interviews").selectAll().where("id", "=", id).executeTakeFirst();

export async function createCrashRig(): Promise<CrashRig> {
  const t: InterviewApp = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  const accounts = await setUpOrganisation(t);
  const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-crash-"));
  const env = {
    ...(await serverEnvironment(t, dataDir)),
    TSUNAGU_LOG_LEVEL: "warn",
    // Short, so a dead process's interview is recovered within seconds.
    TSUNAGU_INTERVIEW_LEASE_SECONDS: "2",
  };
  // The processes' database: on PostgreSQL the app's own schema, on SQLite the copy just made in dataDir.
  const db: DB = testDatabaseUrl ? t.db : openDatabase({ dataDir });
  const running: ServerProcess[] = [];

  return {
    t,
    db,
    accounts,
    async start() {
      const server = await startServerProcess(env);
      running.push(server);
      return server;
    },
    async request(server, caller, method, path, body) {
      return fetch(`${server.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${await t.token(caller)}`, "content-type": "application/json" },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      }).catch(() => "killed" as const);
    },
    async idOf(title) {
      const rows = await db.selectFrom("interviews").select("id").where("title", "=", title).execute();
      if (rows.length !== 1) throw new Error(`${rows.length} interviews titled ${title}`);
      return (rows[0] as { id: string }).id;
    },
    settled: (id, statuses) =>
      waitFor(
        `interview ${id} to settle (${statuses.join(" or ")})`,
        async () => {
          const row = await interviewRow(db, id);
          return row && statuses.includes(row.status) ? row : undefined;
        },
        30_000,
      ),
    async close() {
      for (const server of running) await server.stop();
      if (!testDatabaseUrl) await db.destroy();
      await t.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
