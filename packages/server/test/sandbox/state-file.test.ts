import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { get } from "node:http";
import { describe, expect, it } from "vitest";
import { clients, freeBasePort, interview, linkEverything, stateFileRig } from "./state-file-support.ts";

const rig = stateFileRig();

describe("the sandbox with a state file (TSUNAGU_SANDBOX_STATE)", () => {
  it("keeps links, tokens, events, meetings and Slack conversations across a restart", async () => {
    const first = await rig.start();
    const { googleTokens, microsoftTokens, zoomTokens, slackTokens } = await linkEverything(first);
    const before = clients(first);
    const googleEvent = await before.google.api(googleTokens.accessToken).createEvent(interview);
    const outlookEvent = await before.microsoft.api(microsoftTokens.accessToken).createEvent(interview);
    const meeting = await before.zoom.api(zoomTokens.accessToken).createMeeting("zU_hanako", {
      topic: interview.summary,
      start: interview.start,
      durationMinutes: 60,
      timeZone: interview.timeZone,
    });
    const dm = await before.slack.api(slackTokens.accessToken).openDirectMessage("U0S002KEN");
    await before.slack.api(slackTokens.accessToken).postMessage(dm.channelId, "面接が確定しました");
    // The sandbox clock, moved by the control API, stays where it was moved: tokens expire by it.
    await fetch(`${first.baseUrls.google}/_control/clock`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceSeconds: 60 }),
    });
    // Written before each answer left: the last change is in the file as soon as its answer is read.
    expect(readFileSync(rig.stateFile, "utf8")).toContain(dm.channelId);
    expect(statSync(rig.stateFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(rig.directory)).toEqual(["sandbox-state.json"]);
    await rig.stop(first);

    const second = await rig.start();
    expect(rig.log().filter((line) => line.level === "warn" && line.message.includes("state file"))).toEqual([]);
    expect(second.clock.offsetMs).toBe(60_000);
    const after = clients(second);
    // The access tokens issued before the restart still work, and so do the refresh tokens.
    const google = after.google.api(googleTokens.accessToken);
    const kept = await google.getEvent(googleEvent.id);
    expect(kept).toMatchObject({ id: googleEvent.id, status: "confirmed" });
    // The fakes listen on other ports now (0 picks free ones): the links they made moved with them.
    expect(kept.webLink?.startsWith(`${second.baseUrls.google}/`)).toBe(true);
    const moved = { start: new Date("2031-04-08T01:00:00Z"), end: new Date("2031-04-08T02:00:00Z") };
    await google.updateEvent(googleEvent.id, moved);
    const googleRefreshed = await after.google.oauth.refresh(googleTokens.refreshToken ?? "");
    expect(await after.google.api(googleRefreshed.accessToken).getEvent(googleEvent.id)).toMatchObject({
      start: moved.start,
    });

    const outlook = after.microsoft.api(microsoftTokens.accessToken);
    expect(await outlook.getEvent(outlookEvent.id)).toMatchObject({ id: outlookEvent.id });
    const microsoftRefreshed = await after.microsoft.oauth.refresh(microsoftTokens.refreshToken ?? "");
    await after.microsoft.api(microsoftRefreshed.accessToken).updateEvent(outlookEvent.id, moved);

    const zoom = after.zoom.api(zoomTokens.accessToken);
    expect(await zoom.getMeeting(meeting.id)).toMatchObject({ id: meeting.id, hostId: "zU_hanako" });
    const zoomRefreshed = await after.zoom.oauth.refresh(zoomTokens.refreshToken ?? "");
    await after.zoom.api(zoomRefreshed.accessToken).updateMeeting(meeting.id, { start: moved.start });
    expect(await after.zoom.api(zoomRefreshed.accessToken).getMeeting(meeting.id)).toMatchObject({
      start: moved.start,
    });
    // Zoom's rotation holds across the restart too: the refresh token spent above is refused.
    await expect(after.zoom.oauth.refresh(zoomTokens.refreshToken ?? "")).rejects.toThrow();

    const slack = after.slack.api(slackTokens.accessToken);
    expect(await slack.openConversation("U0S002KEN")).toEqual({ channelId: dm.channelId, alreadyOpen: true });
    await slack.postMessage(dm.channelId, "日程が変更されました");
  });

  it("writes nothing until a request changes a fake, and nothing for reads", async () => {
    const sandbox = await rig.start();
    const jwks = await fetch(`${sandbox.baseUrls.google}/oauth2/v3/certs`);
    expect(jwks.status).toBe(200);
    const events = await fetch(`${sandbox.baseUrls.microsoft}/_control/events`);
    expect(events.status).toBe(200);
    expect(existsSync(rig.stateFile)).toBe(false);
    await fetch(`${sandbox.baseUrls.zoom}/_control/meetings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "zU_ken", start: interview.start, end: interview.end, topic: "社内MTG" }),
    });
    expect(readFileSync(rig.stateFile, "utf8")).toContain("社内MTG");
  });

  it("goes on answering from memory, saying so once, when the file cannot be written", async () => {
    const sandbox = await rig.start();
    // A directory where the file goes: the temporary file cannot be renamed over it.
    mkdirSync(rig.stateFile);
    await linkEverything(sandbox);
    const made = await fetch(`${sandbox.baseUrls.zoom}/_control/meetings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "zU_ken", start: interview.start, end: interview.end }),
    });
    expect(made.status).toBe(201);
    const aboutTheFile = rig.log().filter((line) => line.message.includes(rig.stateFile));
    expect(aboutTheFile.map((line) => [line.level, line.reason])).toEqual([
      ["info", undefined],
      ["error", "EISDIR"],
    ]);
    expect(readdirSync(rig.directory)).toEqual(["sandbox-state.json"]);
  });
});

describe("the links the fakes made, when the fakes listen on other ports than when the file was written", () => {
  it("move with their fake, Zoom's join URLs in Google and Outlook events included, each once", async () => {
    // The second start's ports are the first's moved by one: Google's port now was Microsoft's, Microsoft's was
    // Zoom's. A link moved to a new origin that was another fake's old one must not be moved again.
    const basePort = await freeBasePort(5);
    const first = await rig.start({ basePort });
    const { googleTokens, microsoftTokens, zoomTokens } = await linkEverything(first);
    const before = clients(first);
    const meeting = await before.zoom.api(zoomTokens.accessToken).createMeeting("zU_hanako", {
      topic: interview.summary,
      start: interview.start,
      durationMinutes: 60,
      timeZone: interview.timeZone,
    });
    // As Tsunagu writes an interview's event (interviews/event-input.ts): the join URL in the location and text.
    const withZoom = { ...interview, location: meeting.joinUrl, description: `Zoom：${meeting.joinUrl}` };
    const googleEvent = await before.google.api(googleTokens.accessToken).createEvent(withZoom);
    const outlookEvent = await before.microsoft.api(microsoftTokens.accessToken).createEvent(withZoom);
    await rig.stop(first);

    const second = await rig.start({ basePort: basePort + 1 });
    const zoomNow = second.baseUrls.zoom;
    const google = JSON.parse(
      (await freshGet(`${second.baseUrls.google}/calendar/v3/calendars/primary/events/${googleEvent.id}`, googleTokens))
        .body,
    ) as { htmlLink: string; location: string; description: string };
    const outlook = JSON.parse(
      (await freshGet(`${second.baseUrls.microsoft}/v1.0/me/events/${outlookEvent.id}`, microsoftTokens)).body,
    ) as { webLink: string; location: { displayName: string }; body: { content: string } };
    const joinUrlNow = meeting.joinUrl.replace(first.baseUrls.zoom, zoomNow);
    expect(joinUrlNow.startsWith(`${zoomNow}/j/${meeting.id}?pwd=`)).toBe(true);
    expect(google).toMatchObject({ location: joinUrlNow, description: `Zoom：${joinUrlNow}` });
    expect(google.htmlLink.startsWith(`${second.baseUrls.google}/calendar/event?`)).toBe(true);
    expect(outlook.location.displayName).toBe(joinUrlNow);
    expect(outlook.body.content).toContain(joinUrlNow);
    expect(outlook.webLink.startsWith(`${second.baseUrls.microsoft}/owa/`)).toBe(true);
    // The moved join URL works: the Zoom fake's page for the meeting.
    const joined = await freshGet(joinUrlNow);
    expect(joined.status).toBe(200);
    expect(joined.body).toContain(`Meeting ${meeting.id} (${interview.summary})`);
  });
});

/**
 * A GET on a connection of its own: fetch's pool may still hold a keep-alive connection to the first start's fake on
 * the same port, closed since, and send the request on it ("other side closed").
 */
function freshGet(url: string, tokens?: { accessToken: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = tokens ? { authorization: `Bearer ${tokens.accessToken}` } : {};
    get(url, { agent: false, headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    }).on("error", reject);
  });
}

describe("a start from the seed while the server's database holds links", () => {
  it("says the links will need linking again, and how to start afresh", async () => {
    await rig.start({ linksInDatabase: 3 });
    const said = rig.log().filter((line) => line.message.includes(rig.stateFile));
    expect(said.map((line) => [line.level, line.links])).toEqual([["warn", 3]]);
    expect(said[0]?.message).toContain("does not exist, but the server's database holds 3 linked account(s)");
    expect(said[0]?.message).toContain("再連携が必要");
    expect(said[0]?.message).toContain("Link them again, or stop the server and delete its database as well");
    expect(said[0]?.message).toContain("delete the .data directory");
  });

  it("says only that the file does not exist yet when the database holds none", async () => {
    await rig.start({ linksInDatabase: 0 });
    expect(rig.log().filter((line) => line.message.includes(rig.stateFile))).toEqual([
      expect.objectContaining({ level: "info", message: expect.stringContaining("does not exist yet") }),
    ]);
  });

  it("says nothing of the database when the file is there", async () => {
    const first = await rig.start();
    await linkEverything(first);
    await rig.stop(first);
    rig.forgetLog();
    await rig.start({ linksInDatabase: 4 });
    expect(rig.log().filter((line) => line.message.includes(rig.stateFile))).toEqual([
      expect.objectContaining({ level: "info", message: `sandbox state loaded from ${rig.stateFile}` }),
    ]);
  });
});

describe("the sandbox without a state file", () => {
  it("writes no file, and a new start begins from the seed", async () => {
    const cwd = process.cwd();
    process.chdir(rig.directory);
    try {
      const first = await rig.start({ stateFile: undefined });
      await linkEverything(first);
      await rig.stop(first);
      expect(readdirSync(rig.directory)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
    const second = await rig.start({ stateFile: undefined });
    const meetings = (await (await fetch(`${second.baseUrls.zoom}/_control/meetings`)).json()) as { meetings: [] };
    expect(meetings.meetings).toEqual([]);
  });
});
