/**
 * An outsider's audit of the interview API (issue 11, items 2–4) on the real
 * app with the fakes, SQLite and PostgreSQL: the same change sent several
 * times at once (PATCH and DELETE racing, a reschedule racing a cancel, two
 * different Idempotency-Keys booking one host at one time), other
 * organisations' and other hosts' ids, roles that may not act, the start URL
 * kept from non-hosts, and malformed input of every kind answered as a 4xx
 * JSON error, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { booking, call as callAs } from "../interviews/support.ts";
import {
  emily,
  googleEvents,
  guest,
  hanako,
  hoursFromNow,
  type InterviewApp,
  ken,
  liveHolds,
  misaki,
  outsider,
  setUpOrganisation,
  sho,
  zoomMeetings,
} from "../interviews/support.ts";
import { createTestApp } from "../support/test-app.ts";

let t: InterviewApp;

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  await setUpOrganisation(t);
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const call = (...args: Parameters<typeof callAs> extends [unknown, ...infer Rest] ? Rest : never) => callAs(t, ...args);

async function book(slot: number, extra: Record<string, unknown> = { zoom: { hostZoomUserId: "zU_ken" } }) {
  const answer = await call(ken, "POST", "/v1/interviews", booking(t, slot, extra));
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

/** Every refusal is the API's envelope with a snake_case code and a message. */
function expectError(answer: { status: number; body: Record<string, any> }, status: number | number[]) {
  const statuses = Array.isArray(status) ? status : [status];
  expect(statuses, JSON.stringify(answer.body)).toContain(answer.status);
  expect(answer.body.error?.code).toMatch(/^[a-z][a-z0-9_]*$/);
  expect(typeof answer.body.error?.message).toBe("string");
}

/** The interview's meeting and event at the fakes, and its live hold. */
async function atProviders(view: Record<string, any>) {
  const meeting = (await zoomMeetings(t)).find((entry) => entry.id === view.zoom?.meetingId);
  const event = (await googleEvents(t)).find((entry) => entry.id === view.event?.eventId);
  const hold = (await liveHolds(t)).find((entry) => entry.meeting_id === view.zoom?.meetingId);
  return { meeting, event, hold };
}

describe("the same interview changed several times at once", () => {
  it("PATCH and DELETE racing end in one state: cancelled with nothing left, or moved everywhere", async () => {
    for (const round of [0, 1, 2]) {
      const booked = await book(10 + round * 3);
      const start = hoursFromNow(t, 11 + round * 3);
      const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
      const answers = await Promise.all([
        call(ken, "PATCH", `/v1/interviews/${booked.id}`, { start, end }),
        call(hanako, "DELETE", `/v1/interviews/${booked.id}`),
        call(ken, "PATCH", `/v1/interviews/${booked.id}`, { start, end }),
        call(hanako, "DELETE", `/v1/interviews/${booked.id}`),
      ]);
      for (const answer of answers) {
        if (answer.status === 200) continue;
        expectError(answer, 409);
        expect(["interview_busy", "interview_cancelled"]).toContain(answer.body.error.code);
      }
      // Whatever won, a retried cancel settles it, and the providers hold nothing of it afterwards.
      const final = await call(hanako, "DELETE", `/v1/interviews/${booked.id}`);
      expect(final.status, JSON.stringify(final.body)).toBe(200);
      expect(final.body.status).toBe("cancelled");
      expect(await atProviders(booked)).toEqual({ meeting: undefined, event: undefined, hold: undefined });
    }
  });

  it("a reschedule racing a cancel never leaves a confirmed interview without its meeting or event", async () => {
    const booked = await book(20);
    const start = hoursFromNow(t, 21);
    const end = new Date(Date.parse(start) + 45 * 60_000).toISOString();
    const [moved, cancelled] = await Promise.all([
      call(ken, "PATCH", `/v1/interviews/${booked.id}`, { start, end, title: "再調整 🎌" }),
      call(ken, "DELETE", `/v1/interviews/${booked.id}`),
    ]);
    const now = await call(ken, "GET", `/v1/interviews/${booked.id}`);
    expect(now.status).toBe(200);
    const found = await atProviders(booked);
    if (now.body.status === "cancelled") {
      expect(cancelled.status).toBe(200);
      expect(found).toEqual({ meeting: undefined, event: undefined, hold: undefined });
    } else {
      expect(now.body.status).toBe("confirmed");
      expectError(cancelled, 409);
      expect(moved.status).toBe(200);
      expect(found.meeting).toMatchObject({ start, end, topic: "再調整 🎌" });
      expect(found.event).toMatchObject({ start, end, summary: "再調整 🎌" });
      expect(found.hold).toMatchObject({ starts_at: start, ends_at: end });
    }
  });

  it("ten DELETEs at once cancel once: every answer 200 or 409 busy, nothing left at the providers", async () => {
    const booked = await book(24);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call(ken, "DELETE", `/v1/interviews/${booked.id}`)),
    );
    for (const answer of answers) {
      if (answer.status === 200) expect(answer.body.status).toBe("cancelled");
      else expectError(answer, 409);
    }
    expect(answers.some((answer) => answer.status === 200)).toBe(true);
    expect(await atProviders(booked)).toEqual({ meeting: undefined, event: undefined, hold: undefined });
  });

  it("two different Idempotency-Keys booking one host at one time: one interview, the other refused", async () => {
    const meetingsBefore = (await zoomMeetings(t)).length;
    const eventsBefore = (await googleEvents(t)).length;
    const body = booking(t, 30, { zoom: { hostZoomUserId: "zU_ken" } });
    const answers = await Promise.all(
      ["key-a", "key-b", "key-c"].map((key) =>
        call(ken, "POST", "/v1/interviews", body, { "Idempotency-Key": `audit-${key}` }),
      ),
    );
    const booked = answers.filter((answer) => answer.status === 201);
    expect(booked.length).toBe(1);
    for (const answer of answers.filter((entry) => entry.status !== 201)) {
      expectError(answer, 409);
      expect(answer.body.error.code).toBe("zoom_host_busy");
    }
    expect((await zoomMeetings(t)).length).toBe(meetingsBefore + 1);
    expect((await googleEvents(t)).length).toBe(eventsBefore + 1);
  });
});

describe("tenancy and roles", () => {
  it("another organisation's interview is a 404 for every verb, with nothing of it in the answer", async () => {
    const booked = await book(40);
    for (const [method, path, body] of [
      ["GET", `/v1/interviews/${booked.id}`, undefined],
      ["GET", `/v1/interviews/${booked.id}?check=1`, undefined],
      ["PATCH", `/v1/interviews/${booked.id}`, { title: "x" }],
      ["DELETE", `/v1/interviews/${booked.id}`, undefined],
      ["POST", `/v1/interviews/${booked.id}/start-url`, undefined],
    ] as const) {
      const answer = await call(outsider, method, path, body);
      expectError(answer, 404);
      expect(answer.body.error.code).toBe("interview_not_found");
      expect(JSON.stringify(answer.body)).not.toContain(booked.zoom.meetingId);
    }
    const listed = await call(outsider, "GET", "/v1/interviews");
    expect(listed.status).toBe(200);
    expect(listed.body.interviews).toEqual([]);
    expect((await call(ken, "GET", `/v1/interviews/${booked.id}`)).body.status).toBe("confirmed");
  });

  it("assistants read but do not change; guests do nothing; settings are the admin's", async () => {
    const booked = await book(42);
    expect((await call(misaki, "GET", `/v1/interviews/${booked.id}`)).status).toBe(200);
    for (const [caller, method, path, body] of [
      [misaki, "PATCH", `/v1/interviews/${booked.id}`, { title: "x" }],
      [misaki, "DELETE", `/v1/interviews/${booked.id}`, undefined],
      [misaki, "POST", "/v1/interviews", booking(t, 43)],
      [guest, "GET", `/v1/interviews/${booked.id}`, undefined],
      [guest, "GET", "/v1/interviews", undefined],
      [guest, "GET", "/v1/interview-settings", undefined],
      [guest, "POST", `/v1/interviews/${booked.id}/start-url`, undefined],
      [ken, "PUT", "/v1/interview-settings", { waitingRoom: false }],
      [guest, "PUT", "/v1/interview-settings", { waitingRoom: false }],
    ] as const) {
      const answer = await call(caller, method, path, body);
      expectError(answer, 403);
      expect(JSON.stringify(answer.body)).not.toContain("startUrl");
    }
    expect((await call(ken, "GET", `/v1/interviews/${booked.id}`)).body).toMatchObject({ status: "confirmed" });
  });

  it("the start URL is the host's own: others who did not link it get none", async () => {
    const booked = await book(44);
    const own = await call(ken, "POST", `/v1/interviews/${booked.id}/start-url`);
    expect(own.status).toBe(200);
    expect(own.body.startUrl).toMatch(/^https?:\/\//);
    for (const caller of [sho, emily, misaki, hanako]) {
      const answer = await call(caller, "POST", `/v1/interviews/${booked.id}/start-url`);
      expectError(answer, 403);
      expect(JSON.stringify(answer.body)).not.toContain(own.body.startUrl);
    }
    // No view of the interview carries it.
    for (const path of [`/v1/interviews/${booked.id}`, "/v1/interviews"]) {
      const text = JSON.stringify((await call(misaki, "GET", path)).body);
      expect(text).not.toMatch(/start_?url/i);
    }
  });
});

describe("bad input", () => {
  it("answers 4xx JSON for malformed, oversized and mistyped bodies, never a 500", async () => {
    const booked = await book(46);
    const raw = async (method: string, path: string, body: string | undefined, type = "application/json") => {
      const response = await t.app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${await t.token(hanako)}`,
          origin: "https://portal-a.example",
          "content-type": type,
        },
        body,
      });
      const text = await response.text();
      let parsed: Record<string, any> = {};
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { unparsed: text };
      }
      return { status: response.status, body: parsed };
    };
    for (const [method, path] of [
      ["POST", "/v1/interviews"],
      ["PATCH", `/v1/interviews/${booked.id}`],
      ["PUT", "/v1/interview-settings"],
    ] as const) {
      for (const body of ["{", "null", "[]", '"text"', "1", "", undefined])
        expectError(await raw(method, path, body), [400, 415]);
      expectError(await raw(method, path, "title=x", "application/x-www-form-urlencoded"), [400, 415]);
      expectError(await raw(method, path, "{}", "text/plain"), [400, 415]);
    }
    const wrong: Array<Record<string, unknown>> = [
      { ...booking(t, 47), start: 12 },
      { ...booking(t, 47), start: "tomorrow" },
      { ...booking(t, 47), start: hoursFromNow(t, 48), end: hoursFromNow(t, 47) },
      { ...booking(t, 47), end: hoursFromNow(t, 200) },
      { ...booking(t, 47), timeZone: "Mars/Olympus_Mons" },
      { ...booking(t, 47), interviewers: "misaki" },
      { ...booking(t, 47), interviewers: [{}] },
      { ...booking(t, 47), candidate: { name: "x", email: "not an address" } },
      { ...booking(t, 47), title: "" },
      { ...booking(t, 47), title: "面".repeat(201) },
      { ...booking(t, 47), description: "x".repeat(5_001) },
      { ...booking(t, 47), zoom: { hostZoomUserId: 5 } },
      { ...booking(t, 47), conference: "skype" },
      { ...booking(t, 47), extra: true },
      { ...booking(t, 47), start: "2026-13-45T99:00:00Z" },
      { ...booking(t, 47), calendarAccountId: "acc_of_someone_else" },
      { ...booking(t, 47), interviewers: ["nobody-ever-seen"] },
    ];
    for (const body of wrong) {
      const answer = await call(ken, "POST", "/v1/interviews", body);
      expect(answer.status, JSON.stringify(body)).toBeLessThan(500);
      expectError(answer, [400, 409, 422]);
    }
    const changes: Array<Record<string, unknown>> = [
      {},
      { start: hoursFromNow(t, 50) },
      { start: hoursFromNow(t, 51), end: hoursFromNow(t, 50) },
      { title: null },
      { interviewers: ["nobody-ever-seen"] },
      { zoom: { hostZoomUserId: "" } },
      { status: "cancelled" },
    ];
    for (const body of changes) expectError(await call(ken, "PATCH", `/v1/interviews/${booked.id}`, body), [400, 409]);
    expect((await call(ken, "GET", `/v1/interviews/${booked.id}`)).body).toMatchObject({
      status: "confirmed",
      start: booked.start,
      title: booked.title,
    });
  });

  it("answers 413 or 400 JSON for a huge body", async () => {
    const huge = { ...booking(t, 52), description: "あ".repeat(3_000_000) };
    expectError(await call(ken, "POST", "/v1/interviews", huge), [400, 413]);
  });

  it("books and shows Japanese and emoji titles as given", async () => {
    const view = await book(54, { zoom: { hostZoomUserId: "zU_ken" }, title: "最終面接 👩‍💻🎉 𠮷野家" });
    expect(view.title).toBe("最終面接 👩‍💻🎉 𠮷野家");
    expect((await atProviders(view)).meeting?.topic).toBe("最終面接 👩‍💻🎉 𠮷野家");
  });

  it("answers 404 for ids that are not ids and 400 for bad queries, as JSON", async () => {
    for (const id of ["%00", "..%2F..%2Fetc", "x".repeat(5_000), "1%20OR%201%3D1", "%F0%9F%98%80", "%E0%A4%A"]) {
      for (const method of ["GET", "PATCH", "DELETE"] as const) {
        const answer = await call(ken, method, `/v1/interviews/${id}`, method === "PATCH" ? { title: "x" } : undefined);
        expectError(answer, [400, 404]);
      }
      expectError(await call(ken, "POST", `/v1/interviews/${id}/start-url`), [400, 404]);
    }
    for (const query of [
      "status=nope",
      "from=yesterday",
      "to=1",
      "limit=0",
      "limit=abc",
      "limit=100000",
      "status=confirmed&status=failed",
    ])
      expectError(await call(ken, "GET", `/v1/interviews?${query}`), 400);
    expectError(await call(ken, "GET", "/v1/interviews/x?check=1&check=2"), [400, 404]);
  });

  it("refuses an Idempotency-Key that is not visible ASCII, and one reused for another body", async () => {
    expectError(await call(ken, "POST", "/v1/interviews", booking(t, 56), { "Idempotency-Key": "k".repeat(256) }), 400);
    const first = await call(ken, "POST", "/v1/interviews", booking(t, 57, { zoom: { hostZoomUserId: "zU_ken" } }), {
      "Idempotency-Key": "audit-reuse",
    });
    expect(first.status).toBe(201);
    const again = await call(ken, "POST", "/v1/interviews", booking(t, 58), { "Idempotency-Key": "audit-reuse" });
    expectError(again, 422);
    // Another organiser's retry with the same key is not given the first one's interview.
    const other = await call(sho, "POST", "/v1/interviews", booking(t, 57, { zoom: { hostZoomUserId: "zU_ken" } }), {
      "Idempotency-Key": "audit-reuse",
    });
    expect(other.body.id).not.toBe(first.body.id);
  });
});

describe("a provider failing mid-change", () => {
  it("a cancel Zoom refuses is 424 and stays cancelling; a retry cancels with nothing left", async () => {
    const booked = await book(60);
    // All four tries of this request fail (the client retries a 5xx); the next request finds Zoom working again.
    await t.zoom.running.control("/fail", { status: 500, path: `/v2/meetings/${booked.zoom.meetingId}`, count: 4 });
    const failed = await call(ken, "DELETE", `/v1/interviews/${booked.id}`);
    expectError(failed, 424);
    expect(failed.body.error.code).toBe("provider_failed");
    expect((await call(ken, "GET", `/v1/interviews/${booked.id}`)).body.status).toBe("cancelling");
    const change = await call(ken, "PATCH", `/v1/interviews/${booked.id}`, { title: "x" });
    expectError(change, 409);
    expect(change.body.error.code).toBe("interview_cancelled");
    const retried = await call(ken, "DELETE", `/v1/interviews/${booked.id}`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(await atProviders(booked)).toEqual({ meeting: undefined, event: undefined, hold: undefined });
  });

  it("a slow Zoom during two racing reschedules moves the interview once, consistently everywhere", async () => {
    const booked = await book(62);
    await t.zoom.running.control("/latency", { ms: 300 });
    try {
      const targets = [63, 64].map((hour) => {
        const start = hoursFromNow(t, hour);
        return { start, end: new Date(Date.parse(start) + 30 * 60_000).toISOString() };
      });
      const answers = await Promise.all(
        targets.map((target) => call(ken, "PATCH", `/v1/interviews/${booked.id}`, target)),
      );
      const won = answers.filter((answer) => answer.status === 200);
      expect(won.length).toBe(1);
      for (const answer of answers.filter((entry) => entry.status !== 200)) {
        expectError(answer, 409);
        expect(answer.body.error.code).toBe("interview_busy");
      }
      const now = (await call(ken, "GET", `/v1/interviews/${booked.id}`)).body;
      const found = await atProviders(booked);
      expect(found.meeting).toMatchObject({ start: now.start, end: now.end });
      expect(found.event).toMatchObject({ start: now.start, end: now.end });
      expect(found.hold).toMatchObject({ starts_at: now.start, ends_at: now.end });
    } finally {
      await t.zoom.running.control("/latency", { ms: 0 });
    }
  });
});
