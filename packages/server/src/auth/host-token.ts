/**
 * Verifies a host token: the short-lived JWT a portal's backend signs for its
 * signed-in user (see README "Host tokens"). The unverified payload is read
 * only to find `iss`; everything else is trusted only after the signature has
 * been checked with that host's key and pinned algorithms (jwt-verify.ts,
 * which decides as jose's jwtVerify, without WebCrypto's overhead).
 *
 * Every refusal is a 401 with its own code, so a portal developer can tell
 * "wrong audience" from "clock skew" from "bad key" without reading our logs.
 */
import type { webcrypto } from "node:crypto";
import type { HostTokenErrorCode } from "@tsunagu/contract";
import { type FlattenedJWSInput, type JWTHeaderParameters, type JWTPayload, type JWTVerifyResult, errors } from "jose";
import { z } from "zod";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import { timeZoneField } from "../time-zone.ts";
import { HostKeysUnavailableError, type HostRegistry, type RegisteredHost } from "./host-registry.ts";
import { CompactJwt, checkClaimTimes, checkProtectedHeader, type JwtVerifyOptions, verifyJwt } from "./jwt-verify.ts";

export const hostRoles = ["admin", "recruiter", "assistant", "guest"] as const;
export type HostRole = (typeof hostRoles)[number];

/** The verified caller, as routes see it through `c.get("caller")`. */
export interface HostTokenClaims {
  /** The host id. */
  iss: string;
  /** The user's id in the portal. */
  sub: string;
  /** The customer organisation in the portal. */
  org: string;
  role: HostRole;
  email: string;
  name?: string | undefined;
  locale?: "ja" | "en" | undefined;
  /** IANA time zone, in its canonical spelling whatever the letter case the token wrote it in. */
  tz?: string | undefined;
  jti?: string | undefined;
  iat: number;
  exp: number;
}

export interface VerifiedHostToken {
  host: RegisteredHost;
  claims: HostTokenClaims;
}

export const hostTokenLimits = {
  /** Checked before any parsing: a header full of junk costs nothing. */
  maxBytes: 8 * 1024,
  clockSkewSeconds: 60,
  maxLifetimeSeconds: 60 * 60,
} as const;

/**
 * `typ` is optional; when present it must say this is a plain JWT. Accepted,
 * case-insensitively: "JWT" and "application/jwt". Anything else (say
 * "at+jwt" or "dpop+jwt") is a token minted for another purpose.
 */
const acceptedTypes = new Set(["jwt", "application/jwt"]);
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Claims are stored (users, flows, audit): PostgreSQL text cannot hold U+0000, so no claim may carry it, on either
 * database; nor a lone UTF-16 surrogate, which both store as U+FFFD (the name shown later would not be the one sent).
 * Checked once per token, on these few short strings: a remembered token is not parsed again (issue 15). */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes("\u0000") && value.isWellFormed());
const boundedText = text(255).min(1);
const claimsSchema = z.object({
  sub: boundedText,
  org: boundedText,
  role: z.enum(hostRoles),
  email: z.email().max(320),
  name: text(255).optional(),
  locale: z.enum(["ja", "en"]).optional(),
  tz: timeZoneField("an IANA time zone such as Asia/Tokyo").optional(),
  jti: boundedText.optional(),
});
/** What a stored text claim may not hold, as its refusal says. */
const storable = "without NUL or a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair)";
const textExpectation = `a non-empty string of at most 255 characters, ${storable}`;
const claimExpectations: Record<keyof z.infer<typeof claimsSchema>, string> = {
  sub: textExpectation,
  org: textExpectation,
  role: `one of ${hostRoles.join(", ")}`,
  email: "an email address",
  name: `a string of at most 255 characters, ${storable}`,
  locale: "ja or en",
  tz: "an IANA time zone such as Asia/Tokyo",
  jti: textExpectation,
};

/** The tokens a route accepts: what the caller is asked to send, and how they are verified (their audience among the
 * rest). */
export interface TokenAudience {
  tokenName: string;
  /** A remembered token's answer comes back at once, without a promise (issue 15). */
  verify(
    token: string,
    context: { hosts: HostRegistry; clock: Clock },
  ): Readonly<VerifiedHostToken> | Promise<Readonly<VerifiedHostToken>>;
}

/**
 * Host tokens: `aud` is the host's own audience (`tsunagu` by default). Every /v1 route takes them. A portal's page
 * sends the same token with each of its requests for the token's lifetime, so a token verified once is remembered,
 * by its exact text, for its next uses (see `verifyRememberedHostToken`).
 */
export const hostTokens: TokenAudience = { tokenName: "host token", verify: verifyRememberedHostToken };

/** A 401 with its own code and the RFC 6750 challenge. */
export function tokenRefusal(code: HostTokenErrorCode, message: string, cause?: unknown): ApiError {
  return new ApiError(401, code, message, {
    cause,
    headers: { "WWW-Authenticate": 'Bearer realm="tsunagu", error="invalid_token"' },
  });
}

export async function verifyHostToken(
  token: string,
  context: { hosts: HostRegistry; clock: Clock },
): Promise<VerifiedHostToken> {
  const { host, claims } = (await verifyToken(token, context)).answer;
  return { host, claims: { ...claims } };
}

/** A token verified in full, with what its next uses check again. */
interface VerifiedToken {
  /** What each use of the token is answered: frozen, claims included. */
  answer: Readonly<VerifiedHostToken>;
  /** The key it verified with, as the host's `getKey` handed it over. */
  key: unknown;
  header: JWTHeaderParameters;
  flattened: FlattenedJWSInput;
  payload: JWTPayload;
}

async function verifyToken(token: string, context: { hosts: HostRegistry; clock: Clock }): Promise<VerifiedToken> {
  if (token.length > hostTokenLimits.maxBytes)
    throw tokenRefusal("token_malformed", `The host token is larger than ${hostTokenLimits.maxBytes / 1024} KB.`);
  const { jwt, alg, issuer } = readUnverified(token);
  if (alg === "none") throw tokenRefusal("token_algorithm", 'Unsigned tokens (alg "none") are never accepted.');
  const host = context.hosts.get(issuer);
  if (!host) throw tokenRefusal("unknown_host", `The token's iss "${issuer.slice(0, 80)}" is not a registered host.`);
  if (!(host.algorithms as readonly string[]).includes(alg)) {
    throw tokenRefusal(
      "token_algorithm",
      `Host "${host.id}" accepts ${host.algorithms.join(", ")}; the token is signed with ${alg.slice(0, 20)}.`,
    );
  }

  const now = context.clock.now();
  let verified: JWTVerifyResult;
  let key: unknown;
  try {
    ({ verified, key } = await verifyWithHostKey(jwt, host, { ...verifyOptionsOf(host), currentDate: now }));
  } catch (error) {
    throw translateJoseError(error, host);
  }

  const typ: unknown = verified.protectedHeader.typ;
  if (typ !== undefined && (typeof typ !== "string" || !acceptedTypes.has(typ.toLowerCase()))) {
    throw tokenRefusal(
      "token_type",
      `The token's typ header must be "JWT" (or "application/jwt"), not ${JSON.stringify(typ).slice(0, 40)}.`,
    );
  }
  checkLifetime(verified.payload, Math.floor(now.getTime() / 1000));
  const claims: HostTokenClaims = Object.freeze({
    ...parseClaims(verified.payload),
    iss: host.id,
    iat: verified.payload.iat as number,
    exp: verified.payload.exp as number,
  });
  return {
    answer: Object.freeze({ host, claims }),
    key,
    header: verified.protectedHeader,
    flattened: jwt.flattened(),
    payload: verified.payload,
  };
}

/** Tokens remembered per registry: a reload keeps the registry but registers new host objects, which no entry names. */
const rememberedTokens = new WeakMap<HostRegistry, Map<string, VerifiedToken>>();
/** Distinct tokens remembered per registry; the one remembered longest ago makes room. */
export const rememberedTokenLimit = 10_000;

/**
 * `verifyHostToken`, remembering each token verified in full by its exact
 * text, as an API gateway's JWT cache does. Only the very same token is
 * answered from memory, never another (a token differing by one character is
 * a different key, verified in full), and only while nothing its verification
 * depended on has changed: the registry must still hold the same host object
 * (a reload on SIGHUP registers new ones) and the host's `getKey` must still
 * hand over the same key (a JWKS host's key set may rotate without a reload).
 * What depends on the time is checked again on every use, in the same order:
 * `nbf`, `exp` (jose's rules, jwt-verify.ts) and an `iat` in the future. The
 * rest (signature, header, audience, issuer, claims schema, lifetime) gives
 * the same answer for the same text and key whenever it is asked. Every use
 * of one token gets the same answer, frozen with its claims, so that no route
 * can change what the token's next use sees (and nothing is copied per use).
 */
export function verifyRememberedHostToken(
  token: string,
  context: { hosts: HostRegistry; clock: Clock },
): VerifiedHostToken | Promise<VerifiedHostToken> {
  let remembered = rememberedTokens.get(context.hosts);
  if (remembered === undefined) {
    remembered = new Map();
    rememberedTokens.set(context.hosts, remembered);
  }
  const known = remembered.get(token);
  if (known === undefined || context.hosts.get(known.answer.host.id) !== known.answer.host)
    return verifyAndRemember(token, context, remembered);
  remembered.delete(token);
  let key: unknown;
  try {
    key = known.answer.host.getKey(known.header, known.flattened);
  } catch (error) {
    throw translateJoseError(error, known.answer.host);
  }
  // A JWKS host's key may need fetching; a secret's or inline JWK's is at hand, and the answer with it.
  if (key instanceof Promise)
    return key.then(
      (resolved: unknown) => reuseRemembered(token, context, remembered, known, resolved),
      (error: unknown) => {
        throw translateJoseError(error, known.answer.host);
      },
    );
  return reuseRemembered(token, context, remembered, known, key);
}

/** The remembered `known` again when `getKey` still hands over its key and the time checks pass; else verified anew. */
function reuseRemembered(
  token: string,
  context: { hosts: HostRegistry; clock: Clock },
  remembered: Map<string, VerifiedToken>,
  known: VerifiedToken,
  key: unknown,
): VerifiedHostToken | Promise<VerifiedHostToken> {
  if (key !== known.key) return verifyAndRemember(token, context, remembered);
  const now = context.clock.now();
  try {
    checkClaimTimes(known.payload, { currentDate: now, clockTolerance: hostTokenLimits.clockSkewSeconds });
  } catch (error) {
    throw translateJoseError(error, known.answer.host);
  }
  checkLifetime(known.payload, Math.floor(now.getTime() / 1000));
  remembered.set(token, known);
  return known.answer;
}

async function verifyAndRemember(
  token: string,
  context: { hosts: HostRegistry; clock: Clock },
  remembered: Map<string, VerifiedToken>,
): Promise<VerifiedHostToken> {
  remembered.delete(token);
  const verified = await verifyToken(token, context);
  // Maps iterate in insertion order: the first token is the one remembered longest ago.
  if (remembered.size >= rememberedTokenLimit) remembered.delete(remembered.keys().next().value as string);
  remembered.set(token, verified);
  return verified.answer;
}

const requiredClaims = ["iat", "exp"] as const;
/** What verifying a host's tokens asks besides the time, built once per host (a reload registers new host objects). */
const hostVerifyOptions = new WeakMap<RegisteredHost, Omit<JwtVerifyOptions, "currentDate">>();

function verifyOptionsOf(host: RegisteredHost): Omit<JwtVerifyOptions, "currentDate"> {
  let options = hostVerifyOptions.get(host);
  if (options === undefined) {
    options = {
      algorithms: new Set(host.algorithms),
      issuer: host.id,
      audience: host.audience,
      clockTolerance: hostTokenLimits.clockSkewSeconds,
      requiredClaims,
    };
    hostVerifyOptions.set(host, options);
  }
  return options;
}

/**
 * The header checks first, then the host's key (prepared once: a secret's or
 * inline JWK's is at hand, a JWKS host's may need fetching), then the
 * signature and the claims.
 */
async function verifyWithHostKey(
  jwt: CompactJwt,
  host: RegisteredHost,
  options: JwtVerifyOptions,
): Promise<{ verified: JWTVerifyResult; key: unknown }> {
  const { alg } = checkProtectedHeader(jwt, options.algorithms);
  const resolved = host.getKey({ ...jwt.header, alg }, jwt.flattened());
  const key = resolved instanceof Promise ? await resolved : resolved;
  return { verified: await verifyJwt(jwt, key as webcrypto.CryptoKey, options), key };
}

/** Reads `alg` and `iss` without trusting them: they only choose the host and fail fast. */
function readUnverified(token: string): { jwt: CompactJwt; alg: string; issuer: string } {
  if (!compactJws.test(token))
    throw tokenRefusal("token_malformed", "The host token is not a compact JWS (three base64url parts).");
  let jwt: CompactJwt;
  let alg: unknown;
  let issuer: unknown;
  try {
    jwt = new CompactJwt(token);
    alg = jwt.header.alg;
    issuer = jwt.payload().iss;
  } catch (error) {
    throw tokenRefusal("token_malformed", "The host token's header or payload is not base64url JSON.", error);
  }
  if (typeof alg !== "string" || alg === "") throw tokenRefusal("token_malformed", 'The token header has no "alg".');
  if (alg.toLowerCase() === "none") return { jwt, alg: "none", issuer: "" };
  if (typeof issuer !== "string" || issuer === "")
    throw tokenRefusal("unknown_host", 'The token has no "iss" claim naming a registered host.');
  return { jwt, alg, issuer };
}

/** What the portal must sign with, by how the hosts file gives the host's key (a wrong one is the usual mistake). */
const signingKeyOf: Record<RegisteredHost["keySource"], string> = {
  secret: "its secret from the hosts file, base64url-decoded into the 32 or more bytes (not its text)",
  jwk: "the private key whose public half is its jwk in the hosts file",
  jwksUrl: "a private key whose public half its jwksUrl publishes, named by the token's kid",
};

function translateJoseError(error: unknown, host: RegisteredHost): Error {
  if (error instanceof HostKeysUnavailableError) {
    return new ApiError(
      503,
      "host_keys_unavailable",
      `The keys of host "${host.id}" cannot be fetched right now; try again shortly.`,
      { cause: error },
    );
  }
  if (error instanceof errors.JWTExpired)
    return tokenRefusal("token_expired", "The host token has expired; get a fresh one from the portal.", error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud")
      return tokenRefusal("token_audience", `The token's aud must be "${host.audience}".`, error);
    if (error.reason === "check_failed" && error.claim === "nbf")
      return tokenRefusal("token_not_yet_valid", "The host token is not valid yet (nbf is in the future).", error);
    return tokenRefusal(
      "token_claims",
      `The token's "${error.claim}" claim ${error.reason === "missing" ? "is missing" : "is not a NumericDate"}.`,
      error,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return tokenRefusal("token_algorithm", `Host "${host.id}" accepts ${host.algorithms.join(", ")}.`, error);
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return tokenRefusal("token_signature", `No key of host "${host.id}" matches the token's kid and alg.`, error);
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return tokenRefusal(
      "token_signature",
      `Several keys of host "${host.id}" fit the token; it must name one with kid.`,
      error,
    );
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return tokenRefusal(
      "token_signature",
      `The signature does not verify with the key of host "${host.id}": sign with ${signingKeyOf[host.keySource]}.`,
      error,
    );
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid)
    return tokenRefusal("token_malformed", "The host token is not a well-formed JWT.", error);
  return error instanceof Error ? error : new Error(String(error));
}

function checkLifetime(payload: JWTPayload, nowSeconds: number): void {
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  if (iat > nowSeconds + hostTokenLimits.clockSkewSeconds)
    throw tokenRefusal("token_not_yet_valid", "The host token's iat is in the future; check the portal's clock.");
  if (exp <= iat || exp - iat > hostTokenLimits.maxLifetimeSeconds) {
    throw tokenRefusal(
      "token_lifetime",
      `A host token may live at most ${hostTokenLimits.maxLifetimeSeconds / 60} minutes (exp - iat); this one lives ` +
        `${exp - iat} s.`,
    );
  }
}

function parseClaims(payload: JWTPayload): Omit<HostTokenClaims, "iss" | "iat" | "exp"> {
  const parsed = claimsSchema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const claim = parsed.error.issues[0]?.path[0] as keyof typeof claimExpectations;
  const state = payload[claim] === undefined ? "is missing" : "is not valid";
  throw tokenRefusal("token_claims", `The token's "${claim}" claim ${state}: it must be ${claimExpectations[claim]}.`);
}
