/**
 * Issue 7, item 2: links of one Zoom identity whose callbacks arrive at once,
 * split across two real server processes on one database, over loopback,
 * with the Zoom fake (which ends
 * a user's earlier grant when they authorise again). Every outcome is
 * `linked` or `account_already_linked`; exactly the right account rows exist;
 * every account of the identity ends on the grant Zoom issued last, so its
 * check answers active; and no losing flow revokes that grant.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTokens } from "../../src/accounts/tokens.ts";
import type { ServerProcess } from "../support/server-process.ts";
import { type Person, startZoomServers, tenant, type ZoomServers } from "./zoom-servers.ts";

let t: ZoomServers;
let server: ServerProcess;
/** Callbacks alternate between the two processes. */
const serverFor = (index: number) => t.processes[index % 2]!;
const hanako: Person = { sub: "hanako", role: "admin" };
const ken: Person = { sub: "ken", role: "recruiter" };

beforeAll(async () => {
  t = await startZoomServers(2);
  server = t.processes[0]!;
  await t.link(server, hanako, "zU_hanako", "org");
}, 60_000);

afterAll(async () => {
  await t?.close();
});

const accountsOf = (externalUserId: string) =>
  t.db
    .selectFrom("accounts")
    .selectAll()
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .where("provider", "=", "zoom")
    .where("external_user_id", "=", externalUserId)
    .orderBy("user_id")
    .execute();

/** What each callback said: "linked", or the error code. */
function outcomeCounts(messages: Array<Record<string, unknown>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const message of messages) {
    const key =
      message.status === "linked"
        ? "linked"
        : String((message.error as { code?: string } | undefined)?.code ?? message.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Every account of the identity holds the one live Zoom grant: same credential, check active, who-am-I answers at
 * Zoom. */
async function expectAllOnTheLiveGrant(externalUserId: string, people: Person[]) {
  const rows = await accountsOf(externalUserId);
  expect(rows.map((row) => [row.user_id, row.status])).toEqual(people.map((person) => [person.sub, "active"]).sort());
  expect(new Set(rows.map((row) => row.credential_id)).size).toBe(1);
  const tokens = await readTokens(t.store, tenant, rows[0]!.credential_id);
  await expect(t.zoom.client.api(tokens!.tokens.accessToken).me()).resolves.toMatchObject({ id: externalUserId });
  for (const row of rows) {
    const person = people.find((candidate) => candidate.sub === row.user_id)!;
    const check = await t.call(server, person, "POST", `/v1/accounts/${row.id}/check`);
    expect({ status: check.status, body: await check.json() }).toMatchObject({
      status: 200,
      body: { status: "active" },
    });
  }
}

/** No credential is left that nothing points at (the losers' tokens were not kept beside the winner's). */
async function expectNoOrphanCredentials() {
  const credentials = await t.db
    .selectFrom("credentials")
    .select("id")
    .where("host_id", "=", tenant.hostId)
    .where("org_id", "=", tenant.orgId)
    .execute();
  const accounts = await t.db.selectFrom("accounts").select("credential_id").execute();
  const connections = await t.db.selectFrom("connections").select("credential_id").execute();
  const used = new Set([...accounts.map((row) => row.credential_id), ...connections.map((row) => row.credential_id)]);
  expect(credentials.filter((row) => !used.has(row.id))).toEqual([]);
}

describe("simultaneous callbacks for one Zoom identity", () => {
  it("50 callbacks of one person linking their Zoom user at once: one linked, 49 account_already_linked, one account " +
    "on the live grant", async () => {
    const pending = [];
    for (let index = 0; index < 50; index++)
      pending.push(await t.prepareLink(serverFor(index), ken, "zU_ken", "personal"));
    const revokes = await t.zoom.running.calls("POST /oauth/revoke");

    const messages = await Promise.all(pending.map((callback, index) => t.followCallback(serverFor(index), callback)));

    const counts = outcomeCounts(messages);
    console.info(`50 simultaneous callbacks for one identity: ${JSON.stringify(counts)}`);
    expect(counts).toEqual({ linked: 1, account_already_linked: 49 });
    expect(
      new Set(messages.filter((message) => message.status === "linked").map((message) => message.accountId)).size,
    ).toBe(1);
    expect(await t.zoom.running.calls("POST /oauth/revoke")).toBe(revokes);
    await expectAllOnTheLiveGrant("zU_ken", [ken]);
    await expectNoOrphanCredentials();
  }, 120_000);

  it("two people linking the shared recruiting Zoom user at " +
    "once are both linked, on one live grant (8 rounds)", async () => {
    const linked: Person[] = [];
    for (let round = 0; round < 8; round++) {
      const pair: Person[] = [
        { sub: `recruiter-${round}-a`, role: "recruiter" },
        { sub: `recruiter-${round}-b`, role: "recruiter" },
      ];
      const pending = await Promise.all(
        pair.map((person, index) => t.prepareLink(serverFor(index), person, "zU_recruiting", "personal")),
      );
      const messages = await Promise.all(
        pending.map((callback, index) => t.followCallback(serverFor(index), callback)),
      );
      expect(outcomeCounts(messages)).toEqual({ linked: 2 });
      linked.push(...pair);
      // Everyone who linked the shared user in earlier rounds moved to the newest grant too.
      await expectAllOnTheLiveGrant("zU_recruiting", linked);
    }
    await expectNoOrphanCredentials();
  }, 120_000);
});
