import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.ts";
import { createCredential, deleteCredential, readCredential, replaceCredential } from "../../src/store/credentials.ts";
import { type DB, openDatabase } from "../../src/store/database.ts";
import { createVault, VaultError } from "../../src/vault/vault.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const vault = createVault([{ id: "k1", key: randomBytes(32) }]);
const clock: Clock = { now: () => new Date("2025-03-03T09:00:00.000Z") };
/** When every credential here was written: the clock does not move. */
const writtenAt = clock.now().toISOString();
const orgA = { hostId: "acme-hr", orgId: "org-a" };
const orgB = { hostId: "acme-hr", orgId: "org-b" };
const otherHostSameOrg = { hostId: "other-hr", orgId: "org-a" };
const tokens = {
  accessToken: "zoom-access-token-A",
  refreshToken: "zoom-refresh-token-A",
  expiresAt: "2025-03-03T10:00:00.000Z",
  scope: "meeting:write",
};

let testDb: TestDatabase;
let db: DB;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
});
afterAll(async () => {
  await testDb.close();
});

async function rawRow(id: string) {
  return db.selectFrom("credentials").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function decryptFailure(read: Promise<unknown>): Promise<VaultError> {
  const error = await read.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (error instanceof VaultError) return error;
  throw new Error(`expected a VaultError, got ${String(error)}`);
}

describe("createCredential and readCredential", () => {
  it("round-trips the secret object at version 1", async () => {
    const id = await createCredential(db, vault, clock, orgA, "zoom", tokens);
    expect(await readCredential(db, vault, orgA, id)).toEqual({ secret: tokens, version: 1, writtenAt });
  });

  it("stores only ciphertext, under the current key, with the tenant and provider on the row", async () => {
    const id = await createCredential(db, vault, clock, orgA, "zoom", tokens);
    const row = await rawRow(id);
    expect(row).toMatchObject({
      host_id: "acme-hr",
      org_id: "org-a",
      provider: "zoom",
      key_id: "k1",
      created_at: "2025-03-03T09:00:00.000Z",
    });
    expect(Number(row.version)).toBe(1);
    expect(row.ciphertext.startsWith("v1.k1.")).toBe(true);
    expect(row.ciphertext).not.toContain("zoom-access-token");
    expect(row.ciphertext).not.toContain("accessToken");
  });

  it("refuses secrets that are not plain objects", async () => {
    await expect(createCredential(db, vault, clock, orgA, "zoom", ["token"])).rejects.toThrow(TypeError);
    await expect(createCredential(db, vault, clock, orgA, "zoom", new Date())).rejects.toThrow(TypeError);
  });
});

describe("a ciphertext copied to another row", () => {
  it.each([
    ["another credential of the same tenant and provider", orgA, "zoom"],
    ["a credential for another provider", orgA, "google"],
    ["a credential of another org", orgB, "zoom"],
    ["a credential of another host", otherHostSameOrg, "zoom"],
  ])("does not open on %s", async (_what, tenant, provider) => {
    const source = await createCredential(db, vault, clock, orgA, "zoom", tokens);
    const target = await createCredential(db, vault, clock, tenant, provider, { accessToken: "target" });
    const { ciphertext } = await rawRow(source);
    await db.updateTable("credentials").set({ ciphertext }).where("id", "=", target).execute();
    expect((await decryptFailure(readCredential(db, vault, tenant, target))).code).toBe("vault_decrypt_failed");
  });

  it("does not open when the row's provider column is rewritten", async () => {
    const id = await createCredential(db, vault, clock, orgA, "zoom", tokens);
    await db.updateTable("credentials").set({ provider: "slack" }).where("id", "=", id).execute();
    expect((await decryptFailure(readCredential(db, vault, orgA, id))).code).toBe("vault_decrypt_failed");
  });
});

describe("replaceCredential", () => {
  it("swaps only from the expected version, and bumps it", async () => {
    const id = await createCredential(db, vault, clock, orgA, "zoom", tokens);
    const refreshed = { ...tokens, accessToken: "zoom-access-token-B" };
    expect(await replaceCredential(db, vault, clock, orgA, id, refreshed, 1)).toBe(true);
    expect(await replaceCredential(db, vault, clock, orgA, id, { ...tokens, accessToken: "stale" }, 1)).toBe(false);
    expect(await readCredential(db, vault, orgA, id)).toEqual({ secret: refreshed, version: 2, writtenAt });
  });

  it(
    "lets exactly one of two concurrent writers with the same " + "expected version win, across two connection pools",
    async () => {
      const second = openDatabase(testDb.options);
      try {
        const id = await createCredential(db, vault, clock, orgA, "zoom", tokens);
        const first = { ...tokens, accessToken: "from-process-1" };
        const other = { ...tokens, accessToken: "from-process-2" };
        const outcomes = await Promise.all([
          replaceCredential(db, vault, clock, orgA, id, first, 1),
          replaceCredential(second, vault, clock, orgA, id, other, 1),
        ]);
        expect(outcomes.filter(Boolean)).toHaveLength(1);
        const stored = await readCredential(db, vault, orgA, id);
        expect(stored).toEqual({ secret: outcomes[0] ? first : other, version: 2, writtenAt });
      } finally {
        await second.destroy();
      }
    },
  );

  it("returns false for a credential that does not exist", async () => {
    expect(await replaceCredential(db, vault, clock, orgA, "no-such-id", tokens, 1)).toBe(false);
  });
});

describe("tenant scoping", () => {
  it("lets no other org or host read, replace or delete a credential by its id", async () => {
    const id = await createCredential(db, vault, clock, orgA, "zoom", tokens);
    for (const stranger of [orgB, otherHostSameOrg]) {
      expect(await readCredential(db, vault, stranger, id)).toBeUndefined();
      expect(await replaceCredential(db, vault, clock, stranger, id, { accessToken: "hijack" }, 1)).toBe(false);
      expect(await deleteCredential(db, stranger, id)).toBe(false);
    }
    expect(await readCredential(db, vault, orgA, id)).toEqual({ secret: tokens, version: 1, writtenAt });
  });
});

describe("deleteCredential", () => {
  it("removes the row, after which it reads as absent", async () => {
    const id = await createCredential(db, vault, clock, orgA, "zoom", tokens);
    expect(await deleteCredential(db, orgA, id)).toBe(true);
    expect(await readCredential(db, vault, orgA, id)).toBeUndefined();
    expect(await deleteCredential(db, orgA, id)).toBe(false);
  });
});
