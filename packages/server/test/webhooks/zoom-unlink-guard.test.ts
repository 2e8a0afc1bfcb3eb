import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenOwner } from "../../src/accounts/refresh.ts";
import { type Caller, createTestApp, type WebhookTestApp } from "../support/test-app.ts";
import { link } from "../oauth/zoom-links.ts";
import { postedMessage } from "../support/round-trip.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const admin: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const ken: Caller = { sub: "ken", org: "sakura", role: "recruiter" };
const misaki: Caller = { sub: "misaki", org: "sakura", role: "assistant" };

async function linked(caller: Caller, zoomUser: string, purpose: "org" | "personal" = "personal"): Promise<string> {
  const { response } = await link(t, caller, zoomUser, { purpose, returnMode: "popup" });
  const message = postedMessage(await response.text())?.message;
  if (message?.status !== "linked") throw new Error(`linking ${zoomUser} failed: ${JSON.stringify(message)}`);
  return String(message.accountId ?? message.connectionId);
}

/** The organisation's admin-managed app: it may schedule for any user of the Zoom account. */
async function adminApi() {
  const connection = await t.db
    .selectFrom("connections")
    .selectAll()
    .where("org_id", "=", "sakura")
    .executeTakeFirstOrThrow();
  const owner: TokenOwner = {
    kind: "connection",
    id: connection.id,
    hostId: "portal-a",
    orgId: "sakura",
    provider: "zoom",
    credentialId: connection.credential_id!,
  };
  const tokens = await t.refresher.getFreshAccessToken(owner, ({ refreshToken }) =>
    t.zoom.client.oauth.refresh(refreshToken),
  );
  return t.zoom.client.api(tokens.accessToken);
}

const inHours = (hours: number) =>
  new Date(Math.floor(t.zoom.running.clock.now().getTime() / 60_000) * 60_000 + hours * 3600_000);
async function meetingFor(zoomUserId: string, topic: string, hours: number) {
  return (await adminApi()).createMeeting(zoomUserId, {
    topic,
    start: inHours(hours),
    durationMinutes: 60,
    timeZone: "Asia/Tokyo",
  });
}
async function unlink(caller: Caller, id: string) {
  const response = await t.api(caller, "DELETE", `/v1/accounts/${id}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const accountExists = async (id: string) =>
  (await t.db.selectFrom("accounts").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;

let hanakoOwn: string;
let kenZoom: string;
let kenRecruiting: string;
let misakiRecruiting: string;

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], serve: true, webhooks: {} });
  await linked(admin, "zU_hanako", "org");
  hanakoOwn = (await t.db.selectFrom("accounts").select("id").where("user_id", "=", "hanako").executeTakeFirstOrThrow())
    .id;
  kenZoom = await linked(ken, "zU_ken");
  kenRecruiting = await linked(ken, "zU_recruiting");
  misakiRecruiting = await linked(misaki, "zU_recruiting");
});
afterAll(async () => {
  await t.close();
});

describe("unlinking a Zoom user who hosts upcoming meetings", () => {
  it("is refused with the meetings listed, and the message says to move them to another host first", async () => {
    const past = await meetingFor("zU_ken", "終わった面接", -3);
    const upcoming = await meetingFor("zU_ken", "一次面接: 候補者 A", 48);
    const revokes = await t.zoom.running.calls("POST /oauth/revoke");

    const answer = await unlink(ken, kenZoom);
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({
      error: {
        code: "zoom_user_hosts_meetings",
        message: expect.stringContaining("Move them to another host first"),
        details: {
          zoomUserId: "zU_ken",
          meetings: [
            {
              id: upcoming.id,
              topic: "一次面接: 候補者 A",
              start: upcoming.start.toISOString(),
              end: new Date(upcoming.start.getTime() + 60 * 60_000).toISOString(),
              // The organisation's other Zoom users free at that time: where the meeting could move.
              hosts: [
                { zoomUserId: "zU_hanako", displayName: expect.any(String) },
                { zoomUserId: "zU_recruiting", displayName: expect.any(String) },
              ],
            },
          ],
        },
      },
    });
    expect(JSON.stringify(answer.body)).not.toContain(past.id);
    expect(await accountExists(kenZoom)).toBe(true);
    expect(await t.zoom.running.calls("POST /oauth/revoke")).toBe(revokes);
    expect((await t.outbox()).filter((row) => row.type === "account.unlinked")).toEqual([]);
  });

  it("goes through once the meetings have another host", async () => {
    const api = await adminApi();
    for (const meeting of await api.listUpcoming("zU_ken")) await api.deleteMeeting(meeting.id);
    expect(await unlink(ken, kenZoom)).toMatchObject({
      status: 200,
      body: { unlinked: { id: kenZoom }, revokedAtProvider: true },
    });
    expect(await accountExists(kenZoom)).toBe(false);
  });

  it(
    "lets one portal user let go of the shared recruiting user while a colleague's link to it stays, and holds back " +
      "the last link",
    async () => {
      const meeting = await meetingFor("zU_recruiting", "二次面接: 候補者 B", 24);
      expect(await unlink(ken, kenRecruiting)).toMatchObject({
        status: 200,
        body: { unlinked: { id: kenRecruiting } },
      });
      expect(await unlink(misaki, misakiRecruiting)).toMatchObject({
        status: 409,
        body: {
          error: {
            code: "zoom_user_hosts_meetings",
            details: { zoomUserId: "zU_recruiting", meetings: [{ id: meeting.id, topic: "二次面接: 候補者 B" }] },
          },
        },
      });
      expect(await accountExists(misakiRecruiting)).toBe(true);
    },
  );

  it("answers 503 provider_unavailable when Zoom cannot list the meetings, and unlinks nothing", async () => {
    await t.zoom.running.control("/fail", { status: 500, count: 4, path: "/v2/users/zU_recruiting/meetings" });
    expect(await unlink(misaki, misakiRecruiting)).toMatchObject({
      status: 503,
      body: { error: { code: "provider_unavailable" } },
    });
    expect(await accountExists(misakiRecruiting)).toBe(true);
  });
});

describe("disconnecting the Zoom organisation connection", () => {
  it(
    "lets the admin unlink their own account while the " + "connection, authorised by the same Zoom user, stays",
    async () => {
      await meetingFor("zU_hanako", "最終面接: 候補者 C", 72);
      expect(await unlink(admin, hanakoOwn)).toMatchObject({ status: 200, body: { revokedAtProvider: false } });
    },
  );

  it("is refused while the connection's Zoom user hosts upcoming meetings", async () => {
    const response = await t.api(admin, "DELETE", "/v1/connections/zoom");
    expect({ status: response.status, body: await response.json() }).toMatchObject({
      status: 409,
      body: {
        error: {
          code: "zoom_user_hosts_meetings",
          details: { zoomUserId: "zU_hanako", meetings: [{ topic: "最終面接: 候補者 C" }] },
        },
      },
    });
    expect(
      await t.db.selectFrom("connections").select("id").where("org_id", "=", "sakura").executeTakeFirst(),
    ).toBeDefined();
  });

  it("goes through once those meetings have another host", async () => {
    const api = await adminApi();
    for (const meeting of await api.listUpcoming("zU_hanako")) await api.deleteMeeting(meeting.id);
    const response = await t.api(admin, "DELETE", "/v1/connections/zoom");
    expect(response.status).toBe(200);
  });
});
