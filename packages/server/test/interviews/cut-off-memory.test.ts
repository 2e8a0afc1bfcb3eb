/**
 * What a process remembers of the interviews its database cut off (records.ts `Leases.cutOff`, read by its recovery
 * pass to say why a booking or change ended) stays bounded: one another process settled is never looked at again by
 * this process's pass, so without a bound every such interview would stay in memory for the life of the process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeases } from "../../src/interviews/records.ts";
import { silentLogger } from "../../src/log.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe("the interviews a process's database cut off", () => {
  it("are remembered until the recovery pass forgets them, a thousand at most, the oldest making room", () => {
    const leases = createLeases({ db: t.db, clock: t.clock, logger: silentLogger, leaseMs: 30_000, observers: [] });
    leases.cutOff("iv_first");
    expect(leases.wasCutOff("iv_first")).toBe(true);
    leases.forgetCutOff("iv_first");
    expect(leases.wasCutOff("iv_first")).toBe(false);

    for (let index = 0; index <= 1_000; index++) leases.cutOff(`iv_${index}`);
    expect(leases.wasCutOff("iv_0")).toBe(false);
    expect(leases.wasCutOff("iv_1")).toBe(true);
    expect(leases.wasCutOff("iv_1000")).toBe(true);
  });
});
