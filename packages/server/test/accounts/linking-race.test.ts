/**
 * Issue 7, item 2, at the storage layer: completed links of one provider
 * identity saved at once from two database handles (two server processes) on
 * PostgreSQL. On SQLite the second handle is the same one: two connections in
 * one Node process deadlock on the synchronous busy wait, so SQLite across
 * processes is covered by test/e2e/simultaneous-links.test.ts instead.
 * None fails on the accounts' unique key, and the identity's accounts end on
 * the grant the provider issued last (`grantedAt`), whatever order the saves
 * commit in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LinkResult, mayRevokeUnsaved, savePersonalOutcome } from "../../src/accounts/linking.ts";
import { readTokens } from "../../src/accounts/tokens.ts";
import type { LinkOutcome } from "../../src/oauth/provider-link.ts";
import { type DB, openDatabase } from "../../src/store/database.ts";
import { createTestDatabase, dialectName, type TestDatabase } from "../support/database.ts";
import { seedConnection } from "./fixtures.ts";
import { movableClock } from "../support/hosts.ts";
import { testVault } from "../support/test-app.ts";

const clock = movableClock("2026-06-01T09:00:00.000Z");
const vault = testVault();
let test: TestDatabase;
let secondProcess: DB;
let orgCount = 0;

beforeAll(async () => {
  test = await createTestDatabase();
  secondProcess = dialectName === "postgres" ? openDatabase(test.options) : test.db;
});
afterAll(async () => {
  if (secondProcess !== test.db) await secondProcess.destroy();
  await test.close();
});

/** A fresh organisation with its Zoom connection. */
async function newOrg() {
  const orgId = `org-${++orgCount}`;
  await seedConnection(
    { db: test.db, vault, clock },
    { hostId: "host-a", orgId, userId: "admin" },
    "zoom",
    "zAcSakura0001",
  );
  return orgId;
}

function outcome(externalUserId: string, grantedAt: number): Extract<LinkOutcome, { kind: "personal" }> {
  return {
    kind: "personal",
    account: {
      externalUserId,
      externalAccountId: "zAcSakura0001",
      email: `${externalUserId}@sakura.example`,
      displayName: externalUserId,
      detail: {},
    },
    tokens: {
      accessToken: `access-${grantedAt}`,
      refreshToken: `refresh-${grantedAt}`,
      expiresAt: "2026-06-01T10:00:00.000Z",
      scopes: ["user:read:user"],
    },
    grantedAt,
  };
}

const save = (db: DB, orgId: string, userId: string, externalUserId: string, grantedAt: number) =>
  savePersonalOutcome(
    { db, vault, clock },
    { scope: { hostId: "host-a", orgId, userId }, provider: "zoom" },
    outcome(externalUserId, grantedAt),
  );

const codeOf = (result: LinkResult) => (result.ok ? "linked" : result.refusal.code);

async function identityAccounts(orgId: string, externalUserId: string) {
  const rows = await test.db
    .selectFrom("accounts")
    .selectAll()
    .where("org_id", "=", orgId)
    .where("external_user_id", "=", externalUserId)
    .orderBy("user_id")
    .execute();
  const tokens = await Promise.all(
    rows.map(
      async (row) =>
        (await readTokens({ db: test.db, vault, clock }, { hostId: "host-a", orgId }, row.credential_id))?.tokens
          .accessToken,
    ),
  );
  return rows.map((row, index) => ({ user: row.user_id, status: row.status, accessToken: tokens[index] }));
}

const credentialCount = async (orgId: string) =>
  (await test.db.selectFrom("credentials").select("id").where("org_id", "=", orgId).execute()).length;

describe("saving simultaneous links of one identity", () => {
  it("40 saves of one person's link from two processes: no failure, one account, on the newest grant", async () => {
    const orgId = await newOrg();
    // Stamps in shuffled order, so the newest is neither the first nor the last to start.
    const stamps = Array.from({ length: 40 }, (_, index) => 1_000 + ((index * 17) % 40));
    const results = await Promise.all(
      stamps.map((stamp, index) => save(index % 2 ? secondProcess : test.db, orgId, "ken", "zU_ken", stamp)),
    );
    const counts: Record<string, number> = {};
    for (const code of results.map(codeOf)) counts[code] = (counts[code] ?? 0) + 1;
    expect(counts).toEqual({ linked: 1, account_already_linked: 39 });
    expect(await identityAccounts(orgId, "zU_ken")).toEqual([
      { user: "ken", status: "active", accessToken: "access-1039" },
    ]);
    expect(await credentialCount(orgId)).toBe(1);
  });

  it("keeps the newer grant when the older one is saved after it", async () => {
    const orgId = await newOrg();
    expect(codeOf(await save(test.db, orgId, "ai", "zU_recruiting", 2_000))).toBe("linked");
    // daisuke's link was granted before ai's (Zoom ended it when ai authorised) but is saved after it.
    expect(codeOf(await save(secondProcess, orgId, "daisuke", "zU_recruiting", 1_000))).toBe("linked");
    expect(await identityAccounts(orgId, "zU_recruiting")).toEqual([
      { user: "ai", status: "active", accessToken: "access-2000" },
      { user: "daisuke", status: "active", accessToken: "access-2000" },
    ]);
    expect(await credentialCount(orgId)).toBe(1);
  });

  it("two people saving links of the shared Zoom user at once both end on the newest grant (20 rounds)", async () => {
    for (let round = 0; round < 20; round++) {
      const orgId = await newOrg();
      const [first, second] = round % 2 ? [3_000, 4_000] : [4_000, 3_000];
      const results = await Promise.all([
        save(test.db, orgId, "ai", "zU_recruiting", first),
        save(secondProcess, orgId, "daisuke", "zU_recruiting", second),
      ]);
      expect(results.map(codeOf)).toEqual(["linked", "linked"]);
      expect(await identityAccounts(orgId, "zU_recruiting")).toEqual([
        { user: "ai", status: "active", accessToken: "access-4000" },
        { user: "daisuke", status: "active", accessToken: "access-4000" },
      ]);
    }
  });

  it(
    "lets a link that could not be stored revoke its tokens only while no row of the tenant holds a grant of that " +
      "identity",
    async () => {
      const orgId = await newOrg();
      const target = { scope: { hostId: "host-a", orgId, userId: "ai" }, provider: "zoom" as const };
      const context = { db: test.db, vault, clock };
      expect(await mayRevokeUnsaved(context, target, outcome("zU_recruiting", 5_000))).toBe(true);
      expect(codeOf(await save(test.db, orgId, "daisuke", "zU_recruiting", 4_000))).toBe("linked");
      // daisuke's account uses the identity's grant now: revoking ai's tokens could end it (Google revokes per user and
      // app).
      expect(await mayRevokeUnsaved(context, target, outcome("zU_recruiting", 5_000))).toBe(false);
    },
  );
});
