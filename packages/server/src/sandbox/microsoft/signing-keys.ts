/**
 * The fake identity platform's token signing keys: RS256 key pairs whose
 * public halves the JWKS publishes, and a signer that puts the key's `kid` in
 * every id_token header, so a client can verify the token against
 * `jwks_uri` as it must at Microsoft.
 * https://learn.microsoft.com/entra/identity-platform/access-tokens#validate-the-signature
 *
 * Microsoft publishes several keys at once (the current one and the next, for
 * rollover) and signs with one of them: so does the fake, so a client that
 * picks a key by anything but `kid` fails here as it would there. Microsoft's
 * `kid` and `x5t` are the base64url SHA-1 thumbprint of the key's
 * certificate; the fake has no certificates, so it takes the thumbprint of the
 * public key itself and leaves out `x5c` (a client that needs the certificate
 * chain is not served by this fake).
 */
import { createHash, generateKeyPairSync, type KeyObject, sign } from "node:crypto";

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: { kty: string; n: string; e: string };
}

export interface PublishedKey {
  kty: string;
  use: "sig";
  kid: string;
  x5t: string;
  n: string;
  e: string;
  /** The issuer this key signs for; Microsoft's multi-tenant keys carry the `{tenantid}` template. */
  issuer: string;
}

export class SigningKeys {
  private readonly keys: SigningKey[];

  constructor(count = 2) {
    this.keys = Array.from({ length: count }, () => {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      const kid = createHash("sha1")
        .update(publicKey.export({ type: "spki", format: "der" }))
        .digest("base64url");
      const { kty, n, e } = publicKey.export({ format: "jwk" });
      return { kid, privateKey, publicJwk: { kty: kty ?? "RSA", n: n ?? "", e: e ?? "" } };
    });
  }

  /** A compact JWS over `claims`, RS256, signed with the current key. */
  sign(claims: Record<string, unknown>): string {
    const [current] = this.keys;
    if (!current) throw new Error("no signing key");
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const input = `${encode({ typ: "JWT", alg: "RS256", kid: current.kid })}.${encode(claims)}`;
    return `${input}.${sign("sha256", Buffer.from(input), current.privateKey).toString("base64url")}`;
  }

  /** The JWKS body: every key, current and next. */
  published(issuer: string): { keys: PublishedKey[] } {
    return { keys: this.keys.map(({ kid, publicJwk }) => ({ ...publicJwk, use: "sig", kid, x5t: kid, issuer })) };
  }
}
