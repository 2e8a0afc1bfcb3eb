import { randomBytes } from "node:crypto";
import type { KyselyPlugin, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock.ts";
import {
  countCredentialsByKey,
  createCredential,
  readCredential,
  reencryptAll,
  replaceCredential,
} from "../../src/store/credentials.ts";
import { type DB, openDatabase } from "../../src/store/database.ts";
import { createVault, VaultError } from "../../src/vault/vault.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

const oldKey = { id: "k-old", key: randomBytes(32) };
const newKey = { id: "k-new", key: randomBytes(32) };
const beforeRotation = createVault([oldKey]);
const duringRotation = createVault([newKey, oldKey]);
const afterRotation = createVault([newKey]);
const clock: Clock = { now: () => new Date("2025-03-03T09:00:00.000Z") };
/** When every credential here was written: the clock does not move. */
const writtenAt = clock.now().toISOString();
const tenants = [
  { hostId: "acme-hr", orgId: "org-a" },
  { hostId: "acme-hr", orgId: "org-b" },
  { hostId: "other-hr", orgId: "org-a" },
];

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

/** Seven credentials over three tenants, all sealed before the rotation. */
async function seedOldCredentials() {
  const seeded = [];
  for (let index = 0; index < 7; index += 1) {
    const tenant = tenants[index % tenants.length]!;
    const secret = { accessToken: `access-${index}`, refreshToken: `refresh-${index}` };
    seeded.push({
      tenant,
      secret,
      id: await createCredential(db, beforeRotation, clock, tenant, index % 2 ? "zoom" : "google", secret),
    });
  }
  return seeded;
}

describe("reencryptAll", () => {
  it("moves every row to the new key in batches, keeps versions, and lets the old key be dropped", async () => {
    const seeded = await seedOldCredentials();
    const stillCurrent = await createCredential(db, duringRotation, clock, tenants[0]!, "slack", {
      accessToken: "already-new",
    });

    const first = seeded[0]!;
    await expect(readCredential(db, afterRotation, first.tenant, first.id)).rejects.toMatchObject({
      code: "vault_unknown_key",
    });

    const result = await reencryptAll(db, duringRotation, { batchSize: 3 });
    expect(result).toEqual({ scanned: 7, reencrypted: 7, skipped: 0, failed: 0, failures: [] });
    expect(await countCredentialsByKey(db)).toEqual(new Map([["k-new", 8]]));

    for (const { tenant, secret, id } of seeded) {
      expect(await readCredential(db, afterRotation, tenant, id)).toEqual({ secret, version: 1, writtenAt });
    }
    expect(await readCredential(db, afterRotation, tenants[0]!, stillCurrent)).toEqual({
      secret: { accessToken: "already-new" },
      version: 1,
      writtenAt,
    });
    expect(await reencryptAll(db, duringRotation, { batchSize: 3 })).toEqual({
      scanned: 0,
      reencrypted: 0,
      skipped: 0,
      failed: 0,
      failures: [],
    });
  });

  it("reports rows whose key is missing from the list and carries on with the rest", async () => {
    const seeded = await seedOldCredentials();
    const lost = createVault([{ id: "k-lost", key: randomBytes(32) }]);
    const orphan = await createCredential(db, lost, clock, tenants[1]!, "zoom", { accessToken: "unrecoverable" });

    const result = await reencryptAll(db, duringRotation, { batchSize: 2 });
    expect(result).toMatchObject({ scanned: 8, reencrypted: 7, skipped: 0, failed: 1 });
    expect(result.failures).toEqual([{ credentialId: orphan, keyId: "k-lost", code: "vault_unknown_key" }]);
    expect(await countCredentialsByKey(db)).toEqual(
      new Map([
        ["k-lost", 1],
        ["k-new", seeded.length],
      ]),
    );
  });

  it(
    "never overwrites a refresh that lands between its read and " +
      "its write: it re-reads and re-seals the new tokens",
    async () => {
      const [target] = await seedOldCredentials();
      // A server process still running with the old key list refreshes the token mid-batch.
      const otherProcess = openDatabase(testDb.options);
      const refreshed = { accessToken: "access-refreshed", refreshToken: "refresh-rotated" };
      let interleaved = false;
      const refreshMidBatch: KyselyPlugin = {
        transformQuery: (args): RootOperationNode => args.node,
        async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
          const readTarget = args.result.rows.some((row) => row.id === target!.id && "ciphertext" in row);
          if (readTarget && !interleaved) {
            interleaved = true;
            expect(
              await replaceCredential(otherProcess, beforeRotation, clock, target!.tenant, target!.id, refreshed, 1),
            ).toBe(true);
          }
          return args.result;
        },
      };
      try {
        const result = await reencryptAll(db.withPlugin(refreshMidBatch), duringRotation, { batchSize: 10 });
        expect(interleaved).toBe(true);
        expect(result).toEqual({ scanned: 7, reencrypted: 7, skipped: 0, failed: 0, failures: [] });
        expect(await readCredential(db, afterRotation, target!.tenant, target!.id)).toEqual({
          secret: refreshed,
          version: 2,
          writtenAt,
        });
      } finally {
        await otherProcess.destroy();
      }
    },
  );

  it("does not make a refresh that read the row before re-encryption lose its swap", async () => {
    const [target] = await seedOldCredentials();
    const readByRefresher = await readCredential(db, duringRotation, target!.tenant, target!.id);
    await reencryptAll(db, duringRotation);
    const refreshed = { accessToken: "access-after", refreshToken: "refresh-after" };
    expect(
      await replaceCredential(
        db,
        duringRotation,
        clock,
        target!.tenant,
        target!.id,
        refreshed,
        readByRefresher!.version,
      ),
    ).toBe(true);
    expect(await readCredential(db, afterRotation, target!.tenant, target!.id)).toEqual({
      secret: refreshed,
      version: 2,
      writtenAt,
    });
  });

  it("refuses a batch size that is not a positive integer", async () => {
    await expect(reencryptAll(db, duringRotation, { batchSize: 0 })).rejects.toThrow(RangeError);
  });

  it("throws VaultError, not undefined, when a re-encrypted row is read without the new key", async () => {
    const [target] = await seedOldCredentials();
    await reencryptAll(db, duringRotation);
    const error = await readCredential(db, beforeRotation, target!.tenant, target!.id).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: "vault_unknown_key", keyId: "k-new" });
  });
});
