/**
 * Every hosts query and hold reads its organisation's Zoom links and host
 * settings, and every hosts query the organisation's live holds over its
 * interval; on PostgreSQL the reads of one turn go out as one query for each
 * (zoom-hosts/zoom-users.ts, zoom-hosts/settings.ts, zoom-hosts/holds.ts,
 * store/read-coalescer.ts). On the test database: fifty concurrent reads for
 * two organisations make far fewer queries than reads (counted as connections
 * taken from the app's pool), each answers what the same read alone answers
 * (its own organisation's links, oldest first, unlinked ones left out; its own
 * organisation's holds over its own interval, those lapsed at its own clock
 * left out), and a write committed before the reads is seen by them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresPoolOf } from "../../src/store/database.ts";
import type { OrgScope } from "../../src/store/tenancy.ts";
import { type HoldRow, liveHoldsOfOrg, placeHold } from "../../src/zoom-hosts/holds.ts";
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

describe("the live holds of many hosts queries at once", () => {
  const at = (time: string) => new Date(`2031-05-01T${time}:00.000Z`);
  const morning = { start: at("10:00"), end: at("11:00") };
  const noon = { start: at("10:30"), end: at("12:00") };
  /** The requests' clocks, a millisecond apart; the first read of each key has one of the latest. */
  const clock = new Date("2031-04-30T09:00:00.000Z");
  const plus = (ms: number) => new Date(clock.getTime() + ms);
  const reads = Array.from({ length: 50 }, (_, index) => ({
    tenant: index % 2 === 0 ? sakura : kaede,
    ...(Math.floor(index / 2) % 2 === 0 ? morning : noon),
    now: plus(49 - index),
  }));
  const readAll = (db = t.database.db) =>
    Promise.all(reads.map((read) => liveHoldsOfOrg(db, read.tenant, read.start, read.end, read.now)));
  /** What each read answers with its query alone: in a transaction, never coalesced. */
  const readAlone = () => t.database.db.transaction().execute((trx) => readAll(trx));
  const byId = (holds: readonly HoldRow[]) => [...holds].sort((a, b) => (a.id < b.id ? -1 : 1));
  const ids = (holds: readonly HoldRow[]) => byId(holds).map((hold) => hold.id);

  beforeAll(async () => {
    const hold = (id: string, tenant: OrgScope, zoomUserId: string, span: string, expires: Date | null) => ({
      id,
      host_id: tenant.hostId,
      org_id: tenant.orgId,
      zoom_user_id: zoomUserId,
      starts_at: at(span.slice(0, 5)).toISOString(),
      ends_at: at(span.slice(6)).toISOString(),
      expires_at: expires?.toISOString() ?? null,
      meeting_id: expires ? null : `meeting-${id}`,
      created_by: "aoi",
      created_at: clock.toISOString(),
    });
    await t.database.db
      .insertInto("zoom_holds")
      .values([
        hold("confirmed", sakura, "zU_aoi", "10:00-10:30", null),
        hold("both", sakura, "zU_recruiting", "10:45-11:15", plus(300_000)),
        hold("noon-only", sakura, "zU_aoi", "11:00-11:30", plus(300_000)),
        hold("before", sakura, "zU_aoi", "09:00-10:00", plus(300_000)),
        // Lapses between the clocks of the turn's reads: live for those earlier than the 25th millisecond only.
        hold("lapsing", sakura, "zU_recruiting", "10:15-10:45", plus(25)),
        hold("lapsed", sakura, "zU_aoi", "10:00-11:00", plus(-1)),
        hold("kaede", kaede, "zU_mio", "10:00-12:00", plus(300_000)),
      ])
      .execute();
  });

  it("answers each its own organisation's holds over its own interval, live at its own clock", async () => {
    const { result, queries } = await queriesDuring(t.database.db, readAll);
    const expected = reads.map((read) => {
      if (read.tenant === kaede) return ["kaede"];
      const live = read.now < plus(25) ? ["lapsing"] : [];
      return (read.start === morning.start ? ["both", "confirmed", ...live] : ["both", "noon-only", ...live]).sort();
    });
    expect(result.map(ids)).toEqual(expected);
    // Both of sakura's intervals had reads on either side of the lapse in the one turn.
    for (const interval of [morning, noon])
      expect(
        new Set(
          reads.flatMap((read, index) =>
            read.tenant === sakura && read.start === interval.start ? [ids(result[index]!).includes("lapsing")] : [],
          ),
        ),
      ).toEqual(new Set([true, false]));
    expect(result.map(byId)).toEqual((await readAlone()).map(byId));
    // One statement for the 50 reads of two organisations over two intervals: 50 queries when each is read alone.
    if (dialectName === "postgres") expect(queries).toBeLessThanOrEqual(2);
    else expect(postgresPoolOf(t.database.db)).toBeUndefined();
  });

  it("reads one organisation's interval at the earliest clock of the turn's reads of it", async () => {
    const { result, queries } = await queriesDuring(t.database.db, () =>
      Promise.all(reads.map((read) => liveHoldsOfOrg(t.database.db, sakura, morning.start, morning.end, read.now))),
    );
    expect(result.map(ids)).toEqual(
      reads.map((read) => (read.now < plus(25) ? ["both", "confirmed", "lapsing"] : ["both", "confirmed"])),
    );
    if (dialectName === "postgres") expect(queries).toBeLessThanOrEqual(2);
  });

  it("sees a hold placed before the reads", async () => {
    const placed = await placeHold(t.database.db, { now: () => clock }, kaede, {
      zoomUserId: "zU_mio",
      start: at("11:00"),
      end: at("11:30"),
      limit: 2,
      zoomMeetings: [],
      createdBy: "mio",
    });
    expect(placed.placed).toBe(true);
    const result = await readAll();
    const kaedes = reads.flatMap((read, index) =>
      read.tenant === kaede ? [{ read, holds: ids(result[index]!) }] : [],
    );
    expect(kaedes.map(({ holds }) => holds)).toEqual(
      kaedes.map(({ read }) =>
        read.start === noon.start ? ["kaede", placed.placed && placed.hold.id].sort() : ["kaede"],
      ),
    );
    expect(result.map(byId)).toEqual((await readAlone()).map(byId));
  });
});
