/**
 * Contract tests for Calendar v3 through the production client, whose calls go
 * through the official googleapis client, against the fake.
 * providers.md "faithful fake" bullets (Google) covered here: freeBusy with
 * per-calendar `errors`; insert setting hangoutLink/conferenceData only with
 * conferenceDataVersion=1; patch semantics; delete → 204, again → 410, reads
 * back `cancelled`; 401 authError on a stale token; 403 rateLimitExceeded and
 * 429 for backoff; the real paths under an overridden root.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { calendar } from "googleapis/build/src/apis/calendar/index.js";
import { ProviderError } from "../../src/providers/errors.ts";
import { createGoogleClient, type GoogleApi } from "../../src/providers/google.ts";
import { oauth2Client } from "../../src/providers/google/oauth.ts";
import { busyTimesFor, people } from "../../src/sandbox/seed.ts";
import { consumer, type GoogleHarness, hanako, ken, link, startGoogle } from "./google-support.ts";

let harness: GoogleHarness;
let requests: Array<{ method: string; url: URL; body: string | undefined }> = [];
/** The production client with a fetch that records what went out, sometimes loses an answer, or edits a freeBusy
 * answer. */
let loseNextInsertAnswer = false;
let editFreeBusyAnswer: ((calendars: Record<string, { busy?: unknown[]; errors?: unknown[] }>) => void) | undefined;
const recordingFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  requests.push({ method, url, body: typeof init?.body === "string" ? init.body : undefined });
  const response = await globalThis.fetch(input, init);
  if (loseNextInsertAnswer && method === "POST" && url.pathname.endsWith("/events")) {
    loseNextInsertAnswer = false;
    return new Response(
      JSON.stringify({
        error: { code: 503, message: "Backend Error", errors: [{ reason: "backendError", message: "Backend Error" }] },
      }),
      { status: 503, headers: { "content-type": "application/json" } },
    );
  }
  if (editFreeBusyAnswer && response.ok && url.pathname === "/calendar/v3/freeBusy") {
    const answer = (await response.json()) as { calendars: Record<string, { busy?: unknown[]; errors?: unknown[] }> };
    editFreeBusyAnswer(answer.calendars);
    return new Response(JSON.stringify(answer), { status: 200, headers: { "content-type": "application/json" } });
  }
  return response;
};

let accessToken = "";
let refreshToken = "";
const api = (token = accessToken): GoogleApi =>
  createGoogleClient(harness.app, { ...harness.deps, fetch: recordingFetch }).api(token);
/** A raw googleapis Calendar service on the fake, to look at what the client cannot see. */
const rawCalendar = (token = accessToken) => {
  const auth = oauth2Client(harness.app, harness.deps);
  auth.setCredentials({ access_token: token });
  return calendar({ version: "v3", auth, rootUrl: harness.app.endpoints.apiRootUrl, retry: false });
};

beforeAll(async () => {
  harness = await startGoogle();
});
afterAll(() => harness.fake.close());
beforeEach(async () => {
  await harness.fake.control("/reset");
  harness.deps.slept.length = 0;
  requests = [];
  editFreeBusyAnswer = undefined;
  const tokens = await link(harness, hanako);
  accessToken = tokens.accessToken;
  refreshToken = tokens.refreshToken ?? "";
});

const now = () => harness.fake.clock.now();
const day = 86_400_000;
const interview = () => ({
  summary: "一次面接: 候補者 A",
  description: "Zoom: https://zoom.example/j/123",
  location: "https://zoom.example/j/123",
  start: new Date(Math.ceil(now().getTime() / day) * day + 2 * day + 3 * 3600_000),
  end: new Date(Math.ceil(now().getTime() / day) * day + 2 * day + 4 * 3600_000),
  timeZone: "Asia/Tokyo",
  attendees: [
    { email: ken, name: "Ken Sato" },
    { email: "candidate@example.org", optional: true },
  ],
});

describe("freeBusy", () => {
  it("returns the seeded busy times of same-domain colleagues, clipped, merged and in order", async () => {
    // From a whole minute: a seeded meeting running now is clipped to the range's start, which Google writes to
    // the second; a start with milliseconds would come back cut and differ from the seed by a fraction.
    const start = new Date(Math.floor(now().getTime() / 60_000) * 60_000);
    const range = { start, end: new Date(start.getTime() + 7 * day) };
    const [mine, kens] = await api().freeBusy([hanako, ken], range, "Asia/Tokyo");
    expect(mine?.calendarId).toBe(hanako);
    expect(mine?.busy.length).toBeGreaterThan(0);
    const seeded = busyTimesFor(ken, range.start, 42)
      .map((busy) => ({
        start: busy.start < range.start ? range.start : busy.start,
        end: busy.end > range.end ? range.end : busy.end,
      }))
      .filter((busy) => busy.start < busy.end);
    const merged: Array<{ start: Date; end: Date }> = [];
    for (const busy of seeded) {
      const last = merged.at(-1);
      if (last && busy.start <= last.end) last.end = busy.end > last.end ? busy.end : last.end;
      else merged.push({ ...busy });
    }
    expect(kens).toEqual({
      calendarId: ken,
      busy: merged.map((busy) => ({ start: busy.start.getTime(), end: busy.end.getTime() })),
    });
    // One call; the fake answered in Tokyo offsets ("+09:00"), parsed back to the same instants.
    expect(requests.filter((request) => request.url.pathname === "/calendar/v3/freeBusy")).toHaveLength(1);
    const raw = await rawCalendar().freebusy.query({
      requestBody: {
        timeMin: range.start.toISOString(),
        timeMax: range.end.toISOString(),
        timeZone: "Asia/Tokyo",
        items: [{ id: ken }],
      },
    });
    expect(raw.data.calendars?.[ken]?.busy?.[0]?.start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+09:00$/);
  });

  it("splits 120 calendars into calls of at most 50 and merges the answers in the order asked", async () => {
    const unknown = Array.from({ length: 120 - people.length }, (_, index) => `nobody-${index}@sakura-recruit.example`);
    const ids = [...unknown.slice(0, 55), ...people.map((person) => person.email), ...unknown.slice(55)];
    const range = { start: now(), end: new Date(now().getTime() + 14 * day) };
    const answers = await api().freeBusy(ids, range, "Asia/Tokyo");
    expect(answers.map((answer) => answer.calendarId)).toEqual(ids);
    expect(await harness.fake.calls("POST /calendar/v3/freeBusy")).toBe(3);
    // Each call asked at most 50 calendars, together every calendar once: Google never had to answer
    // tooManyCalendarsRequested.
    const asked = requests
      .filter((request) => request.url.pathname === "/calendar/v3/freeBusy")
      .map((request) =>
        (JSON.parse(request.body ?? "{}") as { items: Array<{ id: string }> }).items.map((item) => item.id),
      );
    expect(asked.map((items) => items.length)).toEqual([50, 50, 20]);
    expect(asked.flat()).toEqual(ids);
    for (const answer of answers) {
      if (answer.calendarId.startsWith("nobody-"))
        expect(answer).toEqual({ calendarId: answer.calendarId, busy: [], error: "notFound" });
      else expect(answer.busy.length).toBeGreaterThan(0);
      expect(answer.error).not.toBe("tooManyCalendarsRequested");
    }
  });

  it(
    "reports a calendar with `errors` as unreadable even beside busy times or without a reason, and one the answer " +
      "left out as notReturned",
    async () => {
      const range = { start: now(), end: new Date(now().getTime() + 7 * day) };
      editFreeBusyAnswer = (calendars) => {
        const kens = calendars[ken];
        if (kens) kens.errors = [{ domain: "global", reason: "internalError" }];
        const shos = calendars[people[3]?.email ?? ""];
        if (shos) shos.errors = [{ domain: "global" }];
        delete calendars[hanako];
      };
      const [mine, kens, misakis, shos] = await api().freeBusy(
        [hanako, ken, people[2]?.email ?? "", people[3]?.email ?? ""],
        range,
        "UTC",
      );
      expect(mine).toEqual({ calendarId: hanako, busy: [], error: "notReturned" });
      expect(kens).toEqual({ calendarId: ken, busy: [], error: "internalError" });
      // An error without a reason (the library types `reason` as optional) still makes the calendar unreadable.
      expect(shos).toEqual({ calendarId: people[3]?.email, busy: [], error: "unknown" });
      expect(misakis?.error).toBeUndefined();
      expect(misakis?.busy.length).toBeGreaterThan(0);
    },
  );

  it("splits a range longer than 90 days into windows and joins busy times cut at a boundary", async () => {
    const start = now();
    const range = { start, end: new Date(start.getTime() + 200 * day) };
    const [answer] = await api().freeBusy([hanako], range, "UTC");
    expect(await harness.fake.calls("POST /calendar/v3/freeBusy")).toBe(3);
    const busy = answer?.busy ?? [];
    for (let index = 1; index < busy.length; index++)
      expect(busy[index]?.start).toBeGreaterThan(busy[index - 1]?.end ?? 0);
    // Seeded busy times reach 200 days out (the fake seeds as far as asked).
    expect(busy.at(-1)?.start).toBeGreaterThan(start.getTime() + 180 * day);
  });

  it("reports a calendar the caller cannot read with `errors` instead of failing the call", async () => {
    const tokens = await link(harness, consumer);
    const answers = await api(tokens.accessToken).freeBusy(
      [consumer, hanako],
      { start: now(), end: new Date(now().getTime() + 7 * day) },
      "Asia/Tokyo",
    );
    expect(answers[0]?.error).toBeUndefined();
    expect(answers[1]).toEqual({ calendarId: hanako, busy: [], error: "notFound" });
  });

  it('never reads an id named like an object property ("__proto__", "constructor") as a free calendar', async () => {
    const range = { start: now(), end: new Date(now().getTime() + 7 * day) };
    const [proto, constructorCalendar, kens] = await api().freeBusy(["__proto__", "constructor", ken], range, "UTC");
    expect(proto).toMatchObject({ calendarId: "__proto__", busy: [], error: expect.any(String) });
    expect(constructorCalendar).toEqual({ calendarId: "constructor", busy: [], error: "notFound" });
    expect(kens?.error).toBeUndefined();
    expect(kens?.busy.length).toBeGreaterThan(0);
  });

  it(
    "answers 51 calendars through googleapis with 200 and a " + "per-calendar tooManyCalendarsRequested past the 50th",
    async () => {
      const ids = [...Array.from({ length: 50 }, (_, index) => `nobody-${index}@sakura-recruit.example`), ken];
      const window = { timeMin: now().toISOString(), timeMax: new Date(now().getTime() + day).toISOString() };
      const answer = await rawCalendar().freebusy.query({
        requestBody: { ...window, items: ids.map((id) => ({ id })) },
      });
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.data.calendars ?? {})).toHaveLength(51);
      expect(answer.data.calendars?.["nobody-0@sakura-recruit.example"]).toEqual({
        errors: [{ domain: "global", reason: "notFound" }],
        busy: [],
      });
      expect(answer.data.calendars?.[ken]).toEqual({
        errors: [{ domain: "global", reason: "tooManyCalendarsRequested" }],
        busy: [],
      });
      // `calendarExpansionMax` lowers the limit; the calendars past it are marked the same way.
      const capped = await rawCalendar().freebusy.query({
        requestBody: { ...window, calendarExpansionMax: 1, items: [{ id: ken }, { id: hanako }] },
      });
      expect(capped.data.calendars?.[ken]?.errors).toBeUndefined();
      expect(capped.data.calendars?.[hanako]?.errors).toEqual([
        { domain: "global", reason: "tooManyCalendarsRequested" },
      ]);
    },
  );

  it("refuses a range longer than 90 days or an empty one with a 400 in Google's error envelope", async () => {
    const service = rawCalendar();
    // One instant for both ends: two reads of a running clock can be a millisecond apart, which is not empty.
    const start = now();
    const tooLong = service.freebusy.query({
      requestBody: {
        timeMin: start.toISOString(),
        timeMax: new Date(start.getTime() + 91 * day).toISOString(),
        items: [{ id: hanako }],
      },
    });
    await expect(tooLong).rejects.toMatchObject({
      status: 400,
      response: {
        data: {
          error: {
            code: 400,
            message: "The requested time range is too long.",
            errors: [{ domain: "calendar", reason: "timeRangeTooLong" }],
          },
        },
      },
    });
    const empty = service.freebusy.query({
      requestBody: { timeMin: start.toISOString(), timeMax: start.toISOString(), items: [{ id: hanako }] },
    });
    await expect(empty).rejects.toMatchObject({
      status: 400,
      response: {
        data: {
          error: {
            errors: [
              {
                domain: "calendar",
                reason: "timeRangeEmpty",
                message: "The specified time range is empty.",
                location: "timeMax",
              },
            ],
          },
        },
      },
    });
  });
});

describe("events", () => {
  it("inserts with sendUpdates=all and no conference unless asked; attendees become busy", async () => {
    const input = interview();
    const event = await api().createEvent(input);
    expect(event).toMatchObject({ status: "confirmed", meetUrl: undefined, conferenceStatus: undefined });
    expect(event.id).toMatch(/^[a-v0-9]{5,}$/);
    expect(event.webLink).toContain(harness.fake.baseUrl);
    expect(event.attendees).toEqual([
      { email: ken, responseStatus: "needsAction" },
      { email: "candidate@example.org", responseStatus: "needsAction" },
    ]);
    const insert = requests.find(
      (request) => request.method === "POST" && request.url.pathname === "/calendar/v3/calendars/primary/events",
    );
    expect(insert?.url.searchParams.get("sendUpdates")).toBe("all");
    expect(insert?.url.searchParams.has("conferenceDataVersion")).toBe(false);
    const stored = (await rawCalendar().events.get({ calendarId: "primary", eventId: event.id })).data;
    expect(stored).toMatchObject({
      summary: input.summary,
      description: input.description,
      location: input.location,
      start: { timeZone: "Asia/Tokyo" },
    });
    expect(stored.start?.dateTime).toMatch(/\+09:00$/);
    const [kens] = await api().freeBusy([ken], { start: input.start, end: input.end }, "UTC");
    expect(kens?.busy).toEqual([{ start: input.start.getTime(), end: input.end.getTime() }]);
  });

  it("sets hangoutLink and conferenceData only with conferenceDataVersion=1", async () => {
    const withMeet = await api().createEvent(interview(), { googleMeet: true });
    expect(withMeet.meetUrl).toMatch(/\/meet\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
    expect(withMeet.conferenceStatus).toBe("success");
    expect(requests.at(-1)?.url.searchParams.get("conferenceDataVersion")).toBe("1");
    const ignored = await rawCalendar().events.insert({
      calendarId: "primary",
      requestBody: {
        ...eventResource(),
        conferenceData: { createRequest: { requestId: "r-1", conferenceSolutionKey: { type: "hangoutsMeet" } } },
      },
    });
    expect(ignored.data.hangoutLink).toBeUndefined();
    expect(ignored.data.conferenceData).toBeUndefined();
  });

  it("patches only the fields sent", async () => {
    const input = interview();
    const created = await api().createEvent(input);
    const later = new Date(input.start.getTime() + 3600_000);
    const updated = await api().updateEvent(created.id, {
      summary: "二次面接",
      start: later,
      end: new Date(later.getTime() + 3600_000),
    });
    expect(updated.id).toBe(created.id);
    const stored = (await rawCalendar().events.get({ calendarId: "primary", eventId: created.id })).data;
    expect(stored).toMatchObject({
      summary: "二次面接",
      description: input.description,
      location: input.location,
      sequence: 1,
      start: { timeZone: "Asia/Tokyo" },
    });
    expect(new Date(stored.start?.dateTime ?? "").getTime()).toBe(later.getTime());
    expect(stored.attendees?.map((attendee) => attendee.email)).toEqual([ken, "candidate@example.org"]);
    await api().updateEvent(created.id, { attendees: [{ email: ken }] });
    expect((await api().getEvent(created.id)).attendees).toEqual([{ email: ken, responseStatus: "needsAction" }]);
  });

  it("deletes (204); deleting again is a 410 the client treats as done; the event reads back cancelled", async () => {
    const created = await api().createEvent(interview());
    await api().deleteEvent(created.id);
    await expect(api().getEvent(created.id)).resolves.toMatchObject({ id: created.id, status: "cancelled" });
    await expect(api().deleteEvent(created.id)).resolves.toBeUndefined();
    await expect(rawCalendar().events.delete({ calendarId: "primary", eventId: created.id })).rejects.toMatchObject({
      status: 410,
      response: { data: { error: { message: "Resource has been deleted" } } },
    });
    await expect(api().deleteEvent("unknownevent00")).resolves.toBeUndefined();
    await expect(api().getEvent("unknownevent00")).rejects.toMatchObject({ status: 404, code: "notFound" });
  });

  it("does not create a second event when a retried insert had in fact gone through", async () => {
    loseNextInsertAnswer = true;
    const event = await api().createEvent(interview());
    const inserts = requests.filter((request) => request.method === "POST" && request.url.pathname.endsWith("/events"));
    expect(inserts).toHaveLength(2);
    expect(await harness.fake.calls("POST /calendar/v3/calendars/primary/events")).toBe(2);
    expect(event.status).toBe("confirmed");
    expect(harness.deps.slept).toHaveLength(1);
    const [kens] = await api().freeBusy([ken], { start: interview().start, end: interview().end }, "UTC");
    expect(kens?.busy).toHaveLength(1);
  });
});

describe("auth failures", () => {
  it("answers 401 authError on a stale token; the caller refreshes and calls again", async () => {
    await harness.fake.control("/expire-tokens");
    const error = await api()
      .freeBusy([hanako], { start: now(), end: new Date(now().getTime() + day) }, "UTC")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ provider: "google", status: 401, code: "unauthorized" });
    // The library did not refresh on its own: it was given no refresh token.
    expect(await harness.fake.calls("POST /token")).toBe(1);
    const refreshed = await harness.client.oauth.refresh(refreshToken);
    await expect(
      api(refreshed.accessToken).freeBusy([hanako], { start: now(), end: new Date(now().getTime() + day) }, "UTC"),
    ).resolves.toHaveLength(1);
  });

  it("answers 401 for an unknown token and 403 for a token without the calendar scopes", async () => {
    await expect(api("ya29.made-up").createEvent(interview())).rejects.toMatchObject({
      status: 401,
      code: "unauthorized",
    });
    const signInOnly = await link(harness, ken, { scopes: ["openid", "email"] });
    await expect(
      api(signInOnly.accessToken).freeBusy([ken], { start: now(), end: new Date(now().getTime() + day) }, "UTC"),
    ).rejects.toMatchObject({ status: 403, code: "insufficientPermissions" });
  });
});

describe("rate limits and failures", () => {
  const week = () => ({ start: now(), end: new Date(now().getTime() + 7 * day) });

  it("retries 429s after their Retry-After, then succeeds", async () => {
    await harness.fake.control("/rate-limit", { count: 2, retryAfter: "2", path: "/calendar/v3/freeBusy" });
    await expect(api().freeBusy([hanako], week(), "UTC")).resolves.toHaveLength(1);
    expect(harness.deps.slept).toEqual([2000, 2000]);
    expect(await harness.fake.calls("POST /calendar/v3/freeBusy")).toBe(3);
  });

  it("backs off exponentially on 403 rateLimitExceeded and 503, within the retry budget", async () => {
    await harness.fake.control("/fail", { count: 1, status: 403, path: "/calendar/v3" });
    await harness.fake.control("/fail", { count: 1, status: 503, path: "/calendar/v3" });
    await expect(api().createEvent(interview())).resolves.toMatchObject({ status: "confirmed" });
    expect(harness.deps.slept).toHaveLength(2);
    expect(harness.deps.slept[0]).toBeGreaterThanOrEqual(10);
    expect(harness.deps.slept[0]).toBeLessThan(20);
    expect(harness.deps.slept[1]).toBeGreaterThanOrEqual(20);
    expect(harness.deps.slept[1]).toBeLessThan(30);
  });

  it("gives up after the last attempt with Google's reason", async () => {
    await harness.fake.control("/fail", { count: 3, status: 500, path: "/calendar/v3" });
    await expect(api().freeBusy([hanako], week(), "UTC")).rejects.toMatchObject({ status: 500, code: "backendError" });
    expect(harness.deps.slept).toHaveLength(2);
  });

  it("does not retry a 400, nor wait for a Retry-After beyond the policy", async () => {
    await harness.fake.control("/fail", { count: 1, status: 400, path: "/calendar/v3" });
    await expect(api().freeBusy([hanako], week(), "UTC")).rejects.toMatchObject({ status: 400, code: "badRequest" });
    await harness.fake.control("/rate-limit", { count: 1, retryAfter: "120", path: "/calendar/v3" });
    await expect(api().freeBusy([hanako], week(), "UTC")).rejects.toMatchObject({
      status: 429,
      code: "rateLimitExceeded",
      retryAfterMs: 120_000,
    });
    expect(harness.deps.slept).toEqual([]);
  });
});

function eventResource() {
  const input = interview();
  return {
    summary: input.summary,
    start: { dateTime: input.start.toISOString() },
    end: { dateTime: input.end.toISOString() },
  };
}
