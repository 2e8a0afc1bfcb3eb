/**
 * The default account stays usable: when it turns needs_reauth (a refresh
 * refused with invalid_grant, a health check refused) and the user has
 * another active account of that provider, that one becomes the default.
 * A disconnect, which takes every account of the provider at once, leaves
 * the defaults where the users put them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markNeedsReauth } from "../../src/accounts/reauth.ts";
import type { TokenSet } from "../../src/providers/types.ts";
import type { DB } from "../../src/store/database.ts";
import type { UserScope } from "../../src/store/tenancy.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";
import { seedAccount } from "./fixtures.ts";
import { movableClock } from "../support/hosts.ts";
import { testVault } from "../support/test-app.ts";

let database: TestDatabase;
let db: DB;
const clock = movableClock("2026-03-02T01:00:00.000Z");
const vault = testVault();
const tokens: TokenSet = {
  accessToken: "at",
  refreshToken: "rt",
  expiresAt: "2026-03-02T02:00:00.000Z",
  scopes: ["meeting:write"],
};

beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(async () => {
  await database.close();
});

/** A user with zoom accounts linked one minute apart, the first the default. */
async function userWithZoomAccounts(userId: string, count: number): Promise<{ scope: UserScope; ids: string[] }> {
  const scope: UserScope = { hostId: "portal-a", orgId: `org-${crypto.randomUUID()}`, userId };
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    clock.advance(60);
    const { accountId } = await seedAccount({ db, vault, clock }, scope, "zoom", tokens, {
      externalUserId: `zU_${userId}_${index}`,
      isDefault: index === 0,
    });
    ids.push(accountId);
  }
  return { scope, ids };
}

const owner = (scope: UserScope, id: string) => ({
  kind: "account" as const,
  id,
  hostId: scope.hostId,
  orgId: scope.orgId,
  provider: "zoom",
});

async function defaults(scope: UserScope): Promise<string[]> {
  const rows = await db
    .selectFrom("accounts")
    .select("id")
    .where("org_id", "=", scope.orgId)
    .where("user_id", "=", scope.userId)
    .where("is_default", "=", 1)
    .execute();
  return rows.map((row) => row.id);
}

describe("a default account that turns needs_reauth", () => {
  it("hands the default to the user's oldest other active account and names it in the audit entry", async () => {
    const { scope, ids } = await userWithZoomAccounts("ken", 3);
    await db
      .updateTable("accounts")
      .set({ status: "needs_reauth", status_reason: "invalid_grant" })
      .where("id", "=", ids[1]!)
      .execute();
    expect(await markNeedsReauth({ db, clock }, owner(scope, ids[0]!), "invalid_grant")).toBe(true);
    expect(await defaults(scope)).toEqual([ids[2]]);
    const audit = await db
      .selectFrom("audit_log")
      .select(["action", "target", "detail"])
      .where("org_id", "=", scope.orgId)
      .where("target", "=", ids[0]!)
      .executeTakeFirstOrThrow();
    expect(audit.action).toBe("account.needs_reauth");
    expect(JSON.parse(audit.detail ?? "{}")).toEqual({
      provider: "zoom",
      reason: "invalid_grant",
      newDefaultAccountId: ids[2],
    });
  });

  it("stays the default when no other account of the user is active", async () => {
    const { scope, ids } = await userWithZoomAccounts("misaki", 2);
    await markNeedsReauth({ db, clock }, owner(scope, ids[1]!), "invalid_grant");
    await markNeedsReauth({ db, clock }, owner(scope, ids[0]!), "unauthorized");
    expect(await defaults(scope)).toEqual([ids[0]]);
  });

  it("leaves the default alone when another account turns needs_reauth", async () => {
    const { scope, ids } = await userWithZoomAccounts("hanako", 2);
    await markNeedsReauth({ db, clock }, owner(scope, ids[1]!), "invalid_grant");
    expect(await defaults(scope)).toEqual([ids[0]]);
  });

  it("never moves another user's default", async () => {
    const { scope, ids } = await userWithZoomAccounts("taro", 2);
    const colleague = await seedAccount({ db, vault, clock }, { ...scope, userId: "jiro" }, "zoom", tokens, {
      externalUserId: "zU_jiro",
      isDefault: false,
    });
    await markNeedsReauth({ db, clock }, owner(scope, ids[0]!), "invalid_grant");
    expect(await defaults(scope)).toEqual([ids[1]]);
    expect(await defaults({ ...scope, userId: "jiro" })).toEqual([]);
    expect(colleague.accountId).not.toBe(ids[1]);
  });

  it("keeps the default in place when every account goes at once (a disconnect)", async () => {
    const { scope, ids } = await userWithZoomAccounts("yuki", 2);
    for (const id of ids) await markNeedsReauth({ db, clock }, owner(scope, id), "org_disconnected", "admin", false);
    expect(await defaults(scope)).toEqual([ids[0]]);
  });
});
