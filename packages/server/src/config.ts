/**
 * The one module that reads the environment. Everything else receives a
 * validated `Config`. A bad variable stops the process with a message naming it.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { type ProviderEndpointOverrides, productionEndpoints } from "./providers/settings.ts";

export type { ProviderEndpointOverrides };

export interface EncryptionKey {
  id: string;
  key: Uint8Array;
}

export interface ProviderCredentials {
  clientId: string;
  clientSecret: string;
}

export interface Config {
  port: number;
  /** Where the server is reachable from browsers; OAuth redirect URIs are built on it. */
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  hostsFile: string;
  encryptionKeys: EncryptionKey[];
  sandbox: {
    enabled: boolean;
    basePort: number;
    /** TSUNAGU_SANDBOX_STATE: the file the fakes keep their state in across restarts; in memory only when unset. */
    stateFile: string | undefined;
  };
  logLevel: LogLevel;
  providers: {
    google: ProviderCredentials | undefined;
    microsoft: ProviderCredentials | undefined;
    zoom:
      | (ProviderCredentials & { webhookSecret: string | undefined; adminApp: ProviderCredentials | undefined })
      | undefined;
    slack: (ProviderCredentials & { signingSecret: string | undefined }) | undefined;
  };
  /** TSUNAGU_PROVIDER_ENDPOINTS: endpoints that replace the production ones, per provider (a proxy, a regional host).
   * */
  providerEndpoints: ProviderEndpointOverrides;
  /** TSUNAGU_BENCH_ROUTES=1: mounts the throughput bench's baseline routes (src/routes/bench.ts). Off in production. */
  benchRoutes: boolean;
  /** TSUNAGU_ELEMENTS_DIR: the widgets' one-file build (`packages/widgets/dist/browser`), served under /elements/. */
  elementsDir: string | undefined;
  /** TSUNAGU_INTERVIEW_LEASE_SECONDS: how long an interview's saga lease lasts unrenewed (a crashed process's
   * interview is recovered once it lapses); interviews/service.ts's default when unset. */
  interviewLeaseSeconds: number | undefined;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

export class ConfigError extends Error {
  override name = "ConfigError";
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads `process.env`. The only place in the server that does. */
export function loadConfigFromEnvironment(): Config {
  const config = parseConfig(process.env);
  // A mistyped or unbuilt TSUNAGU_ELEMENTS_DIR would otherwise answer every /elements/ request 404 without a word.
  if (config.elementsDir && !statSync(config.elementsDir, { throwIfNoEntry: false })?.isDirectory())
    throw new ConfigError(
      "TSUNAGU_ELEMENTS_DIR",
      `${config.elementsDir} is not a directory (the elements are in node_modules/@tsunagu/widgets/dist/browser ` +
        "where @tsunagu/widgets is installed from npm, in packages/widgets/dist/browser once `pnpm build` ran in " +
        "this repository)",
    );
  return config;
}

export function parseConfig(env: Env): Config {
  const port = parsePort(env, "PORT", 8787);
  const publicUrl = parseUrl(env, "TSUNAGU_PUBLIC_URL") ?? `http://localhost:${port}`;
  const hostsFile = env.TSUNAGU_HOSTS_FILE?.trim();
  if (!hostsFile)
    throw new ConfigError(
      "TSUNAGU_HOSTS_FILE",
      "is required: the path of the JSON host registry (see README, 'Hosts')",
    );
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError("DATABASE_URL", "must be a postgres:// or postgresql:// URL");
  }
  // A # ends a URL: in an unencoded password it left the rest for a host name (pg then tried to resolve a piece of
  // the password, and logged it in the error).
  if (databaseUrl?.includes("#"))
    throw new ConfigError("DATABASE_URL", "contains a #, which ends a URL: percent-encode it (%23) in the password");
  const providers = {
    google: parseCredentials(env, "GOOGLE"),
    microsoft: parseCredentials(env, "MICROSOFT"),
    zoom: withExtra(parseCredentials(env, "ZOOM"), {
      webhookSecret: env.TSUNAGU_ZOOM_WEBHOOK_SECRET || undefined,
      adminApp: parseCredentials(env, "ZOOM_ADMIN"),
    }),
    slack: withExtra(parseCredentials(env, "SLACK"), { signingSecret: env.TSUNAGU_SLACK_SIGNING_SECRET || undefined }),
  };
  return {
    port,
    publicUrl: publicUrl.replace(/\/$/, ""),
    dataDir: pathFrom(env, env.TSUNAGU_DATA_DIR?.trim() || "./.data"),
    databaseUrl,
    hostsFile: pathFrom(env, hostsFile),
    encryptionKeys: parseEncryptionKeys(env.TSUNAGU_ENCRYPTION_KEYS),
    sandbox: {
      enabled: parseFlag(env, "TSUNAGU_SANDBOX"),
      basePort: parsePort(env, "TSUNAGU_SANDBOX_PORT", port + 1, { allowZero: true }),
      stateFile: env.TSUNAGU_SANDBOX_STATE?.trim() ? pathFrom(env, env.TSUNAGU_SANDBOX_STATE.trim()) : undefined,
    },
    logLevel: parseLogLevel(env),
    providers,
    providerEndpoints: parseProviderEndpoints(env.TSUNAGU_PROVIDER_ENDPOINTS, providers),
    benchRoutes: parseFlag(env, "TSUNAGU_BENCH_ROUTES"),
    elementsDir: env.TSUNAGU_ELEMENTS_DIR?.trim() ? pathFrom(env, env.TSUNAGU_ELEMENTS_DIR.trim()) : undefined,
    interviewLeaseSeconds: parseSeconds(env, "TSUNAGU_INTERVIEW_LEASE_SECONDS"),
  };
}

/**
 * A path from the environment, a relative one taken from the directory the command was typed in: `pnpm start` and
 * `pnpm tsunagu` run in packages/server, and pnpm (as npm) names the directory it was started in as INIT_CWD.
 * Without it (`node dist/main.js`), the working directory.
 */
function pathFrom(env: Env, path: string): string {
  return resolve(env.INIT_CWD?.trim() || process.cwd(), path);
}

function parseSeconds(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const value = wholeNumber(raw);
  if (!Number.isInteger(value) || value < 1 || value > 3600)
    throw new ConfigError(name, `must be a whole number of seconds (1-3600), got "${raw}"`);
  return value;
}

/**
 * `{"zoom":{"tokenUrl":"https://…"}, …}`: each named endpoint replaces the
 * production one of that provider (settings.ts lists them). Unknown providers
 * or endpoint names, non-http(s) URLs, and providers without credentials are refused.
 */
export function parseProviderEndpoints(
  raw: string | undefined,
  configured: Record<keyof ProviderEndpointOverrides, unknown>,
): ProviderEndpointOverrides {
  const name = "TSUNAGU_PROVIDER_ENDPOINTS";
  if (!raw?.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, 'must be JSON such as {"zoom":{"tokenUrl":"https://…"}}');
  }
  if (!isPlainObject(value)) throw new ConfigError(name, "must be a JSON object keyed by provider");
  const overrides: Record<string, Record<string, string>> = {};
  for (const [provider, endpoints] of Object.entries(value)) {
    if (!Object.hasOwn(productionEndpoints, provider))
      throw new ConfigError(
        name,
        `unknown provider "${provider}" (one of ${Object.keys(productionEndpoints).join(", ")})`,
      );
    const known = Object.keys(productionEndpoints[provider as keyof typeof productionEndpoints]);
    if (!isPlainObject(endpoints))
      throw new ConfigError(name, `${provider} must be an object of endpoint URLs (${known.join(", ")})`);
    if (!configured[provider as keyof ProviderEndpointOverrides])
      throw new ConfigError(
        name,
        `names ${provider}, but ${provider} has no TSUNAGU_${provider.toUpperCase()}_CLIENT_ID / _SECRET`,
      );
    overrides[provider] = {};
    for (const [endpoint, url] of Object.entries(endpoints)) {
      if (!known.includes(endpoint))
        throw new ConfigError(name, `${provider} has no endpoint "${endpoint}" (one of ${known.join(", ")})`);
      if (typeof url !== "string" || !isHttpUrl(url))
        throw new ConfigError(name, `${provider}.${endpoint} must be an http(s) URL`);
      overrides[provider][endpoint] = url;
    }
  }
  return overrides as ProviderEndpointOverrides;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** `keyId:base64url(32 bytes)`, comma-separated; the first encrypts, all decrypt. */
export function parseEncryptionKeys(raw: string | undefined): EncryptionKey[] {
  const name = "TSUNAGU_ENCRYPTION_KEYS";
  if (!raw?.trim()) {
    throw new ConfigError(
      name,
      "is required: comma-separated keyId:base64url(32 bytes); create one with `tsunagu keys generate`",
    );
  }
  // What to do, after what is wrong: an entry made by hand (openssl's base64 or hex, a bare key) is the usual cause.
  const remedy = "; make an entry with `tsunagu keys generate`";
  const seen = new Set<string>();
  return raw.split(",").map((entry, index) => {
    const [id, encoded, ...rest] = entry.trim().split(":");
    if (!id || !encoded || rest.length > 0 || !/^[A-Za-z0-9._-]{1,64}$/.test(id)) {
      throw new ConfigError(name, `entry ${index + 1} is not keyId:base64url(32 bytes)${remedy}`);
    }
    if (seen.has(id)) throw new ConfigError(name, `key id "${id}" appears twice`);
    seen.add(id);
    if (!/^[A-Za-z0-9_-]+$/.test(encoded))
      throw new ConfigError(name, `key "${id}" is not base64url (no +, / or = padding)${remedy}`);
    const key = new Uint8Array(Buffer.from(encoded, "base64url"));
    if (key.length !== 32)
      throw new ConfigError(name, `key "${id}" decodes to ${key.length} bytes; 32 are required${remedy}`);
    return { id, key };
  });
}

function parsePort(env: Env, name: string, fallback: number, options: { allowZero?: boolean } = {}): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = wholeNumber(raw);
  const min = options.allowZero ? 0 : 1;
  if (!Number.isInteger(value) || value < min || value > 65535) {
    throw new ConfigError(name, `must be a port number (${min}-65535), got "${raw}"`);
  }
  return value;
}

/** Decimal digits only: `Number` also reads "0x10" as 16, "1e3" as 1000 and "0b1" as 1, which no one means. */
function wholeNumber(raw: string): number {
  return /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
}

function parseUrl(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("protocol");
    return url.origin + url.pathname;
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
}

function parseFlag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new ConfigError(name, `must be 1 or 0, got "${raw}"`);
}

function parseLogLevel(env: Env): LogLevel {
  const raw = env.TSUNAGU_LOG_LEVEL?.trim() || "info";
  const levels: LogLevel[] = ["debug", "info", "warn", "error", "silent"];
  if (!levels.includes(raw as LogLevel))
    throw new ConfigError("TSUNAGU_LOG_LEVEL", `must be one of ${levels.join(", ")}`);
  return raw as LogLevel;
}

function parseCredentials(env: Env, provider: string): ProviderCredentials | undefined {
  const idName = `TSUNAGU_${provider}_CLIENT_ID`;
  const secretName = `TSUNAGU_${provider}_CLIENT_SECRET`;
  const clientId = env[idName]?.trim();
  const clientSecret = env[secretName]?.trim();
  if (!clientId && !clientSecret) return undefined;
  if (!clientId) throw new ConfigError(idName, `is required when ${secretName} is set`);
  if (!clientSecret) throw new ConfigError(secretName, `is required when ${idName} is set`);
  return { clientId, clientSecret };
}

function withExtra<T extends object>(
  credentials: ProviderCredentials | undefined,
  extra: T,
): (ProviderCredentials & T) | undefined {
  return credentials && { ...credentials, ...extra };
}

/** The host registry path alone: the hosts CLI needs nothing else. Reads `process.env`. */
export function loadHostsFileFromEnvironment(): string {
  const hostsFile = process.env.TSUNAGU_HOSTS_FILE?.trim();
  if (!hostsFile)
    throw new ConfigError(
      "TSUNAGU_HOSTS_FILE",
      "is required: the path of the JSON host registry, e.g. TSUNAGU_HOSTS_FILE=./hosts.json (`hosts add` makes it)",
    );
  return pathFrom(process.env, hostsFile);
}
