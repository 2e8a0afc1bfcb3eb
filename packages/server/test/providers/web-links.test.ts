/**
 * Links a provider answers go on as links: an `href` on the candidate's page and in the elements, the `.ics` file's
 * `URL:` line, the event's description, webhooks and templates (providers/web-link.ts). Through the clients over
 * loopback, a provider answering a `javascript:` URL or a URL with a line break in it: Zoom's meeting (whose join URL
 * the interview cannot do without) is refused as `invalid_response`; a calendar event's own link or Meet/Teams link is
 * left out and the event kept.
 */
import { describe, expect, it } from "vitest";
import { ProviderResponseError } from "../../src/providers/errors.ts";
import { createGoogleClient } from "../../src/providers/google.ts";
import { createMicrosoftClient } from "../../src/providers/microsoft.ts";
import { productionEndpoints } from "../../src/providers/settings.ts";
import { loopbackHttpDeps, useLoopbackProvider } from "../support/loopback-provider.ts";
import { isWebLink } from "../../src/providers/web-link.ts";
import { createZoomClient } from "../../src/providers/zoom.ts";

const hostile = [
  "javascript:alert(document.domain)",
  "JavaScript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "https://zoom.us/j/1\r\nURL:https://evil.example",
  "https://zoom.us/j/1\nX",
  "https://zoom.us/j/1\tX",
  "https://zoom.us/j/1 2",
  "https://zoom.us/j/1\u2028",
  "//evil.example/j/1",
  "zoom.us/j/1",
  "",
];

describe("isWebLink", () => {
  it.each([
    "https://us02web.zoom.us/j/85012345678?pwd=abc",
    "https://meet.google.com/abc-defg-hij",
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0",
    "https://outlook.office365.com/owa/?itemid=AAMk%3D&exvsurl=1&path=/calendar/item",
    // The sandbox's fakes answer on plain http over loopback.
    "http://127.0.0.1:8790/j/123",
  ])("takes %s", (link) => {
    expect(isWebLink(link)).toBe(true);
  });

  it.each(hostile.map((link) => [JSON.stringify(link), link]))("refuses %s", (_, link) => {
    expect(isWebLink(link)).toBe(false);
  });
});

const loopback = useLoopbackProvider();
const deps = loopbackHttpDeps;
const app = { clientId: "c", clientSecret: "s" };
const event = {
  summary: "面接：山田 花子様",
  start: new Date("2030-01-07T01:00:00Z"),
  end: new Date("2030-01-07T02:00:00Z"),
  timeZone: "Asia/Tokyo",
  attendees: [{ email: "hanako@example.com" }],
};

describe("through the clients", () => {
  const zoomApi = () =>
    createZoomClient({ ...app, endpoints: { ...productionEndpoints.zoom, apiBaseUrl: loopback.baseUrl } }, deps).api(
      "token",
    );
  const googleApi = () =>
    createGoogleClient(
      { ...app, endpoints: { ...productionEndpoints.google, apiRootUrl: loopback.baseUrl } },
      deps,
    ).api("token");
  const graphApi = () =>
    createMicrosoftClient(
      { ...app, endpoints: { ...productionEndpoints.microsoft, graphBaseUrl: loopback.baseUrl } },
      deps,
    ).api("token");

  const zoomMeeting = (links: { join_url?: string; start_url?: string }) => ({
    id: 85012345678,
    uuid: "u1",
    host_id: "zu_ken",
    type: 2,
    start_time: "2030-01-07T01:00:00Z",
    duration: 60,
    join_url: "https://us02web.zoom.us/j/85012345678",
    start_url: "https://us02web.zoom.us/s/85012345678?zak=x",
    password: "123456",
    ...links,
  });
  const meeting = { topic: "面接", start: event.start, durationMinutes: 60, timeZone: "Asia/Tokyo" };

  it("takes a Zoom meeting whose links are https URLs", async () => {
    loopback.answer = zoomMeeting({});
    await expect(zoomApi().createMeeting("zu_ken", meeting)).resolves.toMatchObject({
      joinUrl: "https://us02web.zoom.us/j/85012345678",
    });
  });

  it.each(
    hostile.flatMap((link) => [
      [`join_url ${JSON.stringify(link)}`, { join_url: link }],
      [`start_url ${JSON.stringify(link)}`, { start_url: link }],
    ]),
  )("refuses a Zoom meeting with %s as invalid_response", async (_, links) => {
    loopback.answer = zoomMeeting(links);
    const call = zoomApi().createMeeting("zu_ken", meeting);
    await expect(call).rejects.toBeInstanceOf(ProviderResponseError);
    await expect(call).rejects.toMatchObject({ code: "invalid_response" });
  });

  it.each(hostile)("keeps a Google event, leaving out its htmlLink and Meet link %j", async (link) => {
    loopback.answer = {
      id: "ev1",
      status: "confirmed",
      htmlLink: link,
      hangoutLink: link,
      conferenceData: { entryPoints: [{ entryPointType: "video", uri: link }] },
    };
    const created = await googleApi().createEvent(event);
    expect(created).toMatchObject({ id: "ev1", status: "confirmed" });
    expect([created.webLink, created.meetUrl]).toEqual([undefined, undefined]);
  });

  it("keeps a Google event's https links", async () => {
    loopback.answer = {
      id: "ev1",
      status: "confirmed",
      htmlLink: "https://www.google.com/calendar/event?eid=ZXYx",
      conferenceData: { entryPoints: [{ entryPointType: "video", uri: "https://meet.google.com/abc-defg-hij" }] },
    };
    const created = await googleApi().createEvent(event);
    expect([created.webLink, created.meetUrl]).toEqual([
      "https://www.google.com/calendar/event?eid=ZXYx",
      "https://meet.google.com/abc-defg-hij",
    ]);
  });

  it.each(hostile)("keeps an Outlook event, leaving out its webLink and Teams link %j", async (link) => {
    loopback.answer = { id: "AAMk1", webLink: link, isCancelled: false, onlineMeeting: { joinUrl: link } };
    const created = await graphApi().createEvent(event);
    expect(created).toMatchObject({ id: "AAMk1" });
    expect([created.webLink, created.teamsJoinUrl]).toEqual([undefined, undefined]);
  });

  it("keeps an Outlook event's https links", async () => {
    loopback.answer = {
      id: "AAMk1",
      webLink: "https://outlook.office365.com/owa/?itemid=AAMk1",
      onlineMeeting: { joinUrl: "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x" },
    };
    const created = await graphApi().createEvent(event);
    expect([created.webLink, created.teamsJoinUrl]).toEqual([
      "https://outlook.office365.com/owa/?itemid=AAMk1",
      "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x",
    ]);
  });
});
