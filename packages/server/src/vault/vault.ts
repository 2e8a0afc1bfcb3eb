/**
 * The token vault: AES-256-GCM over every stored secret.
 *
 * A sealed value is self-describing text, `v1.<keyId>.<iv>.<ciphertext+tag>`
 * (iv and ciphertext+tag in base64url), so any configured key can open it and
 * re-encryption knows which rows still use an old key. The additional
 * authenticated data binds it to its row: a ciphertext copied to another
 * credential, provider, host or org does not open.
 *
 * Keys come from TSUNAGU_ENCRYPTION_KEYS: the first seals, all open. Nothing
 * here logs; errors name key ids, never plaintext or key bytes.
 */
import { createCipheriv, createDecipheriv, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import type { EncryptionKey } from "../config.ts";
import { assertUsableKeys } from "./keys.ts";

/** What a sealed value belongs to; it must be given again, unchanged, to open it. */
export interface SealContext {
  credentialId: string;
  provider: string;
  hostId: string;
  orgId: string;
}

export interface Sealed {
  keyId: string;
  ciphertext: string;
}

export interface Vault {
  /** The key new seals use; rows under any other key are re-encryption candidates. */
  readonly currentKeyId: string;
  seal(plaintext: string, context: SealContext): Sealed;
  /** Throws `VaultError`; never returns a partial or empty result on failure. */
  open(ciphertext: string, context: SealContext): string;
}

export type VaultErrorCode = "vault_decrypt_failed" | "vault_unknown_key";

export class VaultError extends Error {
  override name = "VaultError";
  constructor(
    readonly code: VaultErrorCode,
    message: string,
    options: { cause?: unknown; keyId?: string | undefined } = {},
  ) {
    super(message, { cause: options.cause });
    this.keyId = options.keyId;
  }
  /** The key id the ciphertext names, when it could be read. */
  readonly keyId: string | undefined;
}

const formatVersion = "v1";
const algorithm = "aes-256-gcm";
// NIST SP 800-38D: a 96-bit IV is the one GCM uses directly; random IVs are safe up to ~2^32 seals per key.
const ivLength = 12;
const tagLength = 16;

export function createVault(keys: readonly EncryptionKey[]): Vault {
  assertUsableKeys(keys);
  // KeyObjects keep the bytes out of JSON.stringify and util.inspect, and copy them from the caller.
  const keyObjects = new Map<string, KeyObject>(keys.map(({ id, key }) => [id, createSecretKey(key)]));
  const current = keys[0]!;

  return {
    currentKeyId: current.id,

    seal(plaintext, context) {
      const iv = randomBytes(ivLength);
      const cipher = createCipheriv(algorithm, keyObjects.get(current.id)!, iv, { authTagLength: tagLength });
      cipher.setAAD(additionalData(current.id, context));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
      return {
        keyId: current.id,
        ciphertext: [formatVersion, current.id, iv.toString("base64url"), body.toString("base64url")].join("."),
      };
    },

    open(ciphertext, context) {
      const { keyId, iv, body } = parse(ciphertext);
      const key = keyObjects.get(keyId);
      if (!key) {
        throw new VaultError(
          "vault_unknown_key",
          `sealed with key "${keyId}", which is not in TSUNAGU_ENCRYPTION_KEYS`,
          { keyId },
        );
      }
      const aad = additionalData(keyId, context);
      try {
        const decipher = createDecipheriv(algorithm, key, iv, { authTagLength: tagLength });
        decipher.setAAD(aad);
        decipher.setAuthTag(body.subarray(body.length - tagLength));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - tagLength)), decipher.final()]).toString(
          "utf8",
        );
      } catch (error) {
        throw new VaultError(
          "vault_decrypt_failed",
          `sealed value does not open with key "${keyId}" for this credential`,
          { cause: error, keyId },
        );
      }
    },
  };
}

/**
 * The AAD: a JSON array, so no field can bleed into the next whatever it
 * contains. The format version and key id are in it too, so neither can be
 * rewritten in the stored text.
 */
function additionalData(keyId: string, context: SealContext): Buffer {
  const { credentialId, provider, hostId, orgId } = context;
  for (const [name, value] of Object.entries({ credentialId, provider, hostId, orgId })) {
    if (typeof value !== "string" || value === "")
      throw new TypeError(`vault context: ${name} must be a non-empty string`);
  }
  return Buffer.from(
    JSON.stringify(["tsunagu-vault", formatVersion, keyId, credentialId, provider, hostId, orgId]),
    "utf8",
  );
}

function parse(ciphertext: string): { keyId: string; iv: Buffer; body: Buffer } {
  const parts = ciphertext.split(".");
  // Key ids may contain dots (config allows [A-Za-z0-9._-]); base64url never does, so the id is everything in between.
  const ivText = parts.at(-2);
  const bodyText = parts.at(-1);
  const keyId = parts.slice(1, -2).join(".");
  if (parts[0] !== formatVersion || parts.length < 4 || !keyId || ivText === undefined || bodyText === undefined) {
    throw new VaultError("vault_decrypt_failed", "not a sealed value in the v1 format");
  }
  const iv = decodeStrict(ivText);
  const body = decodeStrict(bodyText);
  if (!iv || !body || iv.length !== ivLength || body.length < tagLength) {
    throw new VaultError("vault_decrypt_failed", `sealed value under key "${keyId}" is malformed`, { keyId });
  }
  return { keyId, iv, body };
}

/** Node's base64url decoder skips stray characters; only the canonical encoding of some bytes is accepted. */
function decodeStrict(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : undefined;
}
