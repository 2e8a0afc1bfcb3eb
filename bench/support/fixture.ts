/**
 * What the throughput benches share: two hosts (one HS256 with a secret, one
 * ES256 with a public JWK), a token for each signed "now" on the real clock,
 * and the real app over a fresh SQLite database with a logger that builds
 * every request line as production does (written nowhere).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CryptoKey, SignJWT, exportJWK, generateKeyPair } from "jose";
import { createApp } from "../../packages/server/src/app.ts";
import { loadHostRegistry, syncHostsToDatabase } from "../../packages/server/src/auth/host-registry.ts";
import { systemClock } from "../../packages/server/src/clock.ts";
import { createLogger } from "../../packages/server/src/log.ts";
import { migrateToLatest, openDatabase } from "../../packages/server/src/store/database.ts";

export const audience = "tsunagu";

export interface BenchKeys {
  hostsEntries: unknown[];
  /** Raw HS256 secret and ES256 public key, for the bare jwtVerify baselines. */
  hmacSecret: Uint8Array;
  es256PublicKey: CryptoKey;
  tokens: { HS256: string; ES256: string };
  /** `count` more tokens of the same caller, each with its own jti: never seen by the server before. */
  freshTokens(alg: "HS256" | "ES256", count: number): Promise<string[]>;
  /** One token for each of `count` different users of the same organisation (sub user-0, user-1, …). */
  distinctCallerTokens(alg: "HS256" | "ES256", count: number): Promise<string[]>;
}

/** Keys, hosts-file entries and one 15-minute token per algorithm (claims as a portal sends them). */
export async function benchKeys(): Promise<BenchKeys> {
  const hmacSecret = crypto.getRandomValues(new Uint8Array(32));
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const now = Math.floor(Date.now() / 1000);
  const claims = (iss: string) => ({
    iss,
    aud: audience,
    sub: "user-42",
    org: "acme",
    role: "recruiter",
    email: "ken.tanaka@acme.example",
    name: "田中 健",
    locale: "ja",
    tz: "Asia/Tokyo",
    iat: now,
    exp: now + 15 * 60,
  });
  const sign = (alg: "HS256" | "ES256", extra: Record<string, unknown> = {}) =>
    new SignJWT({ ...claims(alg === "HS256" ? "bench-hs256" : "bench-es256"), ...extra })
      .setProtectedHeader({ alg, typ: "JWT" })
      .sign(alg === "HS256" ? hmacSecret : privateKey);
  return {
    hostsEntries: [
      {
        id: "bench-hs256",
        origins: ["https://portal.example"],
        secret: Buffer.from(hmacSecret).toString("base64url"),
        algorithms: ["HS256"],
      },
      {
        id: "bench-es256",
        origins: ["https://portal.example"],
        jwk: { ...(await exportJWK(publicKey)), use: "sig" },
        algorithms: ["ES256"],
      },
    ],
    hmacSecret,
    es256PublicKey: publicKey as CryptoKey,
    tokens: { HS256: await sign("HS256"), ES256: await sign("ES256") },
    freshTokens: (alg, count) =>
      Promise.all(Array.from({ length: count }, (_, index) => sign(alg, { jti: `bench-${index}` }))),
    distinctCallerTokens: (alg, count) =>
      Promise.all(
        Array.from({ length: count }, (_, index) =>
          sign(alg, { sub: `user-${index}`, email: `user-${index}@acme.example` }),
        ),
      ),
  };
}

/** A temporary directory holding hosts.json (and the SQLite file when asked). */
export function benchDirectory(hostsEntries: unknown[]): { dir: string; hostsFile: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "tsunagu-bench-"));
  const hostsFile = join(dir, "hosts.json");
  writeFileSync(hostsFile, JSON.stringify(hostsEntries));
  return { dir, hostsFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The real app on SQLite, wired as main.ts wires it (info-level log lines built, then dropped). */
export async function inProcessApp(
  keys: BenchKeys,
): Promise<{ app: ReturnType<typeof createApp>; close(): Promise<void> }> {
  const files = benchDirectory(keys.hostsEntries);
  const logger = createLogger({ level: "info", write: () => undefined });
  const db = openDatabase({ sqliteFile: join(files.dir, "bench.sqlite") });
  await migrateToLatest(db);
  const hosts = await loadHostRegistry(files.hostsFile, { logger });
  await syncHostsToDatabase(db, hosts, systemClock);
  const app = createApp({
    config: { publicUrl: "http://localhost:8787" },
    db,
    clock: systemClock,
    logger,
    hosts,
    // GET /v1/me and GET /v1/accounts never reach the vault or a provider.
    vault: {} as never,
    providers: {} as never,
    linkAdapters: {},
  });
  return {
    app,
    async close() {
      await db.destroy();
      files.cleanup();
    },
  };
}
