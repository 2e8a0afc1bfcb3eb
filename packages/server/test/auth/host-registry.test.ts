import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { HostsFileError, loadHostRegistry, syncHostsToDatabase } from "../../src/auth/host-registry.ts";
import { silentLogger } from "../../src/log.ts";
import { type TestDatabase, createTestDatabase } from "../support/database.ts";
import {
  type HostsFile,
  generateSigningKey,
  movableClock,
  randomSecret,
  temporaryHostsFile,
} from "../support/hosts.ts";

// Top-level: the it.each tables below are built when the file is collected, before any hook runs.
const es = await generateSigningKey("ES256", "es-1");
const rs = await generateSigningKey("RS256", "rs-1");
const files: HostsFile[] = [];
afterEach(() => {
  for (const file of files.splice(0)) file.cleanup();
});

function hostsFile(entries: unknown): HostsFile {
  const file = temporaryHostsFile(entries);
  files.push(file);
  return file;
}

const secretHost = (overrides: Record<string, unknown> = {}) => ({
  id: "hr-portal",
  origins: ["https://hr.example.com"],
  secret: randomSecret(),
  algorithms: ["HS256"],
  ...overrides,
});

async function loadError(entries: unknown): Promise<HostsFileError> {
  const error = await loadHostRegistry(hostsFile(entries).file, { logger: silentLogger }).catch(
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HostsFileError);
  return error as HostsFileError;
}

describe("loading the hosts file", () => {
  it("registers secret, inline-JWK and JWKS-URL hosts with their origins, algorithms and audience", async () => {
    const registry = await loadHostRegistry(
      hostsFile([
        secretHost(),
        {
          id: "es-portal",
          origins: ["https://saiyo.example.jp", "http://localhost:3000"],
          jwk: es.publicJwk,
          algorithms: ["ES256"],
          audience: "tsunagu-prod",
        },
        {
          id: "rs-portal",
          origins: ["https://rs.example.com"],
          jwksUrl: "https://rs.example.com/.well-known/jwks.json",
          algorithms: ["RS256", "PS256"],
        },
      ]).file,
      { logger: silentLogger },
    );
    expect(registry.all().map((host) => [host.id, host.keySource, host.algorithms, host.audience])).toEqual([
      ["hr-portal", "secret", ["HS256"], "tsunagu"],
      ["es-portal", "jwk", ["ES256"], "tsunagu-prod"],
      ["rs-portal", "jwksUrl", ["RS256", "PS256"], "tsunagu"],
    ]);
    expect(registry.get("es-portal")?.origins).toEqual(["https://saiyo.example.jp", "http://localhost:3000"]);
    expect(registry.get("nobody")).toBeUndefined();
    expect(registry.get("__proto__")).toBeUndefined();
    expect(registry.isAllowedOrigin("http://localhost:3000")).toBe(true);
    expect(registry.isAllowedOrigin("https://hr.example.com")).toBe(true);
    expect(registry.isAllowedOrigin("https://hr.example.com/")).toBe(false);
    expect(registry.isAllowedOrigin("http://hr.example.com")).toBe(false);
  });

  it("keeps key material out of anything that could be logged", async () => {
    const host = secretHost();
    const registry = await loadHostRegistry(hostsFile([host]).file, { logger: silentLogger });
    expect(JSON.stringify(registry.all())).not.toContain(host.secret);
  });

  it("accepts an empty registry", async () => {
    expect((await loadHostRegistry(hostsFile([]).file, { logger: silentLogger })).all()).toEqual([]);
  });

  it("names the file when it cannot be read", async () => {
    const error = await loadHostRegistry("/nonexistent/tsunagu/hosts.json", { logger: silentLogger }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HostsFileError);
    expect((error as Error).message).toBe("hosts file /nonexistent/tsunagu/hosts.json: cannot be read (ENOENT)");
  });
});

describe("refusing a bad hosts file, naming the entry and the field", () => {
  const privateJwk = () => ({ ...es.publicJwk, d: "c2VjcmV0" });
  it.each([
    ["not JSON", "{oops", /is not valid JSON/],
    ["not an array", { id: "x" }, /must be a JSON array of hosts/],
    [
      "a missing id",
      [{ origins: ["https://a.example"], secret: randomSecret(), algorithms: ["HS256"] }],
      /^hosts\[0\]\.id: /,
    ],
    [
      "an id with spaces",
      [secretHost({ id: "hr portal" })],
      /hosts\[0\] \(id "hr portal"\)\.id: must be 1-255 visible ASCII/,
    ],
    [
      "a duplicate id",
      [secretHost(), secretHost()],
      /hosts\[1\] \(id "hr-portal"\)\.id: "hr-portal" is registered twice/,
    ],
    ["an unknown field", [secretHost({ webhok: "x" })], /hosts\[0\] \(id "hr-portal"\): .*webhok/],
    ["no origins", [secretHost({ origins: [] })], /\.origins: must list at least one origin/],
    [
      "an origin with a path",
      [secretHost({ origins: ["https://hr.example.com/app"] })],
      /\.origins\[0\]: "https:\/\/hr\.example\.com\/app" must be an exact origin/,
    ],
    [
      "an origin with a trailing slash",
      [secretHost({ origins: ["https://hr.example.com/"] })],
      /\.origins\[0\]: .*exact origin.*\(did you mean "https:\/\/hr\.example\.com"\?\)/,
    ],
    [
      "an origin in upper case",
      [secretHost({ origins: ["https://HR.example.com"] })],
      /\.origins\[0\]: .*exact origin/,
    ],
    [
      "an origin with its default port",
      [secretHost({ origins: ["https://hr.example.com:443"] })],
      /\.origins\[0\]: .*exact origin/,
    ],
    ["a wildcard origin", [secretHost({ origins: ["*"] })], /\.origins\[0\]: .*exact origin/],
    ["a non-http origin", [secretHost({ origins: ["ftp://hr.example.com"] })], /\.origins\[0\]: .*exact origin/],
    [
      "no key",
      [{ id: "k", origins: ["https://a.example"], algorithms: ["HS256"] }],
      /exactly one of jwk, jwksUrl, secret \(found none\)/,
    ],
    [
      "two keys",
      [secretHost({ jwksUrl: "https://a.example/jwks" })],
      /exactly one of jwk, jwksUrl, secret \(found jwksUrl, secret\)/,
    ],
    [
      "a short secret",
      [secretHost({ secret: Buffer.alloc(31, 1).toString("base64url") })],
      /\.secret: must decode to at least 32 random bytes/,
    ],
    [
      "a padded or non-base64url secret",
      [secretHost({ secret: `${Buffer.alloc(33, 1).toString("base64")}=` })],
      /\.secret: must be base64url without padding/,
    ],
    [
      "a private JWK",
      [{ id: "es", origins: ["https://a.example"], jwk: privateJwk(), algorithms: ["ES256"] }],
      /\.jwk: must be a public JWK; remove the private member\(s\) d/,
    ],
    [
      "a symmetric JWK",
      [{ id: "oct", origins: ["https://a.example"], jwk: { kty: "oct", k: "c2VjcmV0" }, algorithms: ["ES256"] }],
      /\.jwk\.kty: .*symmetric key goes in "secret"/,
    ],
    [
      "an encryption JWK",
      [{ id: "enc", origins: ["https://a.example"], jwk: { ...es.publicJwk, use: "enc" }, algorithms: ["ES256"] }],
      /\.jwk\.use: must be "sig"/,
    ],
    ["alg none", [secretHost({ algorithms: ["none"] })], /\.algorithms\[0\]: "none" is never accepted/],
    ["an unknown algorithm", [secretHost({ algorithms: ["HS1"] })], /\.algorithms\[0\]: must be one of HS256/],
    ["no algorithms", [secretHost({ algorithms: [] })], /\.algorithms: must list at least one algorithm/],
    [
      "a repeated algorithm",
      [secretHost({ algorithms: ["HS256", "HS256"] })],
      /\.algorithms: lists an algorithm twice/,
    ],
    [
      "a public-key algorithm with a secret",
      [secretHost({ algorithms: ["HS256", "RS256"] })],
      /\.algorithms\[1\]: RS256 needs a public key/,
    ],
    [
      "HS256 with a public JWK",
      [{ id: "es", origins: ["https://a.example"], jwk: es.publicJwk, algorithms: ["HS256"] }],
      /\.algorithms\[0\]: HS256 needs a secret/,
    ],
    [
      "HS256 with a JWKS URL",
      [{ id: "j", origins: ["https://a.example"], jwksUrl: "https://a.example/jwks", algorithms: ["HS256"] }],
      /HS256 needs a secret/,
    ],
    [
      "a JWK that does not fit the algorithm",
      [{ id: "es", origins: ["https://a.example"], jwk: es.publicJwk, algorithms: ["RS256"] }],
      /hosts\[0\] \(id "es"\)\.jwk: cannot be used with RS256/,
    ],
    [
      "a plain-http JWKS URL",
      [{ id: "j", origins: ["https://a.example"], jwksUrl: "http://keys.example.com/jwks", algorithms: ["RS256"] }],
      /\.jwksUrl: must be an https URL/,
    ],
    ["an empty audience", [secretHost({ audience: "" })], /\.audience: /],
  ])("refuses %s", async (_label, entries, expected) => {
    const error = await loadError(entries);
    expect(error.problems.some((problem) => expected.test(problem))).toBe(true);
    expect(error.message).toContain(files.at(-1)?.file);
  });

  it("refuses an RSA key shorter than 2048 bits", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
    const error = await loadError([{ id: "rs", origins: ["https://a.example"], jwk: small, algorithms: ["RS256"] }]);
    expect(error.problems).toContain('hosts[0] (id "rs").jwk.n: RSA keys must be at least 2048 bits');
  });

  it("lists every problem at once", async () => {
    const error = await loadError([
      secretHost({ origins: ["https://a.example/x"] }),
      { id: "rs", origins: ["https://b.example"], jwk: rs.publicJwk, algorithms: ["none"] },
    ]);
    expect(error.problems).toHaveLength(2);
  });
});

describe("reloading", () => {
  it("applies a changed file and keeps the previous hosts when the new file is bad", async () => {
    const file = hostsFile([secretHost()]);
    const registry = await loadHostRegistry(file.file, { logger: silentLogger });
    file.write([
      secretHost(),
      { id: "es-portal", origins: ["https://saiyo.example.jp"], jwk: es.publicJwk, algorithms: ["ES256"] },
    ]);
    await registry.reload();
    expect(registry.all().map((host) => host.id)).toEqual(["hr-portal", "es-portal"]);
    expect(registry.isAllowedOrigin("https://saiyo.example.jp")).toBe(true);

    file.write([{ id: "broken", origins: ["nope"], secret: "short", algorithms: ["none"] }]);
    await expect(registry.reload()).rejects.toThrow(HostsFileError);
    expect(registry.all().map((host) => host.id)).toEqual(["hr-portal", "es-portal"]);

    file.write([secretHost()]);
    await registry.reload();
    expect(registry.get("es-portal")).toBeUndefined();
    expect(registry.isAllowedOrigin("https://saiyo.example.jp")).toBe(false);
  });
});

describe("syncHostsToDatabase", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it("creates a row per host, refreshes it on the next sync and keeps rows of removed hosts", async () => {
    const clock = movableClock("2026-04-01T00:00:00.000Z");
    const file = hostsFile([secretHost(), secretHost({ id: "second-portal" })]);
    const registry = await loadHostRegistry(file.file, { logger: silentLogger });
    await syncHostsToDatabase(database.db, registry, clock);

    clock.advance(60);
    file.write([secretHost()]);
    await registry.reload();
    await syncHostsToDatabase(database.db, registry, clock);

    const rows = await database.db.selectFrom("hosts").selectAll().orderBy("id").execute();
    expect(rows).toEqual([
      { id: "hr-portal", created_at: "2026-04-01T00:00:00.000Z", updated_at: "2026-04-01T00:01:00.000Z" },
      { id: "second-portal", created_at: "2026-04-01T00:00:00.000Z", updated_at: "2026-04-01T00:00:00.000Z" },
    ]);
  });
});
