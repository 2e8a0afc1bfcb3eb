/**
 * The link is the capability: 32 random bytes in the URL, only their SHA-256
 * stored. Whoever holds the URL may pick a slot; a leaked database cannot mint
 * one, and a changed character finds no link at all (not "a link of someone
 * else"), since the lookup is by the hash of a secret no one can guess.
 */
import { createHash, randomBytes } from "node:crypto";

/** The path the candidate's page is served under: `<public URL>/s/<secret>`. */
export const linkPathPrefix = "/s/";

const secretPattern = /^[A-Za-z0-9_-]{43}$/;

export interface LinkSecret {
  secret: string;
  hash: string;
}

export function newLinkSecret(): LinkSecret {
  const secret = randomBytes(32).toString("base64url");
  return { secret, hash: hashOfSecret(secret) };
}

/** The stored form of a secret; undefined for anything that cannot be one of ours (looked up no further). */
export function hashOfSecret(secret: string): string;
export function hashOfSecret(secret: string | undefined): string | undefined;
export function hashOfSecret(secret: string | undefined): string | undefined {
  if (secret === undefined || !secretPattern.test(secret)) return undefined;
  return createHash("sha256").update(secret).digest("hex");
}

export function linkUrl(publicUrl: string, secret: string): string {
  return `${publicUrl}${linkPathPrefix}${secret}`;
}
