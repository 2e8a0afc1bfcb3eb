/** The random values and hashes of an OAuth round trip. */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, base64url: flow ids, state, PKCE verifiers, browser bindings, nonces. */
export function randomSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/** RFC 7636 S256: base64url(SHA-256(verifier)). */
export function pkceChallenge(verifier: string): string {
  return sha256(verifier);
}

/** Whether `value` hashes to `expectedHash`, in constant time. */
export function matchesHash(value: string | undefined, expectedHash: string | null): boolean {
  if (value === undefined || expectedHash === null) return false;
  const actual = Buffer.from(sha256(value));
  const expected = Buffer.from(expectedHash);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
