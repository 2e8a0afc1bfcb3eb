import { expect, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import { interviewErrorCodes } from "@tsunagu/contract";
import type { TsunaguInterviewScheduledEvent } from "../events/tsunagu-interview-scheduled.ts";
import { en } from "../shared/locales/en.ts";
import { enErrors } from "../shared/locales/en-errors.ts";
import { ja } from "../shared/locales/ja.ts";
import { jaErrors } from "../shared/locales/ja-errors.ts";
import { has, texts } from "../test-support/integration-accounts.ts";
import { liveRegionsHeldBusy } from "../test-support/live-regions.ts";
import {
  cellAt,
  type FakeInterviewsTenant,
  mountScheduler,
  press,
  sakuraPeople,
  seedInterviews,
  shadow,
} from "../test-support/fake-interviews.ts";
import type { ScheduleInterview } from "./schedule-interview.ts";
import "./define.ts";

const tuesdayNine = "2027-01-12T00:00:00Z";
const zoomHosts = [{ zoomUserId: "zu_ken", displayName: "Ken Sato", owners: ["u_ken"] }];

async function bookings(tenant: FakeInterviewsTenant) {
  return (await tenant.requests()).filter((request) => request.route === "POST /v1/interviews");
}

/** Chooses Tuesday 9:00 and goes to the summary. */
async function chooseAndReview(el: ScheduleInterview, start = tuesdayNine): Promise<void> {
  cellAt(el, start).click();
  await el.updateComplete;
  await press(el, "review");
}

async function waitForResult(el: ScheduleInterview): Promise<void> {
  await waitUntil(
    () => shadow(el).querySelector('[part~="candidate-message"], [part~="result"] [part~="error"]'),
    "no result",
    {
      timeout: 10_000,
    },
  );
  await el.updateComplete;
}

/** Runs `act` with a clipboard that keeps what is written (a headless browser may refuse the real one); returns it. */
async function withClipboard(act: (copied: string[]) => Promise<void>): Promise<string[]> {
  const copied: string[] = [];
  const original = Object.getOwnPropertyDescriptor(Navigator.prototype, "clipboard");
  Object.defineProperty(navigator, "clipboard", {
    configurable: true,
    value: { writeText: async (text: string) => void copied.push(text) },
  });
  try {
    await act(copied);
  } finally {
    delete (navigator as unknown as Record<string, unknown>).clipboard;
    if (original) Object.defineProperty(Navigator.prototype, "clipboard", original);
  }
  return copied;
}

async function waitForFailure(el: ScheduleInterview): Promise<void> {
  await waitUntil(() => shadow(el).querySelector('.summary [part~="error"]'), "no failure shown", { timeout: 10_000 });
  await el.updateComplete;
}

describe("<schedule-interview> booking", function () {
  // Each test drives the element through several server round trips and axe runs, on a shared two-core machine:
  // a limit, not a timed assertion.
  this.timeout(40_000);

  it("books the chosen time with a Zoom host; shows the URL, the calendar link, the candidate's message", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople, hosts: zoomHosts });
    const el = await mountScheduler(tenant, { webInterview: true });
    const scheduled: TsunaguInterviewScheduledEvent[] = [];
    el.addEventListener("tsunagu-interview-scheduled", (event) => scheduled.push(event));
    cellAt(el, tuesdayNine).click();
    await el.updateComplete;
    // The picker inside gets the chosen time and the interviewers, and picks Ken's own Zoom user.
    const picker = shadow(el).querySelector("zoom-host-picker")!;
    await waitUntil(() => picker.value === "zu_ken", "the picker did not pick Ken's Zoom user", { timeout: 10_000 });
    expect(picker.participants).to.deep.equal(["u_ken", "u_aiko"]);
    expect(picker.start).to.equal("2027-01-12T00:00:00.000Z");
    expect(picker.end).to.equal("2027-01-12T01:00:00.000Z");
    await el.updateComplete;
    await press(el, "review");
    const summary = shadow(el).querySelector(".summary")!;
    // Each term a noun with its value beside it, and the language's own colon in the calendar's name.
    expect(texts(summary, "dt")).to.deep.equal([
      "件名",
      "日時",
      "面接官",
      "候補者",
      "予定を登録するカレンダー",
      "Web 面接（Zoom）",
    ]);
    expect(texts(summary, "dd")).to.deep.equal([
      "面接：山田 花子様",
      "1月12日（火）9:00〜10:00（Asia/Tokyo）",
      "Ken Sato、田中 愛子",
      "山田 花子 <hanako@example.com>",
      "Google：recruit@sakura.example",
      "Ken Sato",
    ]);
    // Free for everyone, but Aiko's calendar could not be read: the summary says so.
    expect(texts(summary, '[part~="warning"]')).to.deep.equal(["未確認：田中 愛子"]);
    await expect(el).to.be.accessible();

    await press(el, "confirm");
    await waitForResult(el);
    const [request] = await bookings(tenant);
    expect(request?.body).to.deep.equal({
      title: "面接：山田 花子様",
      start: "2027-01-12T00:00:00.000Z",
      end: "2027-01-12T01:00:00.000Z",
      interviewers: ["u_ken", "u_aiko"],
      candidate: { name: "山田 花子", email: "hanako@example.com" },
      calendarAccountId: "acc_google_rec",
      zoom: { hostZoomUserId: "zu_ken" },
    });
    expect(request?.idempotencyKey).to.match(/^[0-9a-f-]{36}$/);
    const root = shadow(el);
    // Booked, it is headed as the interview it now is, not yet as a change of it.
    expect(texts(root, '[part~="heading"]')).to.deep.equal(["面接"]);
    expect(texts(root, "#result-heading")).to.deep.equal(["面接を設定しました"]);
    expect(texts(root, '[part~="zoom-url"]')).to.deep.equal(["https://zoom.example/j/80000000001?pwd=fake"]);
    expect(texts(root, 'p:has(> [part~="passcode"])')).to.deep.equal(["パスコード：482913"]);
    expect(root.querySelector('[part~="calendar-link"]')?.getAttribute("href")).to.equal(
      "https://calendar.example/event/ev_iv_1",
    );
    const message = texts(root, '[part~="candidate-message"]')[0] ?? "";
    expect(message).to.contain("山田 花子 様");
    expect(message).to.contain("面接官：Ken Sato、田中 愛子");
    expect(message).to.contain("Web 面接の URL：https://zoom.example/j/80000000001?pwd=fake");
    expect(message).to.contain("パスコード：482913");
    expect(message).to.match(/どうぞよろしくお願いいたします。$/);
    expect(root.activeElement?.id).to.equal("result-heading");
    expect(scheduled).to.have.length(1);
    expect(scheduled[0]?.detail.interview.id).to.equal("iv_1");
    expect(el.currentInterview?.zoom?.hostZoomUserId).to.equal("zu_ken");
    await expect(el).to.be.accessible();
  });

  it("writes its own message in the candidate's language when the viewer reads another", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople });
    const candidate = {
      name: "Jane Doe",
      email: "jane@example.com",
      language: "en",
      timeZone: "Europe/London",
    } as const;
    const el = await mountScheduler(tenant, { candidate });
    await chooseAndReview(el);
    await press(el, "confirm");
    await waitForResult(el);
    const render = (await tenant.requests()).find((entry) => entry.route === "POST /v1/templates/render");
    expect(render?.body).to.deep.include({ language: "en", timeZone: "Europe/London" });
    const root = shadow(el);
    // The viewer still reads Japanese; the candidate gets English throughout, the dates as the words.
    expect(texts(root, "#result-heading")).to.deep.equal(["面接を設定しました"]);
    const message = texts(root, '[part~="candidate-message"]')[0] ?? "";
    expect(message).to.match(/^Dear Jane Doe, Your interview is scheduled\. When: Tue, Jan 12, 2027, 12:00 AM/);
    expect(message).to.contain("Interviewers: Ken Sato, 田中 愛子");
    expect(message).to.not.match(/[様面日時]/);
  });

  it("names the interviewers in the message as the page does, not as their host tokens did", async () => {
    // The server knows Aiko as her host token named her (田中 愛子); a page writing to the candidate in English
    // gives her name as it reads in English.
    const tenant = await seedInterviews({ people: sakuraPeople });
    const el = await mountScheduler(tenant, {
      candidate: { name: "Aoi Yoshida", email: "aoi@example.com", language: "en" },
      interviewers: [
        { id: "u_ken", name: "Ken Sato" },
        { id: "u_aiko", name: "Aiko Tanaka" },
      ],
    });
    await chooseAndReview(el);
    await press(el, "confirm");
    await waitForResult(el);
    const message = texts(shadow(el), '[part~="candidate-message"]')[0] ?? "";
    expect(message).to.match(/^Dear Aoi Yoshida, /);
    expect(message).to.contain("Interviewers: Ken Sato, Aiko Tanaka");
  });

  it("sizes its headings by what they head, not by the level the page gives them", async () => {
    // Under a page's h2 (heading-level 3), the message's heading is an h5: it read smaller than the message.
    const tenant = await seedInterviews({ people: sakuraPeople });
    const el = await mountScheduler(tenant);
    el.headingLevel = 3;
    await chooseAndReview(el);
    await press(el, "confirm");
    await waitForResult(el);
    const root = shadow(el);
    const size = (selector: string) => Number.parseFloat(getComputedStyle(root.querySelector(selector)!).fontSize);
    expect(root.querySelector("#message-heading")?.tagName).to.equal("H5");
    const text = size('[part~="result"] > p');
    expect(size("#message-heading")).to.be.greaterThan(text);
    expect(size("#message-heading")).to.equal(size("#result-heading"));
    expect(size('[part~="heading"]')).to.be.greaterThan(size("#result-heading"));
  });

  it("books without a web interview when the toggle is off, with the organisation's template", async () => {
    const tenant = await seedInterviews({
      people: sakuraPeople,
      templates: {
        "invite/ja": { subject: "{{title}}", body: "{{candidate_name}} 様 {{start}}にお待ちしています。" },
      },
    });
    const el = await mountScheduler(tenant, { templateKey: "invite" });
    await chooseAndReview(el);
    expect(texts(shadow(el), ".summary dd").at(-1)).to.equal("なし");
    await press(el, "confirm");
    await waitForResult(el);
    const [request] = await bookings(tenant);
    expect(request?.body).to.not.have.property("zoom");
    const render = (await tenant.requests()).find((entry) => entry.route === "POST /v1/templates/render");
    expect(render?.body).to.deep.include({ key: "invite", language: "ja", timeZone: "Asia/Tokyo" });
    expect(shadow(el).querySelector('[part~="candidate-message"]')?.textContent).to.match(
      /^面接：山田 花子様\n\n山田 花子 様 2027年1月12日（火）9:00にお待ちしています。$/,
    );
    expect(shadow(el).querySelector("[data-start-meeting]")).to.equal(null);
  });

  it("copies the Zoom URL and the message", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople, hosts: zoomHosts });
    const el = await mountScheduler(tenant, { webInterview: true });
    await chooseAndReview(el);
    await press(el, "confirm");
    await waitForResult(el);
    const copied = await withClipboard(async (written) => {
      await press(el, "copy-url");
      await press(el, "copy-message");
      await waitUntil(() => written.length === 2, "nothing copied");
    });
    expect(copied[0]).to.equal("https://zoom.example/j/80000000001?pwd=fake");
    // Sized to its words as the other buttons are, not stretched across the result.
    const width = (selector: string) => shadow(el).querySelector(selector)!.getBoundingClientRect().width;
    expect(width("button[data-copy-message]")).to.be.lessThan(width('[part~="result"]') / 2);
    // Narrow (200 px, as in a phone's column): the message's long Zoom URL wraps inside its box.
    el.style.display = "block";
    el.style.width = "200px";
    await el.updateComplete;
    const message = shadow(el).querySelector<HTMLElement>('[part~="candidate-message"]')!;
    expect(message.textContent).to.contain("https://zoom.example/j/");
    expect(message.scrollWidth).to.be.at.most(message.clientWidth);
    expect(copied[1]).to.contain("山田 花子 様");
    await el.updateComplete;
    expect(texts(shadow(el), '[part~="toast"] p')).to.include("コピーしました。");
  });

  it("gives the focus back to the control it came from when a toast is dismissed from the keyboard", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople });
    const el = await mountScheduler(tenant);
    await chooseAndReview(el);
    await press(el, "confirm");
    await waitForResult(el);
    await withClipboard(async () => {
      shadow(el).querySelector<HTMLElement>("button[data-copy-message]")!.focus();
      await sendKeys({ press: "Enter" });
      await waitUntil(() => texts(shadow(el), '[part~="toast"] p').length > 0, "no toast");
    });
    // The toasts come last: a Tab from the result's last button reaches the toast's ×.
    shadow(el).querySelector<HTMLElement>("button[data-cancel-interview]")!.focus();
    await sendKeys({ press: "Tab" });
    expect(shadow(el).activeElement?.getAttribute("aria-label")).to.equal("通知を閉じる");
    await sendKeys({ press: "Enter" });
    await el.updateComplete;
    expect(texts(shadow(el), '[part~="toast"] p')).to.deep.equal([]);
    expect(shadow(el).activeElement?.matches("button[data-cancel-interview]")).to.equal(true);
  });

  it("shows progress while it books, and the page behind waits", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople, holds: ["POST /v1/interviews"] });
    const el = await mountScheduler(tenant);
    await chooseAndReview(el);
    // The live region is in the page, empty, before there is anything to say: one that arrives with its text is not
    // read by every screen reader.
    const progress = shadow(el).querySelector('[part~="progress"][role="status"]');
    expect(progress?.textContent?.trim()).to.equal("");
    await press(el, "confirm");
    await waitUntil(() => progress?.textContent?.trim(), "no progress shown", { timeout: 10_000 });
    expect(shadow(el).querySelector('[part~="progress"]')).to.equal(progress);
    expect(texts(shadow(el), '[part~="progress"]')).to.deep.equal(["面接を設定しています…"]);
    expect(shadow(el).querySelector("button[data-confirm]")?.getAttribute("aria-disabled")).to.equal("true");
    // The progress line and the toasts are outside anything busy, so they are heard; the summary the answer replaces
    // is busy.
    expect(liveRegionsHeldBusy(el)).to.deep.equal([]);
    expect(has(shadow(el), '[aria-busy="true"] > [part~="summary"]')).to.equal(true);
    await expect(el).to.be.accessible();
    // A second press while it works sends nothing more.
    await press(el, "confirm");
    await tenant.release();
    await waitForResult(el);
    expect(await bookings(tenant)).to.have.length(1);
  });

  it("keeps the input on a failure, says what to do, and retries with the same Idempotency-Key", async () => {
    // A 503 leaves it open whether the server booked (it lost its database mid-way): the retry sends the same key.
    const tenant = await seedInterviews({
      people: sakuraPeople,
      failures: {
        "POST /v1/interviews": [{ status: 503, code: "database_unavailable", message: "The database is unavailable." }],
      },
    });
    const el = await mountScheduler(tenant);
    const title = shadow(el).querySelector<HTMLInputElement>("#title")!;
    title.value = "一次面接：山田 花子様";
    title.dispatchEvent(new Event("input"));
    await chooseAndReview(el);
    await press(el, "confirm");
    await waitForFailure(el);
    expect(texts(shadow(el), '.summary [part~="error"] p')).to.deep.equal([
      `完了できませんでした。${jaErrors.database_unavailable}`,
      "入力内容はそのまま残っています。",
    ]);
    await expect(el).to.be.accessible();
    // Back in the form, everything is as it was.
    await press(el, "back");
    expect(shadow(el).querySelector<HTMLInputElement>("#title")?.value).to.equal("一次面接：山田 花子様");
    expect(cellAt(el, tuesdayNine).getAttribute("aria-selected")).to.equal("true");
    await press(el, "review");
    await press(el, "confirm");
    await waitForResult(el);
    const [first, retry] = await bookings(tenant);
    expect(retry?.idempotencyKey).to.equal(first?.idempotencyKey);
    expect(retry?.body).to.deep.equal(first?.body);
    expect(texts(shadow(el), "#result-heading")).to.deep.equal(["面接を設定しました"]);
  });

  it("drops the failure saying to reload once the page renews the refused token; Confirm books", async () => {
    const tenant = await seedInterviews({
      people: sakuraPeople,
      failures: { "POST /v1/interviews": [{ status: 401, code: "token_expired", message: "The host token expired." }] },
    });
    const el = await mountScheduler(tenant);
    let renew: () => void = () => undefined;
    el.addEventListener("tsunagu-token-expired", () => {
      // The portal asks its backend for a fresh token: it arrives after the failure is shown.
      renew = () => (el.token = tenant.token({ jti: "renewed" }));
    });
    await chooseAndReview(el);
    await press(el, "confirm");
    await waitForFailure(el);
    expect(texts(shadow(el), '.summary [part~="error"] p')[0]).to.equal(
      `完了できませんでした。${jaErrors.token_expired}`,
    );
    renew();
    await el.updateComplete;
    // Reloading would lose everything entered: with the renewed token, confirming again is all it takes.
    expect(texts(shadow(el), '[part~="error"] p')).to.deep.equal([]);
    expect(texts(shadow(el), "#summary-heading")).to.have.length(1);
    await expect(el).to.be.accessible();
    await press(el, "confirm");
    await waitForResult(el);
    expect(await bookings(tenant)).to.have.length(2);
    expect(texts(shadow(el), "#result-heading")).to.deep.equal(["面接を設定しました"]);
  });

  it("retries a booking the server refused for good with a new Idempotency-Key, so it is booked", async () => {
    // The server answers a key its saga refused with that refusal again: the same key would never book.
    const tenant = await seedInterviews({
      people: sakuraPeople,
      failures: {
        "POST /v1/interviews": [
          { status: 424, code: "provider_failed", message: "Google answered 503.", settled: true },
        ],
      },
    });
    const el = await mountScheduler(tenant);
    await chooseAndReview(el);
    await press(el, "confirm");
    await waitForFailure(el);
    expect(texts(shadow(el), '.summary [part~="error"] p')[0]).to.equal(
      `完了できませんでした。${jaErrors.provider_failed}`,
    );
    await press(el, "back");
    await press(el, "review");
    await press(el, "confirm");
    await waitForResult(el);
    const [first, retry] = await bookings(tenant);
    expect(retry?.idempotencyKey).to.not.equal(first?.idempotencyKey);
    expect(retry?.body).to.deep.equal(first?.body);
    expect(texts(shadow(el), "#result-heading")).to.deep.equal(["面接を設定しました"]);
  });

  it("makes a new Idempotency-Key when the retried booking is another one (another time)", async () => {
    const tenant = await seedInterviews({
      people: sakuraPeople,
      failures: { "POST /v1/interviews": [{ status: 409, code: "zoom_host_busy", message: "Busy." }] },
    });
    const el = await mountScheduler(tenant);
    await chooseAndReview(el);
    await press(el, "confirm");
    await waitForFailure(el);
    await press(el, "back");
    await chooseAndReview(el, "2027-01-13T00:00:00Z");
    await press(el, "confirm");
    await waitForResult(el);
    const [first, second] = await bookings(tenant);
    expect(second?.idempotencyKey).to.not.equal(first?.idempotencyKey);
    expect(second?.body?.start).to.equal("2027-01-13T00:00:00.000Z");
  });

  it("flags a time chosen by hand on a holiday, and one when an interviewer is busy", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople });
    const el = await mountScheduler(tenant);
    await chooseAndReview(el, "2027-01-11T00:00:00Z");
    expect(texts(shadow(el), '.summary [part~="warning"]')).to.deep.equal(["祝日：成人の日"]);
    await press(el, "back");
    await chooseAndReview(el, "2027-01-12T01:00:00Z");
    expect(texts(shadow(el), '.summary [part~="warning"]')).to.deep.equal([
      "この時間は Ken Sato の予定と重なっています。",
    ]);
    await expect(el).to.be.accessible();
  });

  it("gives the focus back to the review button when Back leaves the summary", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople });
    const el = await mountScheduler(tenant);
    await chooseAndReview(el);
    await el.updateComplete;
    expect(shadow(el).activeElement?.id).to.equal("summary-heading");
    await press(el, "back");
    await el.updateComplete;
    expect(shadow(el).activeElement?.matches("button[data-review]")).to.equal(true);
  });

  it("asks for a time before the summary", async () => {
    const tenant = await seedInterviews({ people: sakuraPeople });
    const el = await mountScheduler(tenant);
    await press(el, "review");
    expect(texts(shadow(el), '[part~="notice"][role="alert"]')).to.deep.equal(["候補日時を選んでください。"]);
    expect(shadow(el).querySelector(".summary")).to.equal(null);
  });

  describe("says what to do for every interview error code", () => {
    for (const code of interviewErrorCodes) {
      it(`${code}, in Japanese and in English`, async () => {
        for (const locale of ["ja", "en"] as const) {
          const tenant = await seedInterviews({
            people: sakuraPeople,
            failures: { "POST /v1/interviews": [{ status: 409, code, message: `Server words for ${code}.` }] },
          });
          const el = await mountScheduler(tenant, { locale });
          await chooseAndReview(el);
          await press(el, "confirm");
          await waitForFailure(el);
          const [table, errors] = locale === "ja" ? [ja, jaErrors] : [en, enErrors];
          const [message] = texts(shadow(el), '.summary [part~="error"] p');
          const later = typeof table.later === "function" ? await table.later() : table.later;
          expect(message).to.equal(table.sentences([later.bookFailed, errors[code]]));
          expect(message).to.not.contain("Server words");
        }
      });
    }
  });
});
