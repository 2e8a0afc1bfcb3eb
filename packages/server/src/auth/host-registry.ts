/**
 * The host registry: which portals may embed the widgets, from which origins,
 * and with which key their tokens are verified. Loaded from the JSON file
 * named by TSUNAGU_HOSTS_FILE, validated strictly (a bad entry stops the load
 * with a message naming the entry and the field), reloadable on SIGHUP.
 */
import { createHmac, type webcrypto } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  type FetchImplementation,
  type JWK,
  type JWTVerifyGetKey,
  createRemoteJWKSet,
  customFetch,
  errors,
  importJWK,
} from "jose";
import { z } from "zod";
import { type Clock, isoNow } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { DB } from "../store/database.ts";

export const hmacAlgorithms = ["HS256", "HS384", "HS512"] as const;
export const asymmetricAlgorithms = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;
export type HostAlgorithm = (typeof hmacAlgorithms)[number] | (typeof asymmetricAlgorithms)[number];
export const defaultAudience = "tsunagu";

const isHmac = (alg: string) => (hmacAlgorithms as readonly string[]).includes(alg);
// Members that only a private or symmetric JWK has: a registry must never hold a signing key.
const privateJwkMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"];
const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

const originSchema = z.string().refine(isExactOrigin, {
  error: (issue) =>
    `"${String(issue.input)}" must be an exact origin: scheme://host[:port], lowercase, no path, no trailing ` +
    `slash${suggestOrigin(issue.input)}`,
});

const secretSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, "must be base64url without padding")
  .refine((value) => Buffer.from(value, "base64url").length >= 32, "must decode to at least 32 random bytes");

const jwkSchema = z
  .looseObject({ kty: z.enum(["RSA", "EC", "OKP"], 'kty must be RSA, EC or OKP (a symmetric key goes in "secret")') })
  .superRefine((jwk, ctx) => {
    const found = privateJwkMembers.filter((member) => member in jwk);
    if (found.length > 0)
      ctx.addIssue({
        code: "custom",
        message: `must be a public JWK; remove the private member(s) ${found.join(", ")}`,
      });
    if (jwk.use !== undefined && jwk.use !== "sig")
      ctx.addIssue({ code: "custom", path: ["use"], message: 'must be "sig" when present' });
    // jose refuses RSA keys under 2048 bits at verification time; refuse them here instead.
    if (jwk.kty === "RSA" && (typeof jwk.n !== "string" || Buffer.from(jwk.n, "base64url").length < 256)) {
      ctx.addIssue({ code: "custom", path: ["n"], message: "RSA keys must be at least 2048 bits" });
    }
  });

const jwksUrlSchema = z.string().refine(isHttpsOrLoopback, "must be an https URL (http only for localhost/127.0.0.1)");
const webhookUrlSchema = z
  .string()
  .refine(isHttpsOrLoopback, "must be an https URL (http only for localhost/127.0.0.1)");

const algorithmSchema = z.enum([...hmacAlgorithms, ...asymmetricAlgorithms], {
  error: (issue) =>
    issue.input === "none"
      ? '"none" is never accepted'
      : `must be one of ${[...hmacAlgorithms, ...asymmetricAlgorithms].join(", ")}`,
});

const hostEntrySchema = z
  .strictObject({
    id: z.string().regex(/^[\x21-\x7E]{1,255}$/, "must be 1-255 visible ASCII characters (it is the tokens' iss)"),
    origins: z.array(originSchema).min(1, "must list at least one origin"),
    jwk: jwkSchema.optional(),
    jwksUrl: jwksUrlSchema.optional(),
    secret: secretSchema.optional(),
    algorithms: z.array(algorithmSchema).min(1, "must list at least one algorithm"),
    audience: z.string().min(1).max(255).optional(),
    /** Where Tsunagu POSTs signed webhooks (README "Webhooks"); with `webhookSecret`, the HMAC key as base64url. */
    webhookUrl: webhookUrlSchema.optional(),
    webhookSecret: secretSchema.optional(),
  })
  .superRefine((entry, ctx) => {
    const sources = (["jwk", "jwksUrl", "secret"] as const).filter((source) => entry[source] !== undefined);
    if (sources.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message:
          `must have exactly one of jwk, jwksUrl, secret (found ` +
          `${sources.length === 0 ? "none" : sources.join(", ")})`,
      });
      return;
    }
    // Key confusion defence: an HMAC algorithm only with a secret, a public-key algorithm only with a public key.
    entry.algorithms.forEach((alg, index) => {
      if (entry.secret !== undefined && !isHmac(alg))
        ctx.addIssue({
          code: "custom",
          path: ["algorithms", index],
          message: `${alg} needs a public key; a secret allows only ${hmacAlgorithms.join(", ")}`,
        });
      if (entry.secret === undefined && isHmac(alg))
        ctx.addIssue({
          code: "custom",
          path: ["algorithms", index],
          message: `${alg} needs a secret; a public key allows only asymmetric algorithms`,
        });
    });
    if (new Set(entry.algorithms).size !== entry.algorithms.length)
      ctx.addIssue({ code: "custom", path: ["algorithms"], message: "lists an algorithm twice" });
    if ((entry.webhookUrl === undefined) !== (entry.webhookSecret === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [entry.webhookUrl === undefined ? "webhookUrl" : "webhookSecret"],
        message: "webhookUrl and webhookSecret go together",
      });
    }
  });

/** One entry exactly as it is written in the hosts file. */
export type HostEntry = z.infer<typeof hostEntrySchema>;

const hostsFileSchema = z.array(hostEntrySchema, "must be a JSON array of hosts").superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.id))
      ctx.addIssue({ code: "custom", path: [index, "id"], message: `"${entry.id}" is registered twice` });
    seen.add(entry.id);
  });
});

export class HostsFileError extends Error {
  override name = "HostsFileError";
  constructor(
    readonly file: string,
    readonly problems: string[],
    options: { cause?: unknown } = {},
  ) {
    super(`hosts file ${file}: ${problems.join("; ")}`, options);
  }
}

/**
 * Parses and validates the text of a hosts file, including importing every
 * inline JWK for each of its algorithms. Throws HostsFileError listing every
 * problem as `hosts[index] (id "…").field: message`.
 */
export async function parseHostsFile(text: string, file: string): Promise<HostEntry[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new HostsFileError(file, [`is not valid JSON (${(error as Error).message})`], { cause: error });
  }
  const parsed = hostsFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new HostsFileError(
      file,
      parsed.error.issues.map((issue) => describeIssue(raw, issue.path, issue.message)),
    );
  const problems: string[] = [];
  for (const [index, entry] of parsed.data.entries()) {
    if (!entry.jwk) continue;
    for (const alg of entry.algorithms) {
      await importJWK(entry.jwk as JWK, alg).catch((error: unknown) => {
        problems.push(describeIssue(raw, [index, "jwk"], `cannot be used with ${alg}: ${(error as Error).message}`));
      });
    }
  }
  if (problems.length > 0) throw new HostsFileError(file, problems);
  return parsed.data;
}

/** A host ready to verify tokens. Its key material stays inside `getKey`, so logging a host never leaks a secret. */
export interface RegisteredHost {
  id: string;
  origins: readonly string[];
  algorithms: readonly HostAlgorithm[];
  audience: string;
  keySource: "secret" | "jwk" | "jwksUrl";
  /** Passed to jose's jwtVerify; for a JWKS host the token's `kid` selects the key. */
  getKey: JWTVerifyGetKey;
  /** Where the host takes webhooks; `hmacHex` signs with its webhook secret, which stays inside it. */
  webhook?: { url: string; hmacHex(message: string): string } | undefined;
}

export interface HostRegistry {
  get(id: string): RegisteredHost | undefined;
  all(): readonly RegisteredHost[];
  /** True when any host registers this exact origin (CORS preflights carry no token). */
  isAllowedOrigin(origin: string): boolean;
  /** Re-reads the file; on any error the previous hosts stay in force. */
  reload(): Promise<void>;
}

/** The host's key server did not answer usably: not the token's fault, so not a 401. */
export class HostKeysUnavailableError extends Error {
  override name = "HostKeysUnavailableError";
  constructor(
    readonly hostId: string,
    options: { cause?: unknown },
  ) {
    super(`the JWKS of host "${hostId}" could not be fetched`, options);
  }
}

export interface HostRegistryOptions {
  logger: Logger;
  /** Replaces global fetch for JWKS downloads (tests). */
  fetch?: FetchImplementation;
  jwks?: { timeoutMs?: number; cooldownMs?: number; cacheMaxAgeMs?: number };
}

export async function loadHostRegistry(file: string, options: HostRegistryOptions): Promise<HostRegistry> {
  // JWKS resolvers survive a reload when their URL is unchanged, so their key cache and cooldown do too.
  const remoteSets = new Map<string, JWTVerifyGetKey>();
  let hosts = new Map<string, RegisteredHost>();
  let origins = new Set<string>();

  const load = async () => {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new HostsFileError(
        file,
        [`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`],
        { cause: error },
      );
    }
    const entries = await parseHostsFile(text, file);
    const next = new Map<string, RegisteredHost>();
    for (const entry of entries) next.set(entry.id, await registerHost(entry, remoteSets, options));
    hosts = next;
    for (const cacheKey of remoteSets.keys())
      if (!entries.some((entry) => `${entry.id} ${entry.jwksUrl}` === cacheKey)) remoteSets.delete(cacheKey);
    origins = new Set(entries.flatMap((entry) => entry.origins));
    if (next.size === 0) options.logger.warn("the host registry is empty: every host token will be refused", { file });
  };
  await load();

  return {
    get: (id) => hosts.get(id),
    all: () => [...hosts.values()],
    isAllowedOrigin: (origin) => origins.has(origin),
    reload: load,
  };
}

async function registerHost(
  entry: HostEntry,
  remoteSets: Map<string, JWTVerifyGetKey>,
  options: HostRegistryOptions,
): Promise<RegisteredHost> {
  const base = {
    id: entry.id,
    origins: [...entry.origins],
    algorithms: [...entry.algorithms],
    audience: entry.audience ?? defaultAudience,
    webhook: webhookOf(entry),
  };
  // Keys are prepared once here, per algorithm, and replaced only by the next load (SIGHUP):
  // handing jose raw secret bytes made it import a new key on every request.
  if (entry.secret !== undefined) {
    const secret = new Uint8Array(Buffer.from(entry.secret, "base64url"));
    const keys = new Map<string, webcrypto.CryptoKey>();
    for (const alg of entry.algorithms)
      keys.set(
        alg,
        await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: `SHA-${alg.slice(2)}` }, false, ["verify"]),
      );
    return { ...base, keySource: "secret", getKey: keyPerAlgorithm(entry.id, keys) };
  }
  if (entry.jwk !== undefined) {
    // An inline JWK is the host's only key: `kid` plays no part in choosing it.
    const keys = new Map<string, Awaited<ReturnType<typeof importJWK>>>();
    for (const alg of entry.algorithms) keys.set(alg, await importJWK(entry.jwk as JWK, alg));
    return { ...base, keySource: "jwk", getKey: keyPerAlgorithm(entry.id, keys) };
  }
  const url = entry.jwksUrl as string;
  const cacheKey = `${entry.id} ${url}`;
  let getKey = remoteSets.get(cacheKey);
  if (!getKey) {
    getKey = remoteKeyResolver(entry.id, url, options);
    remoteSets.set(cacheKey, getKey);
  }
  return { ...base, keySource: "jwksUrl", getKey };
}

/** The key prepared for the token's (already allowed) algorithm. */
function keyPerAlgorithm(
  hostId: string,
  keys: ReadonlyMap<string, Awaited<ReturnType<typeof importJWK>>>,
): JWTVerifyGetKey {
  return (header) => {
    const key = keys.get(header.alg);
    if (!key) throw new errors.JOSEAlgNotAllowed(`"alg" ${header.alg} is not allowed for host ${hostId}`);
    return key;
  };
}

function remoteKeyResolver(hostId: string, url: string, options: HostRegistryOptions): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(url), {
    timeoutDuration: options.jwks?.timeoutMs ?? 5_000,
    // An unknown kid may trigger a refetch at most once a minute: a flood of made-up kids cannot hammer the portal.
    cooldownDuration: options.jwks?.cooldownMs ?? 60_000,
    cacheMaxAge: options.jwks?.cacheMaxAgeMs ?? 10 * 60_000,
    ...(options.fetch ? { [customFetch]: options.fetch } : {}),
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      // "No such key" and "unsupported alg" are about the token; anything else is the key server failing.
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys ||
        error instanceof errors.JOSENotSupported
      )
        throw error;
      options.logger.warn("fetching a host's JWKS failed", { host: hostId, url, error });
      throw new HostKeysUnavailableError(hostId, { cause: error });
    }
  };
}

/**
 * Makes sure every registered host has its row (organisations reference it).
 * Hosts removed from the file keep their rows and data: removing a host stops
 * its tokens, while deleting its organisations must be a deliberate act.
 */
export async function syncHostsToDatabase(db: DB, registry: HostRegistry, clock: Clock): Promise<void> {
  const now = isoNow(clock);
  for (const host of registry.all()) {
    await db
      .insertInto("hosts")
      .values({ id: host.id, created_at: now, updated_at: now })
      .onConflict((conflict) => conflict.column("id").doUpdateSet({ updated_at: now }))
      .execute();
  }
}

function isExactOrigin(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}

function suggestOrigin(value: unknown): string {
  try {
    const { origin } = new URL(String(value));
    return origin.startsWith("http") ? ` (did you mean "${origin}"?)` : "";
  } catch {
    return "";
  }
}

function webhookOf(entry: HostEntry): RegisteredHost["webhook"] {
  if (entry.webhookUrl === undefined || entry.webhookSecret === undefined) return undefined;
  const key = Buffer.from(entry.webhookSecret, "base64url");
  return {
    url: entry.webhookUrl,
    hmacHex: (message) => createHmac("sha256", key).update(message, "utf8").digest("hex"),
  };
}

function isHttpsOrLoopback(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || (url.protocol === "http:" && loopbackHosts.has(url.hostname));
  } catch {
    return false;
  }
}

function describeIssue(raw: unknown, path: readonly PropertyKey[], message: string): string {
  if (path.length === 0) return message;
  const [index, ...rest] = path;
  const entry =
    Array.isArray(raw) && typeof index === "number" ? (raw[index] as { id?: unknown } | undefined) : undefined;
  const label = typeof entry?.id === "string" ? ` (id "${entry.id.slice(0, 80)}")` : "";
  const field = rest.map((part) => (typeof part === "number" ? `[${part}]` : `.${String(part)}`)).join("");
  return `hosts[${String(index)}]${label}${field}: ${message}`;
}
