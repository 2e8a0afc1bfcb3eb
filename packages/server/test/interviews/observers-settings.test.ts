/**
 * Issue 11, items 2–3: the observers (Slack notices and portal webhooks are
 * built on them) are told of each settled change inside the transaction that
 * settles it; the organisation's waiting-room setting reaches the Zoom
 * meeting; and an interview left `updating` by a dead process is put back by
 * the recovery pass, the Zoom meeting moved back to its time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InterviewChange } from "../../src/interviews/ports.ts";
import { createTestApp } from "../support/test-app.ts";
import {
  accessTokenOf,
  booking,
  call,
  hanako,
  hoursFromNow,
  type InterviewApp,
  ken,
  kenZoomAccountId,
  setUpOrganisation,
  zoomMeetings,
} from "./support.ts";

let t: InterviewApp;
const told: Array<{ kind: string; status: string; inTransaction: boolean; before?: string }> = [];

beforeAll(async () => {
  t = await createTestApp({
    providers: ["google", "microsoft", "zoom"],
    interviewObservers: [
      {
        async record(trx, change: InterviewChange) {
          told.push({
            kind: change.kind,
            status: change.interview.status,
            inTransaction: trx.isTransaction,
            ...(change.before && { before: change.before.start }),
          });
        },
      },
    ],
  });
  await setUpOrganisation(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

async function zoomMeeting(meetingId: string): Promise<Record<string, any>> {
  const response = await fetch(`${t.zoom.running.baseUrl}/v2/meetings/${meetingId}`, {
    headers: { authorization: `Bearer ${await accessTokenOf(t, await kenZoomAccountId(t))}` },
  });
  return (await response.json()) as Record<string, any>;
}

describe("the interview observers", () => {
  it("are told scheduled, updated (with the interview before), cancelled and failed, inside the transaction", async () => {
    const booked = await call(t, ken, "POST", "/v1/interviews", booking(t, 1, { zoom: { hostZoomUserId: "zU_ken" } }));
    const start = hoursFromNow(t, 2);
    await call(t, ken, "PATCH", `/v1/interviews/${booked.body.id}`, {
      start,
      end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
    });
    await call(t, ken, "DELETE", `/v1/interviews/${booked.body.id}`);
    await t.zoom.running.control("/fail", { status: 400, method: "POST", path: "/v2/users/zU_ken/meetings" });
    expect(
      (await call(t, ken, "POST", "/v1/interviews", booking(t, 4, { zoom: { hostZoomUserId: "zU_ken" } }))).status,
    ).toBe(424);
    expect(told).toEqual([
      { kind: "scheduled", status: "confirmed", inTransaction: true },
      { kind: "updated", status: "confirmed", inTransaction: true, before: booked.body.start },
      { kind: "cancelled", status: "cancelled", inTransaction: true },
      { kind: "failed", status: "failed", inTransaction: true },
    ]);
  });
});

describe("the waiting room", () => {
  it("is on by default, and off for the organisation's meetings once an admin turns it off", async () => {
    const before = await call(t, ken, "POST", "/v1/interviews", booking(t, 6, { zoom: { hostZoomUserId: "zU_ken" } }));
    expect((await zoomMeeting(before.body.zoom.meetingId)).settings.waiting_room).toBe(true);
    expect((await call(t, ken, "PUT", "/v1/interview-settings", { waitingRoom: false })).status).toBe(403);
    const set = await call(t, hanako, "PUT", "/v1/interview-settings", { waitingRoom: false });
    expect(set.body).toMatchObject({ waitingRoom: false, updatedBy: "hanako" });
    const after = await call(t, ken, "POST", "/v1/interviews", booking(t, 8, { zoom: { hostZoomUserId: "zU_ken" } }));
    expect((await zoomMeeting(after.body.zoom.meetingId)).settings.waiting_room).toBe(false);
  });
});

describe("an interview left updating by a dead process", () => {
  it("is put back by the recovery pass: the meeting returns to its time, the interview confirmed", async () => {
    const booked = await call(t, ken, "POST", "/v1/interviews", booking(t, 10, { zoom: { hostZoomUserId: "zU_ken" } }));
    const row = await t.db
      .selectFrom("interviews")
      .selectAll()
      .where("id", "=", booked.body.id)
      .executeTakeFirstOrThrow();
    const later = hoursFromNow(t, 11);
    const laterEnd = new Date(Date.parse(later) + 45 * 60_000).toISOString();
    const before = {
      title: row.title,
      description: row.description,
      starts_at: row.starts_at,
      ends_at: row.ends_at,
      interviewers: row.interviewers,
      candidate: row.candidate,
      zoom_host_user_id: row.zoom_host_user_id,
    };
    // The dead process had moved the meeting and saved the new time, then died before the event.
    const moved = await fetch(`${t.zoom.running.baseUrl}/v2/meetings/${row.zoom_meeting_id}`, {
      method: "PATCH",
      headers: {
        authorization: `Bearer ${await accessTokenOf(t, await kenZoomAccountId(t))}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ start_time: later.replace(/\.\d{3}Z$/, "Z") }),
    });
    expect(moved.status).toBe(204);
    await t.db
      .updateTable("interviews")
      .set({
        status: "updating",
        step: "update",
        starts_at: later,
        ends_at: laterEnd,
        pending: JSON.stringify({
          before,
          after: { ...before, starts_at: later, ends_at: laterEnd },
          actorUserId: "ken",
        }),
        lease_holder: "a process that died",
        lease_expires_at: new Date(t.clock.now().getTime() - 1000).toISOString(),
      })
      .where("id", "=", row.id)
      .execute();

    expect(await t.interviews.recovery.runOnce()).toBe(1);
    const after = await call(t, ken, "GET", `/v1/interviews/${row.id}`);
    expect(after.body).toMatchObject({
      status: "confirmed",
      start: row.starts_at,
      failure: { code: "provider_failed" },
    });
    expect((await zoomMeetings(t)).find((meeting) => meeting.id === row.zoom_meeting_id)).toMatchObject({
      start: row.starts_at,
    });
  });
});
