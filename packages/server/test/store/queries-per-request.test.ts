/**
 * How many statements an authenticated read costs the database, counted
 * where they reach it: every better-sqlite3 statement run on SQLite, every
 * query a pg client sends on PostgreSQL. Once the caller is recorded,
 * `GET /v1/me` reads its row with one statement and `GET /v1/accounts` the
 * organisation's connections and the caller's accounts with one (accounts/store.ts:
 * on SQLite each statement is a read transaction of its own, on PostgreSQL a
 * round of the protocol). Nothing is answered from memory:
 * a change written through another connection, as another server process
 * would, shows on the next request.
 */
import { randomBytes } from "node:crypto";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedAccount, seedConnection } from "../accounts/fixtures.ts";
import { dialectName } from "../support/database.ts";
import { type Caller, createTestApp, originA, type TestApp } from "../support/test-app.ts";

const caller: Caller = { sub: "queries-user", org: "sakura", role: "admin" };
const scope = { hostId: "portal-a", orgId: caller.org, userId: caller.sub };
let t: TestApp;
let token: string;

beforeAll(async () => {
  // The app on a connection of its own: the test's writes come from another connection, as another process's would.
  const applicationName = `tsunagu-queries-${randomBytes(6).toString("hex")}`;
  t = await createTestApp({ pool: (options) => ({ ...options, applicationName }) });
  token = await t.token(caller);
  const deps = { db: t.database.db, vault: t.vault, clock: t.clock };
  // Recorded first: the accounts and the connection reference the caller's organisation.
  expect((await get("/v1/me")).status).toBe(200);
  t.clock.advance(1);
  await seedAccount(deps, scope, "microsoft", { accessToken: "m", scopes: [] }, { email: "queries@m" });
  t.clock.advance(1);
  await seedAccount(deps, scope, "google", { accessToken: "g", scopes: [] }, { email: "queries@g" });
  await seedConnection(deps, scope, "zoom", "zoom-sakura");
});
afterAll(() => t.close());

function get(path: string): Promise<Response> {
  return Promise.resolve(t.app.request(path, { headers: { authorization: `Bearer ${token}`, origin: originA } }));
}

/** The statements run on the database while `run` runs, the rows they answered, and its result. */
async function statementsDuring<T>(
  run: () => Promise<T>,
): Promise<{ result: T; statements: number; rows: Record<string, unknown>[]; texts: string[] }> {
  const spies =
    dialectName === "postgres"
      ? [vi.spyOn(pg.Client.prototype, "query")]
      : (() => {
          const probe = new SQLite(":memory:");
          const statement = Object.getPrototypeOf(probe.prepare("select 1")) as Record<
            "all" | "get" | "run" | "iterate",
            () => unknown
          >;
          probe.close();
          return (["all", "get", "run", "iterate"] as const).map((method) => vi.spyOn(statement, method));
        })();
  try {
    const result = await run();
    const answers = spies.flatMap((spy) => spy.mock.results.map((answer) => answer.value as unknown));
    // better-sqlite3 answers rows (all) or a row (get); a pg query answers a promise of a result with its rows.
    const settled = await Promise.all(answers);
    const rows = settled.flatMap((answer) =>
      Array.isArray(answer) ? answer : ((answer as { rows?: unknown[] } | undefined)?.rows ?? [answer]),
    ) as Record<string, unknown>[];
    // pg is handed a query config ({ name, text, values }); a better-sqlite3 statement knows its own SQL.
    const texts = spies.flatMap((spy) =>
      spy.mock.calls.map((call, index) =>
        dialectName === "postgres"
          ? String((call[0] as { text?: unknown }).text)
          : String((spy.mock.contexts[index] as { source?: string }).source),
      ),
    );
    return { result, statements: spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0), rows, texts };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

interface AccountsAnswer {
  connections: { externalId: string; status: string }[];
  accounts: { provider: string; email: string; status: string }[];
}

describe("an authenticated read, once the caller is recorded", () => {
  it("GET /v1/me reads the caller's row with one statement", async () => {
    expect((await get("/v1/me")).status).toBe(200);
    const { result, statements, rows } = await statementsDuring(() => get("/v1/me"));
    expect(result.status).toBe(200);
    expect(await result.json()).toMatchObject({ host: "portal-a", user: caller.sub, org: caller.org, role: "admin" });
    expect(statements).toBe(1);
    // SQLite reads only the columns the answer needs besides the scope (each column read costs its conversion).
    if (dialectName === "sqlite")
      expect(rows.map((row) => Object.keys(row).sort())).toEqual([["email", "locale", "name", "role", "time_zone"]]);
  });

  it("GET /v1/me of a caller alone in its turn reads the row by its primary key, not as a set of keys", async () => {
    expect((await get("/v1/me")).status).toBe(200);
    const { texts } = await statementsDuring(() => get("/v1/me"));
    // On PostgreSQL the statement for a set of keys (unnest of arrays) costs the server about five times the CPU.
    expect(texts).toEqual([expect.stringMatching(/"host_id" = \S+ and "org_id" = \S+ and "user_id" = \S+$/)]);
    expect(texts[0]).not.toMatch(/unnest/);
  });

  it("GET /v1/accounts reads the connections and the caller's accounts with one statement", async () => {
    expect((await get("/v1/accounts")).status).toBe(200);
    const { result, statements } = await statementsDuring(() => get("/v1/accounts"));
    expect(result.status).toBe(200);
    const body = (await result.json()) as AccountsAnswer;
    expect(body.connections.map((connection) => connection.externalId)).toEqual(["zoom-sakura"]);
    // By provider, as before: google before microsoft although linked after it.
    expect(body.accounts.map(({ provider, email }) => `${provider} ${email}`)).toEqual([
      "google queries@g",
      "microsoft queries@m",
    ]);
    expect(statements).toBe(1);
  });

  it("shows on the next request what another connection changed meanwhile", async () => {
    expect((await get("/v1/accounts")).status).toBe(200);
    const db = t.database.db;
    await db.updateTable("accounts").set({ status: "needs_reauth" }).where("email", "=", "queries@g").execute();
    await db
      .updateTable("connections")
      .set({ status: "needs_reauth" })
      .where("external_id", "=", "zoom-sakura")
      .execute();
    await db.updateTable("users").set({ role: "recruiter" }).where("user_id", "=", caller.sub).execute();
    const body = (await (await get("/v1/accounts")).json()) as AccountsAnswer;
    expect(body.accounts.map(({ provider, status }) => `${provider} ${status}`)).toEqual([
      "google needs_reauth",
      "microsoft active",
    ]);
    expect(body.connections.map((connection) => connection.status)).toEqual(["needs_reauth"]);
    expect(await (await get("/v1/me")).json()).toMatchObject({ role: "recruiter" });
  });
});
