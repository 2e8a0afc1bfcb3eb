/**
 * Every hosts query and hold reads its organisation's Zoom links and host
 * settings; on PostgreSQL the reads of one turn go out as one query for each
 * (zoom-hosts/zoom-users.ts, zoom-hosts/settings.ts, store/read-coalescer.ts).
 * On the test database: fifty concurrent reads for two organisations make far
 * fewer queries than reads (counted as connections taken from the app's
 * pool), each answers what the same read alone answers (its own
 * organisation's links, oldest first, unlinked ones left out), and a write
 * committed before the reads is seen by them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresPoolOf } from "../../src/store/database.ts";
import type { OrgScope } from "../../src/store/tenancy.ts";
import { readZoomHostSettings, writeZoomHostSettings } from "../../src/zoom-hosts/settings.ts";
import { linkedZoomUsers } from "../../src/zoom-hosts/zoom-users.ts";
import { seedAccount } from "../accounts/fixtures.ts";
import { queriesDuring } from "../support/pool-queries.ts";
import { dialectName } from "../support/database.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const sakura: OrgScope = { hostId: "portal-a", orgId: "sakura" };
const kaede: OrgScope = { hostId: "portal-a", orgId: "kaede" };
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  const deps = { db: t.database.db, vault: t.vault, clock: t.clock };
  const link = async (tenant: OrgScope, userId: string, zoomUserId: string) => {
    t.clock.advance(60);
    return seedAccount(
      deps,
      { ...tenant, userId },
      "zoom",
      { accessToken: `access-${userId}`, scopes: [] },
      {
        externalUserId: zoomUserId,
        externalAccountId: `zoom-account-${tenant.orgId}`,
      },
    );
  };
  // Linked in an order that is neither the users' nor the Zoom users' alphabetical one.
  await link(sakura, "yui", "zU_recruiting");
  await link(sakura, "aoi", "zU_aoi");
  await link(sakura, "ken", "zU_recruiting");
  const gone = await link(sakura, "ren", "zU_ren");
  await t.database.db.updateTable("accounts").set({ status: "revoked" }).where("id", "=", gone.accountId).execute();
  await link(kaede, "mio", "zU_mio");
  await writeZoomHostSettings(t.database.db, t.clock, sakura, "aoi", { plan: "business", limits: { zU_aoi: 1 } });
});
afterAll(() => t.close());

const tenants = Array.from({ length: 50 }, (_, index) => (index % 2 === 0 ? sakura : kaede));
const summary = (users: Awaited<ReturnType<typeof linkedZoomUsers>>) =>
  [...users.values()].map((user) => ({
    zoomUserId: user.zoomUserId,
    portalUserIds: user.portalUserIds,
    active: user.activeAccounts.map((account) => account.user_id),
  }));

describe("the Zoom links of many hosts queries at once", () => {
  it("answers each what it reads alone, in far fewer queries than reads on PostgreSQL", async () => {
    const alone = { sakura: summary(await linkedZoomUsers(t.database.db, sakura)) };
    expect(alone.sakura).toEqual([
      { zoomUserId: "zU_recruiting", portalUserIds: ["yui", "ken"], active: ["yui", "ken"] },
      { zoomUserId: "zU_aoi", portalUserIds: ["aoi"], active: ["aoi"] },
    ]);
    const { result, queries } = await queriesDuring(t.database.db, () =>
      Promise.all(tenants.map((tenant) => linkedZoomUsers(t.database.db, tenant))),
    );
    expect(result.map(summary)).toEqual(
      tenants.map((tenant) =>
        tenant === sakura ? alone.sakura : [{ zoomUserId: "zU_mio", portalUserIds: ["mio"], active: ["mio"] }],
      ),
    );
    // One statement for the 50 reads of two organisations: 50 queries when each is read alone.
    if (dialectName === "postgres") expect(queries).toBeLessThanOrEqual(2);
    else expect(postgresPoolOf(t.database.db)).toBeUndefined();
  });
});

describe("the host settings of many hosts queries at once", () => {
  it("answers each its own organisation's settings, in far fewer queries than reads on PostgreSQL", async () => {
    const { result, queries } = await queriesDuring(t.database.db, () =>
      Promise.all(tenants.map((tenant) => readZoomHostSettings(t.database.db, tenant))),
    );
    expect(result.map(({ plan, limits }) => ({ plan, limits }))).toEqual(
      tenants.map((tenant) =>
        tenant === sakura ? { plan: "business", limits: { zU_aoi: 1 } } : { plan: null, limits: {} },
      ),
    );
    if (dialectName === "postgres") expect(queries).toBeLessThanOrEqual(2);
    else expect(postgresPoolOf(t.database.db)).toBeUndefined();
  });

  it("sees a write committed before the reads", async () => {
    await writeZoomHostSettings(t.database.db, t.clock, kaede, "mio", { plan: "pro", limits: {} });
    const answers = await Promise.all(tenants.map((tenant) => readZoomHostSettings(t.database.db, tenant)));
    expect(answers.map((answer) => answer.plan)).toEqual(
      tenants.map((tenant) => (tenant === sakura ? "business" : "pro")),
    );
  });
});
