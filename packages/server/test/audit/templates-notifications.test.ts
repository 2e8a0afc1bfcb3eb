/**
 * An outsider's audit of message templates and notifications (issue 11,
 * items 5 and 6) on the real app, SQLite and PostgreSQL: a guest or another
 * organisation reading an interview through a template's render, other
 * organisations' templates and notices, roles that may not write, and
 * malformed input answered as a 4xx JSON error, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  booking,
  call as callAs,
  guest,
  hanako,
  type InterviewApp,
  ken,
  misaki,
  outsider,
  setUpOrganisation,
} from "../interviews/support.ts";
import { createTestApp } from "../support/test-app.ts";

let t: InterviewApp;
let interview: Record<string, any>;

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  await setUpOrganisation(t);
  const booked = await callAs(t, ken, "POST", "/v1/interviews", booking(t, 3, { zoom: { hostZoomUserId: "zU_ken" } }));
  expect(booked.status).toBe(201);
  interview = booked.body;
}, 60_000);
afterAll(async () => {
  await t?.close();
});

const call = (...args: Parameters<typeof callAs> extends [unknown, ...infer Rest] ? Rest : never) => callAs(t, ...args);

function expectError(answer: { status: number; body: Record<string, any> }, status: number | number[]) {
  expect(Array.isArray(status) ? status : [status], JSON.stringify(answer.body)).toContain(answer.status);
  expect(answer.body.error?.code).toMatch(/^[a-z][a-z0-9_]*$/);
  expect(typeof answer.body.error?.message).toBe("string");
}

const secrets = "{{zoom_url}} {{zoom_passcode}} {{candidate_name}}";

describe("rendering a template for an interview", () => {
  it("gives the Zoom URL and passcode to those who may read the interview", async () => {
    for (const caller of [ken, misaki, hanako]) {
      const answer = await call(caller, "POST", "/v1/templates/render", { body: secrets, interviewId: interview.id });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.body).toContain(interview.zoom.passcode);
    }
  });

  it("refuses a guest (403), who may not read interviews, and gives them nothing of it", async () => {
    expectError(await call(guest, "GET", `/v1/interviews/${interview.id}`), 403);
    const answer = await call(guest, "POST", "/v1/templates/render", { body: secrets, interviewId: interview.id });
    expectError(answer, 403);
    expect(JSON.stringify(answer.body)).not.toContain(interview.zoom.passcode);
    expect(JSON.stringify(answer.body)).not.toContain("山田");
    // With values of their own, a guest may still render (a preview).
    const preview = await call(guest, "POST", "/v1/templates/render", {
      body: "{{candidate_name}} 様",
      values: { candidateName: "佐藤 花子" },
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  });

  it("answers another organisation 404 for the interview and its templates", async () => {
    expect(
      (await call(hanako, "PUT", "/v1/templates/confirmed/ja", { name: "日程確定メール", body: secrets })).status,
    ).toBe(200);
    const rendered = await call(outsider, "POST", "/v1/templates/render", { body: secrets, interviewId: interview.id });
    expectError(rendered, 404);
    expect(JSON.stringify(rendered.body)).not.toContain(interview.zoom.passcode);
    expectError(await call(outsider, "GET", "/v1/templates/confirmed/ja"), 404);
    expect((await call(outsider, "GET", "/v1/templates")).body.templates).toEqual([]);
    expectError(await call(outsider, "DELETE", "/v1/templates/confirmed/ja"), 404);
    expect((await call(hanako, "GET", "/v1/templates/confirmed/ja")).status).toBe(200);
  });
});

describe("bad input", () => {
  it("answers templates' malformed keys, languages and bodies with 4xx JSON", async () => {
    for (const [method, path, body] of [
      ["PUT", "/v1/templates/Confirmed/ja", { name: "x", body: "x" }],
      ["PUT", "/v1/templates/confirmed/fr", { name: "x", body: "x" }],
      ["PUT", `/v1/templates/${"k".repeat(65)}/ja`, { name: "x", body: "x" }],
      ["PUT", "/v1/templates/confirmed/ja", { name: "x", body: "{{no_such_tag}}" }],
      ["PUT", "/v1/templates/confirmed/ja", { name: "x", body: "{{zoom_url" }],
      ["PUT", "/v1/templates/confirmed/ja", { name: "", body: "x" }],
      ["PUT", "/v1/templates/confirmed/ja", { name: "x", body: "x".repeat(20_001) }],
      ["PUT", "/v1/templates/confirmed/ja", { name: 5, body: "x" }],
      ["PUT", "/v1/templates/confirmed/ja", null],
      ["GET", "/v1/templates/%00/ja", undefined],
      ["GET", "/v1/templates/confirmed/%F0%9F%98%80", undefined],
      ["POST", "/v1/templates/render", { body: "x" }],
      ["POST", "/v1/templates/render", { key: "confirmed", body: "x", values: {} }],
      ["POST", "/v1/templates/render", { body: "{{start}}", values: { start: "tomorrow" } }],
      ["POST", "/v1/templates/render", { body: "{{start}}", values: {}, timeZone: "Mars/Base" }],
      ["POST", "/v1/templates/render", { body: "{{zoom_url}}", values: {} }],
      ["POST", "/v1/templates/render", { body: "x", interviewId: "not-an-id" }],
      ["POST", "/v1/templates/render", { body: "x", interviewId: "x".repeat(10_000) }],
      ["POST", "/v1/templates/render", { key: "no-such", values: {} }],
      ["POST", "/v1/templates/render", []],
    ] as const) {
      const answer = await call(hanako, method, path, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      expectError(answer, [400, 404, 422]);
    }
    expectError(await call(ken, "PUT", "/v1/templates/confirmed/ja", { name: "x", body: "x" }), 403);
  });

  it("answers notifications' bad bodies, roles and ids with 4xx JSON", async () => {
    for (const body of [
      {},
      { userId: "ken" },
      { userId: "ken", text: "" },
      { userId: "ken", text: "x".repeat(4_001) },
      { userId: "ken", text: "x", url: "javascript:alert(1)" },
      { userId: 5, text: "x" },
      null,
    ])
      expectError(await call(ken, "POST", "/v1/notifications", body), 400);
    // Nobody here linked Slack: said so, not a 500.
    expectError(await call(ken, "POST", "/v1/notifications", { userId: "emily", text: "評価をお願いします 🙏" }), 422);
    expectError(await call(ken, "POST", "/v1/notifications", { userId: "nobody", text: "x" }), 422);
    for (const caller of [misaki, guest])
      expectError(await call(caller, "POST", "/v1/notifications", { userId: "ken", text: "x" }), 403);
    for (const id of ["ntc_nope", "%00", "x".repeat(5_000)])
      expectError(await call(ken, "GET", `/v1/notifications/${id}`), [400, 404]);
  });
});
