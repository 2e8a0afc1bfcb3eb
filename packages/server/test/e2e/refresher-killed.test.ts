/**
 * Issue 7, item 3: a server process is SIGKILLed while its Zoom token
 * refresh is at Zoom (the fake holds the call with injected latency). Zoom
 * rotated the refresh token for that call, and the new one died with the
 * process. Another process must not hang on the dead refresher's lease: its
 * checks answer within seconds (503 `provider_unavailable` with Retry-After
 * while the lease stands), it takes the lease over within seconds, and the
 * account turns needs_reauth with its `account.needs_reauth` webhook in the
 * outbox. Real server processes, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTokens, replaceTokens } from "../../src/accounts/tokens.ts";
import { type Person, startZoomServers, tenant, type ZoomServers } from "./zoom-servers.ts";
import { sleep, waitFor } from "../support/wait.ts";

let t: ZoomServers;
const hanako: Person = { sub: "hanako", role: "admin" };
const ken: Person = { sub: "ken", role: "recruiter" };
/** Longer than any wait below would allow with the old three-minute lease; each request is bounded by it. */
const requestBoundMs = 15_000;

beforeAll(async () => {
  t = await startZoomServers(2);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe("a refresher killed while its refresh is at Zoom", () => {
  it("is taken over within seconds by another process; callers meanwhile get 503 with Retry-After; the account ends " +
    "needs_reauth with its webhook", async () => {
    const [doomed, survivor] = t.processes as [(typeof t.processes)[number], (typeof t.processes)[number]];
    await t.link(survivor, hanako, "zU_hanako", "org");
    const accountId = String((await t.link(survivor, ken, "zU_ken", "personal")).accountId);
    const row = await t.db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirstOrThrow();

    // The stored token is due for a refresh.
    const stored = (await readTokens(t.store, tenant, row.credential_id))!;
    expect(
      await replaceTokens(t.store, tenant, row.credential_id, stored.version, {
        ...stored.tokens,
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      }),
    ).toBe(true);

    // The doomed process starts the refresh; Zoom holds it.
    await t.zoom.running.control("/latency", { ms: 20_000 });
    const tokenCalls = await t.zoom.running.calls("POST /oauth/token");
    const doomedCheck = t.call(doomed, ken, "POST", `/v1/accounts/${accountId}/check`).catch(() => "killed" as const);
    await waitFor("the refresh at Zoom", async () =>
      (await t.zoom.running.calls("POST /oauth/token")) > tokenCalls ? true : undefined,
    );
    const lease = await t.db
      .selectFrom("token_refresh_leases")
      .selectAll()
      .where("credential_id", "=", row.credential_id)
      .executeTakeFirstOrThrow();

    // While the holder lives (and renews its lease), a caller in the other process does not hang: 503 with Retry-After.
    const whileAlive = await t.call(
      survivor,
      ken,
      "POST",
      `/v1/accounts/${accountId}/check`,
      undefined,
      AbortSignal.timeout(requestBoundMs),
    );
    expect({
      status: whileAlive.status,
      body: await whileAlive.json(),
      retryAfter: whileAlive.headers.get("retry-after"),
    }).toMatchObject({
      status: 503,
      body: { error: { code: "provider_unavailable" } },
      retryAfter: expect.stringMatching(/^[1-9]\d*$/),
    });
    expect(
      await t.db
        .selectFrom("token_refresh_leases")
        .select("holder")
        .where("credential_id", "=", row.credential_id)
        .executeTakeFirst(),
    ).toEqual({ holder: lease.holder });

    // Now the holder dies, its call still at Zoom.
    await doomed.kill();
    const killedAt = Date.now();
    expect(await doomedCheck).toBe("killed");
    await t.zoom.running.control("/latency", { ms: 0 });
    // Zoom rotates the refresh token for a refresh it received: the one we stored is dead, its successor died with the
    // process.
    // (Spent here if the held call has not spent it yet, so the test does not depend on when Zoom finishes that call.)
    await t.zoom.client.oauth.refresh(stored.tokens.refreshToken!).catch(() => undefined);

    // The survivor's checks: each answers within seconds; 503 + Retry-After while the dead lease stands, then
    // needs_reauth.
    const answers: Array<{ status: number; code: string; retryAfter: string | null; atSeconds: number }> = [];
    for (;;) {
      const answer = await t.call(
        survivor,
        ken,
        "POST",
        `/v1/accounts/${accountId}/check`,
        undefined,
        AbortSignal.timeout(requestBoundMs),
      );
      const body = (await answer.json()) as { error?: { code: string } };
      answers.push({
        status: answer.status,
        code: body.error?.code ?? "",
        retryAfter: answer.headers.get("retry-after"),
        atSeconds: (Date.now() - killedAt) / 1000,
      });
      if (answer.status !== 503) break;
      expect(answers.length).toBeLessThan(10);
      await sleep(Number(answer.headers.get("retry-after")) * 1000);
    }
    const takeover = answers.at(-1)!;
    console.info(
      `killed refresher's lease taken over after ${takeover.atSeconds.toFixed(1)} s; answers: ` +
        `${JSON.stringify(answers)}`,
    );
    for (const waiting of answers.slice(0, -1))
      expect(waiting).toMatchObject({
        status: 503,
        code: "provider_unavailable",
        retryAfter: expect.stringMatching(/^[1-9]\d*$/),
      });
    expect(takeover).toMatchObject({ status: 409, code: "needs_reauth" });

    // The lease the dead process held is gone (taken over, then released).
    expect(
      await t.db
        .selectFrom("token_refresh_leases")
        .select("holder")
        .where("credential_id", "=", row.credential_id)
        .where("holder", "=", lease.holder)
        .executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await t.db
        .selectFrom("accounts")
        .select(["status", "status_reason"])
        .where("id", "=", accountId)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: "needs_reauth", status_reason: "invalid_grant" });
    const events = await t.db
      .selectFrom("webhook_outbox")
      .select(["type", "payload"])
      .where("type", "=", "account.needs_reauth")
      .execute();
    expect(events.filter((event) => event.payload.includes(accountId))).toHaveLength(1);
  }, 90_000);
});
