import { expect, waitUntil } from "@open-wc/testing";
import type { InterviewView } from "@tsunagu/contract";
import { sendKeys } from "@web/test-runner-commands";
import type { TsunaguInterviewCancelledEvent } from "../events/tsunagu-interview-cancelled.ts";
import type { TsunaguInterviewUpdatedEvent } from "../events/tsunagu-interview-updated.ts";
import { texts } from "../test-support/integration-accounts.ts";
import {
  cellAt,
  type FakeInterviewsTenant,
  mountScheduler,
  press,
  sakuraPeople,
  schedulerSettled,
  seedInterviews,
  shadow,
} from "../test-support/fake-interviews.ts";
import type { ScheduleInterview } from "./schedule-interview.ts";
import "./define.ts";

/** Wednesday 13 January 2027, 9:00–10:00 in Tokyo, on Zoom under Ken's user. */
const booked: InterviewView = {
  id: "iv_10",
  status: "confirmed",
  title: "一次面接：山田 花子様",
  start: "2027-01-13T00:00:00Z",
  end: "2027-01-13T01:00:00Z",
  description: null,
  organiser: { userId: "u_rec", name: "採用担当", email: "recruit@sakura.example" },
  interviewers: [{ userId: "u_ken", name: "Ken Sato", email: "ken@sakura.example" }],
  candidate: { name: "山田 花子", email: "hanako@example.com" },
  timeZone: "Asia/Tokyo",
  conference: "zoom",
  zoom: {
    meetingId: "81234567890",
    joinUrl: "https://zoom.example/j/81234567890",
    passcode: "111222",
    hostZoomUserId: "zu_ken",
  },
  event: {
    provider: "google",
    accountId: "acc_google_rec",
    eventId: "ev_10",
    webLink: "https://calendar.example/event/ev_10",
  },
  drift: [],
  createdAt: "2027-01-05T00:00:00Z",
  updatedAt: "2027-01-05T00:00:00Z",
};
const hosts = [
  { zoomUserId: "zu_ken", displayName: "Ken Sato", owners: ["u_ken"] },
  { zoomUserId: "zu_recruit", displayName: "Recruiting Interviews", limit: 2 },
];

async function openExisting(tenant: FakeInterviewsTenant, locale: "ja" | "en" = "ja"): Promise<ScheduleInterview> {
  const el = await mountScheduler(tenant, { interviewId: booked.id, locale });
  await waitUntil(() => shadow(el).querySelector('[part~="candidate-message"]'), "the interview did not open", {
    timeout: 10_000,
  });
  return el;
}

async function patches(tenant: FakeInterviewsTenant) {
  return (await tenant.requests()).filter((request) => request.route === `PATCH /v1/interviews/${booked.id}`);
}

async function waitForHeading(el: ScheduleInterview, heading: string): Promise<void> {
  await waitUntil(() => texts(shadow(el), "#result-heading")[0] === heading, `no "${heading}"`, { timeout: 10_000 });
  await el.updateComplete;
}

/** The candidate's message once it is written (the result shows "writing…" until then). */
async function candidateMessage(el: ScheduleInterview): Promise<string> {
  await waitUntil(() => shadow(el).querySelector('[part~="candidate-message"]'), "no message", { timeout: 10_000 });
  return texts(shadow(el), '[part~="candidate-message"]')[0] ?? "";
}

describe("<schedule-interview> with an existing interview", function () {
  // Each test drives the element through several server round trips and axe runs, on a shared two-core machine:
  // a limit, not a timed assertion.
  this.timeout(40_000);

  it("shows it with its Zoom URL, calendar link and message, headed as an interview", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople, interviews: [booked], hosts });
    const el = await openExisting(tenant);
    const root = shadow(el);
    expect(texts(root, '[part~="heading"]')).to.deep.equal(["面接"]);
    expect(texts(root, "#result-heading")).to.deep.equal(["面接の詳細"]);
    expect(texts(root, '[part~="result-when"]')).to.deep.equal(["1月13日（水）9:00〜10:00（Asia/Tokyo）"]);
    expect(texts(root, '[part~="interview-status"]')).to.deep.equal(["確定"]);
    expect(texts(root, '[part~="zoom-url"]')).to.deep.equal(["https://zoom.example/j/81234567890"]);
    expect(root.querySelector('[part~="calendar-link"]')?.getAttribute("href")).to.equal(
      "https://calendar.example/event/ev_10",
    );
    await expect(el).to.be.accessible();
  });

  it("names its copy buttons in English as they read, Zoom with its capital", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople, interviews: [booked], hosts });
    const el = await openExisting(tenant, "en");
    expect(texts(shadow(el), "button[data-copy-url], button[data-copy-message]")).to.deep.equal([
      "Copy Zoom URL",
      "Copy message to the candidate",
    ]);
  });

  it("reschedules it: the form starts from its time, and PATCH sends the new one", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople, interviews: [booked], hosts });
    const el = await openExisting(tenant);
    const updated: TsunaguInterviewUpdatedEvent[] = [];
    el.addEventListener("tsunagu-interview-updated", (event) => updated.push(event));
    await press(el, "edit");
    await schedulerSettled(el);
    // The result and its Edit button are gone: the focus is on the form's heading, not lost to the page.
    expect(shadow(el).activeElement?.id).to.equal("heading");
    expect(texts(shadow(el), '[part~="heading"]')).to.deep.equal(["面接の変更"]);
    expect(cellAt(el, booked.start).getAttribute("aria-selected")).to.equal("true");
    expect(shadow(el).querySelector<HTMLInputElement>("#web-interview")?.checked).to.equal(true);
    expect(shadow(el).querySelector<HTMLInputElement>("#title")?.value).to.equal("一次面接：山田 花子様");
    await expect(el).to.be.accessible();
    cellAt(el, "2027-01-14T01:00:00Z").click();
    await el.updateComplete;
    const picker = shadow(el).querySelector("zoom-host-picker")!;
    await waitUntil(() => picker.start === "2027-01-14T01:00:00.000Z" && picker.value === "zu_ken", "no host", {
      timeout: 10_000,
    });
    await el.updateComplete;
    await press(el, "review");
    expect(texts(shadow(el), "button[data-confirm]")).to.deep.equal(["変更を確定する"]);
    await press(el, "confirm");
    await waitForHeading(el, "面接を変更しました");
    const [patch] = await patches(tenant);
    // The same host as before: nothing about Zoom to change but the time.
    expect(patch?.body).to.deep.equal({
      start: "2027-01-14T01:00:00.000Z",
      end: "2027-01-14T02:00:00.000Z",
      interviewers: ["u_ken"],
    });
    expect(patch?.idempotencyKey).to.equal(null);
    expect(updated).to.have.length(1);
    expect(updated[0]?.detail.before.start).to.equal(booked.start);
    expect(updated[0]?.detail.interview.start).to.equal("2027-01-14T01:00:00.000Z");
    expect(texts(shadow(el), '[part~="result-when"]')).to.deep.equal(["1月14日（木）10:00〜11:00（Asia/Tokyo）"]);
    // The element's own message tells the candidate the time moved, not that it was just set.
    const message = await candidateMessage(el);
    expect(message).to.contain("面接の日時を変更いたしましたので、あらためてお知らせいたします。");
    expect(message).to.contain("日時：2027年1月14日（木）10:00");
    expect(message).to.not.contain("決まりました");
  });

  it("asks for its own id, so its own event and Zoom meeting do not take its current time", async () => {
    // Ken's calendar and his Zoom user hold the interview itself, Wednesday 9:00–10:00 (seeded as its own).
    const [ken, aiko] = sakuraPeople;
    const ownEvent = { start: booked.start, end: booked.end, interviewId: booked.id };
    const people = [{ ...ken!, busy: [...ken!.busy!, ownEvent] }, aiko!];
    const zoomHosts = [{ ...hosts[0]!, meetings: [ownEvent] }, hosts[1]!];
    const tenant = await seedInterviews({ people, interviews: [booked], hosts: zoomHosts });
    const el = await openExisting(tenant);
    await press(el, "edit");
    await schedulerSettled(el);
    const questions = (await tenant.requests()).filter((request) => request.route === "POST /v1/availability");
    expect(questions.map((question) => question.body?.interviewId)).to.deep.equal([booked.id]);
    // Its current time is offered, not 予定あり (busy) because of the interview itself.
    const current = cellAt(el, booked.start);
    expect(current.getAttribute("part")).to.contain("free");
    expect(current.getAttribute("aria-selected")).to.equal("true");
    expect(texts(current, '[part~="busy-block"]')).to.deep.equal([]);
    // And Ken's Zoom user can still host it then.
    const picker = shadow(el).querySelector("zoom-host-picker")!;
    expect(picker.interviewId).to.equal(booked.id);
    await waitUntil(() => picker.value === "zu_ken", "Ken's Zoom user was not offered", { timeout: 10_000 });
    expect(texts(picker.shadowRoot!, '[part~="notice"]')).to.deep.equal([]);
    // A new title at the same time goes through as it is.
    const title = shadow(el).querySelector<HTMLInputElement>("#title")!;
    title.value = "二次面接：山田 花子様";
    title.dispatchEvent(new Event("input"));
    await el.updateComplete;
    await press(el, "review");
    expect(texts(shadow(el), '.summary [part~="warning"]')).to.deep.equal([]);
    await press(el, "confirm");
    await waitForHeading(el, "面接を変更しました");
    const [patch] = await patches(tenant);
    expect(patch?.body).to.deep.equal({
      start: "2027-01-13T00:00:00.000Z",
      end: "2027-01-13T01:00:00.000Z",
      interviewers: ["u_ken"],
      title: "二次面接：山田 花子様",
    });
  });

  it("shows the interview's own candidate when the page gives only the interview's id", async () => {
    // As the demo's interview list opens it: `interview-id` and nothing about the candidate.
    const tenant = await seedInterviews({ people: sakuraPeople, interviews: [booked], hosts });
    const el = await mountScheduler(tenant, { interviewId: booked.id, candidate: null });
    await waitUntil(() => shadow(el).querySelector('[part~="candidate-message"]'), "the interview did not open", {
      timeout: 10_000,
    });
    await press(el, "edit");
    await schedulerSettled(el);
    const field = (id: string) => shadow(el).querySelector<HTMLInputElement>(`#${id}`);
    expect([field("candidate-name")?.value, field("candidate-email")?.value]).to.deep.equal([
      "山田 花子",
      "hanako@example.com",
    ]);
    expect(field("candidate-name")?.readOnly).to.equal(true);
    await press(el, "review");
    expect(texts(shadow(el), ".summary dd")).to.include("山田 花子 <hanako@example.com>");
  });

  it("flags an interview booked outside the hours at a time an interviewer is now busy", async () => {
    // Booked Wednesday 13:00–14:00, after the view's hours (9:00–12:00); Ken has since been busy then.
    const late = { ...booked, start: "2027-01-13T04:00:00Z", end: "2027-01-13T05:00:00Z" };
    const [ken, aiko] = sakuraPeople;
    const people = [{ ...ken!, busy: [...ken!.busy!, { start: late.start, end: late.end }] }, aiko!];
    const tenant = await seedInterviews({ people, interviews: [late], hosts });
    const el = await openExisting(tenant);
    await press(el, "edit");
    await schedulerSettled(el);
    const questions = (await tenant.requests()).filter((request) => request.route === "POST /v1/availability");
    expect(questions.at(-1)?.body?.peopleBusy).to.equal("all");
    await press(el, "review");
    expect(texts(shadow(el), '.summary [part~="warning"]')).to.deep.equal([
      "この時間は Ken Sato の予定と重なっています。",
    ]);
  });

  it("changes the participants the portal gives, the title and the Zoom host; the web interview stays", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople, interviews: [booked], hosts });
    const el = await openExisting(tenant);
    await press(el, "edit");
    el.interviewers = [
      { id: "u_ken", name: "Ken Sato" },
      { id: "u_aiko", name: "田中 愛子" },
    ];
    await schedulerSettled(el);
    const title = shadow(el).querySelector<HTMLInputElement>("#title")!;
    title.value = "二次面接：山田 花子様";
    title.dispatchEvent(new Event("input"));
    // PATCH moves a meeting to another host; it does not add or remove the web interview.
    expect(shadow(el).querySelector<HTMLInputElement>("#web-interview")?.disabled).to.equal(true);
    const picker = shadow(el).querySelector("zoom-host-picker")!;
    await waitUntil(() => picker.candidates.length === 2, "no Zoom hosts listed", { timeout: 10_000 });
    picker.shadowRoot!.querySelector<HTMLElement>('[data-zoom-user-id="zu_recruit"]')!.click();
    await waitUntil(() => picker.value === "zu_recruit", "the host was not chosen");
    await el.updateComplete;
    await press(el, "review");
    expect(texts(shadow(el), ".summary dd").at(-1)).to.equal("Recruiting Interviews");
    await press(el, "confirm");
    await waitForHeading(el, "面接を変更しました");
    const [patch] = await patches(tenant);
    expect(patch?.body).to.deep.equal({
      start: "2027-01-13T00:00:00.000Z",
      end: "2027-01-13T01:00:00.000Z",
      interviewers: ["u_ken", "u_aiko"],
      title: "二次面接：山田 花子様",
      zoom: { hostZoomUserId: "zu_recruit" },
    });
    expect(el.currentInterview?.zoom?.hostZoomUserId).to.equal("zu_recruit");
    expect(el.currentInterview?.interviewers.map((person) => person.userId)).to.deep.equal(["u_ken", "u_aiko"]);
    // The same time, other people: the message says the interview changed, not that its time did.
    const message = await candidateMessage(el);
    expect(message).to.contain("面接の内容を変更いたしましたので、あらためてお知らせいたします。");
    expect(message).to.contain("面接官：Ken Sato、田中 愛子");
  });

  it("keeps the change on a failure and says what to do", async () => {
    const tenant = await seedInterviews({
      people: sakuraPeople,
      interviews: [booked],
      hosts,
      failures: {
        "PATCH /v1/interviews/:id": [{ status: 409, code: "interview_drifted", message: "Moved in Google." }],
      },
    });
    const el = await openExisting(tenant);
    await press(el, "edit");
    cellAt(el, "2027-01-14T00:00:00Z").click();
    await el.updateComplete;
    await press(el, "review");
    await press(el, "confirm");
    await waitUntil(() => shadow(el).querySelector('.summary [part~="error"]'), "no failure", { timeout: 10_000 });
    expect(texts(shadow(el), '.summary [part~="error"] p')[0]).to.contain(
      "カレンダーの予定か Zoom ミーティングが Tsunagu の外で変更されたため",
    );
    await press(el, "back");
    expect(cellAt(el, "2027-01-14T00:00:00Z").getAttribute("aria-selected")).to.equal("true");
  });

  it("cancels it after a confirmation dialog, which Escape closes without cancelling", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople, interviews: [booked], hosts });
    const el = await openExisting(tenant);
    const cancelled: TsunaguInterviewCancelledEvent[] = [];
    el.addEventListener("tsunagu-interview-cancelled", (event) => cancelled.push(event));
    await press(el, "cancel-interview");
    const dialog = shadow(el).querySelector("dialog")!;
    await waitUntil(() => dialog.open, "the dialog did not open");
    expect(texts(dialog, "h2")).to.deep.equal(["この面接をキャンセルしますか？"]);
    // Its live region is there, empty, before the cancellation has anything to say.
    expect(texts(dialog, '[role="status"]')).to.deep.equal([""]);
    await expect(el).to.be.accessible();
    await sendKeys({ press: "Escape" });
    await waitUntil(() => !dialog.open, "Escape did not close it");
    expect((await tenant.requests()).some((request) => request.route.startsWith("DELETE"))).to.equal(false);
    expect(shadow(el).activeElement?.hasAttribute("data-cancel-interview")).to.equal(true);

    await press(el, "cancel-interview");
    await waitUntil(() => dialog.open, "the dialog did not open again");
    dialog.querySelector<HTMLButtonElement>("button[data-confirm-cancel]")!.click();
    await waitForHeading(el, "面接をキャンセルしました");
    expect(dialog.open).to.equal(false);
    expect(cancelled).to.have.length(1);
    expect(cancelled[0]?.detail.interview.status).to.equal("cancelled");
    const root = shadow(el);
    expect(texts(root, '[part~="interview-status"]')).to.deep.equal(["キャンセル済み"]);
    expect(root.querySelector("[data-start-meeting], [data-edit], [data-cancel-interview]")).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it("says in the dialog when the cancellation fails, and keeps the interview", async () => {
    const tenant = await seedInterviews({
      people: sakuraPeople,
      interviews: [booked],
      hosts,
      failures: { "DELETE /v1/interviews/:id": [{ status: 409, code: "interview_busy", message: "Busy." }] },
    });
    const el = await openExisting(tenant, "en");
    await press(el, "cancel-interview");
    const dialog = shadow(el).querySelector("dialog")!;
    dialog.querySelector<HTMLButtonElement>("button[data-confirm-cancel]")!.click();
    await waitUntil(() => dialog.querySelector('[part~="error"]'), "no failure in the dialog", { timeout: 10_000 });
    expect(texts(dialog, '[part~="error"] p')[0]).to.equal(
      "This did not go through. Another change to this interview is under way. Reload the page, then try again.",
    );
    expect(dialog.open).to.equal(true);
    expect(texts(shadow(el), "#result-heading")).to.deep.equal(["The interview"]);
    await expect(el).to.be.accessible();
  });

  it("says nothing of reloading when the page renews the refused token at once; cancelling again works", async () => {
    const tenant = await seedInterviews({
      people: sakuraPeople,
      interviews: [booked],
      hosts,
      failures: {
        "DELETE /v1/interviews/:id": [{ status: 401, code: "token_expired", message: "The host token expired." }],
      },
    });
    const el = await openExisting(tenant, "en");
    // The portal had a fresh token at hand: it sets it in the event's handler, while the refusal is on its way.
    el.addEventListener("tsunagu-token-expired", () => (el.token = tenant.token({ jti: "renewed" })));
    await press(el, "cancel-interview");
    const dialog = shadow(el).querySelector("dialog")!;
    dialog.querySelector<HTMLButtonElement>("button[data-confirm-cancel]")!.click();
    await waitUntil(async () => (await tenant.requests()).some((r) => r.route.startsWith("DELETE ")));
    await waitUntil(
      () => !dialog.querySelector('[aria-busy="true"]') && !shadow(el).querySelector('[aria-busy="true"]'),
    );
    await el.updateComplete;
    expect(texts(dialog, '[part~="error"] p')).to.deep.equal([]);
    expect(dialog.open).to.equal(true);
    dialog.querySelector<HTMLButtonElement>("button[data-confirm-cancel]")!.click();
    await waitUntil(() => !dialog.open, "the dialog did not close", { timeout: 10_000 });
    expect(el.currentInterview?.status).to.equal("cancelled");
  });

  it("says why an interview failed to book, in the tables' words for its code", async () => {
    const tenant = await seedInterviews({
      people: sakuraPeople,
      interviews: [{ ...booked, status: "failed", failure: { code: "provider_failed", message: "Google said 503." } }],
      hosts,
    });
    const el = await mountScheduler(tenant, { interviewId: booked.id });
    await waitForHeading(el, "面接の詳細");
    expect(texts(shadow(el), '[part~="interview-status"]')).to.deep.equal(["設定できませんでした"]);
    expect(texts(shadow(el), '[part~="result"] > [part~="error"]')).to.deep.equal([
      "カレンダーまたは Zoom が処理を完了できなかったため、何も作成・変更されていません。しばらくしてからもう一度お試しください。",
    ]);
    expect(shadow(el).querySelector("[data-start-meeting], [data-edit], [data-cancel-interview]")).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it("loads the interview again with the token the page renews after the server refused the old one", async () => {
    const tenant = await seedInterviews({
      people: sakuraPeople,
      interviews: [booked],
      hosts,
      failures: {
        "GET /v1/interviews/:id": [{ status: 401, code: "token_expired", message: "The host token expired." }],
      },
    });
    const el = await mountScheduler(tenant, { interviewId: booked.id });
    expect(texts(shadow(el), '[part~="error"] p')[0]).to.contain("セッションの有効期限が切れました。");
    el.token = tenant.token({ jti: "renewed" });
    await waitForHeading(el, "面接の詳細");
  });

  it("puts the focus on the interview's heading when its retry, pressed from the keyboard, loads it", async () => {
    const tenant = await seedInterviews({
      people: sakuraPeople,
      interviews: [booked],
      hosts,
      failures: { "GET /v1/interviews/:id": [{ status: 503, code: "database_unavailable", message: "Down." }] },
    });
    const el = await mountScheduler(tenant, { interviewId: booked.id });
    const retry = shadow(el).querySelector<HTMLButtonElement>('[part~="error"] button')!;
    expect(retry.textContent?.trim()).to.equal("再試行");
    retry.focus();
    await sendKeys({ press: "Enter" });
    await waitUntil(() => shadow(el).querySelector('[part~="result"]'), "the interview did not open", {
      timeout: 10_000,
    });
    await el.updateComplete;
    expect(shadow(el).activeElement?.id).to.equal("result-heading");
  });

  it("loads a missing interview as a failure that says so", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople });
    const el = await mountScheduler(tenant, { interviewId: "iv_missing" });
    expect(texts(shadow(el), '[part~="error"] p')[0]).to.equal(
      "面接の情報を読み込めませんでした。この面接は見つかりません。削除されたか、別の組織のものです。",
    );
    await expect(el).to.be.accessible();
  });

  describe("start meeting", () => {
    function watchOpen(): { opened: string[]; restore(): void } {
      const opened: string[] = [];
      const original = window.open;
      window.open = ((url?: string | URL) => {
        opened.push(String(url));
        return null;
      }) as typeof window.open;
      return { opened, restore: () => (window.open = original) };
    }

    it("opens the start URL the server gives the host's users", async () => {
      const tenant = await seedInterviews({
        people: sakuraPeople,
        interviews: [booked],
        hosts,
        startAllowed: ["u_rec"],
      });
      const el = await openExisting(tenant);
      const watch = watchOpen();
      try {
        await press(el, "start-meeting");
        await waitUntil(() => watch.opened.length === 1, "nothing opened", { timeout: 10_000 });
      } finally {
        watch.restore();
      }
      expect(watch.opened).to.deep.equal(["https://zoom.example/s/81234567890?zak=fake"]);
      expect(shadow(el).querySelector("[data-start-meeting]")).to.not.equal(null);
    });

    it("stays, saying to link the host again, when the caller's own link needs linking again (409)", async () => {
      const tenant = await seedInterviews({
        people: sakuraPeople,
        interviews: [booked],
        hosts,
        startAllowed: ["u_rec"],
        failures: {
          "POST /v1/interviews/:id/start-url": [
            { status: 409, code: "needs_reauth", message: "Your link to the Zoom user must be linked again." },
          ],
        },
      });
      const el = await openExisting(tenant);
      const watch = watchOpen();
      try {
        await press(el, "start-meeting");
        await waitUntil(() => texts(shadow(el), '[part~="toast"] p').length > 0, "no toast", { timeout: 10_000 });
        expect(watch.opened).to.deep.equal([]);
        expect(texts(shadow(el), '[part~="toast"] p')).to.deep.equal([
          "主催者の Zoom ユーザーの再連携が必要です。連携設定で再連携してから、ミーティングを開始してください。",
        ]);
        // Start stays: linked again, the next press opens the meeting.
        await press(el, "start-meeting");
        await waitUntil(() => watch.opened.length === 1, "nothing opened", { timeout: 10_000 });
      } finally {
        watch.restore();
      }
      expect(watch.opened).to.deep.equal(["https://zoom.example/s/81234567890?zak=fake"]);
    });

    it("goes away, saying why, when the server refuses the caller (403)", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople, interviews: [booked], hosts, startAllowed: [] });
      const el = await openExisting(tenant);
      const watch = watchOpen();
      try {
        await press(el, "start-meeting");
        await waitUntil(() => !shadow(el).querySelector("[data-start-meeting]"), "the action stayed", {
          timeout: 10_000,
        });
      } finally {
        watch.restore();
      }
      expect(watch.opened).to.deep.equal([]);
      expect(texts(shadow(el), '[part~="result"] [part~="notice"]')).to.deep.equal([
        "このミーティングを開始できるのは、主催者の Zoom ユーザーを連携している人だけです。",
      ]);
      await expect(el).to.be.accessible();
    });

    for (const [locale, why, next] of [
      [
        "ja",
        "このミーティングを開始できるのは、主催者の Zoom ユーザーを連携している人だけです。",
        "日時や参加者を変更",
      ],
      ["en", "Only someone who linked the host's Zoom user can start this meeting.", "Change time or people"],
    ] as const) {
      it(`says why it went in a live region already there, the focus kept in the result (${locale})`, async () => {
        const tenant = await seedInterviews({ people: sakuraPeople, interviews: [booked], hosts, startAllowed: [] });
        const el = await openExisting(tenant, locale);
        const region = shadow(el).querySelector('[part~="result"] [role="status"]');
        expect(region?.textContent).to.equal("");
        shadow(el).querySelector<HTMLElement>("[data-start-meeting]")!.focus();
        await sendKeys({ press: "Enter" });
        await waitUntil(() => !shadow(el).querySelector("[data-start-meeting]"), "the action stayed", {
          timeout: 10_000,
        });
        await el.updateComplete;
        expect(shadow(el).querySelector('[part~="result"] [role="status"]') === region, "the same region").to.equal(
          true,
        );
        expect(region?.textContent).to.equal(why);
        expect(shadow(el).activeElement?.textContent?.trim()).to.equal(next);
      });
    }

    it("is not offered for an interview without a Zoom meeting", async () => {
      const { zoom: _zoom, ...withoutZoom } = booked;
      const tenant = await seedInterviews({
        people: sakuraPeople,
        interviews: [{ ...withoutZoom, conference: null }],
        startAllowed: ["u_rec"],
      });
      const el = await openExisting(tenant);
      expect(shadow(el).querySelector("[data-start-meeting]")).to.equal(null);
    });
  });
});
