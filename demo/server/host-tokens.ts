/**
 * What a real portal backend does for Tsunagu: sign a short-lived host token
 * for the signed-in user with the secret it shares with the Tsunagu server.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { SignJWT } from "jose";
import { type PortalLanguage, type PortalUser, portalOrganisation, portalTimeZone } from "../src/users.ts";

export const hostId = "demo-portal";
export const tokenAudience = "tsunagu";
export const tokenLifetimeSeconds = 15 * 60;

export class HostSecretMissingError extends Error {
  override name = "HostSecretMissingError";
}

/** The HMAC key: the file holds base64url of at least 32 random bytes, as in the hosts file. */
export async function readHostSecret(path: string): Promise<Uint8Array> {
  let encoded: string;
  try {
    encoded = (await readFile(path, "utf8")).trim();
  } catch (error) {
    throw new HostSecretMissingError(
      `The demo host secret ${path} cannot be read; start the demo with \`pnpm demo\`, which writes it.`,
      { cause: error },
    );
  }
  const key = new Uint8Array(Buffer.from(encoded, "base64url"));
  if (key.length < 32)
    throw new HostSecretMissingError(
      `The demo host secret ${path} decodes to ${key.length} bytes; at least 32 are needed.`,
    );
  return key;
}

export interface SignedHostToken {
  token: string;
  expiresAt: string;
}

export async function signHostToken(
  user: PortalUser,
  locale: PortalLanguage,
  secret: Uint8Array,
): Promise<SignedHostToken> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const expiresAt = issuedAt + tokenLifetimeSeconds;
  const token = await new SignJWT({
    org: portalOrganisation,
    role: user.role,
    email: user.email,
    name: user.name,
    locale,
    tz: portalTimeZone,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(hostId)
    .setAudience(tokenAudience)
    .setSubject(user.id)
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(secret);
  return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
}
