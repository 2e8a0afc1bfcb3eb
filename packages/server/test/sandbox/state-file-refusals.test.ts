/**
 * A state file that is there but cannot be used stops the sandbox's start, saying where in the file and what is
 * wrong, and is left as it was: nothing runs on what it holds, and nothing replaces it.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SandboxStateFileError } from "../../src/sandbox/state-file.ts";
import { clients, freeBasePort, interview, linkEverything, stateFileRig } from "./state-file-support.ts";

const rig = stateFileRig();

/** A state file written by the sandbox itself: every fake linked, a Google and an Outlook event, a Zoom meeting. */
async function savedState(): Promise<SavedState> {
  const sandbox = await rig.start();
  const { googleTokens, microsoftTokens, zoomTokens } = await linkEverything(sandbox);
  const { google, microsoft, zoom } = clients(sandbox);
  await google.api(googleTokens.accessToken).createEvent(interview);
  await microsoft.api(microsoftTokens.accessToken).createEvent(interview);
  await zoom.api(zoomTokens.accessToken).createMeeting("zU_hanako", {
    topic: interview.summary,
    start: interview.start,
    durationMinutes: 60,
    timeZone: interview.timeZone,
  });
  await rig.stop(sandbox);
  rig.forgetLog();
  return JSON.parse(readFileSync(rig.stateFile, "utf8"));
}

type SavedState = any;

/** The start refused, with the error it was refused with. */
async function refusedStart(): Promise<SandboxStateFileError> {
  const refusal = await rig.start().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(refusal).toBeInstanceOf(SandboxStateFileError);
  return refusal as SandboxStateFileError;
}

describe("a state file the sandbox cannot use", () => {
  it.each([
    ["is not JSON", () => "{ this is not json", "not JSON"],
    [
      "is of another version",
      () => JSON.stringify({ format: "tsunagu-sandbox-state", version: 2 }),
      "not a sandbox state file of this version (version: ",
    ],
  ])("stops the start and is left as it was when it %s", async (_what, text, reason) => {
    writeFileSync(rig.stateFile, text());
    const refusal = await refusedStart();
    expect(refusal.message).toContain(`the sandbox state file ${rig.stateFile} cannot be used:\n  - ${reason}`);
    expect(refusal.message).toContain("Correct the file");
    expect(refusal.message).toContain("delete the .data directory");
    expect(refusal.message).not.toContain("    at ");
    expect(readFileSync(rig.stateFile, "utf8")).toBe(text());
    // Nothing was said as if the sandbox had started.
    expect(rig.log().filter((line) => line.message.startsWith("sandbox"))).toEqual([]);
  });

  it("stops the start when the file cannot be read, and has closed the fakes it had opened", async () => {
    mkdirSync(rig.stateFile);
    const basePort = await freeBasePort(4);
    const refusal = await rig.start({ basePort }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(refusal?.message).toContain(`${rig.stateFile} cannot be used:\n  - cannot be read: EISDIR`);
    // The same ports are free again: a start without the file listens on them.
    const sandbox = await rig.start({ basePort, stateFile: undefined });
    expect(sandbox.baseUrls.google).toBe(`http://127.0.0.1:${basePort}`);
  });
});

describe("a hand-edited state file", () => {
  it.each<[string, (saved: SavedState) => void, (saved: SavedState) => string]>([
    [
      "an event's start that is not a date",
      (saved) => {
        saved.fakes.google.events.events[0].resource.start.dateTime = "not a date";
      },
      (saved) =>
        `fakes.google.events.events[0] (id "${saved.fakes.google.events.events[0].resource.id}")` +
        '.resource.start.dateTime: not a time such as 2031-04-07T10:00:00+09:00 (found "not a date")',
    ],
    [
      "an event's start moved in its resource but not in its stored time",
      (saved) => {
        saved.fakes.google.events.events[0].resource.start.dateTime = "2031-04-08T10:00:00+09:00";
      },
      () =>
        ".resource.start.dateTime: is not the instant the event's start says (2031-04-07T01:00:00.000Z); change both " +
        'alike (found "2031-04-08T10:00:00+09:00")',
    ],
    [
      "an empty saved origin",
      (saved) => {
        saved.origins.zoom = "";
      },
      () => 'origins.zoom: not an origin such as http://127.0.0.1:8788 (found "")',
    ],
    [
      "two fakes saved with one origin",
      (saved) => {
        saved.origins.microsoft = saved.origins.google;
      },
      () => "origins: two fakes cannot have had one origin",
    ],
    [
      "an event's title written as a number",
      (saved) => {
        saved.fakes.google.events.events[0].resource.summary = 42;
      },
      () => ".resource.summary: Invalid input: expected string, received number (found 42)",
    ],
    [
      "a Zoom meeting of a negative length",
      (saved) => {
        saved.fakes.zoom.meetings.meetings[0].duration = -30;
      },
      (saved) =>
        `fakes.zoom.meetings.meetings[0] (id ${saved.fakes.zoom.meetings.meetings[0].id}).duration: Too small: ` +
        "expected number to be >=0 (found -30)",
    ],
    [
      "a Zoom meeting in a zone that does not exist",
      (saved) => {
        saved.fakes.zoom.meetings.meetings[0].timezone = "Asia/Atlantis";
      },
      () => '.timezone: not a time zone this Node knows, such as Asia/Tokyo (found "Asia/Atlantis")',
    ],
    [
      "an Outlook attendee of a kind Graph does not have",
      (saved) => {
        saved.fakes.microsoft.events[0].attendees[0].type = "chair";
      },
      (saved) =>
        `fakes.microsoft.events[0] (id "${saved.fakes.microsoft.events[0].id}").attendees[0].type: Invalid option: ` +
        'expected one of "required"|"optional"|"resource" (found "chair")',
    ],
    [
      "someone the seed does not have",
      (saved) => {
        saved.fakes.zoom.grants.grants[0].user = "zU_nobody";
      },
      () => 'fakes.zoom.grants.grants[0].user: the sandbox has no Zoom user zU_nobody (found "zU_nobody")',
    ],
    [
      "a clock moved past any valid date",
      (saved) => {
        saved.clockOffsetMs = 8.64e15;
      },
      () => "clockOffsetMs: moves the sandbox clock past any valid date (found 8640000000000000)",
    ],
  ])("with %s stops the start, naming the place in the file", async (_what, edit, place) => {
    const saved = await savedState();
    edit(saved);
    const text = JSON.stringify(saved, null, 2);
    writeFileSync(rig.stateFile, text);
    const refusal = await refusedStart();
    expect(refusal.message).toContain(`the sandbox state file ${rig.stateFile} cannot be used:\n  - `);
    expect(refusal.message).toContain(place(saved));
    expect(refusal.message).not.toContain("    at ");
    // Left as it was, for the developer to correct.
    expect(readFileSync(rig.stateFile, "utf8")).toBe(text);
  });

  it("lists every problem, up to ten, and counts the rest", async () => {
    const saved = await savedState();
    const events = saved.fakes.google.events.events;
    for (let index = 0; index < 12; index++) events.push({ ...events[0], start: "soon" });
    writeFileSync(rig.stateFile, JSON.stringify(saved));
    const refusal = await refusedStart();
    expect(refusal.problems).toHaveLength(11);
    expect(refusal.problems[0]).toContain("fakes.google.events.events[1] ");
    expect(refusal.problems[10]).toBe("and 2 more");
  });

  it("is taken once corrected", async () => {
    const saved = await savedState();
    const start = saved.fakes.google.events.events[0].resource.start.dateTime;
    saved.fakes.google.events.events[0].resource.start.dateTime = "not a date";
    writeFileSync(rig.stateFile, JSON.stringify(saved));
    await refusedStart();
    saved.fakes.google.events.events[0].resource.start.dateTime = start;
    writeFileSync(rig.stateFile, JSON.stringify(saved));
    const sandbox = await rig.start();
    const events = (await (await fetch(`${sandbox.baseUrls.google}/_control/events`)).json()) as { events: unknown[] };
    expect(events.events).toHaveLength(1);
    expect(rig.log().map((line) => line.message)).toContain(`sandbox state loaded from ${rig.stateFile}`);
  });
});
