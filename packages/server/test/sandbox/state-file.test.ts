import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.ts";
import { createGoogleClient, googleScopes } from "../../src/providers/google.ts";
import type { HttpDeps } from "../../src/providers/http.ts";
import { createMicrosoftClient, microsoftQuirks } from "../../src/providers/microsoft.ts";
import { createSlackClient, slackScopes } from "../../src/providers/slack.ts";
import { createZoomClient } from "../../src/providers/zoom.ts";
import { type Sandbox, startSandbox } from "../../src/sandbox/index.ts";
import { decide, openConsent, pkcePair } from "../providers/google-support.ts";
import { decide as decideMicrosoft } from "../providers/microsoft-helpers.ts";

const redirectUri = "http://127.0.0.1:8787/oauth/callback";
const hanako = "hanako.yamada@sakura-recruit.example";
const ken = "ken.sato@sakura-recruit.example";
const interview = {
  summary: "一次面接: 山本 さくら",
  start: new Date("2031-04-07T01:00:00Z"),
  end: new Date("2031-04-07T02:00:00Z"),
  timeZone: "Asia/Tokyo",
  attendees: [{ email: ken }],
};

let directory: string;
let stateFile: string;
let logLines: string[];
const running: Sandbox[] = [];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "tsunagu-sandbox-state-"));
  stateFile = join(directory, "sandbox-state.json");
  logLines = [];
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
  rmSync(directory, { recursive: true, force: true });
});

/** The sandbox as main.ts starts it, with the state file unless told `withoutStateFile`. */
async function start(withoutStateFile?: "withoutStateFile"): Promise<Sandbox> {
  const logger = createLogger({ level: "info", write: (line) => logLines.push(line) });
  const sandbox = await startSandbox({ basePort: 0, logger, stateFile: withoutStateFile ? undefined : stateFile });
  running.push(sandbox);
  return sandbox;
}

async function stop(sandbox: Sandbox): Promise<void> {
  running.splice(running.indexOf(sandbox), 1);
  await sandbox.close();
}

/** The production clients, pointed at this start of the sandbox (its client secrets are new at every start). */
function clients(sandbox: Sandbox) {
  const deps: HttpDeps = {
    fetch: globalThis.fetch,
    clock: sandbox.clock,
    sleep: async () => undefined,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  };
  return {
    google: createGoogleClient(sandbox.settings.google, deps),
    microsoft: createMicrosoftClient(sandbox.settings.microsoft, deps),
    zoom: createZoomClient(sandbox.settings.zoom, deps),
    slack: createSlackClient(sandbox.settings.slack, deps),
  };
}

/** Consent in the fake's page (as a browser would), then the code exchanged for tokens. */
async function linkEverything(sandbox: Sandbox) {
  const { google, microsoft, zoom, slack } = clients(sandbox);
  const code = (back: URL) => back.searchParams.get("code") ?? "";

  const googlePkce = pkcePair();
  const googleUrl = google.oauth.authorizationUrl({
    state: "s",
    codeChallenge: googlePkce.challenge,
    redirectUri,
    scopes: [...googleScopes],
    loginHint: hanako,
  });
  const googleTokens = await google.oauth.exchangeCode({
    code: code(await decide(await openConsent(googleUrl), hanako)),
    codeVerifier: googlePkce.verifier,
    redirectUri,
  });

  const microsoftPkce = pkcePair();
  const microsoftUrl = microsoft.oauth.authorizationUrl({
    state: "s",
    codeChallenge: microsoftPkce.challenge,
    redirectUri,
    scopes: [...microsoftQuirks.scopes],
    nonce: "n",
  });
  const microsoftTokens = await microsoft.oauth.exchangeCode({
    code: code(await decideMicrosoft(microsoftUrl, ken, "allow")),
    codeVerifier: microsoftPkce.verifier,
    redirectUri,
  });

  const zoomPkce = pkcePair();
  const zoomUrl = zoom.oauth.authorizationUrl({
    state: "s",
    codeChallenge: zoomPkce.challenge,
    redirectUri,
    scopes: [],
  });
  const zoomTokens = await zoom.oauth.exchangeCode({
    code: code(await decide(await openConsent(zoomUrl), "zU_hanako")),
    codeVerifier: zoomPkce.verifier,
    redirectUri,
  });

  const slackPkce = pkcePair();
  const slackUrl = slack.oauth.authorizationUrl({
    state: "s",
    codeChallenge: slackPkce.challenge,
    redirectUri,
    scopes: [...slackScopes.bot],
  });
  const slackTokens = await slack.oauth.exchangeCode({
    code: code(await decide(await openConsent(slackUrl), "U0S001HANA")),
    codeVerifier: slackPkce.verifier,
    redirectUri,
  });
  return { googleTokens, microsoftTokens, zoomTokens, slackTokens };
}

describe("the sandbox with a state file (TSUNAGU_SANDBOX_STATE)", () => {
  it("keeps links, tokens, events, meetings and Slack conversations across a restart", async () => {
    const first = await start();
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
    expect(readFileSync(stateFile, "utf8")).toContain(dm.channelId);
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(directory)).toEqual(["sandbox-state.json"]);
    await stop(first);

    const second = await start();
    expect(logLines.filter((line) => JSON.parse(line).level === "warn" && line.includes("state file"))).toEqual([]);
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
    const sandbox = await start();
    const jwks = await fetch(`${sandbox.baseUrls.google}/oauth2/v3/certs`);
    expect(jwks.status).toBe(200);
    const events = await fetch(`${sandbox.baseUrls.microsoft}/_control/events`);
    expect(events.status).toBe(200);
    expect(existsSync(stateFile)).toBe(false);
    await fetch(`${sandbox.baseUrls.zoom}/_control/meetings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "zU_ken", start: interview.start, end: interview.end, topic: "社内MTG" }),
    });
    expect(readFileSync(stateFile, "utf8")).toContain("社内MTG");
  });

  it.each([
    ["not JSON", "{ this is not json", "not JSON"],
    ["another format", JSON.stringify({ format: "tsunagu-sandbox-state", version: 2 }), "not a sandbox state file"],
    [
      "a fake's state that does not fit",
      JSON.stringify({
        format: "tsunagu-sandbox-state",
        version: 1,
        clockOffsetMs: 0,
        origins: { google: "x", microsoft: "x", zoom: "x", slack: "x" },
        fakes: {
          google: { grants: [], accessTokens: [], refreshTokens: [], events: "none" },
          microsoft: {},
          zoom: {},
          slack: {},
        },
      }),
      "google:",
    ],
  ])("starts from the seed with one warning naming the file when it holds %s", async (_what, text, reason) => {
    writeFileSync(stateFile, text);
    const sandbox = await start();
    const warnings = logLines.map((line) => JSON.parse(line)).filter((line) => line.level === "warn");
    const aboutTheFile = warnings.filter((line) => line.message.includes(stateFile));
    expect(aboutTheFile).toHaveLength(1);
    expect(JSON.stringify(aboutTheFile[0])).toContain(reason);
    expect(JSON.stringify(aboutTheFile[0])).not.toContain("    at ");
    const meetings = (await (await fetch(`${sandbox.baseUrls.zoom}/_control/meetings`)).json()) as { meetings: [] };
    expect(meetings.meetings).toEqual([]);
    // The first change replaces the file with one the next start reads.
    await linkEverything(sandbox);
    await stop(sandbox);
    logLines = [];
    await start();
    expect(logLines.filter((line) => JSON.parse(line).level === "warn" && line.includes(stateFile))).toEqual([]);
  });

  it.each([1e308, 8.64e15])(
    "starts from the seed with one warning when the file moves the clock %d ms, past any valid date",
    async (clockOffsetMs) => {
      const first = await start();
      await linkEverything(first);
      await fetch(`${first.baseUrls.zoom}/_control/meetings`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ userId: "zU_ken", start: interview.start, end: interview.end, topic: "社内MTG" }),
      });
      await stop(first);
      writeFileSync(stateFile, JSON.stringify({ ...JSON.parse(readFileSync(stateFile, "utf8")), clockOffsetMs }));
      logLines = [];
      const second = await start();
      const aboutTheFile = logLines.map((line) => JSON.parse(line)).filter((line) => line.message.includes(stateFile));
      expect(aboutTheFile.map((line) => [line.level, line.message.includes("clockOffsetMs")])).toEqual([
        ["warn", true],
      ]);
      expect(second.clock.now().getTime()).not.toBeNaN();
      const meetings = (await (await fetch(`${second.baseUrls.zoom}/_control/meetings`)).json()) as { meetings: [] };
      expect(meetings.meetings).toEqual([]);
    },
  );

  it("goes on answering from memory, saying so once, when the file can be neither read nor written", async () => {
    mkdirSync(stateFile);
    const sandbox = await start();
    await linkEverything(sandbox);
    await fetch(`${sandbox.baseUrls.zoom}/_control/meetings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "zU_ken", start: interview.start, end: interview.end }),
    });
    const aboutTheFile = logLines.map((line) => JSON.parse(line)).filter((line) => line.message.includes(stateFile));
    expect(aboutTheFile.map((line) => [line.level, line.reason])).toEqual([
      ["warn", undefined],
      ["error", "EISDIR"],
    ]);
    expect(aboutTheFile[0].message).toContain("cannot read it: EISDIR");
    expect(readdirSync(directory)).toEqual(["sandbox-state.json"]);
  });

  it("a file naming someone the seed does not have is refused as a whole, not loaded in part", async () => {
    const first = await start();
    await linkEverything(first);
    await stop(first);
    const saved = JSON.parse(readFileSync(stateFile, "utf8"));
    saved.fakes.zoom.grants.grants[0].user = "zU_nobody";
    writeFileSync(stateFile, JSON.stringify(saved));
    logLines = [];
    const second = await start();
    expect(logLines.join("\n")).toContain("zoom: grants.grants.0.user: the sandbox has no Zoom user zU_nobody");
    // Google's part fitted, and was not taken either.
    const revoked = (await (
      await fetch(`${second.baseUrls.google}/_control/revoke`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ subject: hanako }),
      })
    ).json()) as { revoked: number };
    expect(revoked.revoked).toBe(0);
  });
});

describe("the sandbox without a state file", () => {
  it("writes no file, and a new start begins from the seed", async () => {
    const cwd = process.cwd();
    process.chdir(directory);
    try {
      const first = await start("withoutStateFile");
      await linkEverything(first);
      await stop(first);
      expect(readdirSync(directory)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
    const second = await start("withoutStateFile");
    const meetings = (await (await fetch(`${second.baseUrls.zoom}/_control/meetings`)).json()) as { meetings: [] };
    expect(meetings.meetings).toEqual([]);
  });
});
