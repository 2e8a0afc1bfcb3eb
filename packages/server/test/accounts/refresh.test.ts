import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTokenRefresher,
  ReauthRequiredError,
  TokenRefreshError,
  type TokenRefresher,
} from "../../src/accounts/refresh.ts";
import type { Every } from "../../src/accounts/refresh-lease.ts";
import { readTokens } from "../../src/accounts/tokens.ts";
import { silentLogger } from "../../src/log.ts";
import { InvalidGrantError, ProviderError } from "../../src/providers/errors.ts";
import type { TokenSet } from "../../src/providers/types.ts";
import { type DB, openDatabase } from "../../src/store/database.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { seedAccount } from "./fixtures.ts";
import { movableClock } from "../support/hosts.ts";
import { testVault } from "../support/test-app.ts";

const clock = movableClock("2026-06-01T09:00:00.000Z");
const vault = testVault();
let test: TestDatabase;
/** A second pool (PostgreSQL) or a second better-sqlite3 connection to the same file (SQLite): another server process.
 * */
let secondProcess: DB;

beforeAll(async () => {
  test = await createTestDatabase();
  secondProcess = openDatabase(test.options);
});
afterAll(async () => {
  await secondProcess.destroy();
  await test.close();
});

const inMinutes = (minutes: number) => new Date(clock.now().getTime() + minutes * 60_000).toISOString();
const expired = (refreshToken: string): TokenSet => ({
  accessToken: "old-access",
  refreshToken,
  expiresAt: inMinutes(-5),
  scopes: ["meeting:write"],
});
const refresherOn = (db: DB): TokenRefresher => createTokenRefresher({ db, vault, clock, logger: silentLogger });
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

let userCount = 0;
const newScope = () => ({ hostId: "host-a", orgId: "org-a", userId: `user-${++userCount}` });

describe("getFreshAccessToken", () => {
  it("returns a token that is not near expiry as stored, without refreshing", async () => {
    const fresh: TokenSet = { accessToken: "still-good", refreshToken: "r", expiresAt: inMinutes(30), scopes: [] };
    const { owner } = await seedAccount({ db: test.db, vault, clock }, newScope(), "zoom", fresh);
    let calls = 0;
    const tokens = await refresherOn(test.db).getFreshAccessToken(owner, async () => {
      calls += 1;
      return fresh;
    });
    expect(tokens.accessToken).toBe("still-good");
    expect(calls).toBe(0);
  });

  it(
    "has 50 concurrent callers in two processes share " + "exactly one refresh, persisted before anyone uses it",
    async () => {
      const { owner, accountId } = await seedAccount(
        { db: test.db, vault, clock },
        newScope(),
        "zoom",
        expired("refresh-1"),
      );
      const processes = [refresherOn(test.db), refresherOn(secondProcess)];
      const refreshTokensSeen: string[] = [];
      const refresh = async ({ refreshToken }: { refreshToken: string }): Promise<TokenSet> => {
        refreshTokensSeen.push(refreshToken);
        // Let every other caller reach the lease while this refresh is in flight.
        for (let tick = 0; tick < 20; tick++) await nextTick();
        const stored = await readTokens({ db: test.db, vault, clock }, owner, owner.credentialId);
        expect(stored?.tokens.accessToken).toBe("old-access");
        return {
          accessToken: "new-access",
          refreshToken: "refresh-2",
          expiresAt: inMinutes(60),
          scopes: ["meeting:write"],
        };
      };

      const results = await Promise.all(
        Array.from({ length: 50 }, (_, index) => processes[index % 2]!.getFreshAccessToken(owner, refresh)),
      );

      expect(refreshTokensSeen).toEqual(["refresh-1"]);
      expect(new Set(results.map((tokens) => tokens.accessToken))).toEqual(new Set(["new-access"]));
      const stored = await readTokens({ db: secondProcess, vault, clock }, owner, owner.credentialId);
      expect(stored).toMatchObject({ version: 2, tokens: { accessToken: "new-access", refreshToken: "refresh-2" } });
      const account = await test.db
        .selectFrom("accounts")
        .select(["status"])
        .where("id", "=", accountId)
        .executeTakeFirstOrThrow();
      expect(account.status).toBe("active");
    },
  );

  it(
    "uses a just-refreshed token even when the provider granted less than the refresh window, instead of refreshing " +
      "again",
    async () => {
      const { owner } = await seedAccount({ db: test.db, vault, clock }, newScope(), "zoom", expired("short-1"));
      let calls = 0;
      const shortLived = async (): Promise<TokenSet> => {
        calls += 1;
        for (let tick = 0; tick < 10; tick++) await nextTick();
        return { accessToken: "short-lived", refreshToken: `short-${calls + 1}`, expiresAt: inMinutes(1), scopes: [] };
      };
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          refresherOn(index % 2 ? secondProcess : test.db).getFreshAccessToken(owner, shortLived),
        ),
      );
      expect(calls).toBe(1);
      expect(new Set(results.map((tokens) => tokens.accessToken))).toEqual(new Set(["short-lived"]));
    },
  );

  it(
    "uses a refresh written after the caller asked even when its first read comes after that refresh (it waited for " +
      "a database connection), instead of refreshing again",
    async () => {
      const { owner } = await seedAccount({ db: test.db, vault, clock }, newScope(), "zoom", expired("late-1"));
      // Another process whose only connection is busy: its caller's reads wait until the connection is free.
      const busy = openDatabase({ ...test.options, poolSize: 1 });
      try {
        let free = () => {};
        const holding = new Promise<void>((taken) => {
          void busy.connection().execute(async () => {
            taken();
            await new Promise<void>((resolve) => {
              free = resolve;
            });
          });
        });
        await holding;
        let calls = 0;
        const shortLived = async (): Promise<TokenSet> => {
          calls += 1;
          clock.advance(1);
          return {
            accessToken: `granted-${calls}`,
            refreshToken: `late-${calls + 1}`,
            expiresAt: inMinutes(1),
            scopes: [],
          };
        };
        const late = refresherOn(busy).getFreshAccessToken(owner, shortLived);
        const first = await refresherOn(test.db).getFreshAccessToken(owner, shortLived);
        free();
        expect((await late).accessToken).toBe(first.accessToken);
        expect(calls).toBe(1);
        // A caller who asks after that write is not waiting for it: the short-lived token is refreshed for them.
        clock.advance(1);
        expect((await refresherOn(test.db).getFreshAccessToken(owner, shortLived)).accessToken).toBe("granted-2");
      } finally {
        await busy.destroy();
      }
    },
  );

  it("keeps the old refresh token when the provider does not rotate (Google)", async () => {
    const { owner } = await seedAccount({ db: test.db, vault, clock }, newScope(), "google", expired("google-refresh"));
    const tokens = await refresherOn(test.db).getFreshAccessToken(owner, async () => ({
      accessToken: "g-new",
      expiresAt: inMinutes(60),
      scopes: [],
    }));
    expect(tokens).toMatchObject({ accessToken: "g-new", refreshToken: "google-refresh" });
    expect((await readTokens({ db: test.db, vault, clock }, owner, owner.credentialId))?.tokens.refreshToken).toBe(
      "google-refresh",
    );
  });

  it(
    "turns the account to needs_reauth on invalid_grant, with " + "an audit entry, and stops calling the provider",
    async () => {
      const scope = newScope();
      const { owner, accountId } = await seedAccount({ db: test.db, vault, clock }, scope, "zoom", expired("dead"));
      let calls = 0;
      const refresh = async (): Promise<TokenSet> => {
        calls += 1;
        throw new InvalidGrantError("zoom", 400, "Invalid Token!");
      };
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, index) =>
          refresherOn(index % 2 ? secondProcess : test.db).getFreshAccessToken(owner, refresh),
        ),
      );

      expect(calls).toBe(1);
      for (const result of results) {
        expect(result.status).toBe("rejected");
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ReauthRequiredError);
      }
      const account = await test.db
        .selectFrom("accounts")
        .select(["status", "status_reason"])
        .where("id", "=", accountId)
        .executeTakeFirstOrThrow();
      expect(account).toEqual({ status: "needs_reauth", status_reason: "invalid_grant" });
      const audit = await test.db
        .selectFrom("audit_log")
        .select(["action", "target", "detail", "actor_user_id"])
        .where("target", "=", accountId)
        .execute();
      expect(audit).toEqual([
        {
          action: "account.needs_reauth",
          target: accountId,
          actor_user_id: null,
          detail: JSON.stringify({ provider: "zoom", reason: "invalid_grant" }),
        },
      ]);
      await expect(refresherOn(test.db).getFreshAccessToken(owner, refresh)).rejects.toBeInstanceOf(
        ReauthRequiredError,
      );
      expect(calls).toBe(1);
    },
  );

  it("fails fast for everyone during a short cool-down after a transient failure, then tries again", async () => {
    const { owner } = await seedAccount({ db: test.db, vault, clock }, newScope(), "zoom", expired("refresh-x"));
    let calls = 0;
    const failing = async (): Promise<TokenSet> => {
      calls += 1;
      for (let tick = 0; tick < 10; tick++) await nextTick();
      throw new ProviderError("zoom", 503, "service_unavailable", "Zoom is down");
    };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) =>
        refresherOn(index % 2 ? secondProcess : test.db).getFreshAccessToken(owner, failing),
      ),
    );
    expect(calls).toBe(1);
    for (const result of results) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(TokenRefreshError);

    clock.advance(5);
    const tokens = await refresherOn(test.db).getFreshAccessToken(owner, async () => ({
      accessToken: "after",
      refreshToken: "refresh-y",
      expiresAt: inMinutes(60),
      scopes: [],
    }));
    expect(tokens.accessToken).toBe("after");
  });

  it(
    "renews the lease while a slow refresh runs: nobody takes it over from a live holder, and waiters give up with " +
      "a Retry-After",
    async () => {
      // Time moves only when the waiter pauses (its injected sleep moves the clock and runs the renewals due by
      // then, as real time would): the lease outlives its first term only because the holder renews it.
      const time = movableClock("2026-06-01T09:00:00.000Z");
      const { owner } = await seedAccount({ db: test.db, vault, clock: time }, newScope(), "zoom", {
        ...expired("slow-1"),
        expiresAt: new Date(time.now().getTime() - 60_000).toISOString(),
      });
      const renewals = new Set<{ every: number; due: number; tick: () => Promise<void> }>();
      const every: Every = (ms, tick) => {
        const renewal = { every: ms, due: time.now().getTime() + ms, tick };
        renewals.add(renewal);
        return () => renewals.delete(renewal);
      };
      const pass = async (ms: number) => {
        const until = time.now().getTime() + ms;
        for (;;) {
          const next = [...renewals].sort((a, b) => a.due - b.due)[0];
          if (!next || next.due > until) break;
          time.advance((next.due - time.now().getTime()) / 1000);
          next.due += next.every;
          await next.tick();
        }
        time.advance((until - time.now().getTime()) / 1000);
      };
      const options = { leaseMs: 1_000, maxWaitMs: 2_000, pollMs: { first: 20, max: 50 } };
      const holder = createTokenRefresher({ db: test.db, vault, clock: time, logger: silentLogger, every, options });
      const waiter = createTokenRefresher({
        db: secondProcess,
        vault,
        clock: time,
        logger: silentLogger,
        sleep: pass,
        options,
      });
      let calls = 0;
      let arrived = () => {};
      const refreshing = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      let finish = () => {};
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const slow = async (): Promise<TokenSet> => {
        calls += 1;
        if (calls === 1) {
          arrived();
          await finished;
        }
        return {
          accessToken: `slow-new-${calls}`,
          refreshToken: "slow-2",
          expiresAt: new Date(time.now().getTime() + 3_600_000).toISOString(),
          scopes: [],
        };
      };
      const held = holder.getFreshAccessToken(owner, slow);
      await refreshing;
      // Two lease terms pass while the waiter waits; it keeps finding the lease held, renewed.
      const waited = await waiter.getFreshAccessToken(owner, slow).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(waited).toBeInstanceOf(TokenRefreshError);
      expect(waited).toMatchObject({ code: "refresh_timeout", retryAfterSeconds: 1 });
      expect(renewals.size).toBe(1);
      finish();
      expect((await held).accessToken).toBe("slow-new-1");
      expect(renewals.size).toBe(0);
      expect(calls).toBe(1);
    },
  );

  it("refuses another tenant's owner as unlinked without reading its tokens", async () => {
    const { owner } = await seedAccount({ db: test.db, vault, clock }, newScope(), "zoom", expired("r"));
    const stranger = { ...owner, orgId: "org-b" };
    await expect(
      refresherOn(test.db).getFreshAccessToken(stranger, async () => expired("never")),
    ).rejects.toMatchObject({ name: "ReauthRequiredError", reason: "unlinked" });
  });
});
