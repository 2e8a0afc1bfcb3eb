/**
 * The server's own signing keys: what signs the assertions Sign in with Slack
 * hands the portals, published at /.well-known/jwks.json.
 *
 * - The first key is made on first start (or first use), ES256, and kept in
 *   `server_keys`: the public JWK in clear, the private JWK sealed by the
 *   vault for its row (the seal names the kid, so a sealed key copied to
 *   another row does not open). When the vault's encryption key changes, the
 *   signing key is sealed again under the new one the next time a process
 *   loads it (every start does), so an old encryption key can go once every
 *   process has restarted. Nothing here logs key material.
 * - Processes starting together agree on one key: each generation is unique,
 *   and a process that loses the insert reads the winner's key.
 * - Rotation: `rotate()` adds the next generation, which signs from then on;
 *   older keys stay published until `retire()`d. Retire a key only once every
 *   assertion it signed has expired and portals had time to refetch the key
 *   set: at least `assertionLifetimeSeconds` plus `cacheMs` after the rotation.
 */
import { calculateJwkThumbprint, type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { Clock } from "../clock.ts";
import type { DB } from "../store/database.ts";
import { type SealContext, type Vault, VaultError } from "../vault/vault.ts";

export const serverKeyAlgorithm = "ES256";
/** How long a process reuses what it read: another process's rotation shows up within this. */
export const serverKeysCacheMs = 60_000;

export interface ServerSigningKey {
  kid: string;
  alg: typeof serverKeyAlgorithm;
  privateKey: CryptoKey;
}

export interface ServerKeys {
  /** The key that signs now; made on first use when there is none. */
  signingKey(): Promise<ServerSigningKey>;
  /** Every key not retired, public members only, newest first. */
  publicKeys(): Promise<JWK[]>;
  /** Makes the first key if there is none and checks that it opens (the entry calls it at start); answers the signing
   * kid. */
  ensure(): Promise<string>;
  /** Adds the next generation, which signs from now on; answers its kid. */
  rotate(): Promise<string>;
  /** Stops publishing a key; false when no such key is still published. The signing key cannot be retired: rotate
   * first. */
  retire(kid: string): Promise<boolean>;
}

export interface ServerKeysDeps {
  db: DB;
  vault: Vault;
  clock: Clock;
}

/** The vault binds each sealed private key to its kid; the tenant fields name the server itself. */
function sealContext(kid: string): SealContext {
  return { credentialId: kid, provider: "server-signing-key", hostId: "tsunagu", orgId: "tsunagu" };
}

type SigningKeyRow = { kid: string; private_key_id: string; private_jwk_sealed: string };

export class ServerKeyError extends Error {
  override name = "ServerKeyError";
}

export function createServerKeys(deps: ServerKeysDeps): ServerKeys {
  const { db, vault, clock } = deps;
  let signing: { key: ServerSigningKey; at: number } | undefined;
  let published: { keys: JWK[]; at: number } | undefined;
  const fresh = (entry: { at: number } | undefined) =>
    entry !== undefined && clock.now().getTime() - entry.at < serverKeysCacheMs;

  const current = () =>
    db
      .selectFrom("server_keys")
      .select(["kid", "private_key_id", "private_jwk_sealed"])
      .where("retired_at", "is", null)
      .orderBy("generation", "desc")
      .limit(1)
      .executeTakeFirst();

  /**
   * Inserts a generation unless another process did meanwhile; either way the newest key is current.
   * The first key is always generation 1: a process that found no key must not read the maximum after
   * another process inserted one, or two first keys would be made (generations 1 and 2).
   */
  async function addGeneration(first = false): Promise<void> {
    const newest = first
      ? undefined
      : await db
          .selectFrom("server_keys")
          .select((eb) => eb.fn.max("generation").as("generation"))
          .executeTakeFirst();
    const generation = Number(newest?.generation ?? 0) + 1;
    const { privateKey, publicKey } = await generateKeyPair(serverKeyAlgorithm, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const sealed = vault.seal(
      JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: serverKeyAlgorithm }),
      sealContext(kid),
    );
    await db
      .insertInto("server_keys")
      .values({
        kid,
        generation,
        alg: serverKeyAlgorithm,
        public_jwk: JSON.stringify({ ...publicJwk, kid, alg: serverKeyAlgorithm, use: "sig" }),
        private_key_id: sealed.keyId,
        private_jwk_sealed: sealed.ciphertext,
        created_at: clock.now().toISOString(),
        retired_at: null,
      })
      .onConflict((conflict) => conflict.column("generation").doNothing())
      .execute();
    signing = undefined;
    published = undefined;
  }

  /** The signing key's row, made first when there is none. */
  async function currentOrFirst(): Promise<SigningKeyRow> {
    const row = await current();
    if (row) return row;
    await addGeneration(true);
    const made = await current();
    if (!made) throw new ServerKeyError("the server signing key could not be created");
    return made;
  }

  async function load(row: SigningKeyRow): Promise<ServerSigningKey> {
    let plaintext: string;
    let jwk: JWK;
    try {
      plaintext = vault.open(row.private_jwk_sealed, sealContext(row.kid));
      jwk = JSON.parse(plaintext) as JWK;
    } catch (error) {
      const reason = error instanceof VaultError ? error.message : "it is not a JWK";
      throw new ServerKeyError(
        `the server signing key ${row.kid} does not open (${reason}); keep the encryption key that sealed it in ` +
          `TSUNAGU_ENCRYPTION_KEYS`,
        { cause: error },
      );
    }
    if (row.private_key_id !== vault.currentKeyId) {
      const sealed = vault.seal(plaintext, sealContext(row.kid));
      // Compare-and-set on the sealing key: a process that re-sealed first wins, and either seal opens.
      await db
        .updateTable("server_keys")
        .set({ private_key_id: sealed.keyId, private_jwk_sealed: sealed.ciphertext })
        .where("kid", "=", row.kid)
        .where("private_key_id", "=", row.private_key_id)
        .execute();
    }
    return {
      kid: row.kid,
      alg: serverKeyAlgorithm,
      privateKey: (await importJWK(jwk, serverKeyAlgorithm)) as CryptoKey,
    };
  }

  async function signingKey(): Promise<ServerSigningKey> {
    if (signing && fresh(signing)) return signing.key;
    const key = await load(await currentOrFirst());
    signing = { key, at: clock.now().getTime() };
    return key;
  }

  return {
    ensure: async () => (await signingKey()).kid,
    signingKey,

    async publicKeys() {
      if (published && fresh(published)) return published.keys;
      await currentOrFirst();
      const rows = await db
        .selectFrom("server_keys")
        .select("public_jwk")
        .where("retired_at", "is", null)
        .orderBy("generation", "desc")
        .execute();
      const keys = rows.map((row) => JSON.parse(row.public_jwk) as JWK);
      published = { keys, at: clock.now().getTime() };
      return keys;
    },

    async rotate() {
      await addGeneration();
      return (await currentOrFirst()).kid;
    },

    async retire(kid) {
      const signingKid = (await current())?.kid;
      if (kid === signingKid) throw new ServerKeyError(`${kid} is the signing key; rotate before retiring it`);
      const result = await db
        .updateTable("server_keys")
        .set({ retired_at: clock.now().toISOString() })
        .where("kid", "=", kid)
        .where("retired_at", "is", null)
        .executeTakeFirst();
      published = undefined;
      return result.numUpdatedRows === 1n;
    },
  };
}
