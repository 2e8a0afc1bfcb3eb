/**
 * Sealed provider secrets in `credentials`. A secret is a JSON object (tokens,
 * expiry, scope) sealed by the vault for its row: the seal context is the row's
 * id, provider, host and org, so a ciphertext moved to another row does not open.
 *
 * Every query names the tenant (host, org): another tenant's id reads as absent.
 * `version` counts secret changes; `replaceCredential` is a compare-and-swap on
 * it, which is what keeps concurrent token refreshes from overwriting each other.
 * `updated_at` is when the secret was last written (re-encryption keeps it).
 * `granted_at` orders grants of one provider identity (see accounts/linking.ts).
 * `reencryptAll` moves rows to the current key after a key rotation.
 */
import { randomUUID } from "node:crypto";
import type { Selectable } from "kysely";
import { type Clock, isoNow } from "../clock.ts";
import { type SealContext, type Vault, VaultError } from "../vault/vault.ts";
import type { DB } from "./database.ts";
import type { CredentialsTable } from "./schema.ts";
import type { OrgScope } from "./tenancy.ts";

/** A stored secret: whatever JSON object the caller sealed. Callers parse it into their own type. */
export type CredentialSecret = Record<string, unknown>;

export interface StoredCredential {
  secret: CredentialSecret;
  /** Pass back to `replaceCredential` as `expectedVersion`: 1 as created, one more for each replacement. */
  version: number;
  /** When the secret was last written (created or replaced), ISO 8601 on the writer's clock. */
  writtenAt: string;
}

type CredentialRow = Pick<Selectable<CredentialsTable>, "id" | "host_id" | "org_id" | "provider">;

/** What a row's secret was sealed for (also for readers that select the row in a join of their own). */
export function sealContextOf(row: CredentialRow): SealContext {
  return { credentialId: row.id, provider: row.provider, hostId: row.host_id, orgId: row.org_id };
}

/** `grantedAt`: when the provider granted the secret (microseconds since the epoch), to tell the newest of one
 * identity's grants. */
export async function createCredential(
  db: DB,
  vault: Vault,
  clock: Clock,
  tenant: OrgScope,
  provider: string,
  secret: object,
  grantedAt: number | null = null,
): Promise<string> {
  const id = randomUUID();
  const now = isoNow(clock);
  const sealed = vault.seal(serialise(secret), {
    credentialId: id,
    provider,
    hostId: tenant.hostId,
    orgId: tenant.orgId,
  });
  await db
    .insertInto("credentials")
    .values({
      id,
      host_id: tenant.hostId,
      org_id: tenant.orgId,
      provider,
      key_id: sealed.keyId,
      ciphertext: sealed.ciphertext,
      version: 1,
      granted_at: grantedAt,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Undefined when the tenant has no such credential; throws `VaultError` when it exists but does not open. */
export async function readCredential(
  db: DB,
  vault: Vault,
  tenant: OrgScope,
  id: string,
): Promise<StoredCredential | undefined> {
  const row = await db
    .selectFrom("credentials")
    .select(["id", "host_id", "org_id", "provider", "ciphertext", "version", "updated_at"])
    .where("id", "=", id)
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    secret: JSON.parse(vault.open(row.ciphertext, sealContextOf(row))) as CredentialSecret,
    version: Number(row.version),
    writtenAt: row.updated_at,
  };
}

/**
 * Writes a new secret only if the row is still at `expectedVersion`, and bumps
 * it. False means someone else wrote first (or the credential is gone): re-read
 * and decide again, never retry the write blindly.
 */
export async function replaceCredential(
  db: DB,
  vault: Vault,
  clock: Clock,
  tenant: OrgScope,
  id: string,
  secret: object,
  expectedVersion: number,
): Promise<boolean> {
  // The provider is part of the seal context and never changes, so reading it before the swap is safe.
  const row = await db
    .selectFrom("credentials")
    .select(["id", "host_id", "org_id", "provider"])
    .where("id", "=", id)
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .executeTakeFirst();
  if (!row) return false;
  const sealed = vault.seal(serialise(secret), sealContextOf(row));
  const result = await db
    .updateTable("credentials")
    .set({
      key_id: sealed.keyId,
      ciphertext: sealed.ciphertext,
      version: expectedVersion + 1,
      updated_at: isoNow(clock),
    })
    .where("id", "=", id)
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("version", "=", expectedVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** True when a row was deleted. */
export async function deleteCredential(db: DB, tenant: OrgScope, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom("credentials")
    .where("id", "=", id)
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

function serialise(secret: object): string {
  // Arrays and class instances (Date, Map) do not round-trip as the plain object readers expect.
  if (secret === null || Array.isArray(secret) || Object.getPrototypeOf(secret) !== Object.prototype) {
    throw new TypeError("a credential secret must be a plain JSON object");
  }
  return JSON.stringify(secret);
}

export interface ReencryptFailure {
  credentialId: string;
  keyId: string;
  code: string;
}

export interface ReencryptResult {
  /** Rows found under another key than the current one. */
  scanned: number;
  reencrypted: number;
  /** Already under the current key, or deleted, by the time their turn came. */
  skipped: number;
  /** Rows that could not be opened (key missing from the list, damaged row) or kept changing under us. */
  failed: number;
  failures: ReencryptFailure[];
}

type ReencryptOutcome = "reencrypted" | "skipped" | ReencryptFailure;
type SealedRow = CredentialRow & Pick<Selectable<CredentialsTable>, "key_id" | "ciphertext" | "version">;

const sealedColumns = ["id", "host_id", "org_id", "provider", "key_id", "ciphertext", "version"] as const;
// A row changes only when its token is refreshed; losing this many races in a row means something is looping.
const maxAttemptsPerRow = 5;

/**
 * Re-seals every credential that is not under the vault's current key, across
 * all tenants (an operator job), `batchSize` rows at a time.
 *
 * Each write is a compare-and-swap on (version, ciphertext) that leaves
 * `version` alone: re-encryption does not change the secret, so a refresh that
 * read the row before us must still win its own swap; otherwise it would lose
 * the rotated tokens it just received. When a refresh wins, the row is re-read
 * and tried again.
 */
export async function reencryptAll(
  db: DB,
  vault: Vault,
  options: { batchSize?: number } = {},
): Promise<ReencryptResult> {
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError("batchSize must be a positive integer");
  const result: ReencryptResult = { scanned: 0, reencrypted: 0, skipped: 0, failed: 0, failures: [] };
  // Keyset pagination on id: rows that fail stay under the old key, and must not be fetched again.
  let after = "";
  for (;;) {
    const rows = await db
      .selectFrom("credentials")
      .select(sealedColumns)
      .where("key_id", "<>", vault.currentKeyId)
      .where("id", ">", after)
      .orderBy("id")
      .limit(batchSize)
      .execute();
    for (const row of rows) {
      result.scanned += 1;
      const outcome = await reencryptRow(db, vault, row);
      if (outcome === "reencrypted" || outcome === "skipped") {
        result[outcome] += 1;
      } else {
        result.failed += 1;
        result.failures.push(outcome);
      }
    }
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return result;
    after = last.id;
  }
}

async function reencryptRow(db: DB, vault: Vault, first: SealedRow): Promise<ReencryptOutcome> {
  let row: SealedRow | undefined = first;
  for (let attempt = 1; ; attempt += 1) {
    if (!row || row.key_id === vault.currentKeyId) return "skipped";
    if (attempt > maxAttemptsPerRow)
      return { credentialId: row.id, keyId: row.key_id, code: "vault_reencrypt_contended" };
    let plaintext: string;
    try {
      plaintext = vault.open(row.ciphertext, sealContextOf(row));
    } catch (error) {
      if (error instanceof VaultError) return { credentialId: row.id, keyId: row.key_id, code: error.code };
      throw error;
    }
    const sealed = vault.seal(plaintext, sealContextOf(row));
    const swapped = await db
      .updateTable("credentials")
      .set({ key_id: sealed.keyId, ciphertext: sealed.ciphertext })
      .where("id", "=", row.id)
      .where("version", "=", row.version)
      .where("ciphertext", "=", row.ciphertext)
      .executeTakeFirst();
    if (Number(swapped.numUpdatedRows) === 1) return "reencrypted";
    row = await db.selectFrom("credentials").select(sealedColumns).where("id", "=", first.id).executeTakeFirst();
  }
}

/** How many credentials each key still seals: a key with none left can be removed from the list. */
export async function countCredentialsByKey(db: DB): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("credentials")
    .select((eb) => ["key_id", eb.fn.countAll().as("count")])
    .groupBy("key_id")
    .orderBy("key_id")
    .execute();
  return new Map(rows.map((row) => [row.key_id, Number(row.count)]));
}
