/**
 * The node:crypto verifier (src/auth/jwt-verify.ts) decides exactly as jose's
 * jwtVerify: thousands of crafted tokens (seeded, so a failure replays), for
 * every algorithm a host may register, go through both with the same key and
 * options, and must come out the same: accepted with the same payload and
 * header, or refused with the same error class, code, claim and reason.
 */
import {
  type KeyObject,
  constants,
  createHmac,
  generateKeyPairSync,
  randomBytes,
  sign,
  type webcrypto,
} from "node:crypto";
import { type JWK, errors, importJWK, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { CompactJwt, verifyJwt } from "../../src/auth/jwt-verify.ts";

type Alg =
  | "HS256"
  | "HS384"
  | "HS512"
  | "RS256"
  | "PS256"
  | "PS512"
  | "ES256"
  | "ES384"
  | "ES512"
  | "EdDSA"
  | "Ed25519";
const algs: Alg[] = [
  "HS256",
  "HS384",
  "HS512",
  "RS256",
  "PS256",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];
const issuer = "portal";
const audience = "tsunagu";
const clockTolerance = 60;
const now = 1_780_000_000;
const currentDate = new Date(now * 1000 + 456);

/** A signer and the CryptoKey jose would be given to verify its tokens. */
interface Keys {
  sign(data: Buffer): Buffer;
  verifyKey: webcrypto.CryptoKey;
}

const hashBits = (alg: Alg) => Number(alg.slice(2)) || 256;

async function keysFor(alg: Alg): Promise<Keys> {
  if (alg.startsWith("HS")) {
    const secret = randomBytes(32);
    const verifyKey = await crypto.subtle.importKey(
      "raw",
      secret,
      { name: "HMAC", hash: `SHA-${hashBits(alg)}` },
      false,
      ["verify"],
    );
    return {
      sign: (data) =>
        createHmac(`sha${hashBits(alg)}`, secret)
          .update(data)
          .digest(),
      verifyKey,
    };
  }
  let pair: { privateKey: KeyObject; publicKey: KeyObject };
  let signWith: (data: Buffer, key: KeyObject) => Buffer;
  if (alg.startsWith("RS") || alg.startsWith("PS")) {
    pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const padding = alg.startsWith("PS")
      ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hashBits(alg) / 8 }
      : {};
    signWith = (data, key) => sign(`sha${hashBits(alg)}`, data, { key, ...padding });
  } else if (alg.startsWith("ES")) {
    const curve = { ES256: "P-256", ES384: "P-384", ES512: "P-521" }[alg as "ES256"];
    pair = generateKeyPairSync("ec", { namedCurve: curve });
    signWith = (data, key) => sign(`sha${hashBits(alg)}`, data, { key, dsaEncoding: "ieee-p1363" });
  } else {
    pair = generateKeyPairSync("ed25519");
    signWith = (data, key) => sign(null, data, key);
  }
  const verifyKey = (await importJWK(pair.publicKey.export({ format: "jwk" }) as JWK, alg)) as webcrypto.CryptoKey;
  return { sign: (data) => signWith(data, pair.privateKey), verifyKey };
}

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick, chance: (p: number) => next() < p };
}

const b64u = (value: Buffer | string) => Buffer.from(value).toString("base64url");
/** Sentinel for "leave this member out". */
const absent = Symbol("absent");

function craft(rng: ReturnType<typeof random>, alg: Alg, keys: Record<Alg, Keys>): string {
  const { pick, chance } = rng;
  const time = (offset: number) => now + offset;
  const header: Record<string, unknown> = {};
  const put = (target: Record<string, unknown>, name: string, value: unknown) => {
    if (value !== absent) target[name] = value;
  };
  put(header, "alg", chance(0.8) ? alg : pick([...algs, "none", "", 7, null, absent, "HS1024"]));
  put(header, "typ", pick(["JWT", "jwt", "at+jwt", absent, absent, 3]));
  put(header, "kid", pick([absent, "k1", ""]));
  if (chance(0.15)) put(header, "crit", pick([[], ["b64"], ["exp"], ["b64", "b64"], "b64", [""], [1], ["b64", "zip"]]));
  if (chance(0.15)) put(header, "b64", pick([true, false, "false", null]));

  const claims: Record<string, unknown> = {};
  put(claims, "iss", chance(0.85) ? issuer : pick([absent, "other", 5, null, ""]));
  put(
    claims,
    "aud",
    chance(0.8) ? audience : pick([absent, [audience, "x"], ["x"], [], 5, ["x", 5], "TSUNAGU", [5, audience]]),
  );
  put(claims, "sub", pick(["user-42", absent]));
  const edges = [-3600, -61, -60, -59, -1, 0, 1, 59, 60, 61, 600, 3600];
  put(claims, "iat", chance(0.8) ? time(pick(edges)) : pick([absent, "1780000000", null, true, 1.5e9 + 0.5]));
  put(claims, "exp", chance(0.8) ? time(pick(edges)) : pick([absent, "soon", null, time(900) + 0.25, -1]));
  if (chance(0.3)) put(claims, "nbf", chance(0.7) ? time(pick(edges)) : pick(["later", null, absent]));

  let headerPart = b64u(JSON.stringify(header));
  let payloadPart = b64u(JSON.stringify(claims));
  // Malformed encodings, now and then.
  if (chance(0.04))
    headerPart = b64u(pick(["[1,2]", "null", "{", '"text"', "\u00ff{}", `\ufeff${JSON.stringify(header)}`]));
  if (chance(0.04))
    headerPart = b64u(Buffer.concat([Buffer.from('{"alg":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]));
  if (chance(0.05))
    payloadPart = b64u(
      pick([
        "[]",
        "null",
        "{",
        "42",
        `\ufeff${JSON.stringify(claims)}`,
        '{"iss":"portal","aud":"tsunagu","iat":1e400,"exp":1e400}',
      ]),
    );
  if (chance(0.03)) payloadPart = b64u(Buffer.from([0xff, 0xfe, 0x7b, 0x7d]));
  if (chance(0.03)) payloadPart = pick(["abcde", "a", "", "a-b_"]);
  if (chance(0.03)) headerPart = pick(["abcde", "", "e"]);
  // An unencoded payload, as RFC 7797 allows for JWS (never for a JWT).
  if (header.b64 === false && chance(0.5)) payloadPart = pick(["$.02", "plain", ""]);

  const signingAlg = chance(0.9) ? alg : pick(algs);
  let signature = b64u(keys[signingAlg].sign(Buffer.from(`${headerPart}.${payloadPart}`)));
  if (chance(0.05)) signature = "";
  if (chance(0.05)) signature = signature.slice(0, -1 - Math.floor(rng.next() * 4));
  if (chance(0.05)) signature = `${signature.slice(0, 5)}${signature[5] === "A" ? "B" : "A"}${signature.slice(6)}`;
  // Tampering after signing.
  if (chance(0.04)) payloadPart = b64u(JSON.stringify({ ...claims, sub: "admin" }));

  if (chance(0.02)) return `${headerPart}.${payloadPart}`;
  if (chance(0.02)) return `${headerPart}.${payloadPart}.${signature}.extra`;
  return `${headerPart}.${payloadPart}.${signature}`;
}

type Decision =
  | { accepted: { payload: unknown; protectedHeader: unknown } }
  | { refused: { name: string; code?: unknown; claim?: unknown; reason?: unknown } };

const refusal = (error: unknown): Decision => {
  const { code, claim, reason } = error as { code?: unknown; claim?: unknown; reason?: unknown };
  const name = (error as Error).constructor.name;
  return { refused: { name, ...(code !== undefined && { code }), ...(claim !== undefined && { claim, reason }) } };
};

async function withJose(token: string, key: webcrypto.CryptoKey, algorithms: string[]): Promise<Decision> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, key, {
      algorithms,
      issuer,
      audience,
      currentDate,
      clockTolerance,
      requiredClaims: ["iat", "exp"],
    });
    return { accepted: { payload, protectedHeader } };
  } catch (error) {
    return refusal(error);
  }
}

async function withOurs(token: string, key: webcrypto.CryptoKey, algorithms: string[]): Promise<Decision> {
  try {
    const { payload, protectedHeader } = await verifyJwt(new CompactJwt(token), key, {
      algorithms: new Set(algorithms),
      issuer,
      audience,
      currentDate,
      clockTolerance,
      requiredClaims: ["iat", "exp"],
    });
    return { accepted: { payload, protectedHeader } };
  } catch (error) {
    return refusal(error);
  }
}

const keys = {} as Record<Alg, Keys>;
beforeAll(async () => {
  for (const alg of algs) keys[alg] = await keysFor(alg);
});

describe("the node:crypto verifier decides as jose's jwtVerify", () => {
  it.each(algs)(
    "for %s, over 400 crafted tokens",
    async (alg) => {
      const rng = random(alg.split("").reduce((sum, char) => sum * 31 + char.charCodeAt(0), 7));
      const outcomes = new Set<string>();
      for (let index = 0; index < 400; index++) {
        const token = craft(rng, alg, keys);
        // The host's allow-list: its own algorithm, sometimes a second one (whose key this is not).
        const algorithms = rng.chance(0.2) ? [alg, rng.pick(algs)] : [alg];
        const expected = await withJose(token, keys[alg].verifyKey, algorithms);
        const actual = await withOurs(token, keys[alg].verifyKey, algorithms);
        expect({ token, algorithms, decision: actual }).toEqual({ token, algorithms, decision: expected });
        outcomes.add(
          "accepted" in expected
            ? "accepted"
            : [expected.refused.name, expected.refused.claim].filter(Boolean).join(" "),
        );
      }
      // The crafted tokens reach every kind of decision, not only the easy ones.
      for (const kind of [
        "accepted",
        "JWSSignatureVerificationFailed",
        "JWTExpired exp",
        "JWTClaimValidationFailed aud",
        "JWTClaimValidationFailed iss",
        "JOSEAlgNotAllowed",
        "JWSInvalid",
        "JWTInvalid",
      ]) {
        expect(outcomes, `${alg}: ${[...outcomes].join(", ")}`).toContain(kind);
      }
      // 800 verifications each way: seconds for the RSA and P-521 cases on a loaded machine.
    },
    60_000,
  );

  it(
    "refuses where jose does for a key that does not fit the algorithm, a token made for another key, and every " +
      "claim edge",
    async () => {
      const cases: [string, webcrypto.CryptoKey, string[]][] = [];
      const header = (alg: string, extra: Record<string, unknown> = {}) => b64u(JSON.stringify({ alg, ...extra }));
      const claims = (extra: Record<string, unknown> = {}) =>
        b64u(JSON.stringify({ iss: issuer, aud: audience, iat: now, exp: now + 600, ...extra }));
      const signed = (alg: Alg, headerPart: string, payloadPart: string) =>
        `${headerPart}.${payloadPart}.${b64u(keys[alg].sign(Buffer.from(`${headerPart}.${payloadPart}`)))}`;
      // A key of another algorithm or hash, allowed by the list: jose's key checks (TypeError) must hold.
      cases.push([signed("HS512", header("HS512"), claims()), keys.HS256.verifyKey, ["HS256", "HS512"]]);
      cases.push([signed("ES384", header("ES384"), claims()), keys.ES256.verifyKey, ["ES256", "ES384"]]);
      cases.push([signed("PS256", header("PS256"), claims()), keys.RS256.verifyKey, ["RS256", "PS256"]]);
      cases.push([signed("ES256", header("ES256"), claims()), keys.HS256.verifyKey, ["ES256"]]);
      cases.push([signed("HS256", header("HS256"), claims()), keys.ES256.verifyKey, ["HS256"]]);
      // Every side of each time check, with and without the tolerance.
      for (const offset of [-61, -60, -59, 0, 59, 60, 61]) {
        cases.push([signed("HS256", header("HS256"), claims({ exp: now + offset })), keys.HS256.verifyKey, ["HS256"]]);
        cases.push([signed("HS256", header("HS256"), claims({ nbf: now + offset })), keys.HS256.verifyKey, ["HS256"]]);
        cases.push([signed("HS256", header("HS256"), claims({ iat: now + offset })), keys.HS256.verifyKey, ["HS256"]]);
      }
      // Required claims, one missing at a time, and all at once (jose's order decides which is named).
      for (const missing of ["iss", "aud", "iat", "exp"])
        cases.push([
          signed("HS256", header("HS256"), claims({ [missing]: undefined })),
          keys.HS256.verifyKey,
          ["HS256"],
        ]);
      cases.push([signed("HS256", header("HS256"), b64u("{}")), keys.HS256.verifyKey, ["HS256"]]);
      // crit: recognised, unknown, unprotected value missing; b64 false is never a JWT.
      cases.push([
        signed("HS256", header("HS256", { crit: ["b64"], b64: true }), claims()),
        keys.HS256.verifyKey,
        ["HS256"],
      ]);
      cases.push([
        signed("HS256", header("HS256", { crit: ["b64"], b64: false }), "unencoded"),
        keys.HS256.verifyKey,
        ["HS256"],
      ]);
      cases.push([signed("HS256", header("HS256", { crit: ["b64"] }), claims()), keys.HS256.verifyKey, ["HS256"]]);
      cases.push([
        signed("HS256", header("HS256", { crit: ["exp"], exp: 1 }), claims()),
        keys.HS256.verifyKey,
        ["HS256"],
      ]);
      // An allowed name that is no JWS algorithm at all.
      cases.push([signed("HS256", header("HS1024"), claims()), keys.HS256.verifyKey, ["HS1024"]]);

      for (const [token, key, algorithms] of cases) {
        const expected = await withJose(token, key, algorithms);
        expect({ token, decision: await withOurs(token, key, algorithms) }).toEqual({ token, decision: expected });
      }
    },
  );

  it(
    "is stricter than jose in one way only: padding or white space in a part is refused (no host token carries " +
      "them)",
    async () => {
      const headerPart = b64u(JSON.stringify({ alg: "HS256" }));
      const payloadPart = b64u(JSON.stringify({ iss: issuer, aud: audience, iat: now, exp: now + 600 }));
      const signature = b64u(keys.HS256.sign(Buffer.from(`${headerPart}.${payloadPart}`)));
      const good = `${headerPart}.${payloadPart}.${signature}`;
      expect(await withOurs(good, keys.HS256.verifyKey, ["HS256"])).toMatchObject({ accepted: {} });
      const padded = `${headerPart}.${payloadPart}.${signature}=`;
      expect(await withOurs(padded, keys.HS256.verifyKey, ["HS256"])).toEqual({
        refused: { name: "JWSInvalid", code: "ERR_JWS_INVALID" },
      });
      expect(() => new CompactJwt(`${headerPart} .${payloadPart}.${signature}`)).toThrow(errors.JWSInvalid);
    },
  );
});

describe("CompactJwt", () => {
  it(
    "reads the claims before verification once, and refuses a payload that is not a JSON object with jose's " +
      "classes",
    () => {
      const headerPart = b64u(JSON.stringify({ alg: "HS256" }));
      const jwt = new CompactJwt(`${headerPart}.${b64u('{"iss":"portal"}')}.sig`);
      expect(jwt.payload()).toEqual({ iss: "portal" });
      expect(jwt.payload()).toBe(jwt.payload());
      expect(() => new CompactJwt(`${headerPart}.${b64u("[1]")}.sig`).payload()).toThrow(errors.JWTInvalid);
      expect(() => new CompactJwt(`${headerPart}.a.sig`).payload()).toThrow(errors.JWSInvalid);
      expect(() => new CompactJwt(`${b64u("[1]")}.${b64u("{}")}.sig`)).toThrow(errors.JWSInvalid);
      expect(() => new CompactJwt("a.b")).toThrow(errors.JWSInvalid);
    },
  );
});
