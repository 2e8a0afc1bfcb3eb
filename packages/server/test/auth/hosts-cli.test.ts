import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadHostRegistry } from "../../src/auth/host-registry.ts";
import { runHostsCommand } from "../../src/cli/hosts.ts";
import { silentLogger } from "../../src/log.ts";
import { generateSigningKey } from "../support/hosts.ts";

let dir: string;
let hostsFile: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tsunagu-cli-"));
  hostsFile = join(dir, "config", "hosts.json");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function hosts(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runHostsCommand(
    args,
    { out: (line) => out.push(line), err: (line) => err.push(line) },
    { hostsFile },
  );
  return { code, out, err, all: [...out, ...err].join("\n") };
}

const readHosts = () => JSON.parse(readFileSync(hostsFile, "utf8")) as Array<Record<string, any>>;
const secretFrom = (lines: string[]) =>
  lines
    .find((line) => line.startsWith("secret"))
    ?.split(": ")
    .at(-1) ?? "";

async function writeJwkFile(name: string, value: unknown): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe("hosts add", () => {
  it("creates the file at mode 0600 and prints a generated secret once", async () => {
    const result = await hosts(
      "add",
      "local-dev",
      "--origin",
      "http://localhost:3000",
      "--origin",
      "https://hr.example.com",
      "--secret-generate",
    );
    expect(result.code).toBe(0);
    const secret = secretFrom(result.out);
    expect(Buffer.from(secret, "base64url")).toHaveLength(32);
    expect(result.out.filter((line) => line.includes(secret))).toHaveLength(1);
    expect(readHosts()).toEqual([
      { id: "local-dev", origins: ["http://localhost:3000", "https://hr.example.com"], secret, algorithms: ["HS256"] },
    ]);
    expect(statSync(hostsFile).mode & 0o777).toBe(0o600);

    const registry = await loadHostRegistry(hostsFile, { logger: silentLogger });
    expect(registry.get("local-dev")?.keySource).toBe("secret");
  });

  it("adds an inline public JWK, taking the algorithm from the key", async () => {
    const key = await generateSigningKey("ES256", "portal-2026");
    const result = await hosts(
      "add",
      "es-portal",
      "--origin",
      "https://saiyo.example.jp",
      "--jwk",
      await writeJwkFile("public.jwk", key.publicJwk),
      "--audience",
      "tsunagu-prod",
    );
    expect(result.code).toBe(0);
    expect(readHosts()[0]).toEqual({
      id: "es-portal",
      origins: ["https://saiyo.example.jp"],
      jwk: key.publicJwk,
      algorithms: ["ES256"],
      audience: "tsunagu-prod",
    });
  });

  it("adds a JWKS URL with the algorithms given", async () => {
    const result = await hosts(
      "add",
      "herp",
      "--origin",
      "https://portal.example.com",
      "--jwks-url",
      "https://portal.example.com/.well-known/jwks.json",
      "--alg",
      "RS256",
      "--alg",
      "PS256",
    );
    expect(result.code).toBe(0);
    expect(readHosts()[0]).toMatchObject({
      jwksUrl: "https://portal.example.com/.well-known/jwks.json",
      algorithms: ["RS256", "PS256"],
    });
  });

  it("refuses a private JWK and leaves no file behind", async () => {
    const key = await generateSigningKey("ES256");
    const privateJwk = await exportJWK(key.privateKey);
    const result = await hosts(
      "add",
      "es-portal",
      "--origin",
      "https://a.example.com",
      "--jwk",
      await writeJwkFile("private.jwk", privateJwk),
      "--alg",
      "ES256",
    );
    expect(result.code).toBe(1);
    expect(result.all).toMatch(/must be a public JWK; remove the private member\(s\) d/);
    expect(readdirSync(dir)).toEqual(["private.jwk"]);
  });

  it.each([
    [["add", "x", "--origin", "https://a.example.com"], /exactly one of --secret-generate/],
    [["add", "x", "--secret-generate"], /at least one --origin/],
    [["add", "x", "--origin", "https://a.example.com", "--jwks-url", "https://a.example.com/jwks"], /--alg RS256/],
    [["add", "--origin", "https://a.example.com", "--secret-generate"], /missing host id/],
    [["add", "x", "--origin", "https://a.example.com", "--secret-generate", "--colour"], /Unknown option '--colour'/],
    [["frobnicate"], /unknown hosts command "frobnicate"/],
    [[], /missing hosts command/],
  ])("answers %j with a usage error (exit 2)", async (args, message) => {
    const result = await hosts(...args);
    expect(result.code).toBe(2);
    expect(result.all).toMatch(message);
    expect(result.err.some((line) => line.startsWith("usage: tsunagu hosts add"))).toBe(true);
  });

  it("validates with the server's rules before writing", async () => {
    await hosts("add", "first", "--origin", "https://a.example.com", "--secret-generate");
    const before = readFileSync(hostsFile, "utf8");
    const bad = await hosts(
      "add",
      "second",
      "--origin",
      "https://b.example.com/app",
      "--secret-generate",
      "--alg",
      "RS256",
    );
    expect(bad.code).toBe(1);
    expect(bad.all).toContain('hosts[1] (id "second").origins[0]');
    expect(bad.all).toContain("RS256 needs a public key");
    expect(bad.all).not.toMatch(/secret \(shown once/);
    expect(readFileSync(hostsFile, "utf8")).toBe(before);
  });

  it("refuses a host id that already exists", async () => {
    await hosts("add", "dup", "--origin", "https://a.example.com", "--secret-generate");
    const result = await hosts("add", "dup", "--origin", "https://a.example.com", "--secret-generate");
    expect(result.code).toBe(1);
    expect(result.all).toMatch(/already exists; use rotate-key/);
  });
});

describe("hosts list", () => {
  it("describes every host without printing secrets", async () => {
    const added = await hosts("add", "local-dev", "--origin", "http://localhost:3000", "--secret-generate");
    await hosts(
      "add",
      "herp",
      "--origin",
      "https://portal.example.com",
      "--jwks-url",
      "https://portal.example.com/jwks.json",
      "--alg",
      "RS256",
    );
    const result = await hosts("list");
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      "local-dev\tHS256\tsecret\taudience=tsunagu\thttp://localhost:3000",
      "herp\tRS256\tjwks-url https://portal.example.com/jwks.json\taudience=tsunagu\thttps://portal.example.com",
    ]);
    expect(result.all).not.toContain(secretFrom(added.out));
  });

  it("says so when there are no hosts yet", async () => {
    expect((await hosts("list")).out).toEqual([`no hosts in ${hostsFile}`]);
  });

  it("refuses to work on an invalid file and leaves it untouched", async () => {
    await hosts("add", "local-dev", "--origin", "http://localhost:3000", "--secret-generate");
    writeFileSync(hostsFile, '[{"id": "broken"}]');
    const result = await hosts("remove", "local-dev");
    expect(result.code).toBe(1);
    expect(result.all).toContain('hosts[0] (id "broken").origins');
    expect(readFileSync(hostsFile, "utf8")).toBe('[{"id": "broken"}]');
  });
});

describe("hosts rotate-key and remove", () => {
  it("rotates a secret, keeping the host's algorithms, origins and audience", async () => {
    const first = secretFrom(
      (
        await hosts(
          "add",
          "local-dev",
          "--origin",
          "http://localhost:3000",
          "--secret-generate",
          "--alg",
          "HS512",
          "--audience",
          "aud-1",
        )
      ).out,
    );
    const result = await hosts("rotate-key", "local-dev", "--secret-generate");
    expect(result.code).toBe(0);
    const second = secretFrom(result.out);
    expect(second).not.toBe(first);
    expect(readHosts()).toEqual([
      { id: "local-dev", origins: ["http://localhost:3000"], secret: second, algorithms: ["HS512"], audience: "aud-1" },
    ]);
    expect(statSync(hostsFile).mode & 0o777).toBe(0o600);
  });

  it("moves a host from a secret to a public key, dropping the secret", async () => {
    await hosts("add", "local-dev", "--origin", "http://localhost:3000", "--secret-generate");
    const key = await generateSigningKey("RS256", "rsa-2026");
    const result = await hosts("rotate-key", "local-dev", "--jwk", await writeJwkFile("rsa.jwk", key.publicJwk));
    expect(result.code).toBe(0);
    expect(result.out.join("\n")).not.toMatch(/^secret/m);
    expect(readHosts()).toEqual([
      { id: "local-dev", origins: ["http://localhost:3000"], jwk: key.publicJwk, algorithms: ["RS256"] },
    ]);
  });

  it("takes the algorithm of a rotated JWK that names one", async () => {
    const es = await generateSigningKey("ES256", "es-2026");
    const rs = await generateSigningKey("RS256", "rs-2027");
    await hosts(
      "add",
      "portal",
      "--origin",
      "https://a.example.com",
      "--jwk",
      await writeJwkFile("es.jwk", es.publicJwk),
    );
    expect((await hosts("rotate-key", "portal", "--jwk", await writeJwkFile("rs.jwk", rs.publicJwk))).code).toBe(0);
    expect(readHosts()[0]).toMatchObject({ jwk: rs.publicJwk, algorithms: ["RS256"] });
  });

  it("removes a host and refuses an unknown one", async () => {
    await hosts("add", "a", "--origin", "https://a.example.com", "--secret-generate");
    await hosts("add", "b", "--origin", "https://b.example.com", "--secret-generate");
    expect((await hosts("remove", "a")).code).toBe(0);
    expect(readHosts().map((host) => host.id)).toEqual(["b"]);
    const missing = await hosts("remove", "a");
    expect(missing.code).toBe(1);
    expect(missing.all).toMatch(/no host "a"/);
    expect((await hosts("rotate-key", "ghost", "--secret-generate")).code).toBe(1);
  });

  it("leaves no temporary files behind", async () => {
    await hosts("add", "a", "--origin", "https://a.example.com", "--secret-generate");
    await hosts("rotate-key", "a", "--secret-generate");
    await hosts("remove", "a");
    expect(readdirSync(join(dir, "config"))).toEqual(["hosts.json"]);
    expect(readHosts()).toEqual([]);
  });
});
