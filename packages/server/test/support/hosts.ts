/**
 * Test helpers for host tokens: keys, hosts files, signed (and deliberately
 * broken) tokens, a JWKS served over real HTTP on 127.0.0.1, and a movable
 * clock. The app itself is built by ./test-app.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CryptoKey, type JWK, type JWTPayload, SignJWT, exportJWK, generateKeyPair } from "jose";
import type { Clock } from "../../src/clock.ts";

export const testAudience = "tsunagu";

export interface MovableClock extends Clock {
  advance(seconds: number): void;
}

export function movableClock(start = "2026-03-02T01:00:00.000Z"): MovableClock {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance: (seconds) => {
      current += seconds * 1000;
    },
  };
}

export const epochSeconds = (clock: Clock) => Math.floor(clock.now().getTime() / 1000);

/** base64url of 32 random bytes, as a hosts file holds it. */
export function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
}

export interface SigningKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey | Uint8Array;
  publicJwk: JWK;
}

export async function generateSigningKey(
  alg: "ES256" | "RS256" | "PS256" | "EdDSA",
  kid = `${alg.toLowerCase()}-${crypto.randomUUID().slice(0, 8)}`,
): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

export function secretKey(secret: string, alg = "HS256"): SigningKey {
  return { alg, kid: "", privateKey: new Uint8Array(Buffer.from(secret, "base64url")), publicJwk: {} };
}

export interface HostsFile {
  file: string;
  write(entries: unknown): void;
  cleanup(): void;
}

export function temporaryHostsFile(entries?: unknown): HostsFile {
  const dir = mkdtempSync(join(tmpdir(), "tsunagu-hosts-"));
  const file = join(dir, "hosts.json");
  const write = (value: unknown) =>
    writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  if (entries !== undefined) write(entries);
  return { file, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `run` with `hostId` removed from an app's hosts file and the registry reloaded (as an operator's edit and
 * SIGHUP do), then puts the file back as it was and reloads again.
 */
export async function withHostRemoved<T>(
  app: { hostsFile: HostsFile; hosts: { reload(): Promise<unknown> } },
  hostId: string,
  run: () => Promise<T>,
): Promise<T> {
  const before = readFileSync(app.hostsFile.file, "utf8");
  app.hostsFile.write((JSON.parse(before) as Array<{ id: string }>).filter((entry) => entry.id !== hostId));
  await app.hosts.reload();
  try {
    return await run();
  } finally {
    app.hostsFile.write(before);
    await app.hosts.reload();
  }
}

/** Claims a well-behaved portal would send, issued "now" on the given clock for 15 minutes. */
export function portalClaims(clock: Clock, iss: string, overrides: Record<string, unknown> = {}): JWTPayload {
  const now = epochSeconds(clock);
  return {
    iss,
    aud: testAudience,
    sub: "user-42",
    org: "acme",
    role: "recruiter",
    email: "ken.tanaka@acme.example",
    name: "田中 健",
    locale: "ja",
    tz: "Asia/Tokyo",
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + 15 * 60,
    ...overrides,
  };
}

/** Signs exactly the claims given (undefined values are dropped), with the key's alg and kid unless the header
 * overrides them. */
export async function signToken(
  key: SigningKey,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload = Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
  const protectedHeader = { alg: key.alg, typ: "JWT", ...(key.kid ? { kid: key.kid } : {}), ...header };
  const cleanHeader = Object.fromEntries(Object.entries(protectedHeader).filter(([, value]) => value !== undefined));
  return new SignJWT(payload).setProtectedHeader(cleanHeader as { alg: string }).sign(key.privateKey);
}

/** A token assembled by hand: for `alg: none` and other things a signing library refuses to produce. */
export function handMadeToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  signature = "",
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode(header)}.${encode(payload)}.${signature}`;
}

export interface JwksServer {
  url: string;
  /** Paths of every request the server received, query included. */
  requests: string[];
  setKeys(keys: JWK[]): void;
  /** Answer every request with this status instead of the key set. */
  failWith(status: number | undefined): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: JWK[], path = "/.well-known/jwks.json"): Promise<JwksServer> {
  let current = keys;
  let failure: number | undefined;
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? "");
    if (failure !== undefined) return void response.writeHead(failure).end("failure");
    if (request.url !== path) return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "application/jwk-set+json" }).end(JSON.stringify({ keys: current }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    setKeys: (next) => {
      current = next;
    },
    failWith: (status) => {
      failure = status;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Calls the app with a bearer token (and optional origin). */
export function requestWithToken(
  app: { request(path: string, init: RequestInit): Response | Promise<Response> },
  path: string,
  token: string | undefined,
  init: { method?: string; origin?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  if (init.origin !== undefined) headers.Origin = init.origin;
  return app.request(path, { method: init.method ?? "GET", headers });
}
