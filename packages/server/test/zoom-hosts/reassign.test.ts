/**
 * Issue 10, item 4: giving an existing Zoom meeting another host through
 * POST /v1/zoom/meetings/:id/host. Zoom moves a meeting only for a caller
 * with scheduling privilege for the new host (the seed's owner, Hanako, has
 * it for the shared recruiting user, and the organisation connection is her
 * grant); otherwise the meeting is made again under the new host and the old
 * one deleted. The answer says which happened. A meeting made in Zoom is its
 * host's: an admin may give it another host, anyone else only when they linked
 * its host themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { link } from "../oauth/zoom-links.ts";
import { postedMessage } from "../support/round-trip.ts";
import { type Caller, createTestApp, type WebhookTestApp } from "../support/test-app.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const hanako: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const ken: Caller = { sub: "ken", org: "sakura", role: "recruiter" };
const sho: Caller = { sub: "sho", org: "sakura", role: "recruiter" };
const misaki: Caller = { sub: "misaki", org: "sakura", role: "assistant" };
const outsider: Caller = { sub: "ken", org: "other-org", role: "admin" };

interface ControlMeeting {
  id: string;
  userId: string;
  start: string;
  end: string;
  topic: string;
}

async function linked(caller: Caller, zoomUser: string, purpose: "org" | "personal" = "personal"): Promise<void> {
  const { response } = await link(t, caller, zoomUser, { purpose, returnMode: "popup" });
  const message = postedMessage(await response.text())?.message;
  if (message?.status !== "linked") throw new Error(`linking ${zoomUser} failed: ${JSON.stringify(message)}`);
}

async function call(caller: Caller, method: string, path: string, body?: unknown) {
  const response = await t.api(caller, method, path, body);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const at = (hours: number) =>
  new Date(
    Math.floor(t.zoom.running.clock.now().getTime() / 3600_000) * 3600_000 + (24 + hours) * 3600_000,
  ).toISOString();

async function meetingInZoom(userId: string, start: string, end: string, topic: string): Promise<ControlMeeting> {
  const response = await fetch(`${t.zoom.running.baseUrl}/_control/meetings`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId, start, end, topic }),
  });
  return (await response.json()) as ControlMeeting;
}

async function zoomMeetings(): Promise<ControlMeeting[]> {
  return ((await (await fetch(`${t.zoom.running.baseUrl}/_control/meetings`)).json()) as { meetings: ControlMeeting[] })
    .meetings;
}

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], serve: true, webhooks: {} });
  await linked(hanako, "zU_hanako", "org");
  await linked(ken, "zU_ken");
  await linked(sho, "zU_sho");
  await linked(misaki, "zU_recruiting");
});
afterAll(async () => {
  await t.close();
});

describe("POST /v1/zoom/meetings/:id/host", () => {
  it(
    "moves the meeting in Zoom when a grant with scheduling " + "privilege for the new host can, and keeps its id",
    async () => {
      const meeting = await meetingInZoom("zU_ken", at(1), at(2), "一次面接: 候補者 A");
      const answer = await call(ken, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_recruiting" });
      expect(answer).toEqual({
        status: 200,
        body: {
          outcome: "moved",
          meeting: {
            id: meeting.id,
            hostZoomUserId: "zU_recruiting",
            joinUrl: expect.stringContaining(meeting.id),
            start: at(1),
            end: at(2),
            topic: "一次面接: 候補者 A",
          },
          previousMeetingId: meeting.id,
          holdId: expect.any(String),
        },
      });
      expect((await zoomMeetings()).find((entry) => entry.id === meeting.id)).toMatchObject({
        userId: "zU_recruiting",
      });
      // The new host is held for it, confirmed by the meeting: it counts once in its load.
      const hold = await t.db
        .selectFrom("zoom_holds")
        .selectAll()
        .where("id", "=", answer.body.holdId)
        .executeTakeFirstOrThrow();
      expect(hold).toMatchObject({ zoom_user_id: "zU_recruiting", meeting_id: meeting.id, expires_at: null });
      const hosts = await call(
        ken,
        "GET",
        `/v1/zoom/hosts?start=${encodeURIComponent(at(1))}&end=${encodeURIComponent(at(2))}&participants=&refresh=1`,
      );
      expect(
        hosts.body.candidates.find((entry: { zoomUserId: string }) => entry.zoomUserId === "zU_recruiting"),
      ).toMatchObject({ load: 1 });
    },
  );

  it(
    "makes the meeting again under the new host and deletes the " + "old one when Zoom will not move it, and says so",
    async () => {
      const meeting = await meetingInZoom("zU_ken", at(3), at(4), "二次面接: 候補者 B");
      const answer = await call(ken, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_sho" });
      expect(answer).toMatchObject({
        status: 200,
        body: {
          outcome: "recreated",
          previousMeetingId: meeting.id,
          meeting: { hostZoomUserId: "zU_sho", start: at(3), end: at(4), topic: "二次面接: 候補者 B" },
        },
      });
      expect(answer.body.meeting.id).not.toBe(meeting.id);
      const after = await zoomMeetings();
      expect(after.find((entry) => entry.id === meeting.id)).toBeUndefined();
      expect(after.find((entry) => entry.id === answer.body.meeting.id)).toEqual({
        id: answer.body.meeting.id,
        userId: "zU_sho",
        start: at(3),
        end: at(4),
        topic: "二次面接: 候補者 B",
      });
    },
  );

  it("refuses a new host that is busy then with 409 zoom_host_busy and changes nothing", async () => {
    await meetingInZoom("zU_sho", at(5), at(6), "社内会議");
    const meeting = await meetingInZoom("zU_ken", at(5.5), at(6.5), "三次面接: 候補者 C");
    const answer = await call(ken, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_sho" });
    expect(answer).toMatchObject({
      status: 409,
      body: { error: { code: "zoom_host_busy", details: { zoomUserId: "zU_sho", limit: 1, load: 1 } } },
    });
    expect((await zoomMeetings()).find((entry) => entry.id === meeting.id)).toMatchObject({ userId: "zU_ken" });
  });

  it(
    "answers 404 for a meeting no linked Zoom user hosts, 404 for an unknown host, 409 for the same host, 400 for a " +
      "bad body",
    async () => {
      const meeting = await meetingInZoom("zU_ken", at(7), at(8), "面接");
      expect(await call(ken, "POST", "/v1/zoom/meetings/89999999999/host", { zoomUserId: "zU_sho" })).toMatchObject({
        status: 404,
        body: { error: { code: "zoom_meeting_not_found" } },
      });
      expect(await call(ken, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_taro" })).toMatchObject({
        status: 404,
        body: { error: { code: "zoom_host_not_found" } },
      });
      expect(await call(ken, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_ken" })).toMatchObject({
        status: 409,
        body: { error: { code: "zoom_host_unchanged" } },
      });
      expect(await call(ken, "POST", `/v1/zoom/meetings/${meeting.id}/host`, {})).toMatchObject({
        status: 400,
        body: { error: { code: "invalid_body" } },
      });
      expect(
        await call(outsider, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_sho" }),
      ).toMatchObject({ status: 404, body: { error: { code: "zoom_host_not_found" } } });
    },
  );
});

describe("who may give a meeting made in Zoom another host", () => {
  it(
    "refuses a recruiter and an assistant a colleague's own meeting with 403 zoom_meeting_not_yours, changing " +
      "nothing at Zoom; an admin may",
    async () => {
      const meeting = await meetingInZoom("zU_ken", at(9), at(10), "Ken's 1on1");
      const before = await zoomMeetings();
      const holdsBefore = await t.db.selectFrom("zoom_holds").select("id").execute();
      for (const caller of [sho, misaki]) {
        const refused = await call(caller, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_sho" });
        expect(refused).toEqual({
          status: 403,
          body: {
            error: {
              code: "zoom_meeting_not_yours",
              message: expect.stringMatching(/administrator.*linked this meeting's Zoom host/),
            },
          },
        });
        // Nothing of the meeting is told: not its host, not its topic.
        expect(refused.body.error.message).not.toMatch(/zU_ken|Ken's 1on1/);
      }
      expect(await zoomMeetings()).toEqual(before);
      expect(await t.db.selectFrom("zoom_holds").select("id").execute()).toEqual(holdsBefore);

      const answer = await call(hanako, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_sho" });
      expect(answer).toMatchObject({
        status: 200,
        body: { previousMeetingId: meeting.id, meeting: { hostZoomUserId: "zU_sho", topic: "Ken's 1on1" } },
      });
      expect((await zoomMeetings()).find((entry) => entry.id === answer.body.meeting.id)).toMatchObject({
        userId: "zU_sho",
      });
    },
  );

  it("lets an assistant give a meeting of a Zoom user she linked herself another host", async () => {
    const meeting = await meetingInZoom("zU_recruiting", at(11), at(12), "説明会");
    const answer = await call(misaki, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_ken" });
    expect(answer).toMatchObject({ status: 200, body: { meeting: { hostZoomUserId: "zU_ken" } } });
  });

  it(
    "lets a recruiter whose own link to the host needs linking again give its meeting another host, through the " +
      "organisation's connection",
    async () => {
      const meeting = await meetingInZoom("zU_ken", at(13), at(14), "Ken's 面談");
      await setZoomStatus("needs_reauth", ["ken"]);
      try {
        const moved = await call(ken, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_recruiting" });
        // Hanako's connection may schedule for the recruiting user: Zoom moves it, and it keeps its id.
        expect(moved).toMatchObject({
          status: 200,
          body: { outcome: "moved", meeting: { id: meeting.id, hostZoomUserId: "zU_recruiting" } },
        });
        const again = await meetingInZoom("zU_ken", at(15), at(16), "Ken's 面談 2");
        const recreated = await call(ken, "POST", `/v1/zoom/meetings/${again.id}/host`, { zoomUserId: "zU_sho" });
        // Made again under Sho with his link, and the old one deleted with the connection.
        expect(recreated).toMatchObject({
          status: 200,
          body: { outcome: "recreated", previousMeetingId: again.id, meeting: { hostZoomUserId: "zU_sho" } },
        });
        const after = await zoomMeetings();
        expect(after.find((entry) => entry.id === again.id)).toBeUndefined();
        expect(after.find((entry) => entry.id === recreated.body.meeting.id)).toMatchObject({ userId: "zU_sho" });
      } finally {
        await setZoomStatus("active", ["ken"]);
      }
    },
  );

  it(
    "tells a recruiter whose link to the host needs linking again, when no grant can read its meetings, to link it " +
      "again (409 needs_reauth), changing nothing; a colleague still gets 404",
    async () => {
      const meeting = await meetingInZoom("zU_ken", at(17), at(18), "Ken's 1on1 2");
      const before = await zoomMeetings();
      const holdsBefore = await t.db.selectFrom("zoom_holds").select("id").execute();
      // Hanako's own link stands on the connection's tokens: both need linking again, as Ken's does.
      await setZoomStatus("needs_reauth", ["ken", "hanako"], true);
      try {
        const refused = await call(ken, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_sho" });
        expect(refused).toEqual({
          status: 409,
          body: {
            error: {
              code: "needs_reauth",
              message: expect.stringMatching(/^Your link to the Zoom user .+ must be linked again/),
              details: { status: "needs_reauth", zoomUserId: "zU_ken" },
            },
          },
        });
        expect(await call(sho, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_sho" })).toEqual({
          status: 404,
          body: { error: { code: "zoom_meeting_not_found", message: expect.any(String) } },
        });
        expect(await zoomMeetings()).toEqual(before);
        expect(await t.db.selectFrom("zoom_holds").select("id").execute()).toEqual(holdsBefore);
      } finally {
        await setZoomStatus("active", ["ken", "hanako"], true);
      }
      // Linked again (here: its status back), the same request moves it.
      const moved = await call(ken, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_sho" });
      expect(moved).toMatchObject({ status: 200, body: { meeting: { hostZoomUserId: "zU_sho" } } });
    },
  );

  it(
    "answers 409 needs_reauth, making no meeting under the new host, when the meeting is found but no grant can act " +
      "for its host",
    async () => {
      const meeting = await meetingInZoom("zU_ken", at(19), at(20), "Ken's 1on1 3");
      const before = await zoomMeetings();
      const holdsBefore = await t.db.selectFrom("zoom_holds").select("id").execute();
      const madeForSho = () => t.zoom.running.calls("POST /v2/users/zU_sho/meetings");
      const made = await madeForSho();
      // The connection needs linking again, but Hanako's own link on its tokens has not found out yet: it still reads
      // Ken's meeting, yet no grant acts for Ken.
      await setZoomStatus("needs_reauth", ["ken"], true);
      try {
        const refused = await call(ken, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: "zU_sho" });
        expect(refused).toEqual({
          status: 409,
          body: {
            error: {
              code: "needs_reauth",
              message: expect.stringMatching(
                /^Every link to the meeting's host, the Zoom user .+, must be linked again/,
              ),
              details: { status: "needs_reauth", zoomUserId: "zU_ken" },
            },
          },
        });
        expect(await madeForSho()).toBe(made);
        expect(await zoomMeetings()).toEqual(before);
        expect(await t.db.selectFrom("zoom_holds").select("id").execute()).toEqual(holdsBefore);
      } finally {
        await setZoomStatus("active", ["ken"], true);
      }
    },
  );
});

/** Sets the status of portal users' Zoom links, and of the organisation's Zoom connection, as a refresh would. */
async function setZoomStatus(
  status: "active" | "needs_reauth",
  portalUserIds: string[],
  connection = false,
): Promise<void> {
  const statusReason = status === "active" ? null : "invalid_grant";
  await t.db
    .updateTable("accounts")
    .set({ status, status_reason: statusReason })
    .where("user_id", "in", portalUserIds)
    .where("provider", "=", "zoom")
    .execute();
  if (connection)
    await t.db
      .updateTable("connections")
      .set({ status, status_reason: statusReason })
      .where("org_id", "=", "sakura")
      .where("provider", "=", "zoom")
      .execute();
}

/** A portal user's link to Zoom. */
const zoomAccountOf = (userId: string) =>
  t.db
    .selectFrom("accounts")
    .select("id")
    .where("user_id", "=", userId)
    .where("provider", "=", "zoom")
    .executeTakeFirstOrThrow();

describe("the Zoom unlink guard", () => {
  it("lists each blocking meeting with the hosts free at its time, leaving out busy ones", async () => {
    await t.db.deleteFrom("zoom_holds").execute();
    for (const meeting of await zoomMeetings())
      if (meeting.userId === "zU_sho")
        await call(sho, "POST", "/v1/zoom/holds", {
          zoomUserId: "zU_recruiting",
          start: meeting.start,
          end: meeting.end,
        });
    const mine = (await zoomMeetings()).filter((meeting) => meeting.userId === "zU_sho");
    expect(mine.length).toBeGreaterThan(0);
    const shoAccount = await zoomAccountOf("sho");
    const answer = await call(sho, "DELETE", `/v1/accounts/${shoAccount.id}`);
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe("zoom_user_hosts_meetings");
    for (const meeting of answer.body.error.details.meetings as Array<{ hosts: Array<{ zoomUserId: string }> }>) {
      const ids = meeting.hosts.map((host) => host.zoomUserId);
      expect(ids).not.toContain("zU_sho");
      // The recruiting user is held for each of them, so only Hanako and Ken are free (Ken where he has nothing on).
      expect(ids).not.toContain("zU_recruiting");
      expect(ids).toContain("zU_hanako");
    }
  });

  it("lets the portal user unlinking move the meetings it lists to one of their hosts, then unlink", async () => {
    const shoAccount = await zoomAccountOf("sho");
    const blocked = await call(sho, "DELETE", `/v1/accounts/${shoAccount.id}`);
    expect(blocked.body.error.code).toBe("zoom_user_hosts_meetings");
    const meetings = blocked.body.error.details.meetings as Array<{ id: string; hosts: Array<{ zoomUserId: string }> }>;
    for (const meeting of meetings) {
      // Each meeting's hosts were free at its time on their own; one taken by an earlier move is busy now.
      const statuses: number[] = [];
      for (const host of meeting.hosts) {
        const moved = await call(sho, "POST", `/v1/zoom/meetings/${meeting.id}/host`, { zoomUserId: host.zoomUserId });
        statuses.push(moved.status);
        if (moved.status === 200) break;
        expect(moved.body.error.code).toBe("zoom_host_busy");
      }
      expect(statuses.at(-1)).toBe(200);
    }
    expect((await call(sho, "DELETE", `/v1/accounts/${shoAccount.id}`)).status).toBe(200);
  });
});
