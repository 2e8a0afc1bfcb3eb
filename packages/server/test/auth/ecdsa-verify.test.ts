/**
 * An ECDSA host token (ES256, the recommended choice for production portals) is verified in the request's own turn
 * with its KeyObject prepared once, not through the thread pool (auth/jwt-verify.ts, issue 15): node:crypto's `verify`
 * is called without a callback, and still refuses a signature that does not match.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import * as nodeCrypto from "node:crypto";
import { SignJWT } from "jose";
import { CompactJwt, verifyJwt } from "../../src/auth/jwt-verify.ts";

vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, verify: vi.fn(actual.verify) };
});
const verifyCalls = vi.mocked(nodeCrypto.verify);
afterEach(() => verifyCalls.mockClear());

const options = (now: Date) => ({
  algorithms: new Set(["ES256"]),
  issuer: "es-portal",
  audience: "tsunagu",
  clockTolerance: 60,
  requiredClaims: ["iat", "exp"],
  currentDate: now,
});

async function es256Token(privateKey: nodeCrypto.webcrypto.CryptoKey, now: Date): Promise<string> {
  const seconds = Math.floor(now.getTime() / 1000);
  return await new SignJWT({ sub: "user-42" })
    .setProtectedHeader({ alg: "ES256" })
    .setIssuer("es-portal")
    .setAudience("tsunagu")
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + 600)
    .sign(privateKey);
}

describe("an ES256 token", () => {
  it("is verified synchronously with node:crypto (no callback), and a wrong signature is refused", async () => {
    const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, [
      "sign",
      "verify",
    ]);
    const now = new Date("2026-03-02T01:00:00.000Z");
    const token = await es256Token(privateKey, now);
    const { payload } = await verifyJwt(new CompactJwt(token), publicKey, options(now));
    expect(payload.sub).toBe("user-42");
    expect(verifyCalls).toHaveBeenCalledTimes(1);
    expect(verifyCalls.mock.calls[0]).toHaveLength(4);

    const other = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
    const forged = await es256Token(other.privateKey, now);
    await expect(verifyJwt(new CompactJwt(forged), publicKey, options(now))).rejects.toThrow(
      "signature verification failed",
    );
    expect(verifyCalls.mock.calls[1]).toHaveLength(4);
  });
});
