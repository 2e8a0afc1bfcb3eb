/**
 * A lease per credential in `token_refresh_leases`: whoever holds it is the
 * one refresher across every server process. Taking it is a single upsert
 * (insert, or take over a lease that has run out), so no lock is held while
 * the provider is called: a slow provider cannot pin database connections,
 * and SQLite's writer lock is never held across an await.
 */
import type { DB } from "../store/database.ts";

export type LeaseAttempt = { acquired: true } | { acquired: false; holder: string; failure: string | null };

export async function acquireLease(db: DB, credentialId: string, holder: string, now: Date, ttlMs: number): Promise<LeaseAttempt> {
  const nowIso = now.toISOString();
  const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
  const taken = await db
    .insertInto("token_refresh_leases")
    .values({ credential_id: credentialId, holder, expires_at: expiresAt, failure: null })
    .onConflict((conflict) => conflict.column("credential_id").doUpdateSet({ holder, expires_at: expiresAt, failure: null }).where("token_refresh_leases.expires_at", "<=", nowIso))
    .returning("holder")
    .executeTakeFirst();
  if (taken?.holder === holder) return { acquired: true };
  const current = await db.selectFrom("token_refresh_leases").select(["holder", "failure", "expires_at"]).where("credential_id", "=", credentialId).executeTakeFirst();
  // Released between our upsert and this read: say so, and let the caller try again.
  if (!current) return { acquired: false, holder: "", failure: null };
  return { acquired: false, holder: current.holder, failure: current.expires_at > nowIso ? current.failure : null };
}

export async function releaseLease(db: DB, credentialId: string, holder: string): Promise<void> {
  await db.deleteFrom("token_refresh_leases").where("credential_id", "=", credentialId).where("holder", "=", holder).execute();
}

/**
 * Keeps the lease after a transient failure, marked with it, until `until`:
 * callers arriving meanwhile fail fast instead of each hammering the provider.
 */
export async function failLease(db: DB, credentialId: string, holder: string, failure: string, until: Date): Promise<void> {
  await db
    .updateTable("token_refresh_leases")
    .set({ failure, expires_at: until.toISOString() })
    .where("credential_id", "=", credentialId)
    .where("holder", "=", holder)
    .execute();
}
