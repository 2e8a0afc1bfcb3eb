import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../src/providers/errors.ts";
import { zoomScopes } from "../../src/providers/zoom.ts";
import { zoom as seed } from "../../src/sandbox/seed.ts";
import { link, moveClockToNextDay, startZoom, type ZoomHarness } from "./zoom-support.ts";

let zoom: ZoomHarness;
beforeAll(async () => {
  // Small pages, so every list call has to follow next_page_token.
  zoom = await startZoom({ clientOptions: { pageSize: 2 } });
});
afterAll(() => zoom.close());
beforeEach(async () => {
  await zoom.running.control("/reset");
  moveClockToNextDay(zoom.running, 1);
});

const interview = (start: Date) => ({
  topic: "一次面接: 候補者 A",
  agenda: "Engineering interview",
  start,
  durationMinutes: 60,
  timeZone: "Asia/Tokyo",
});
const hoursFromNow = (hours: number) =>
  new Date(Math.floor(zoom.running.clock.now().getTime() / 60_000) * 60_000 + hours * 3600_000);

describe("an API path the fake does not serve", () => {
  it(
    "answers Zoom's JSON 404 code 2300, not a plain-text page; " + "without a token, 401 code 124 as every /v2 path",
    async () => {
      const { accessToken } = await link(zoom, "zU_misaki");
      const response = await fetch(`${zoom.running.baseUrl}/v2/users/me/settings/nothing`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ code: 2300, message: "This API endpoint is not recognized." });
      const anonymous = await fetch(`${zoom.running.baseUrl}/v2/users/me/settings/nothing`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ code: 124 });
    },
  );
});

describe("Zoom users", () => {
  it("GET /users/me gives the user's id, account_id, type, role and names", async () => {
    const { accessToken } = await link(zoom, "zU_misaki");
    await expect(zoom.client.api(accessToken).me()).resolves.toMatchObject({
      id: "zU_misaki",
      accountId: seed.accountId,
      email: "misaki.suzuki@sakura-recruit.example",
      type: 1,
      roleName: "Member",
      firstName: "Misaki",
      lastName: "Suzuki",
      timeZone: "Asia/Tokyo",
    });
  });

  it("tells apart the other company's Zoom account", async () => {
    const { accessToken } = await link(zoom, "zU_taro");
    await expect(zoom.client.api(accessToken).me()).resolves.toMatchObject({
      id: "zU_taro",
      accountId: seed.otherAccountId,
    });
  });

  it("GET /users follows every page and lists only the install's account", async () => {
    const { accessToken } = await link(zoom, "zU_hanako", [...zoomScopes.admin]);
    const users = await zoom.client.api(accessToken).listUsers();
    expect(users.map((user) => user.id).sort()).toEqual(
      seed.users
        .filter((user) => user.accountId === seed.accountId)
        .map((user) => user.id)
        .sort(),
    );
    expect(await zoom.running.calls("GET /v2/users")).toBe(Math.ceil(users.length / 2));
  });

  it("GET /users without an admin scope fails with Zoom's 4711", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    const error = await zoom.client
      .api(accessToken)
      .listUsers()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      status: 400,
      code: "4711",
      message: expect.stringContaining("user:read:list_users:admin"),
    });
  });

  it("answers a bad token with 401 code 124, which our client calls unauthorized", async () => {
    await expect(zoom.client.api("not-a-token").me()).rejects.toMatchObject({
      provider: "zoom",
      status: 401,
      code: "unauthorized",
    });
  });
});

describe("Zoom meetings", () => {
  it("creates a scheduled meeting (201) with join_url, start_url, a passcode and a waiting room", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    const start = hoursFromNow(24);
    const meeting = await zoom.client.api(accessToken).createMeeting("me", interview(start));
    expect(meeting).toMatchObject({
      hostId: "zU_sho",
      topic: "一次面接: 候補者 A",
      durationMinutes: 60,
      timeZone: "Asia/Tokyo",
      start,
      id: expect.stringMatching(/^\d{11}$/),
    });
    expect(meeting.joinUrl).toContain(`/j/${meeting.id}`);
    expect(meeting.startUrl).toContain(`/s/${meeting.id}`);
    expect(meeting.password).toMatch(/^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9]{10}$/);
    const raw = await fetch(`${zoom.running.baseUrl}/v2/meetings/${meeting.id}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const body = (await raw.json()) as { start_time: string; type: number; settings: Record<string, unknown> };
    expect(body).toMatchObject({
      type: 2,
      start_time: start.toISOString().replace(".000Z", "Z"),
      settings: { join_before_host: false, waiting_room: true },
    });
  });

  it("accepts overlapping meetings for the same host: the concurrency limit bites only at start time", async () => {
    const { accessToken } = await link(zoom, "zU_misaki");
    const api = zoom.client.api(accessToken);
    const start = hoursFromNow(5);
    const first = await api.createMeeting("me", interview(start));
    const second = await api.createMeeting("zU_misaki", interview(new Date(start.getTime() + 15 * 60_000)));
    expect(second.id).not.toBe(first.id);
    expect((await api.listUpcoming("me")).map((meeting) => meeting.id)).toEqual([first.id, second.id]);
  });

  it("lets an admin install schedule for the shared recruiting user, not for another company's user", async () => {
    const { accessToken } = await link(zoom, "zU_ken", [...zoomScopes.admin]);
    const api = zoom.client.api(accessToken);
    await expect(
      api.createMeeting("recruiting@sakura-recruit.example", interview(hoursFromNow(3))),
    ).resolves.toMatchObject({ hostId: "zU_recruiting" });
    await expect(api.createMeeting("zU_taro", interview(hoursFromNow(3)))).rejects.toMatchObject({
      status: 404,
      code: "1001",
    });
  });

  it("keeps a user-managed link to its own user", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    await expect(
      zoom.client.api(accessToken).createMeeting("zU_recruiting", interview(hoursFromNow(3))),
    ).rejects.toMatchObject({ status: 400, code: "200" });
  });

  it("lists upcoming meetings over every page, leaving out the ones already over", async () => {
    const { accessToken } = await link(zoom, "zU_james");
    const api = zoom.client.api(accessToken);
    const past = await api.createMeeting("me", interview(hoursFromNow(-3)));
    const created = [];
    for (const hours of [30, 2, 10, 50, 6]) created.push(await api.createMeeting("me", interview(hoursFromNow(hours))));
    const upcoming = await api.listUpcoming("me");
    expect(upcoming.map((meeting) => meeting.id)).not.toContain(past.id);
    expect(upcoming.map((meeting) => meeting.id).sort()).toEqual(created.map((meeting) => meeting.id).sort());
    expect(upcoming[0]).toEqual({
      id: expect.any(String),
      hostId: "zU_james",
      topic: "一次面接: 候補者 A",
      joinUrl: expect.stringContaining("/j/"),
      start: hoursFromNow(2),
      durationMinutes: 60,
    });
    expect(await zoom.running.calls("GET /v2/users/me/meetings")).toBe(3);
  });

  it("updates with PATCH (204) and reads the change back", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    const api = zoom.client.api(accessToken);
    const meeting = await api.createMeeting("me", interview(hoursFromNow(24)));
    const moved = hoursFromNow(26);
    await expect(
      api.updateMeeting(meeting.id, { start: moved, durationMinutes: 45, topic: "二次面接" }),
    ).resolves.toBeUndefined();
    await expect(api.getMeeting(meeting.id)).resolves.toMatchObject({
      start: moved,
      durationMinutes: 45,
      topic: "二次面接",
      joinUrl: meeting.joinUrl,
    });
  });

  it("deletes with 204; deleting again is not an error, while reading it is 404 code 3001", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    const api = zoom.client.api(accessToken);
    const meeting = await api.createMeeting("me", interview(hoursFromNow(24)));
    await expect(api.deleteMeeting(meeting.id)).resolves.toBeUndefined();
    await expect(api.deleteMeeting(meeting.id)).resolves.toBeUndefined();
    await expect(api.getMeeting(meeting.id)).rejects.toMatchObject({
      status: 404,
      code: "3001",
      message: expect.stringContaining(`Meeting does not exist: ${meeting.id}.`),
    });
    await expect(api.updateMeeting("12345678901", { topic: "x" })).rejects.toMatchObject({ status: 404, code: "3001" });
  });

  it("reports validation failures as code 300 with the failing fields", async () => {
    const { accessToken } = await link(zoom, "zU_sho");
    const error = await zoom.client
      .api(accessToken)
      .createMeeting("me", { ...interview(hoursFromNow(24)), timeZone: "Mars/Olympus" })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 400, code: "300", message: expect.stringContaining("timezone") });
  });

  it(
    "reads a local start_time in the meeting's time zone, as Zoom does without Z; PATCH and DELETE answer 204 with " +
      "no body",
    async () => {
      const { accessToken } = await link(zoom, "zU_sho");
      const response = await fetch(`${zoom.running.baseUrl}/v2/users/me/meetings`, {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({
          topic: "local",
          type: 2,
          start_time: "2031-03-10T10:00:00",
          duration: 30,
          timezone: "Asia/Tokyo",
        }),
      });
      expect(response.status).toBe(201);
      const created = (await response.json()) as { id: number };
      expect(created).toMatchObject({ start_time: "2031-03-10T01:00:00Z", timezone: "Asia/Tokyo" });
      const meetingUrl = `${zoom.running.baseUrl}/v2/meetings/${created.id}`;
      const patched = await fetch(meetingUrl, {
        method: "PATCH",
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ start_time: "2031-03-10T11:00:00" }),
      });
      expect([patched.status, await patched.text()]).toEqual([204, ""]);
      await expect(
        (await fetch(meetingUrl, { headers: { authorization: `Bearer ${accessToken}` } })).json(),
      ).resolves.toMatchObject({ start_time: "2031-03-10T02:00:00Z" });
      const deleted = await fetch(meetingUrl, {
        method: "DELETE",
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect([deleted.status, await deleted.text()]).toEqual([204, ""]);
    },
  );
});
