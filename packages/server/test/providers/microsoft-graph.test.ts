/**
 * Contract: our Graph calls, made by the official Graph client through our
 * middleware chain, against the fake Graph: who am I, events, errors and
 * throttling. The fake is plain http on loopback: the bearer token still
 * goes out because our chain sets it for any host (the SDK's own
 * AuthenticationHandler would send it only over https to known hosts).
 */
import { ResponseType } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../src/providers/errors.ts";
import { createGraphClient } from "../../src/providers/microsoft.ts";
import type { TokenSet } from "../../src/providers/types.ts";
import { hanako, ken, link, type MicrosoftTestEnv, signInNonce, startMicrosoft } from "./microsoft-helpers.ts";

let env: MicrosoftTestEnv;
let tokens: TokenSet;
beforeAll(async () => {
  env = await startMicrosoft();
});
afterAll(() => env.running.close());
beforeEach(async () => {
  await env.running.control("/reset");
  env.deps.slept.length = 0;
  tokens = await link(env);
});

const api = () => env.client.api(tokens.accessToken);
const raw = () => createGraphClient(`${env.running.baseUrl}/`, tokens.accessToken, env.deps);
const interview = {
  summary: "一次面接: 田中 太郎",
  description: "Zoom: https://zoom.example/j/123456789",
  location: "https://zoom.example/j/123456789",
  start: new Date("2026-12-08T01:00:00Z"),
  end: new Date("2026-12-08T02:00:00Z"),
  timeZone: "Asia/Tokyo",
  attendees: [
    { email: ken, name: "Ken Sato" },
    { email: "candidate@example.com", optional: true },
  ],
};

describe("who am I", () => {
  it("returns the id, mail and display name of the signed-in user", async () => {
    const me = await api().me();
    expect(me).toEqual({
      id: (await env.client.oauth.verifyIdToken(tokens.idToken ?? "", { nonce: signInNonce })).objectId,
      email: hanako,
      displayName: "Hanako Yamada",
    });
  });

  it("maps 401 InvalidAuthenticationToken to `unauthorized`, for a made-up and for an expired token", async () => {
    await expect(env.client.api("made-up").me()).rejects.toMatchObject({
      provider: "microsoft",
      status: 401,
      code: "unauthorized",
    });
    await env.running.control("/expire-tokens");
    await expect(api().me()).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    const refreshed = await env.client.oauth.refresh(tokens.refreshToken ?? "");
    await expect(env.client.api(refreshed.accessToken).me()).resolves.toMatchObject({ email: hanako });
  });

  it("keeps a revoked grant's access token working until it expires, as Microsoft's JWTs do", async () => {
    await env.running.control("/revoke", { subject: hanako });
    await expect(api().me()).resolves.toMatchObject({ email: hanako });
    await expect(env.client.oauth.refresh(tokens.refreshToken ?? "")).rejects.toMatchObject({
      name: "InvalidGrantError",
    });
  });
});

describe("events", () => {
  it(
    "creates the event (201) in the organiser's zone, with our meeting link in body and location and no Teams " +
      "meeting",
    async () => {
      const created = await api().createEvent(interview);
      expect(created).toMatchObject({
        id: expect.any(String),
        status: "confirmed",
        webLink: expect.stringContaining("/owa/"),
      });
      const stored = await raw()
        .api(`/me/events/${created.id}`)
        .header("Prefer", 'outlook.timezone="Tokyo Standard Time"')
        .get();
      expect(stored).toMatchObject({
        subject: interview.summary,
        body: { contentType: "text", content: interview.description },
        location: { displayName: interview.location },
        isOnlineMeeting: false,
        onlineMeeting: null,
        originalStartTimeZone: "Asia/Tokyo",
        start: { dateTime: "2026-12-08T10:00:00.0000000", timeZone: "Tokyo Standard Time" },
        attendees: [
          { type: "required", emailAddress: { address: ken, name: "Ken Sato" } },
          { type: "optional", emailAddress: { address: "candidate@example.com" } },
        ],
      });
    },
  );

  it("answers POST /me/events with 201, and with onlineMeeting.joinUrl when isOnlineMeeting is asked for", async () => {
    const response = (await raw()
      .api("/me/events")
      .responseType(ResponseType.RAW)
      .post({
        subject: "Teams",
        start: { dateTime: "2026-12-08T10:00:00", timeZone: "Tokyo Standard Time" },
        end: { dateTime: "2026-12-08T10:30:00", timeZone: "Tokyo Standard Time" },
        isOnlineMeeting: true,
        onlineMeetingProvider: "teamsForBusiness",
      })) as Response;
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
      onlineMeeting: { joinUrl: expect.stringContaining("/l/meetup-join/") },
    });
  });

  it("patches only what changed (200)", async () => {
    const created = await api().createEvent(interview);
    const later = {
      start: new Date("2026-12-08T05:00:00Z"),
      end: new Date("2026-12-08T06:00:00Z"),
      timeZone: "Asia/Tokyo",
    };
    await expect(api().updateEvent(created.id, later)).resolves.toMatchObject({ id: created.id, status: "confirmed" });
    const stored = await raw().api(`/me/events/${created.id}`).get();
    expect(stored).toMatchObject({
      subject: interview.summary,
      start: { dateTime: "2026-12-08T05:00:00.0000000", timeZone: "UTC" },
      location: { displayName: interview.location },
    });
    const patch = (await raw()
      .api(`/me/events/${created.id}`)
      .responseType(ResponseType.RAW)
      .patch({ subject: "二次面接" })) as Response;
    expect(patch.status).toBe(200);
    expect(await raw().api(`/me/events/${created.id}`).get()).toMatchObject({
      subject: "二次面接",
      start: { dateTime: "2026-12-08T05:00:00.0000000" },
    });
  });

  it("deletes (204); deleting again is not an error for us, while Graph says 404 ErrorItemNotFound", async () => {
    const created = await api().createEvent(interview);
    const deleted = (await raw().api(`/me/events/${created.id}`).responseType(ResponseType.RAW).delete()) as Response;
    expect(deleted.status).toBe(204);
    await expect(api().deleteEvent(created.id)).resolves.toBeUndefined();
    await expect(raw().api(`/me/events/${created.id}`).delete()).rejects.toMatchObject({
      statusCode: 404,
      code: "ErrorItemNotFound",
    });
    await expect(api().updateEvent(created.id, { summary: "x" })).rejects.toMatchObject({
      status: 404,
      code: "ErrorItemNotFound",
    });
  });

  it("keeps each mailbox's events to itself", async () => {
    const created = await api().createEvent(interview);
    const kens = await link(env, ken);
    await expect(env.client.api(kens.accessToken).updateEvent(created.id, { summary: "x" })).rejects.toMatchObject({
      status: 404,
      code: "ErrorItemNotFound",
    });
  });
});

describe("an event found by its transactionId", () => {
  it("is read from the calendar view, page after page, without creating anything", async () => {
    const day = new Date("2027-01-12T00:00:00Z").getTime();
    const at = (index: number) => ({
      ...interview,
      summary: `面接 ${index}`,
      start: new Date(day + index * 600_000),
      end: new Date(day + index * 600_000 + 300_000),
    });
    // More events than one page holds (the client asks 50 a page): the one sought comes last by start.
    for (let index = 0; index < 59; index++) await api().createEvent(at(index));
    const sought = await api().createEvent(at(59), { transactionId: "tx-sought" });
    const creates = await env.running.calls("POST /v1.0/me/events");
    const views = await env.running.calls("GET /v1.0/me/calendarView");
    const range = { start: new Date(day), end: new Date(day + 86_400_000) };

    expect((await api().findEventByTransactionId("tx-sought", range))?.id).toBe(sought.id);
    expect(await env.running.calls("GET /v1.0/me/calendarView")).toBe(views + 2);
    expect(await api().findEventByTransactionId("tx-never-made", range)).toBeUndefined();
    // Outside the range it is not there to find.
    const before = { start: new Date(day - 86_400_000), end: new Date(day) };
    expect(await api().findEventByTransactionId("tx-sought", before)).toBeUndefined();
    expect(await env.running.calls("POST /v1.0/me/events")).toBe(creates);
  });

  it("is refused by the fake, as by Graph, without a time window", async () => {
    const answer = await raw()
      .api("/me/calendarView")
      .get()
      .catch((error: unknown) => error);
    expect(answer).toMatchObject({ statusCode: 400, code: "ErrorInvalidParameter" });
  });
});

describe("errors and throttling", () => {
  const schedulePath = "/v1.0/me/calendar/getSchedule";
  const week = { start: new Date("2026-12-07T00:00:00Z"), end: new Date("2026-12-14T00:00:00Z") };

  it("retries a Graph 429 on getSchedule after its Retry-After: 0.05, then succeeds", async () => {
    await env.running.control("/rate-limit", { retryAfter: "0.05", path: schedulePath });
    const [busy] = await api().freeBusy([hanako], week, "Asia/Tokyo");
    expect(busy?.busy.length).toBeGreaterThan(0);
    expect(await env.running.calls(`POST ${schedulePath}`)).toBe(2);
  });

  it("gives up after the policy's attempts with TooManyRequests and the wait Graph asked for", async () => {
    await env.running.control("/rate-limit", { retryAfter: "0.05", count: 5, path: schedulePath });
    await expect(api().freeBusy([hanako], week, "Asia/Tokyo")).rejects.toMatchObject({
      status: 429,
      code: "TooManyRequests",
      retryAfterMs: 50,
    });
    expect(await env.running.calls(`POST ${schedulePath}`)).toBe(env.deps.retry.maxAttempts);
  });

  it("does not wait longer than the policy allows: Retry-After 2.128 goes back to the caller", async () => {
    await env.running.control("/rate-limit", { retryAfter: "2.128", path: schedulePath });
    const error = await api()
      .freeBusy([hanako], week, "Asia/Tokyo")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2128 });
    expect(await env.running.calls(`POST ${schedulePath}`)).toBe(1);
  });

  it("retries a 503 on a read, but not on event creation, where only a 429 is safe to repeat", async () => {
    await env.running.control("/fail", { status: 503, path: schedulePath });
    await expect(api().freeBusy([hanako], week, "Asia/Tokyo")).resolves.toHaveLength(1);
    expect(await env.running.calls(`POST ${schedulePath}`)).toBe(2);

    await env.running.control("/fail", { status: 503, path: "/v1.0/me/events" });
    await expect(api().createEvent(interview)).rejects.toMatchObject({ status: 503, code: "serviceNotAvailable" });
    expect(await env.running.calls("POST /v1.0/me/events")).toBe(1);

    await env.running.control("/rate-limit", { retryAfter: "0.05", path: "/v1.0/me/events" });
    await expect(api().createEvent(interview)).resolves.toMatchObject({ status: "confirmed" });
    expect(await env.running.calls("POST /v1.0/me/events")).toBe(3);
  });

  it("maps an injected 500 to a ProviderError with Graph's code", async () => {
    await env.running.control("/fail", { status: 500, path: "/v1.0/me" });
    await expect(api().me()).rejects.toMatchObject({ provider: "microsoft", status: 500, code: "generalException" });
  });
});

describe("paths the fake does not serve", () => {
  const envelope = (status: number, code: string, message: RegExp) => ({
    statusCode: status,
    code,
    message: expect.stringMatching(message),
    requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
  });

  it("answers Graph's 400 BadRequest envelope through the Graph SDK, for v1.0 and beta alike", async () => {
    await expect(raw().api("/me/drive/root/children").get()).rejects.toMatchObject(
      envelope(400, "BadRequest", /^Resource not found for the segment 'children'\.$/),
    );
    await expect(raw().api("/me/insights").version("beta").get()).rejects.toMatchObject(
      envelope(400, "BadRequest", /^Resource not found for the segment 'insights'\.$/),
    );
  });

  it("asks for a token first, as Graph does: 401 InvalidAuthenticationToken without one", async () => {
    const response = await fetch(`${env.running.baseUrl}/beta/me/insights`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { code: "InvalidAuthenticationToken", innerError: { "request-id": expect.any(String) } },
    });
  });

  it("answers a path with no version with 400 Invalid version. in JSON, never a plain-text 404", async () => {
    for (const path of ["/me", "/v2.0/me", "/calendars/primary/events"]) {
      const response = await fetch(`${env.running.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      expect(response.status, path).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(await response.json()).toEqual({
        error: {
          code: "BadRequest",
          message: "Invalid version.",
          innerError: {
            date: expect.any(String),
            "request-id": expect.any(String),
            "client-request-id": expect.any(String),
          },
        },
      });
    }
  });
});
