/**
 * Verifies a compact JWT with node:crypto, making the same decisions as
 * jose's `jwtVerify` and throwing jose's own error classes, so callers
 * translate refusals exactly as before. test/auth/jwt-verify.test.ts puts
 * both side by side over crafted tokens for every algorithm a host may use.
 *
 * Why not jose's `jwtVerify`: it verifies through WebCrypto, whose every call
 * is queued to the libuv thread pool and comes back as a promise. For an
 * HMAC that hop cost far more than the HMAC itself and was the largest share
 * of an authenticated request (bench/host-token.bench.ts), so an HMAC is
 * computed here, in the request's own turn (a few µs). So is an ECDSA
 * signature (ES256, the recommended choice for production portals), with its
 * KeyObject prepared once: tens of µs of CPU, paid once per token (a token
 * verified in full is remembered for its next uses, auth/host-token.ts), and
 * less than the hop through the thread pool with its promise and wake-up
 * (issue 15). RSA and EdDSA signatures still go to the thread pool, through
 * node:crypto's callback form, so the event loop serves other requests
 * meanwhile. jose still fetches JWKS and imports keys; the
 * `CryptoKey` it hands over is checked as jose checks it and turned into a
 * `KeyObject` once (cached per key, never per token).
 *
 * Order of the checks, as in jose 6: three parts; the protected header is
 * base64url JSON object; `crit` names only `b64` and `b64` is then a boolean;
 * `alg` is present and allowed; the key fits `alg`; the signature verifies;
 * the payload is base64url JSON object, never unencoded (`b64: false`); the
 * required claims, `iss`, `aud` are present; `iss` and `aud` match; `iat`,
 * `nbf`, `exp` are numbers when present; `nbf` and `exp` hold within the
 * clock tolerance. Nothing verified is remembered for another token.
 *
 * One way it is stricter than jose: base64url parts must use only the
 * base64url alphabet, without padding or white space (RFC 7515 §2), which
 * jose's decoder forgives; host tokens are refused for that earlier anyway.
 */
import {
  KeyObject,
  type VerifyKeyObjectInput,
  constants,
  createHmac,
  timingSafeEqual,
  verify,
  type webcrypto,
} from "node:crypto";
import {
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyResult,
  type ProtectedHeaderParameters,
  errors,
} from "jose";

export interface JwtVerifyOptions {
  /** The algorithms allowed for this key (the host's list). */
  algorithms: ReadonlySet<string>;
  issuer: string;
  audience: string;
  currentDate: Date;
  /** Seconds of leeway for `nbf` and `exp`. */
  clockTolerance: number;
  /** Claims that must be present, besides `iss` and `aud`. */
  requiredClaims: readonly string[];
}

type Outcome<T> = { value: T } | { error: Error };

/** A compact JWT split and its protected header parsed; the payload is decoded once, when first asked for. */
export class CompactJwt {
  readonly header: ProtectedHeaderParameters;
  readonly encodedHeader: string;
  readonly encodedPayload: string;
  readonly encodedSignature: string;
  #payload: Outcome<JWTPayload> | undefined;

  /** Throws jose's JWSInvalid when the token is not three parts or its header is not a base64url JSON object. */
  constructor(token: string) {
    const parts = token.split(".");
    if (parts.length !== 3) throw new errors.JWSInvalid("Invalid Compact JWS");
    [this.encodedHeader, this.encodedPayload, this.encodedSignature] = parts as [string, string, string];
    const header = parseJsonObject(this.encodedHeader);
    if (header === undefined) throw new errors.JWSInvalid("JWS Protected Header is invalid");
    this.header = header as ProtectedHeaderParameters;
  }

  /**
   * The claims as sent, trusted only once `verifyJwt` has passed (before, a
   * host token's `iss` only picks the key). Throws, as jose does after the
   * signature, JWSInvalid when the payload is not base64url and JWTInvalid
   * when it is not a JSON object; decoded once, the same answer every time.
   */
  payload(): JWTPayload {
    this.#payload ??= decodePayload(this.encodedPayload);
    if ("error" in this.#payload) throw this.#payload.error;
    return this.#payload.value;
  }

  /** The token as jose's key resolvers receive it. */
  flattened(): { protected: string; payload: string; signature: string } {
    return { protected: this.encodedHeader, payload: this.encodedPayload, signature: this.encodedSignature };
  }
}

/**
 * The header checks jose makes before it asks for a key: `crit` and `b64`,
 * then `alg` against the allow-list. Run it before resolving a key, so a bad
 * header is refused as jose refuses it, never answered by a key server.
 */
export function checkProtectedHeader(jwt: CompactJwt, algorithms: ReadonlySet<string>): { alg: string; b64: boolean } {
  const { header } = jwt;
  let b64 = true;
  if (validateCrit(header).includes("b64")) {
    if (typeof header.b64 !== "boolean")
      throw new errors.JWSInvalid('The "b64" (base64url-encode payload) Header Parameter must be a boolean');
    b64 = header.b64;
  }
  const { alg } = header;
  if (typeof alg !== "string" || !alg)
    throw new errors.JWSInvalid('JWS "alg" (Algorithm) Header Parameter missing or invalid');
  if (!algorithms.has(alg)) throw new errors.JOSEAlgNotAllowed('"alg" (Algorithm) Header Parameter value not allowed');
  // An unencoded payload is signed as it stands, so it must be ASCII; jose checks that before the key too.
  if (!b64 && !isAscii(jwt.encodedPayload))
    throw new errors.JWSInvalid("JWS Compact Serialization payload must use only ASCII characters");
  return { alg, b64 };
}

/** Verifies `jwt` with `key` (the key jose would have been given for it) and checks its claims. */
export async function verifyJwt(
  jwt: CompactJwt,
  key: webcrypto.CryptoKey,
  options: JwtVerifyOptions,
): Promise<JWTVerifyResult> {
  const { alg, b64 } = checkProtectedHeader(jwt, options.algorithms);
  const verifier = signatureVerifiers.get(alg);
  if (!verifier)
    throw new errors.JOSENotSupported(`alg ${alg} is not supported either by JOSE or your javascript runtime`);
  if (!isAscii(jwt.encodedPayload)) throw new errors.JWSInvalid("The payload is not a valid base64url string");
  const signature = decodeBase64url(jwt.encodedSignature);
  if (signature === undefined) throw new errors.JWSInvalid("Failed to base64url decode the signature");
  const keyObject = keyObjectFor(key, verifier, alg);

  let verified = false;
  try {
    verified = await verifier.verify(
      Buffer.from(`${jwt.encodedHeader}.${jwt.encodedPayload}`, "latin1"),
      keyObject,
      signature,
    );
  } catch (cause) {
    throw new errors.JWSSignatureVerificationFailed(undefined, { cause });
  }
  if (!verified) throw new errors.JWSSignatureVerificationFailed();
  // jose takes an unencoded payload as bytes, then refuses it because this is a JWT.
  if (!b64) throw new errors.JWTInvalid("JWTs MUST NOT use unencoded payload");
  // `alg` is a non-empty string by now, as JWTHeaderParameters promises.
  return { payload: validateClaims(jwt.payload(), options), protectedHeader: jwt.header as JWTHeaderParameters };
}

interface SignatureVerifier {
  /** The WebCrypto algorithm a `CryptoKey` for it must have, as jose checks it. */
  key: { type: "secret" | "public"; name: string; hash?: string; namedCurve?: string; minRsaBits?: number };
  /** Synchronous for an HMAC and an ECDSA signature, in the thread pool for an RSA or EdDSA one. */
  verify(data: Buffer, key: KeyObject, signature: Buffer): boolean | Promise<boolean>;
}

/** node:crypto's verify in the libuv thread pool (its callback form). */
function verifyInThreadPool(
  algorithm: string | null,
  data: Buffer,
  key: VerifyKeyObjectInput | KeyObject,
  signature: Buffer,
): Promise<boolean> {
  return new Promise((resolve, reject) =>
    verify(algorithm, data, key, signature, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

const hmac = (bits: number): SignatureVerifier => ({
  key: { type: "secret", name: "HMAC", hash: `SHA-${bits}` },
  verify: (data, key, signature) => {
    const mac = createHmac(`sha${bits}`, key).update(data).digest();
    return mac.length === signature.length && timingSafeEqual(mac, signature);
  },
});
const rsa = (bits: number, pss: boolean): SignatureVerifier => ({
  key: { type: "public", name: pss ? "RSA-PSS" : "RSASSA-PKCS1-v1_5", hash: `SHA-${bits}`, minRsaBits: 2048 },
  verify: (data, key, signature) =>
    verifyInThreadPool(
      `sha${bits}`,
      data,
      pss
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: bits / 8 }
        : { key, padding: constants.RSA_PKCS1_PADDING },
      signature,
    ),
});
const ecdsa = (namedCurve: string, bits: number): SignatureVerifier => ({
  key: { type: "public", name: "ECDSA", namedCurve },
  // JWS signatures are R || S (RFC 7518 §3.4), not DER.
  verify: (data, key, signature) => verify(`sha${bits}`, data, { key, dsaEncoding: "ieee-p1363" }, signature),
});
const ed25519: SignatureVerifier = {
  key: { type: "public", name: "Ed25519" },
  verify: (data, key, signature) => verifyInThreadPool(null, data, key, signature),
};

/** Every algorithm a host may register (host-registry.ts), as jose's JWS table defines it. */
const signatureVerifiers: ReadonlyMap<string, SignatureVerifier> = new Map(
  Object.entries({
    HS256: hmac(256),
    HS384: hmac(384),
    HS512: hmac(512),
    RS256: rsa(256, false),
    RS384: rsa(384, false),
    RS512: rsa(512, false),
    PS256: rsa(256, true),
    PS384: rsa(384, true),
    PS512: rsa(512, true),
    ES256: ecdsa("P-256", 256),
    ES384: ecdsa("P-384", 384),
    ES512: ecdsa("P-521", 512),
    EdDSA: ed25519,
    Ed25519: ed25519,
  }),
);

/** One KeyObject per CryptoKey: keys are prepared once per host (or per JWKS key), not per request. */
const keyObjects = new WeakMap<webcrypto.CryptoKey, KeyObject>();

function keyObjectFor(key: webcrypto.CryptoKey, verifier: SignatureVerifier, alg: string): KeyObject {
  const tag = (key as { [Symbol.toStringTag]?: string } | null)?.[Symbol.toStringTag];
  if (tag !== "CryptoKey") throw new TypeError(`Key for the ${alg} algorithm must be of type CryptoKey.`);
  const expected = verifier.key;
  if (key.type !== expected.type)
    throw new TypeError(`CryptoKey instances must be of type "${expected.type}" for the ${alg} algorithm`);
  const algorithm = key.algorithm as {
    name: string;
    hash?: { name: string };
    namedCurve?: string;
    modulusLength?: number;
  };
  if (algorithm.name !== expected.name)
    throw new TypeError(`CryptoKey does not support this operation, its algorithm.name must be ${expected.name}`);
  if (expected.hash && algorithm.hash?.name !== expected.hash)
    throw new TypeError(`CryptoKey does not support this operation, its algorithm.hash must be ${expected.hash}`);
  if (expected.namedCurve && algorithm.namedCurve !== expected.namedCurve)
    throw new TypeError(
      `CryptoKey does not support this operation, its algorithm.namedCurve must be ${expected.namedCurve}`,
    );
  if (!key.usages.includes("verify"))
    throw new TypeError("CryptoKey does not support this operation, its usages must include verify.");
  if (
    expected.minRsaBits &&
    !(typeof algorithm.modulusLength === "number" && algorithm.modulusLength >= expected.minRsaBits)
  ) {
    throw new TypeError(`${alg} requires key modulusLength to be 2048 bits or larger`);
  }
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    keyObject = KeyObject.from(key);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}

/** jose's validateCrit for a compact JWS: only `b64` is understood, and it must be in the protected header. */
function validateCrit(header: ProtectedHeaderParameters): readonly string[] {
  const { crit } = header;
  if (crit === undefined) return [];
  if (!Array.isArray(crit) || crit.length === 0 || crit.some((name) => typeof name !== "string" || name.length === 0)) {
    throw new errors.JWSInvalid(
      '"crit" (Critical) Header Parameter MUST be an array of non-empty strings when present',
    );
  }
  for (const name of crit as string[]) {
    if (name !== "b64") throw new errors.JOSENotSupported(`Extension Header Parameter "${name}" is not recognized`);
    if (!Object.hasOwn(header, name) || header[name] === undefined)
      throw new errors.JWSInvalid(`Extension Header Parameter "${name}" is missing`);
  }
  return crit as string[];
}

const presenceOrders = new WeakMap<readonly string[], readonly string[]>();

/** jose checks presence in this order: iss, aud, then the required claims from last to first (once per list). */
function presenceOrder(requiredClaims: readonly string[]): readonly string[] {
  let order = presenceOrders.get(requiredClaims);
  if (order === undefined) {
    order = [...new Set(["iss", "aud", ...[...requiredClaims].reverse()])];
    presenceOrders.set(requiredClaims, order);
  }
  return order;
}

/** jose's validateClaimsSet for the options above. */
function validateClaims(claims: JWTPayload, options: JwtVerifyOptions): JWTPayload {
  for (const claim of presenceOrder(options.requiredClaims)) {
    if (!Object.hasOwn(claims, claim))
      throw new errors.JWTClaimValidationFailed(`missing required "${claim}" claim`, claims, claim, "missing");
  }
  if (claims.iss !== options.issuer)
    throw new errors.JWTClaimValidationFailed('unexpected "iss" claim value', claims, "iss", "check_failed");
  const { aud } = claims;
  const audienceMatches =
    typeof aud === "string" ? aud === options.audience : Array.isArray(aud) && aud.includes(options.audience);
  if (!audienceMatches)
    throw new errors.JWTClaimValidationFailed('unexpected "aud" claim value', claims, "aud", "check_failed");

  return checkClaimTimes(claims, options);
}

/**
 * The part of jose's validateClaimsSet that depends on the time: `iat`, `nbf`
 * and `exp` are numbers when present, `nbf` and `exp` hold within the clock
 * tolerance. Every other check of a token gives the same answer whenever it
 * is asked; these are asked again on each use of a token (auth/host-token.ts).
 */
export function checkClaimTimes(
  claims: JWTPayload,
  options: Pick<JwtVerifyOptions, "currentDate" | "clockTolerance">,
): JWTPayload {
  const tolerance = options.clockTolerance;
  const now = Math.floor(options.currentDate.getTime() / 1000);
  if (!Number.isFinite(tolerance) || tolerance < 0 || !Number.isFinite(now))
    throw new TypeError("Invalid clockTolerance or currentDate option");
  numericDate(claims, "iat");
  const nbf = numericDate(claims, "nbf");
  if (nbf !== undefined && nbf > now + tolerance)
    throw new errors.JWTClaimValidationFailed('"nbf" claim timestamp check failed', claims, "nbf", "check_failed");
  const exp = numericDate(claims, "exp");
  if (exp !== undefined && exp <= now - tolerance)
    throw new errors.JWTExpired('"exp" claim timestamp check failed', claims, "exp", "check_failed");
  return claims;
}

function numericDate(claims: JWTPayload, claim: "iat" | "nbf" | "exp"): number | undefined {
  const value = claims[claim];
  if (value === undefined) return undefined;
  if (typeof value !== "number")
    throw new errors.JWTClaimValidationFailed(`"${claim}" claim must be a number`, claims, claim, "invalid");
  return value;
}

const base64urlText = /^[A-Za-z0-9_-]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: every ASCII character, control ones included.
const asciiText = /^[\x00-\x7F]*$/;
/** Like jose's decoder, which rejects UTF-8 that is not well formed (and drops a leading byte-order mark). */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

const isAscii = (value: string) => asciiText.test(value);

/** The bytes of a base64url text, or undefined when it is not one (a length of 4n+1 cannot be). */
function decodeBase64url(value: string): Buffer | undefined {
  if (value.length % 4 === 1 || !base64urlText.test(value)) return undefined;
  return Buffer.from(value, "base64url");
}

function parseJsonObject(encoded: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64url(encoded);
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(strictUtf8.decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function decodePayload(encoded: string): Outcome<JWTPayload> {
  const bytes = decodeBase64url(encoded);
  if (bytes === undefined) return { error: new errors.JWSInvalid("Failed to base64url decode the payload") };
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(bytes));
  } catch (cause) {
    return { error: new errors.JWTInvalid("JWT Claims Set must be a top-level JSON object", { cause }) };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { error: new errors.JWTInvalid("JWT Claims Set must be a top-level JSON object") };
  return { value: value as JWTPayload };
}
