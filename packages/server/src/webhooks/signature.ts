/**
 * `Tsunagu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>`,
 * where the key is the host's `webhookSecret` decoded from base64url (as the
 * host-token `secret` is). The timestamp is signed with the body so a captured
 * delivery cannot be replayed later; a receiver refuses one outside its window.
 * The same scheme as Stripe's, so portals recognise it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const signatureHeader = "Tsunagu-Signature";
export const eventIdHeader = "Tsunagu-Event-Id";
export const eventTypeHeader = "Tsunagu-Event-Type";

/** What a receiver should accept by default: five minutes either side. */
export const defaultToleranceSeconds = 5 * 60;

/** `hmacHex` is the host's keyed HMAC (the registry keeps the key itself out of reach). */
export function signatureValue(hmacHex: (message: string) => string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${hmacHex(`${timestampSeconds}.${body}`)}`;
}

export function hmacSha256Hex(key: Uint8Array, message: string): string {
  return createHmac("sha256", key).update(message, "utf8").digest("hex");
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: "malformed" | "stale" | "mismatch" };

/**
 * What a portal does on receipt (README "Webhooks" has the same in plain
 * Node). Several `v1=` entries are accepted, so a sender could sign with an
 * old and a new secret during a rotation.
 */
export function verifySignature(input: {
  header: string | null | undefined;
  body: string;
  secret: string;
  now: Date;
  toleranceSeconds?: number;
}): SignatureCheck {
  const parts = (input.header ?? "").split(",").map((part) => part.trim().split("="));
  const timestamp = parts.find(([name]) => name === "t")?.[1];
  const signatures = parts.filter(([name, value]) => name === "v1" && value).map(([, value]) => value as string);
  if (!timestamp || !/^\d+$/.test(timestamp) || signatures.length === 0) return { ok: false, reason: "malformed" };
  const tolerance = input.toleranceSeconds ?? defaultToleranceSeconds;
  if (Math.abs(input.now.getTime() / 1000 - Number(timestamp)) > tolerance) return { ok: false, reason: "stale" };
  const expected = Buffer.from(hmacSha256Hex(Buffer.from(input.secret, "base64url"), `${timestamp}.${input.body}`));
  const matches = signatures.some((signature) => {
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true, timestamp: Number(timestamp) } : { ok: false, reason: "mismatch" };
}
