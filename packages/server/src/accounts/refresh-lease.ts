/**
 * Leases in `token_refresh_leases`: whoever holds one is the only worker on
 * its key across every server process. The key is a credential id (one token
 * refresh at a time) or another name (`withLease`: one Zoom code exchange at a
 * time per Zoom account). Taking one is a single upsert (insert, or take over
 * a lease that has run out), so no lock is held while the provider is called:
 * a slow provider cannot pin database connections, and SQLite's writer lock
 * is never held across an await.
 *
 * Leases are short and the live holder renews them while it works
 * (`whileRenewing`): a holder that dies (SIGKILL, a lost machine) stops
 * renewing, and its lease is taken over within one lease time, a few seconds,
 * on SQLite and PostgreSQL alike.
 */
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { DB } from "../store/database.ts";

export type LeaseAttempt =
  | { acquired: true }
  | { acquired: false; holder: string; failure: string | null; expiresAt: string | null };

/** How long a lease lasts unless renewed; the holder renews it every third of that. */
export const defaultLeaseMs = 6_000;

export async function acquireLease(
  db: DB,
  key: string,
  holder: string,
  now: Date,
  ttlMs: number,
): Promise<LeaseAttempt> {
  const nowIso = now.toISOString();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const taken = await db
    .insertInto("token_refresh_leases")
    .values({ credential_id: key, holder, expires_at: expiresAt, failure: null })
    .onConflict((conflict) =>
      conflict
        .column("credential_id")
        .doUpdateSet({ holder, expires_at: expiresAt, failure: null })
        .where("token_refresh_leases.expires_at", "<=", nowIso),
    )
    .returning("holder")
    .executeTakeFirst();
  if (taken?.holder === holder) return { acquired: true };
  const current = await db
    .selectFrom("token_refresh_leases")
    .select(["holder", "failure", "expires_at"])
    .where("credential_id", "=", key)
    .executeTakeFirst();
  // Released between our upsert and this read: say so, and let the caller try again.
  if (!current) return { acquired: false, holder: "", failure: null, expiresAt: null };
  return {
    acquired: false,
    holder: current.holder,
    failure: current.expires_at > nowIso ? current.failure : null,
    expiresAt: current.expires_at,
  };
}

export async function releaseLease(db: DB, key: string, holder: string): Promise<void> {
  await db.deleteFrom("token_refresh_leases").where("credential_id", "=", key).where("holder", "=", holder).execute();
}

/** Moves the holder's lease on to `until`; false when it is not theirs any more (it ran out and was taken over). */
export async function renewLease(db: DB, key: string, holder: string, until: Date): Promise<boolean> {
  const result = await db
    .updateTable("token_refresh_leases")
    .set({ expires_at: until.toISOString() })
    .where("credential_id", "=", key)
    .where("holder", "=", holder)
    .where("failure", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Keeps a held lease alive while `work` runs, renewing it every third of
 * `ttlMs`; does not release it. A failed renewal is logged, not thrown: the
 * work goes on, and the compare-and-swap on the credential still guards what
 * it writes.
 */
export async function whileRenewing<T>(
  deps: { db: DB; clock: Clock; logger: Logger; every?: Every | undefined },
  key: string,
  holder: string,
  ttlMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const renew = () =>
    renewLease(deps.db, key, holder, new Date(deps.clock.now().getTime() + ttlMs)).then(
      () => undefined,
      (error: unknown) => deps.logger.warn("could not renew a lease", { key, error }),
    );
  const stop = (deps.every ?? everyInterval)(Math.max(1, Math.floor(ttlMs / 3)), renew);
  try {
    return await work();
  } finally {
    stop();
  }
}

/**
 * Runs `tick` every `ms` until the returned function stops it. Injected beside the clock, so that a test moving the
 * clock also runs the renewals that time would have run (test/accounts/refresh.test.ts), without waiting real seconds.
 */
export type Every = (ms: number, tick: () => Promise<void>) => () => void;

/** `Every` on real time. */
export const everyInterval: Every = (ms, tick) => {
  const timer = setInterval(() => void tick(), ms);
  return () => clearInterval(timer);
};

export interface WithLeaseOptions {
  ttlMs: number;
  /** How long to wait for the lease; past that, `work` runs without it (and a warning is logged). */
  maxWaitMs: number;
  pollMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs `work` holding the lease on `key` (taken as soon as it is free, renewed while held, released after). */
export async function withLease<T>(
  deps: { db: DB; clock: Clock; logger: Logger; every?: Every | undefined },
  key: string,
  options: WithLeaseOptions,
  work: () => Promise<T>,
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const holder = crypto.randomUUID();
  for (let waited = 0; ; waited += options.pollMs) {
    if ((await acquireLease(deps.db, key, holder, deps.clock.now(), options.ttlMs)).acquired) break;
    if (waited >= options.maxWaitMs) {
      deps.logger.warn("went ahead without a lease that stayed taken", { key, waitedMs: waited });
      return work();
    }
    await sleep(options.pollMs);
  }
  try {
    return await whileRenewing(deps, key, holder, options.ttlMs, work);
  } finally {
    await releaseLease(deps.db, key, holder);
  }
}

/**
 * Keeps the lease after a transient failure, marked with it, until `until`:
 * callers arriving meanwhile fail fast instead of each hammering the provider.
 */
export async function failLease(db: DB, key: string, holder: string, failure: string, until: Date): Promise<void> {
  await db
    .updateTable("token_refresh_leases")
    .set({ failure, expires_at: until.toISOString() })
    .where("credential_id", "=", key)
    .where("holder", "=", holder)
    .execute();
}
