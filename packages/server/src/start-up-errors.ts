/**
 * What stops a start, told as one line the operator can act on: which database the settings named (SQLite's
 * directory, or PostgreSQL's host and database, never the URL's user or password) and what to change. The driver's
 * own words ("password authentication failed for user …", "connect ECONNREFUSED …") named neither the variable nor
 * the remedy, and a database sealed under another encryption key (the demo's, which `pnpm demo` keeps in the same
 * default `./.data` as `pnpm start`) read as a fault of the signing key.
 */
import { type Config, ConfigError } from "./config.ts";
import { isDatabaseUnavailable } from "./store/availability.ts";
import { VaultError } from "./vault/vault.ts";

/** A start that cannot go on although no setting is wrong as such (exit code 1; a wrong setting exits 2). */
export class StartUpError extends Error {
  override name = "StartUpError";
}

/** https://www.postgresql.org/docs/current/errcodes-appendix.html */
const refusedLogin = new Set(["28P01", "28000"]); // invalid_password, invalid_authorization_specification
const unknownDatabase = "3D000"; // invalid_catalog_name

/** The database the settings name, as the operator wrote it there, without credentials. */
function configuredDatabase(config: Pick<Config, "databaseUrl" | "dataDir">): string {
  if (!config.databaseUrl) return `the SQLite database in ${config.dataDir} (TSUNAGU_DATA_DIR)`;
  const url = new URL(config.databaseUrl);
  const name = databaseName(url);
  return `the PostgreSQL database ${name ? `"${name}" ` : ""}on ${url.host} (DATABASE_URL)`;
}

/** The URL's database name as PostgreSQL reads it (percent-decoded when it decodes). */
function databaseName(url: URL): string {
  const raw = url.pathname.replace(/^\//, "");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * A failure to open or migrate PostgreSQL at start-up, said with what to do; `undefined` for any other error. The
 * URL was parsed before (a malformed one is refused by then), so naming its host and database cannot throw.
 */
export function databaseStartUpError(error: unknown, config: Config): Error | undefined {
  if (!config.databaseUrl) return undefined;
  const code = (error as { code?: unknown } | null)?.code;
  const url = new URL(config.databaseUrl);
  if (typeof code === "string" && refusedLogin.has(code)) {
    const said = error instanceof Error ? ` (${error.message})` : "";
    return new ConfigError(
      "DATABASE_URL",
      `PostgreSQL on ${url.host} refused its user and password${said}: correct them in DATABASE_URL`,
    );
  }
  if (code === unknownDatabase)
    return new ConfigError(
      "DATABASE_URL",
      `PostgreSQL on ${url.host} has no database "${databaseName(url)}": create it (createdb), or name an existing one`,
    );
  if (isDatabaseUnavailable(error)) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const said = cause instanceof Error ? cause.message : String(cause);
    return new StartUpError(
      `cannot reach PostgreSQL on ${url.host} (DATABASE_URL): ${said}; start it, or correct the host and port in ` +
        "DATABASE_URL",
    );
  }
  return undefined;
}

/**
 * The server signing key (the first secret the server opens at start-up) sealed under a key the settings lack:
 * the database was made with other encryption keys, `undefined` for any other error.
 */
export function foreignKeyStartUpError(error: unknown, config: Config): ConfigError | undefined {
  const vault = error instanceof Error && error.cause instanceof VaultError ? error.cause : undefined;
  if (!vault?.keyId) return undefined;
  const lacking =
    vault.code === "vault_unknown_key" ? "which is not in it" : "which it holds with other bytes under that id";
  const database = config.databaseUrl ? "DATABASE_URL" : "TSUNAGU_DATA_DIR";
  return new ConfigError(
    "TSUNAGU_ENCRYPTION_KEYS",
    `${configuredDatabase(config)} was sealed with encryption key "${vault.keyId}", ${lacking}: add that key to it, ` +
      `or point ${database} at a database of this server's own (\`pnpm demo\` keeps its database, sealed with the ` +
      `demo's key, in the repository's .data)`,
  );
}
