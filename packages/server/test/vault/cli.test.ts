import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runKeysCommand, runVaultCommand } from "../../src/cli/vault.ts";
import type { Clock } from "../../src/clock.ts";
import { parseEncryptionKeys } from "../../src/config.ts";
import { countCredentialsByKey, createCredential, readCredential } from "../../src/store/credentials.ts";
import type { DB } from "../../src/store/database.ts";
import { createVault } from "../../src/vault/vault.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const clock: Clock = { now: () => new Date("2025-03-03T09:00:00.000Z") };
const tenant = { hostId: "acme-hr", orgId: "org-a" };

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (line: string) => out.push(line), err: (line: string) => err.push(line) }, out, err };
}

/** Runs `keys generate` and returns the one entry it printed on stdout. */
function generate(args: string[] = []): string {
  const { io, out } = capture();
  expect(runKeysCommand(["generate", ...args], io)).toBe(0);
  expect(out).toHaveLength(1);
  return out[0]!;
}

describe("tsunagu keys generate", () => {
  it("prints one entry that TSUNAGU_ENCRYPTION_KEYS accepts, with a dated default id", () => {
    const [key] = parseEncryptionKeys(generate());
    expect(key!.id).toMatch(/^k\d{8}-[0-9a-f]{6}$/);
    expect(key!.key).toHaveLength(32);
  });

  it("uses --id, and a new random key every time", () => {
    const first = generate(["--id", "prod-2025.1"]);
    const second = generate(["--id", "prod-2025.1"]);
    expect(first.startsWith("prod-2025.1:")).toBe(true);
    expect(first).not.toBe(second);
  });

  it("explains where the entry goes and what to run next, on stderr", () => {
    const { io, err } = capture();
    runKeysCommand(["generate"], io);
    const advice = err.join("\n");
    expect(advice).toContain("A first key: TSUNAGU_ENCRYPTION_KEYS=<this entry>");
    expect(advice).toContain("FIRST in TSUNAGU_ENCRYPTION_KEYS");
    expect(advice).toContain("vault reencrypt");
  });

  it.each([
    [["generate", "--id", "has:colon"]],
    [["generate", "--id", "a,b"]],
    [["generate", "--nope"]],
    [["rotate"]],
    [[]],
  ])("refuses %j with exit code 2", (args) => {
    const { io, out, err } = capture();
    expect(runKeysCommand(args, io)).toBe(2);
    expect(out).toEqual([]);
    expect(err.length).toBeGreaterThan(0);
  });
});

describe("tsunagu vault reencrypt", () => {
  let testDb: TestDatabase;
  let db: DB;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = testDb.db;
  });
  afterAll(async () => {
    await testDb.close();
  });
  beforeEach(async () => {
    await db.deleteFrom("credentials").execute();
  });

  it("re-seals every credential under the first key, after which the old key can go", async () => {
    const oldEntry = generate(["--id", "k-old"]);
    const newEntry = generate(["--id", "k-new"]);
    const before = createVault(parseEncryptionKeys(oldEntry));
    const ids = [];
    for (const provider of ["zoom", "google", "slack"])
      ids.push(await createCredential(db, before, clock, tenant, provider, { accessToken: `${provider}-token` }));

    const { io, out, err } = capture();
    const rotated = createVault(parseEncryptionKeys(`${newEntry},${oldEntry}`));
    expect(await runVaultCommand(["reencrypt", "--batch-size", "2"], io, { db, vault: rotated })).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toBe(
      're-encrypted 3 credential(s) under key "k-new" (3 under another key, 0 re-sealed or deleted meanwhile, 0 ' +
        "failed)",
    );
    expect(out[1]).toContain("the other keys can be removed");

    const after = createVault(parseEncryptionKeys(newEntry));
    for (const [index, provider] of ["zoom", "google", "slack"].entries()) {
      expect(await readCredential(db, after, tenant, ids[index]!)).toEqual({
        secret: { accessToken: `${provider}-token` },
        version: 1,
        // Re-sealing is not a write of the secret: the time it was written stays.
        writtenAt: clock.now().toISOString(),
      });
    }
  });

  it("exits 1 and names the credentials it could not open, and the keys still in use", async () => {
    const lost = createVault(parseEncryptionKeys(generate(["--id", "k-lost"])));
    const orphan = await createCredential(db, lost, clock, tenant, "zoom", { accessToken: "lost" });
    const oldEntry = generate(["--id", "k-old"]);
    await createCredential(db, createVault(parseEncryptionKeys(oldEntry)), clock, tenant, "slack", {
      accessToken: "old",
    });
    const { io, out, err } = capture();
    const current = createVault(parseEncryptionKeys(`${generate(["--id", "k-current"])},${oldEntry}`));
    expect(await runVaultCommand(["reencrypt"], io, { db, vault: current })).toBe(1);
    expect(err).toEqual([`credential ${orphan} (key "k-lost"): vault_unknown_key`]);
    expect(out).toContain('key "k-lost" still seals 1 credential(s): keep it in TSUNAGU_ENCRYPTION_KEYS');
    expect(await countCredentialsByKey(db)).toEqual(
      new Map([
        ["k-current", 1],
        ["k-lost", 1],
      ]),
    );
  });

  it.each([
    [["reencrypt", "--batch-size", "0"]],
    [["reencrypt", "--batch-size", "many"]],
    [["reencrypt", "extra"]],
    [[]],
  ])("refuses %j with exit code 2 and writes nothing", async (args) => {
    const { io, out, err } = capture();
    const vault = createVault(parseEncryptionKeys(generate()));
    expect(await runVaultCommand(args, io, { db, vault })).toBe(2);
    expect(out).toEqual([]);
    expect(err.length).toBeGreaterThan(0);
    expect((await countCredentialsByKey(db)).get(vault.currentKeyId)).toBeUndefined();
  });
});
