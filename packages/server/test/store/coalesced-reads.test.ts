/**
 * `GET /v1/me` reads the caller's row on every request, `GET /v1/accounts`
 * the organisation's connections and the caller's accounts; on PostgreSQL the
 * reads of callers arriving together go out as one query each
 * (store/read-coalescer.ts, store/tenancy.ts, accounts/store.ts). Through the real app on the
 * test database: fifty concurrent callers make far fewer than fifty queries
 * (counted as connections taken from the app's pool), each is answered with
 * its own row, a write committed before a request is seen by it, callers
 * never seen before arriving together (one token twice among them) are each
 * recorded once, and a database lost while a batch waits answers every
 * caller in it 503.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresPoolOf } from "../../src/store/database.ts";
import { seedAccount, seedConnection } from "../accounts/fixtures.ts";
import { queriesDuring } from "../support/pool-queries.ts";
import { dialectName, testDatabaseUrl } from "../support/database.ts";
import { type Caller, createTestApp, originA, type TestApp } from "../support/test-app.ts";
import { waitFor } from "../support/wait.ts";

const applicationName = `tsunagu-coalesce-${randomBytes(6).toString("hex")}`;
const callers: Caller[] = Array.from({ length: 50 }, (_, index) => ({
  sub: `user-${index}`,
  org: index % 2 === 0 ? "sakura" : "kaede",
  role: "recruiter",
}));
let t: TestApp;
const tokens = new Map<Caller, string>();

beforeAll(async () => {
  t = await createTestApp({ pool: (options) => ({ ...options, applicationName }) });
  for (const caller of callers) tokens.set(caller, await t.token(caller));
  // Each caller once: their rows are recorded, and the next requests of the same tokens only read.
  for (const caller of callers) expect((await me(caller)).status).toBe(200);
});
afterAll(() => t.close());

async function me(caller: Caller, path = "/v1/me"): Promise<Response> {
  return t.app.request(path, { headers: { authorization: `Bearer ${tokens.get(caller)}`, origin: originA } });
}

describe("GET /v1/accounts from many callers at once", () => {
  it("answers each caller with its organisation's connections and its own accounts, in far fewer queries", async () => {
    const deps = { db: t.database.db, vault: t.vault, clock: t.clock };
    const scopeOf = (caller: Caller) => ({ hostId: "portal-a", orgId: caller.org, userId: caller.sub });
    // Every third caller has a Google account, every fifth a Microsoft one too; sakura has a Zoom connection.
    for (const [index, caller] of callers.entries()) {
      const tokenSet = { accessToken: `access-${index}`, scopes: [] };
      if (index % 3 === 0) await seedAccount(deps, scopeOf(caller), "google", tokenSet, { email: `${caller.sub}@g` });
      if (index % 5 === 0)
        await seedAccount(deps, scopeOf(caller), "microsoft", tokenSet, { email: `${caller.sub}@m` });
    }
    await seedConnection(deps, scopeOf(callers[0]!), "zoom", "zoom-sakura");
    const { result: answers, queries } = await queriesDuring(t.db, () =>
      Promise.all(callers.map((caller) => me(caller, "/v1/accounts"))),
    );
    expect(answers.map((answer) => answer.status)).toEqual(callers.map(() => 200));
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as {
      connections: { externalId: string }[];
      accounts: { provider: string; email: string }[];
    }[];
    expect(bodies.map((body) => body.accounts.map(({ provider, email }) => `${provider} ${email}`))).toEqual(
      callers.map((caller, index) => [
        ...(index % 3 === 0 ? [`google ${caller.sub}@g`] : []),
        ...(index % 5 === 0 ? [`microsoft ${caller.sub}@m`] : []),
      ]),
    );
    expect(bodies.map((body) => body.connections.map((connection) => connection.externalId))).toEqual(
      callers.map((caller) => (caller.org === "sakura" ? ["zoom-sakura"] : [])),
    );
    // One statement for each of 50 callers (the user row aside): 50 queries when each is read alone.
    if (dialectName === "postgres") expect(queries).toBeLessThanOrEqual(10);
    else expect(postgresPoolOf(t.db)).toBeUndefined();
  });
});

describe("GET /v1/accounts of a caller alone in its turn", () => {
  it("answers its lists from the statement for one owner, not the statement for a set of owners", async () => {
    const caller = callers[0]!;
    const pool = postgresPoolOf(t.db);
    const sent: string[] = [];
    const query = pool?.query;
    if (pool) {
      // The prepared reads go to the pool as named statements (store/prepared-read-postgres.ts).
      pool.query = ((config: { text?: string }, ...rest: unknown[]) => {
        if (typeof config === "object" && config.text) sent.push(config.text);
        return (query as (...args: unknown[]) => unknown).call(pool, config, ...rest);
      }) as typeof pool.query;
    }
    try {
      const answer = await me(caller, "/v1/accounts");
      expect(answer.status).toBe(200);
      const body = (await answer.json()) as { connections: { externalId: string }[]; accounts: { email: string }[] };
      expect(body.connections.map((connection) => connection.externalId)).toEqual(["zoom-sakura"]);
      expect(body.accounts.map((account) => account.email)).toEqual([`${caller.sub}@g`, `${caller.sub}@m`]);
    } finally {
      if (pool && query) pool.query = query;
    }
    if (dialectName === "postgres") {
      const lists = sent.filter((text) => text.includes('"accounts"'));
      expect(lists).toHaveLength(1);
      expect(lists[0]).not.toMatch(/unnest/);
      expect(lists[0]).toMatch(/"user_id" = \$\d/);
    } else expect(pool).toBeUndefined();
  });
});

describe("GET /v1/me from many callers at once", () => {
  it("answers each caller with its own row, in far fewer queries than callers on PostgreSQL", async () => {
    const { result: answers, queries } = await queriesDuring(t.db, () =>
      Promise.all(callers.map((caller) => me(caller))),
    );
    expect(answers.map((answer) => answer.status)).toEqual(callers.map(() => 200));
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as { user: string; org: string }[];
    expect(bodies.map(({ user, org }) => ({ user, org }))).toEqual(
      callers.map((caller) => ({ user: caller.sub, org: caller.org })),
    );
    if (dialectName === "postgres") expect(queries).toBeLessThanOrEqual(5);
    else expect(postgresPoolOf(t.db)).toBeUndefined();
  });

  it("sees a write committed before the request arrived", async () => {
    const [first, second] = callers as [Caller, Caller];
    // Read once, so that a read answered from memory would show the old name.
    expect((await me(first)).status).toBe(200);
    await t.database.db
      .updateTable("users")
      .set({ name: "新しい名前" })
      .where("org_id", "=", first.org)
      .where("user_id", "=", first.sub)
      .execute();
    const [renamed, other] = await Promise.all([me(first), me(second)]);
    expect(await renamed.json()).toMatchObject({ user: first.sub, name: "新しい名前" });
    expect(await other.json()).toMatchObject({ user: second.sub });
  });
});

describe("GET /v1/me from callers never seen before, all at once", () => {
  it("records each caller and its new organisation once, the same new token sent twice included", async () => {
    const newcomers: Caller[] = Array.from({ length: 20 }, (_, index) => ({
      sub: `newcomer-${index}`,
      org: "momiji",
      role: index === 0 ? "admin" : "recruiter",
    }));
    for (const caller of newcomers) tokens.set(caller, await t.token(caller));
    // The first newcomer's page sends its one token on two requests at once.
    const sent = [...newcomers, newcomers[0]!];
    const answers = await Promise.all(sent.map((caller) => me(caller)));
    expect(answers.map((answer) => answer.status)).toEqual(sent.map(() => 200));
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as { user: string; org: string }[];
    expect(bodies.map(({ user }) => user)).toEqual([...newcomers.map((caller) => caller.sub), "newcomer-0"]);
    const users = await t.database.db
      .selectFrom("users")
      .select("user_id")
      .where("org_id", "=", "momiji")
      .orderBy("user_id")
      .execute();
    expect(users.map((user) => user.user_id)).toEqual(newcomers.map((caller) => caller.sub).sort());
    const organisations = await t.database.db
      .selectFrom("organisations")
      .select("org_id")
      .where("org_id", "=", "momiji")
      .execute();
    expect(organisations).toHaveLength(1);
  });
});

if (testDatabaseUrl) {
  describe("GET /v1/me while PostgreSQL is lost under a waiting batch", () => {
    it("answers every caller of the batch 503 database_unavailable, and 200 once connections are back", async () => {
      const locker = new pg.Client({
        connectionString: testDatabaseUrl,
        options: `-c search_path=${t.database.options.postgresSchema}`,
      });
      await locker.connect();
      let answers: Response[];
      try {
        // Reads of `users` wait behind this lock: the batch sits on the server until its connection is terminated.
        await locker.query("begin; lock table users in access exclusive mode");
        const pending = Promise.all(callers.map((caller) => me(caller)));
        const waiting = await waitFor("the app's read waiting on the lock", async () => {
          const { rows } = await locker.query<{ pid: number }>(
            "select pid from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'",
            [applicationName],
          );
          return rows.length > 0 ? rows : undefined;
        });
        expect(waiting).toHaveLength(1);
        await locker.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [
          applicationName,
        ]);
        answers = await pending;
      } finally {
        await locker.query("rollback");
        await locker.end();
      }
      expect(answers.map((answer) => answer.status)).toEqual(callers.map(() => 503));
      for (const answer of answers) {
        expect(await answer.json()).toMatchObject({ error: { code: "database_unavailable" } });
      }
      const again = await Promise.all(callers.map((caller) => me(caller)));
      expect(again.map((answer) => answer.status)).toEqual(callers.map(() => 200));
    });
  });
}
