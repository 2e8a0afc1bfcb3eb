/**
 * The notices and the template render with the interview saga itself: an
 * interview booked, moved and cancelled through `/v1/interviews` on the real
 * app with the Google, Microsoft, Zoom and Slack fakes; the portal's webhooks
 * and the interviewers' DMs that follow, sent by the delivery worker; and
 * `POST /v1/templates/render` for the stored interview.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readableClock } from "../../src/readable-time.ts";
import { expectLinked, linkSlack } from "../oauth/adapters/zoom-slack-links.ts";
import { type Caller, createTestApp, originA, type WebhookTestApp } from "../support/test-app.ts";
import { booking, call, emily, hanako, hoursFromNow, ken, misaki, setUpOrganisation } from "../interviews/support.ts";

let t: WebhookTestApp<"google" | "microsoft" | "zoom" | "slack">;
const slackIds = { misaki: "U0S003MISA", emily: "U0S008EMIL" } as const;
const other: Caller = { sub: "ken", org: "other-org", role: "admin" };

async function dms(): Promise<Array<{ recipient?: string; text?: string }>> {
  const response = await fetch(`${t.slack.fake.baseUrl}/_control/messages`);
  return ((await response.json()) as { messages: Array<{ recipient?: string; text?: string }> }).messages;
}

/** Runs the worker; what reached the portal and Slack in this pass. */
async function deliver() {
  const posted = (await dms()).length;
  t.receiver.clear();
  await t.delivery.deliverDue();
  const byRecipient: Record<string, string> = {};
  for (const message of (await dms()).slice(posted)) byRecipient[message.recipient ?? "?"] = message.text ?? "";
  return { events: t.receiver.events(), dms: byRecipient };
}

/** The clock of an instant in Tokyo and in London, through the one formatter the DMs and the templates share. */
const tokyoTime = (iso: string) => readableClock(new Date(iso), { language: "ja", timeZone: "Asia/Tokyo" });
const londonTime = (iso: string) => readableClock(new Date(iso), { language: "en", timeZone: "Europe/London" });

beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom", "slack"], webhooks: {} });
  await setUpOrganisation(t);
  expectLinked((await linkSlack(t, hanako, "org", "U0S001HANA")).outcome);
  expectLinked((await linkSlack(t, misaki, "personal", slackIds.misaki)).outcome);
  expectLinked((await linkSlack(t, emily, "personal", slackIds.emily)).outcome);
  // misaki reads Japanese in Tokyo (the portal's default claims); Emily English in London.
  for (const [caller, claims] of [
    [misaki, {}],
    [emily, { locale: "en", tz: "Europe/London" }],
  ] as const) {
    const me = await t.app.request("/v1/me", {
      headers: { authorization: `Bearer ${await t.token(caller, claims)}`, origin: originA },
    });
    expect(me.status).toBe(200);
  }
  await t.delivery.deliverDue();
}, 90_000);
afterAll(async () => {
  await t?.close();
});

describe("an interview booked, moved and cancelled through the API", () => {
  let interview: Record<string, any>;

  it("books: the portal gets interview.scheduled with the view, and each interviewer with Slack a DM", async () => {
    const answer = await call(
      t,
      ken,
      "POST",
      "/v1/interviews",
      booking(t, 1, {
        interviewers: ["misaki", "emily", "sho"],
        zoom: { hostZoomUserId: "zU_ken" },
        // The candidate's language: the render below uses it although ken's own locale is English.
        candidate: { name: "山田 太郎", email: "taro.candidate@example.com", language: "ja" },
      }),
    );
    expect(answer.status).toBe(201);
    interview = answer.body;
    const { events, dms: sent } = await deliver();
    expect(events).toEqual([
      expect.objectContaining({ type: "interview.scheduled", user: "ken", reason: null, interview }),
    ]);
    // sho has no Slack: no DM for him.
    expect(Object.keys(sent).sort()).toEqual([slackIds.emily, slackIds.misaki].sort());
    expect(sent[slackIds.misaki]).toContain("*面接が確定しました*\n一次面接 1\n候補者：山田 太郎さん\n日時：");
    expect(sent[slackIds.misaki]).toContain(
      `）${tokyoTime(interview.start)}〜${tokyoTime(interview.end)}（Asia/Tokyo）`,
    );
    expect(sent[slackIds.misaki]).toContain(
      `Zoom：${interview.zoom.joinUrl}（パスコード：${interview.zoom.passcode}）`,
    );
    if (interview.event.webLink) expect(sent[slackIds.misaki]).toContain(`カレンダー：${interview.event.webLink}`);
    expect(sent[slackIds.emily]).toContain("*Interview scheduled*");
    expect(sent[slackIds.emily]).toContain(`, ${londonTime(interview.start)} – `);
    expect(sent[slackIds.emily]).toContain("(Europe/London)");
    expect(JSON.stringify(events)).not.toMatch(/start_?url|zak=/i);
  });

  it("renders the organisation's stored template for the interview by its id", async () => {
    const stored = await t.api(hanako, "PUT", "/v1/templates/interview_confirmed/ja", {
      name: "日程確定メール",
      subject: "【{{title}}】面接日程のご案内",
      body:
        "{{candidate_name}} 様\n日時：{{start}}〜{{end}}（{{time_zone}}）\n面接官：{{interviewers}}\n" +
        "Zoom：{{zoom_url}}\nミーティングID：{{zoom_meeting_id}}\nパスコード：{{zoom_passcode}}",
    });
    expect(stored.status).toBe(200);
    const rendered = await call(t, ken, "POST", "/v1/templates/render", {
      key: "interview_confirmed",
      interviewId: interview.id,
    });
    expect(rendered.status).toBe(200);
    expect(rendered.body).toMatchObject({
      language: "ja",
      timeZone: "Asia/Tokyo",
      subject: "【一次面接 1】面接日程のご案内",
    });
    const body = String(rendered.body.body);
    expect(body).toContain("山田 太郎 様\n日時：");
    expect(body).toContain(`）${tokyoTime(interview.start)}〜${tokyoTime(interview.end)}（Asia/Tokyo）`);
    expect(body).toMatch(/日時：\d{4}年\d{1,2}月\d{1,2}日（.）\d{1,2}:\d{2}〜/);
    expect(body).toContain(`Zoom：${interview.zoom.joinUrl}\n`);
    expect(body).toContain(`パスコード：${interview.zoom.passcode}`);
    expect(body).toMatch(/ミーティングID：\d{3} \d{3,4} \d{4}\n/);
    expect(body).toMatch(/面接官：.+、.+、.+\n/);

    // The candidate's zone and language can be asked for instead.
    const english = await call(t, ken, "POST", "/v1/templates/render", {
      body: "{{start}} ({{time_zone}})",
      language: "en",
      timeZone: "Europe/London",
      interviewId: interview.id,
    });
    expect(english.body.body).toContain(`${londonTime(interview.start)} (Europe/London)`);
  });

  it("refuses a render for an interview the organisation does not have, or with values as well", async () => {
    const unknown = await call(t, ken, "POST", "/v1/templates/render", {
      key: "interview_confirmed",
      interviewId: "no-such-interview",
    });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: "interview_not_found" } } });
    const elsewhere = await call(t, other, "POST", "/v1/templates/render", {
      body: "{{title}}",
      interviewId: interview.id,
    });
    expect(elsewhere).toMatchObject({ status: 404, body: { error: { code: "interview_not_found" } } });
    const both = await call(t, ken, "POST", "/v1/templates/render", {
      body: "{{title}}",
      interviewId: interview.id,
      values: { title: "x" },
    });
    expect(both).toMatchObject({ status: 400, body: { error: { code: "invalid_body" } } });
  });

  it("moves: interview.updated with the interview before, and a DM with the old and the new time", async () => {
    const start = hoursFromNow(t, 5);
    const end = new Date(Date.parse(start) + 45 * 60_000).toISOString();
    const answer = await call(t, ken, "PATCH", `/v1/interviews/${interview.id}`, { start, end });
    expect(answer.status).toBe(200);
    const { events, dms: sent } = await deliver();
    expect(events).toEqual([
      expect.objectContaining({
        type: "interview.updated",
        interview: answer.body,
        before: expect.objectContaining({ start: interview.start, end: interview.end }),
        changed: expect.arrayContaining(["start", "end"]),
      }),
    ]);
    expect(sent[slackIds.misaki]).toContain("*面接の日時が変更されました*");
    expect(sent[slackIds.misaki]).toContain(`${tokyoTime(interview.start)}〜${tokyoTime(interview.end)}~\n変更後：`);
    expect(sent[slackIds.misaki]).toContain(`${tokyoTime(start)}〜${tokyoTime(end)}（Asia/Tokyo）`);
    expect(sent[slackIds.emily]).toContain("*Interview rescheduled*");
    interview = answer.body;
  });

  it("cancels: interview.cancelled, and a DM saying it is cancelled", async () => {
    const answer = await call(t, ken, "DELETE", `/v1/interviews/${interview.id}`);
    expect(answer.status).toBe(200);
    const { events, dms: sent } = await deliver();
    expect(events).toEqual([
      expect.objectContaining({
        type: "interview.cancelled",
        interview: expect.objectContaining({ status: "cancelled" }),
      }),
    ]);
    expect(sent[slackIds.misaki]).toMatch(/^\*面接がキャンセルされました\*\n一次面接 1\n/);
    expect(sent[slackIds.misaki]).not.toContain("Zoom：");
    expect(sent[slackIds.emily]).toMatch(/^\*Interview cancelled\*\n/);
  });
});

describe("a Google Meet interview", () => {
  it("fills {{zoom_url}} with the Meet URL and names {{zoom_passcode}} as missing", async () => {
    const answer = await call(
      t,
      ken,
      "POST",
      "/v1/interviews",
      booking(t, 9, { interviewers: ["misaki"], conference: "google_meet" }),
    );
    expect(answer.status).toBe(201);
    const meet = answer.body;
    expect(meet.joinUrl).toEqual(expect.any(String));
    const url = await call(t, ken, "POST", "/v1/templates/render", { body: "{{zoom_url}}", interviewId: meet.id });
    expect(url).toMatchObject({ status: 200, body: { body: meet.joinUrl } });
    const passcode = await call(t, ken, "POST", "/v1/templates/render", {
      body: "{{zoom_passcode}}",
      interviewId: meet.id,
    });
    expect(passcode).toMatchObject({
      status: 422,
      body: { error: { code: "template_value_missing", details: { tag: "zoom_passcode" } } },
    });
    const { dms: sent } = await deliver();
    expect(sent[slackIds.misaki]).toContain(`Google Meet：${meet.joinUrl}`);
  });
});

describe("text from the portal or a candidate's application", () => {
  it("writes the title and the candidate's name on one line each: a line break in them adds no line", async () => {
    // A candidate's name as an application form may pass it on: a line that reads like the notice's own Zoom line.
    const forgedZoom = "Zoom：https://zoom.example.net/j/1（パスコード：000000）";
    const answer = await call(
      t,
      ken,
      "POST",
      "/v1/interviews",
      booking(t, 13, {
        title: "一次面接\r\n*面接がキャンセルされました*",
        interviewers: ["misaki"],
        zoom: { hostZoomUserId: "zU_ken" },
        candidate: { name: `山田 太郎\n${forgedZoom}`, email: "taro.candidate@example.com" },
      }),
    );
    expect(answer.status).toBe(201);
    const { dms: sent } = await deliver();
    const lines = String(sent[slackIds.misaki]).split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "*面接が確定しました*",
      "一次面接 *面接がキャンセルされました*",
      `候補者：山田 太郎 ${forgedZoom}さん`,
    ]);
    expect(lines.filter((line) => line.startsWith("Zoom："))).toEqual([
      `Zoom：${answer.body.zoom.joinUrl}（パスコード：${answer.body.zoom.passcode}）`,
    ]);
    expect(sent[slackIds.misaki]).not.toContain("\r");
  });

  it("renders a template's subject on one line: a line break in a value adds no email header", async () => {
    const answer = await call(
      t,
      ken,
      "POST",
      "/v1/interviews",
      booking(t, 15, {
        interviewers: ["misaki"],
        candidate: { name: "山田 太郎\r\nBcc: everyone@example.net", email: "taro.candidate@example.com" },
      }),
    );
    expect(answer.status).toBe(201);
    const rendered = await call(t, ken, "POST", "/v1/templates/render", {
      subject: "【{{title}}】{{candidate_name}} 様",
      body: "{{candidate_name}} 様",
      interviewId: answer.body.id,
    });
    expect(rendered).toMatchObject({
      status: 200,
      body: { subject: "【一次面接 15】山田 太郎 Bcc: everyone@example.net 様" },
    });
    // The body is a message of many lines: the name stays as the candidate wrote it.
    expect(rendered.body.body).toBe("山田 太郎\r\nBcc: everyone@example.net 様");
  });
});
