/**
 * Issue 4, item 8: 50 concurrent health checks through one expired Zoom token,
 * split across two real server processes (`src/main.ts`) on one database and
 * one Zoom fake, cause exactly one token refresh at Zoom, and the account
 * stays active. The account is linked through the real round trip in the
 * first process; the test then makes its stored token expired as well as
 * dead at Zoom.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTokens, replaceTokens } from "../../src/accounts/tokens.ts";
import type { ServerProcess } from "../support/server-process.ts";
import { type Person, startZoomServers, tenant, type ZoomServers } from "./zoom-servers.ts";

let t: ZoomServers;

beforeAll(async () => {
  t = await startZoomServers(2);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe("two server processes, one database, one Zoom", () => {
  it("refresh an expired Zoom token exactly once for 50 concurrent checks, and the account stays active", async () => {
    const processes = t.processes;
    const [first, second] = processes as [ServerProcess, ServerProcess];
    await t.link(first, { sub: "hanako", role: "admin" }, "zU_hanako", "org");
    const linked = await t.link(first, { sub: "ken", role: "recruiter" }, "zU_ken", "personal");
    const accountId = String(linked.accountId);
    const ken: Person = { sub: "ken", role: "recruiter" };

    // Expired on both sides: Zoom refuses the access token, and its stored expiry is in the past.
    await t.zoom.running.control("/expire-tokens");
    const row = await t.db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirstOrThrow();
    const stored = (await readTokens(t.store, tenant, row.credential_id))!;
    expect(
      await replaceTokens(t.store, tenant, row.credential_id, stored.version, {
        ...stored.tokens,
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      }),
    ).toBe(true);

    const tokenCalls = await t.zoom.running.calls("POST /oauth/token");
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        t.call(processes[index % 2]!, ken, "POST", `/v1/accounts/${accountId}/check`),
      ),
    );
    const bodies = await Promise.all(
      answers.map(async (response) => ({
        status: response.status,
        body: (await response.json()) as Record<string, unknown>,
      })),
    );

    expect(bodies.filter((answer) => answer.status !== 200)).toEqual([]);
    expect(new Set(bodies.map((answer) => answer.body.status))).toEqual(new Set(["active"]));
    expect((await t.zoom.running.calls("POST /oauth/token")) - tokenCalls).toBe(1);
    expect(
      await t.db
        .selectFrom("accounts")
        .select(["status", "status_reason"])
        .where("id", "=", accountId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: "active", status_reason: null });
    const refreshed = (await readTokens(t.store, tenant, row.credential_id))!;
    expect(refreshed.version).toBe(stored.version + 2);
    expect(Date.parse(refreshed.tokens.expiresAt!)).toBeGreaterThan(Date.now());
    // Half of the checks went to each process, and each answered all of its own.
    const answeredBy = (server: ServerProcess) =>
      answers.filter(
        (response, index) =>
          processes[index % 2] === server && response.status === 200 && response.url.startsWith(server.baseUrl),
      );
    expect([answeredBy(first).length, answeredBy(second).length]).toEqual([25, 25]);
  }, 60_000);
});
