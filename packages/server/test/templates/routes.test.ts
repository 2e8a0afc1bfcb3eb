/**
 * Message templates over HTTP on the real app (SQLite and PostgreSQL): admins
 * store 日程確定メール per language, anyone in the organisation reads and
 * renders them, other organisations never see them, and every wrong tag or
 * missing value is a 4xx naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portalClaims, randomSecret, type SigningKey, secretKey, signToken } from "../support/hosts.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let key: SigningKey;

beforeAll(async () => {
  const secret = randomSecret();
  key = secretKey(secret);
  t = await createTestApp({
    hosts: [{ id: "hr-portal", origins: ["https://hr.example.com"], secret, algorithms: ["HS256"] }],
  });
});
afterAll(() => t.close());

type Who = { role?: string; org?: string; sub?: string; locale?: string; tz?: string };

async function call(method: string, path: string, body: unknown, who: Who = {}) {
  const token = await signToken(key, portalClaims(t.clock, "hr-portal", { role: "admin", ...who }));
  const response = await t.app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const confirmed = {
  name: "日程確定メール",
  subject: "【{{title}}】日程確定のお知らせ",
  body: "{{candidate_name}} 様\n\n{{start}}〜{{end}}にWeb面接を行います。\nZoomミーティングURL：{{zoom_url}}\nパスコード：{{zoom_passcode}}",
};
const values = {
  title: "一次面接",
  start: "2026-12-03T14:00:00+09:00",
  end: "2026-12-03T15:00:00+09:00",
  candidateName: "山田 花子",
  zoom: { joinUrl: "https://zoom.us/j/12345678901?pwd=abc", passcode: "a1b2c3", meetingId: "12345678901" },
};

describe("message templates", () => {
  it("an admin stores a template per language; anyone in the organisation lists it with the tags", async () => {
    const saved = await call("PUT", "/v1/templates/interview_confirmed/ja", confirmed, { sub: "hanako" });
    expect(saved).toMatchObject({
      status: 200,
      body: { key: "interview_confirmed", language: "ja", ...confirmed, updatedBy: "hanako" },
    });
    const listed = await call("GET", "/v1/templates", undefined, { role: "guest" });
    expect(listed.status).toBe(200);
    expect(listed.body.templates).toEqual([saved.body]);
    expect(listed.body.tags.map((entry: { tag: string }) => entry.tag)).toEqual(
      expect.arrayContaining([
        "zoom_url",
        "zoom_passcode",
        "zoom_meeting_id",
        "start",
        "end",
        "date",
        "candidate_name",
        "interviewers",
        "calendar_link",
      ]),
    );
    const audit = await t.db
      .selectFrom("audit_log")
      .select(["action", "target"])
      .where("action", "=", "template.saved")
      .execute();
    expect(audit).toContainEqual({ action: "template.saved", target: "interview_confirmed" });
  });

  it("renders the stored template for an interview in the caller's language and time zone", async () => {
    await call("PUT", "/v1/templates/interview_confirmed/ja", confirmed);
    const rendered = await call(
      "POST",
      "/v1/templates/render",
      { key: "interview_confirmed", values },
      { role: "recruiter" },
    );
    expect(rendered).toEqual({
      status: 200,
      body: {
        language: "ja",
        timeZone: "Asia/Tokyo",
        subject: "【一次面接】日程確定のお知らせ",
        body:
          "山田 花子 様\n\n2026年12月3日（木）14:00〜15:00にWeb面接を行います。\nZoomミーティングURL：" +
          "https://zoom.us/j/12345678901?pwd=abc\nパスコード：a1b2c3",
      },
    });
  });

  it("renders a template given in the body (a live preview) in another language and zone", async () => {
    const rendered = await call("POST", "/v1/templates/render", {
      body: "{{date}} {{start}}",
      language: "en",
      timeZone: "Europe/London",
      values,
    });
    expect(rendered).toMatchObject({
      status: 200,
      body: { subject: null, body: "Thu, Dec 3, 2026 Thu, Dec 3, 2026, 5:00 AM" },
    });
  });

  it("renders and answers the body's or the token's zone in its canonical spelling, whatever its case", async () => {
    const preview = { body: "{{start}} {{time_zone}}", language: "en", values };
    for (const [zone, who] of [
      ["asia/tokyo", {}],
      [undefined, { tz: "ASIA/TOKYO" }],
    ] as const) {
      const rendered = await call("POST", "/v1/templates/render", { ...preview, timeZone: zone }, who);
      expect(rendered).toEqual({
        status: 200,
        body: { language: "en", timeZone: "Asia/Tokyo", subject: null, body: "Thu, Dec 3, 2026, 2:00 PM Asia/Tokyo" },
      });
    }
    const unknown = await call("POST", "/v1/templates/render", { ...preview, timeZone: "asia/atlantis" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "invalid_body", message: expect.stringContaining("timeZone") });
  });

  it("refuses to store a template with an unknown tag or a {{ left open, naming it", async () => {
    const unknown = await call("PUT", "/v1/templates/typo/ja", { ...confirmed, body: "URL: {{zoom_link}}" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: "template_unknown_tag", details: { tag: "zoom_link" } });
    expect(unknown.body.error.message).toContain("{{zoom_link}}");
    const open = await call("PUT", "/v1/templates/typo/ja", { ...confirmed, subject: "{{title" });
    expect(open).toMatchObject({ status: 400, body: { error: { code: "template_malformed" } } });
    expect((await call("GET", "/v1/templates/typo/ja", undefined)).status).toBe(404);
  });

  it("answers 422 naming the tag an interview has no value for (no Zoom meeting yet)", async () => {
    await call("PUT", "/v1/templates/interview_confirmed/ja", confirmed);
    const rendered = await call("POST", "/v1/templates/render", {
      key: "interview_confirmed",
      values: { ...values, zoom: undefined },
    });
    expect(rendered.status).toBe(422);
    expect(rendered.body.error).toMatchObject({ code: "template_value_missing", details: { tag: "zoom_url" } });
  });

  it("lets only admins write, keeps organisations apart, and deletes", async () => {
    await call("PUT", "/v1/templates/interview_confirmed/en", { ...confirmed, name: "Interview confirmed" });
    const refused = await call("PUT", "/v1/templates/interview_confirmed/en", confirmed, { role: "recruiter" });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "forbidden_role" } } });
    const elsewhere = await call("GET", "/v1/templates", undefined, { org: "other-co" });
    expect(elsewhere.body.templates).toEqual([]);
    expect(
      (await call("POST", "/v1/templates/render", { key: "interview_confirmed", values }, { org: "other-co" })).status,
    ).toBe(404);
    expect(await call("DELETE", "/v1/templates/interview_confirmed/en", undefined)).toEqual({
      status: 200,
      body: { deleted: true },
    });
    expect((await call("DELETE", "/v1/templates/interview_confirmed/en", undefined)).body.error.code).toBe(
      "template_not_found",
    );
  });

  it("answers bad input with 400 and what to send", async () => {
    expect((await call("PUT", "/v1/templates/Bad Key/ja", confirmed)).body.error.code).toBe("invalid_request");
    expect((await call("PUT", "/v1/templates/ok/fr", confirmed)).body.error.code).toBe("invalid_request");
    const both = await call("POST", "/v1/templates/render", { key: "x", body: "y", values });
    expect(both).toMatchObject({ status: 400, body: { error: { code: "invalid_body" } } });
    const zone = await call("POST", "/v1/templates/render", { body: "{{start}}", timeZone: "Mars/Olympus", values });
    expect(zone.body.error).toMatchObject({ code: "invalid_body", message: expect.stringContaining("timeZone") });
    const time = await call("POST", "/v1/templates/render", { body: "{{start}}", values: { start: "tomorrow" } });
    expect(time.body.error).toMatchObject({ code: "invalid_body", message: expect.stringContaining("values.start") });
    const backwards = await call("POST", "/v1/templates/render", {
      body: "{{start}}〜{{end}}（{{duration}}）",
      values: { start: "2026-12-03T14:00:00+09:00", end: "2026-12-03T13:00:00+09:00" },
    });
    expect(backwards).toMatchObject({ status: 400, body: { error: { code: "invalid_body" } } });
    expect(backwards.body.error.message).toContain("values.end: must be after start");
    const halfTime = await call("POST", "/v1/templates/render", {
      body: "{{start}}",
      values: { start: "tomorrow", end: "2026-12-03T13:00:00+09:00" },
    });
    expect(halfTime.body.error).toMatchObject({
      code: "invalid_body",
      message: expect.stringContaining("values.start"),
    });
  });
});
