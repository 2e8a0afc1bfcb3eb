import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLease, failLease, releaseLease } from "../../src/accounts/refresh-lease.ts";
import { openDatabase, type DB } from "../../src/store/database.ts";
import { createTestDatabase, type TestDatabase } from "../support/database.ts";

let test: TestDatabase;
let other: DB;
beforeAll(async () => {
  test = await createTestDatabase();
  other = openDatabase(test.options);
});
afterAll(async () => {
  await other.destroy();
  await test.close();
});

const t0 = new Date("2026-05-01T00:00:00.000Z");
const later = (ms: number) => new Date(t0.getTime() + ms);

describe("refresh leases", () => {
  it("lets one holder in until it releases, from either database handle", async () => {
    expect(await acquireLease(test.db, "cred-1", "a", t0, 60_000)).toEqual({ acquired: true });
    expect(await acquireLease(other, "cred-1", "b", later(1), 60_000)).toEqual({
      acquired: false,
      holder: "a",
      failure: null,
      expiresAt: later(60_000).toISOString(),
    });
    await releaseLease(other, "cred-1", "b");
    expect(await acquireLease(other, "cred-1", "b", later(2), 60_000)).toMatchObject({ acquired: false, holder: "a" });
    await releaseLease(test.db, "cred-1", "a");
    expect(await acquireLease(other, "cred-1", "b", later(3), 60_000)).toEqual({ acquired: true });
  });

  it("is taken over once it has run out", async () => {
    expect(await acquireLease(test.db, "cred-2", "a", t0, 1_000)).toEqual({ acquired: true });
    expect(await acquireLease(other, "cred-2", "b", later(999), 1_000)).toMatchObject({ acquired: false });
    expect(await acquireLease(other, "cred-2", "b", later(1_000), 1_000)).toEqual({ acquired: true });
  });

  it("reports a recorded failure until the lease runs out, then hands it on", async () => {
    expect(await acquireLease(test.db, "cred-3", "a", t0, 60_000)).toEqual({ acquired: true });
    await failLease(test.db, "cred-3", "a", "provider_unavailable", later(5_000));
    expect(await acquireLease(other, "cred-3", "b", later(10), 60_000)).toEqual({
      acquired: false,
      holder: "a",
      failure: "provider_unavailable",
      expiresAt: later(5_000).toISOString(),
    });
    expect(await acquireLease(other, "cred-3", "b", later(5_000), 60_000)).toEqual({ acquired: true });
  });

  it("admits exactly one of many simultaneous takers", async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        acquireLease(index % 2 ? other : test.db, "cred-4", `holder-${index}`, t0, 60_000),
      ),
    );
    expect(results.filter((result) => result.acquired)).toHaveLength(1);
  });
});
