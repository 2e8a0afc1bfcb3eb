/**
 * Encryption key material: the entries `tsunagu keys generate` prints for
 * TSUNAGU_ENCRYPTION_KEYS (`keyId:base64url(32 bytes)`, parsed by config.ts),
 * and the checks the vault runs on the keys it is given.
 */
import { randomBytes } from "node:crypto";
import type { EncryptionKey } from "../config.ts";

/** AES-256 takes a 256-bit key. */
export const keyLength = 32;

/** A fresh `keyId:base64url(32 random bytes)` entry. */
export function generateKeyEntry(keyId: string): string {
  return `${keyId}:${randomBytes(keyLength).toString("base64url")}`;
}

/**
 * `k20250131-3fa9c2`: the date tells operators which key is newer when they
 * read the list; the random tail keeps two keys made the same day apart.
 */
export function defaultKeyId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll("-", "");
  return `k${day}-${randomBytes(3).toString("hex")}`;
}

/** config.ts already refuses bad entries; this guards keys built in code (tests, tools). */
export function assertUsableKeys(keys: readonly EncryptionKey[]): void {
  if (keys.length === 0) throw new TypeError("the vault needs at least one encryption key");
  const seen = new Set<string>();
  for (const { id, key } of keys) {
    if (!id || id.includes(":") || id.includes(",")) throw new TypeError(`encryption key id "${id}" is not usable`);
    if (seen.has(id)) throw new TypeError(`encryption key id "${id}" appears twice`);
    seen.add(id);
    if (key.length !== keyLength)
      throw new TypeError(`encryption key "${id}" has ${key.length} bytes; ${keyLength} are required`);
  }
}
