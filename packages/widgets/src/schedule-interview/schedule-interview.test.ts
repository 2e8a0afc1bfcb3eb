import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import { fakeServer } from "../test-support/fake-host-token.ts";
import { texts } from "../test-support/integration-accounts.ts";
import { liveRegionsHeldBusy } from "../test-support/live-regions.ts";
import {
  calendarAccountsSeed,
  cellAt,
  mountScheduler,
  sakuraInterviewers,
  sakuraPeople,
  seedInterviews,
  schedulerSettled,
  shadow,
} from "../test-support/fake-interviews.ts";
import { ja } from "../shared/locales/ja.ts";
import { ScheduleInterview } from "./schedule-interview.ts";
import "./define.ts";

/** Tuesday 12 January 2027, 09:00 in Tokyo. */
const tuesdayNine = "2027-01-12T00:00:00Z";
const tuesdayTen = "2027-01-12T01:00:00Z";

function focusedCell(el: ScheduleInterview): HTMLElement | null {
  const active = shadow(el).activeElement;
  return active instanceof HTMLElement && active.matches("td") ? active : null;
}

describe("<schedule-interview>", function () {
  // Each test drives the element through several server round trips and axe runs, on a shared two-core machine:
  // a limit, not a timed assertion.
  this.timeout(40_000);

  describe("registration", () => {
    it("is registered by define.ts under its tag name, with <zoom-host-picker> inside", () => {
      expect(document.createElement("schedule-interview") instanceof ScheduleInterview).to.equal(true);
      expect(customElements.get("zoom-host-picker")).to.not.equal(undefined);
    });
  });

  describe("week view", () => {
    it("shows the week with Japanese dates, a 24-hour clock and the viewer's time zone", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople });
      const el = await mountScheduler(tenant);
      const root = shadow(el);
      expect(texts(root, '[part~="day"] .day-name')).to.deep.equal([
        "1月11日（月）",
        "1月12日（火）",
        "1月13日（水）",
        "1月14日（木）",
        "1月15日（金）",
        "1月16日（土）",
        "1月17日（日）",
      ]);
      expect(texts(root, '[part~="time"]')).to.deep.equal(["9:00", "9:30", "10:00", "10:30", "11:00"]);
      expect(texts(root, '[part~="zone"]')).to.deep.equal(["時刻はすべてタイムゾーン Asia/Tokyo で表示しています。"]);
      expect(texts(root, "#week-label")).to.deep.equal(["候補日時：1月11日（月）〜1月17日（日）"]);
      // What it asked: the whole range in the viewer's zone, the hours as a window.
      const [question] = (await tenant.requests()).filter((request) => request.route === "POST /v1/availability");
      expect(question?.body).to.deep.include({
        participants: ["u_ken", "u_aiko"],
        start: "2027-01-10T15:00:00.000Z",
        end: "2027-01-20T15:00:00.000Z",
        durationMinutes: 60,
        timeZone: "Asia/Tokyo",
        peopleBusy: "working_hours",
      });
      expect(question?.body?.workingHours).to.deep.include({ start: "09:00", end: "12:00" });
      await expect(el).to.be.accessible();
    });

    it("marks the common free times and shows each interviewer's busy block beside them", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople });
      const el = await mountScheduler(tenant);
      expect(cellAt(el, tuesdayNine).getAttribute("part")).to.contain("free");
      expect(texts(cellAt(el, tuesdayNine), ".free-mark")).to.deep.equal(["空き"]);
      // Ken is busy 10:00–11:00 on Tuesday: that time is taken, and says who is busy.
      const taken = cellAt(el, tuesdayTen);
      expect(taken.getAttribute("part")).to.contain("taken");
      expect(texts(taken, '[part~="busy-block"]')).to.deep.equal(["予定あり：Ken Sato"]);
      // A 60-minute slot at 9:30 would run into it too, though nobody is busy at 9:30 itself.
      expect(cellAt(el, "2027-01-12T00:30:00Z").getAttribute("part")).to.contain("taken");
      expect(texts(cellAt(el, "2027-01-12T00:30:00Z"), '[part~="busy-block"]')).to.deep.equal([]);
    });

    it("flags the holiday on its day, the unreadable calendar and the person without one", async () => {
      const tenant = await seedInterviews({
        people: [
          ...sakuraPeople,
          { id: "u_mai", name: "Mai Ito", status: "no_calendar", calendars: [], busy: [], daysOff: [] },
        ],
      });
      const el = await mountScheduler(tenant, {
        interviewers: [
          { id: "u_ken", name: "Ken Sato" },
          { id: "u_aiko", name: "田中 愛子" },
          { id: "u_mai", name: "Mai Ito" },
        ],
      });
      const root = shadow(el);
      const [monday] = [...root.querySelectorAll<HTMLElement>('[part~="day"]')];
      expect(texts(monday as HTMLElement, '[part~="day-off"]')).to.deep.equal(["祝日：成人の日"]);
      // Nobody works on the holiday: no free time that day.
      expect(cellAt(el, "2027-01-11T00:00:00Z").getAttribute("part")).to.contain("on-day-off");
      expect(cellAt(el, "2027-01-11T00:00:00Z").getAttribute("part")).to.contain("taken");
      expect(texts(root, '[part~="person"] .person-name')).to.deep.equal(["Ken Sato", "田中 愛子", "Mai Ito"]);
      expect(texts(root, '[part~="person"] [part~="badge"]')).to.deep.equal([
        "予定を確認済み",
        "一部のカレンダーを確認できません",
        "カレンダー未連携（予定を確認できません）",
      ]);
      expect(texts(root, '[part~="calendar-unreadable"]')).to.deep.equal(["aiko@sakura.example：再連携が必要です"]);
      expect(texts(cellAt(el, tuesdayNine), '[part~="unconfirmed"]')).to.deep.equal(["未確認：田中 愛子、Mai Ito"]);
      // Said to a screen reader: not "everyone is free" when two calendars were not read.
      expect(texts(root, '[part="loading"]')[0]).to.match(/^予定を確認できた面接官が全員空いている候補日時：\d+件$/);
      await expect(el).to.be.accessible();
    });

    it("speaks English with the same week when asked to", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople });
      const el = await mountScheduler(tenant, { locale: "en" });
      const root = shadow(el);
      expect(texts(root, '[part~="day"] .day-name')[0]).to.equal("Mon, Jan 11");
      expect(texts(root, '[part~="day-off"]')).to.deep.equal(["Holiday: Coming of Age Day"]);
      expect(texts(cellAt(el, tuesdayTen), '[part~="busy-block"]')).to.deep.equal(["Busy: Ken Sato"]);
      await expect(el).to.be.accessible();
    });

    it("has its Zoom host picker speak its own lang, not the page's, and follow it when it changes", async () => {
      const tenant = await seedInterviews({
        people: sakuraPeople,
        hosts: [{ zoomUserId: "zu_ken", displayName: "Ken Sato", owners: ["u_ken"] }],
      });
      document.documentElement.lang = "ja";
      try {
        const el = await fixture<ScheduleInterview>(html`<schedule-interview lang="en" server=${fakeServer}
          token=${tenant.token()} time-zone="Asia/Tokyo" range-start="2027-01-11" range-end="2027-01-17"
          hours-start="09:00" hours-end="12:00" debounce="0" web-interview .interviewers=${sakuraInterviewers}
        ></schedule-interview>`);
        await schedulerSettled(el);
        cellAt(el, tuesdayNine).click();
        await el.updateComplete;
        const picker = shadow(el).querySelector("zoom-host-picker")!;
        const pickerTexts = () =>
          texts(picker.shadowRoot!, '[part~="label"], [part~="status-badge"], [part~="pick-reason"]');
        await waitUntil(() => pickerTexts().length === 3, "the picker showed no pick", { timeout: 10_000 });
        expect(texts(shadow(el), '[part~="heading"]')).to.deep.equal(["Schedule an interview"]);
        expect(pickerTexts()).to.deep.equal([
          "Zoom host",
          "Available",
          "Chosen automatically: Ken Sato is one of the interviewers and is free at this time.",
        ]);
        el.setAttribute("lang", "ja");
        await waitUntil(
          () => pickerTexts()[0] === "Zoom 主催者" && pickerTexts()[2]?.startsWith("自動選択の理由："),
          "the picker did not follow the scheduler into Japanese",
          { timeout: 10_000 },
        );
      } finally {
        document.documentElement.lang = "";
      }
    });

    it("pages to the next week within the range and back, the focus staying on the week buttons", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople });
      const el = await mountScheduler(tenant);
      shadow(el).querySelector<HTMLElement>("button[data-next-week]")!.focus();
      await sendKeys({ press: "Enter" });
      await el.updateComplete;
      expect(texts(shadow(el), '[part~="day"] .day-name')).to.deep.equal([
        "1月18日（月）",
        "1月19日（火）",
        "1月20日（水）",
      ]);
      expect(shadow(el).querySelector("button[data-next-week]")).to.equal(null);
      // The last week has no "next": the focus is on "previous", not lost to the page.
      expect(shadow(el).activeElement?.matches("button[data-previous-week]")).to.equal(true);
      await sendKeys({ press: "Enter" });
      await el.updateComplete;
      expect(texts(shadow(el), '[part~="day"] .day-name')[0]).to.equal("1月11日（月）");
      expect(shadow(el).activeElement?.matches("button[data-next-week]")).to.equal(true);
    });

    it("asks for busy time within the hours it shows, and for all of it when a row runs past them", async () => {
      // Tuesday: Ken is also busy 12:00–12:15; Aiko 12:15–12:30, after the hours (9:00–12:00, then 12:15).
      const [ken, aiko] = sakuraPeople;
      const tenant = await seedInterviews({
        people: [
          { ...ken!, busy: [...ken!.busy!, { start: "2027-01-12T03:00:00Z", end: "2027-01-12T03:15:00Z" }] },
          { ...aiko!, busy: [{ start: "2027-01-12T03:15:00Z", end: "2027-01-12T03:30:00Z" }] },
        ],
      });
      const el = await mountScheduler(tenant);
      const asked = async () =>
        (await tenant.requests()).filter((request) => request.route === "POST /v1/availability").at(-1)?.body;
      expect((await asked())?.peopleBusy).to.equal("working_hours");
      expect(texts(cellAt(el, tuesdayTen), '[part~="busy-block"]')).to.deep.equal(["予定あり：Ken Sato"]);
      const duration = shadow(el).querySelector<HTMLSelectElement>("#duration")!;
      duration.value = "15";
      duration.dispatchEvent(new Event("change"));
      await schedulerSettled(el);
      expect((await asked())?.peopleBusy).to.equal("working_hours");
      // Until 12:15, a 15-minute interview's last row starts at 12:00 and runs to 12:30, past the hours.
      el.hoursEnd = "12:15";
      await schedulerSettled(el);
      expect((await asked())?.peopleBusy).to.equal("all");
      // The 12:00 row is taken (Ken) and names everyone busy within it, Aiko after the hours too.
      expect(texts(cellAt(el, "2027-01-12T03:00:00Z"), '[part~="busy-block"]')).to.deep.equal([
        "予定あり：Ken Sato、田中 愛子",
      ]);
    });

    it("asks again when the length or the hours change", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople });
      const el = await mountScheduler(tenant);
      const duration = shadow(el).querySelector<HTMLSelectElement>("#duration")!;
      duration.value = "30";
      duration.dispatchEvent(new Event("change"));
      await schedulerSettled(el);
      const questions = (await tenant.requests()).filter((request) => request.route === "POST /v1/availability");
      expect(questions.at(-1)?.body?.durationMinutes).to.equal(30);
      expect(texts(shadow(el), '[part~="time"]')).to.have.length(6);
    });

    it("asks again in the zone the host token names once a token provider has answered", async () => {
      // No time-zone attribute: the zone is the token's `tz`, known only once the provider answers, after the first
      // question was made in the browser's zone (the demo's first free times came out empty this way).
      const zone = "Pacific/Kiritimati";
      const tenant = await seedInterviews({ people: sakuraPeople });
      const el = await fixture<ScheduleInterview>(html`<schedule-interview
        server=${fakeServer}
        locale="ja"
        range-start="2027-01-11"
        range-end="2027-01-17"
        hours-start="09:00"
        hours-end="12:00"
        debounce="0"
        .tokenProvider=${async () => {
          // The portal's token endpoint answers after the debounce has already let the first question go.
          await new Promise((resolve) => setTimeout(resolve, 200));
          return tenant.token({ tz: zone });
        }}
        .interviewers=${sakuraInterviewers}
      ></schedule-interview>`);
      await waitUntil(
        async () =>
          (await tenant.requests()).some(
            (request) => request.route === "POST /v1/availability" && request.body?.timeZone === zone,
          ),
        "no question in the token's zone",
        { timeout: 10_000 },
      );
      await schedulerSettled(el);
      const questions = (await tenant.requests()).filter((request) => request.route === "POST /v1/availability");
      // Midnight of 11 January in UTC+14 is 10:00 UTC the day before.
      expect(questions.at(-1)?.body).to.deep.include({ timeZone: zone, start: "2027-01-10T10:00:00.000Z" });
      expect(texts(shadow(el), '[part~="zone"]')).to.deep.equal([
        `時刻はすべてタイムゾーン ${zone} で表示しています。`,
      ]);
    });

    it("says what to do when the free times cannot be loaded, and tries again", async () => {
      const tenant = await seedInterviews({
        people: sakuraPeople,
        failures: { "POST /v1/availability": [{ status: 503, code: "provider_unavailable", message: "Down." }] },
      });
      const el = await mountScheduler(tenant);
      expect(texts(shadow(el), '[part~="error"] p')[0]).to.equal(
        "空き時間を読み込めませんでした。このサービスは現在利用できません。しばらくしてからもう一度お試しください。",
      );
      await expect(el).to.be.accessible();
      shadow(el).querySelector<HTMLButtonElement>('[part~="error"] button')!.focus();
      await sendKeys({ press: "Enter" });
      await schedulerSettled(el);
      expect(cellAt(el, tuesdayNine).getAttribute("part")).to.contain("free");
      // The retry button went with the failure: the focus is on the week, not lost to the page.
      await waitUntil(() => focusedCell(el) !== null, "the focus did not move to the week");
    });
  });

  describe("tokens", () => {
    it("asks again for what the server refused as expired once the page renews the token", async () => {
      const tenant = await seedInterviews({
        people: sakuraPeople,
        failures: {
          "POST /v1/availability": [{ status: 401, code: "token_expired", message: "The host token expired." }],
        },
      });
      const el = await mountScheduler(tenant);
      expect(texts(shadow(el), '[part~="error"] p')[0]).to.contain("セッションの有効期限が切れました。");
      el.token = tenant.token({ jti: "renewed" });
      await waitUntil(() => cellAt(el, tuesdayNine).getAttribute("part")?.includes("free"), "not asked again", {
        timeout: 10_000,
      });
      expect(shadow(el).querySelector('[part~="error"]')).to.equal(null);
    });
  });

  describe("calendars", () => {
    it("says the calendars could not be loaded, not that there are none, and its retry loads them", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople });
      // The accounts fake again for this organisation, its GET answering 503 once.
      await fetch("/fake-tsunagu/control/seed", {
        method: "POST",
        body: JSON.stringify({
          org: tenant.org,
          accounts: calendarAccountsSeed,
          failures: { "GET /v1/accounts": { status: 503, code: "database_unavailable", message: "Down." } },
        }),
      });
      const el = await mountScheduler(tenant);
      const root = shadow(el);
      await waitUntil(() => root.querySelector("button[data-retry-accounts]"), "no failure shown", { timeout: 10_000 });
      expect(texts(root, '[part~="error"][role="alert"] p')).to.deep.equal([
        "予定を登録するカレンダーを読み込めませんでした。サーバーが現在データベースに接続できません。数秒後にもう一度お試しください。",
      ]);
      expect(root.textContent).to.not.contain(ja.calendarAccountNone);
      await expect(el).to.be.accessible();
      root.querySelector<HTMLElement>("button[data-retry-accounts]")!.focus();
      await sendKeys({ press: "Enter" });
      await waitUntil(() => root.querySelector("#calendar-account"), "the retry loaded nothing", { timeout: 10_000 });
      expect(root.querySelector<HTMLSelectElement>("#calendar-account")!.value).to.equal("acc_google_rec");
      expect(root.activeElement?.id).to.equal("calendar-account");
    });
  });

  describe("narrow containers", () => {
    it("stays within a 360 px container, long calendar address and all; only the week scrolls sideways", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople });
      const wrapper = await fixture<HTMLDivElement>(html`<div style="width: 360px">
        <schedule-interview server=${fakeServer} token=${tenant.token()} locale="ja" time-zone="Asia/Tokyo"
          range-start="2027-01-11" range-end="2027-01-17" hours-start="09:00" hours-end="12:00" debounce="0"
          .interviewers=${sakuraInterviewers}></schedule-interview>
      </div>`);
      const el = wrapper.querySelector("schedule-interview")!;
      await schedulerSettled(el);
      const right = wrapper.getBoundingClientRect().right;
      const week = shadow(el).querySelector(".week-scroll")!;
      const sticking = [...shadow(el).querySelectorAll<HTMLElement>("*")]
        .filter((node) => !week.contains(node) && !node.closest(".toasts"))
        .filter((node) => node.getBoundingClientRect().right > right + 0.5)
        .map((node) => `${node.localName}${node.id ? `#${node.id}` : ""}`);
      expect(sticking).to.deep.equal([]);
      expect(el.getBoundingClientRect().width).to.be.at.most(360);
      expect(week.scrollWidth).to.be.greaterThan(week.clientWidth);
    });
  });

  describe("keyboard", () => {
    it("is one Tab stop; arrows move by time and day, Home and End to the row's ends, Enter chooses", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople });
      const el = await mountScheduler(tenant);
      const root = shadow(el);
      expect(root.querySelectorAll('td[tabindex="0"]')).to.have.length(1);
      const first = root.querySelector<HTMLElement>('td[tabindex="0"]')!;
      first.focus();
      await sendKeys({ press: "ArrowRight" });
      await el.updateComplete;
      expect(focusedCell(el)?.dataset.start).to.equal(new Date(tuesdayNine).toISOString());
      expect(root.querySelectorAll('td[tabindex="0"]')).to.have.length(1);
      await sendKeys({ press: "ArrowDown" });
      await sendKeys({ press: "ArrowDown" });
      await el.updateComplete;
      expect(focusedCell(el)?.dataset.start).to.equal(new Date(tuesdayTen).toISOString());
      await sendKeys({ press: "End" });
      await el.updateComplete;
      expect(focusedCell(el)?.dataset.column).to.equal("6");
      await sendKeys({ press: "Home" });
      await sendKeys({ press: "ArrowRight" });
      await sendKeys({ press: "ArrowUp" });
      await sendKeys({ press: "ArrowUp" });
      await sendKeys({ press: "Enter" });
      await el.updateComplete;
      const chosen = root.querySelector<HTMLElement>('td[aria-selected="true"]');
      expect(chosen?.dataset.start).to.equal(new Date(tuesdayNine).toISOString());
      expect(chosen?.getAttribute("part")).to.contain("selected");
      expect(focusedCell(el)).to.equal(chosen);
    });

    it("chooses a time by mouse too, and Space chooses as Enter does", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople });
      const el = await mountScheduler(tenant);
      cellAt(el, tuesdayNine).click();
      await el.updateComplete;
      expect(cellAt(el, tuesdayNine).getAttribute("aria-selected")).to.equal("true");
      expect(cellAt(el, tuesdayNine).getAttribute("tabindex")).to.equal("0");
      await sendKeys({ press: "ArrowRight" });
      await sendKeys({ press: "Space" });
      await el.updateComplete;
      expect(cellAt(el, "2027-01-13T00:00:00Z").getAttribute("aria-selected")).to.equal("true");
      expect(cellAt(el, tuesdayNine).getAttribute("aria-selected")).to.equal("false");
      await expect(el).to.be.accessible();
    });
    it("shows the focus on the chosen time: the chosen cell looks different with the focus and without", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople });
      const el = await mountScheduler(tenant);
      const chosen = cellAt(el, tuesdayNine);
      const look = () => {
        const style = getComputedStyle(chosen);
        return `${style.outlineStyle} ${style.outlineOffset} ${style.boxShadow}`;
      };
      chosen.focus();
      await sendKeys({ press: "Enter" });
      await el.updateComplete;
      expect(focusedCell(el)?.getAttribute("aria-selected")).to.equal("true");
      const focused = look();
      // Tab leaves the grid for the next control: the cell is still chosen, and no longer has the focus.
      await sendKeys({ press: "Tab" });
      expect(focusedCell(el)).to.equal(null);
      expect(chosen.getAttribute("aria-selected")).to.equal("true");
      expect(look()).to.not.equal(focused);
    });
  });

  describe("screen readers", () => {
    it("leaves its Zoom host picker quiet while the arrows move in the week and a host is chosen", async () => {
      const tenant = await seedInterviews({
        people: sakuraPeople,
        hosts: [
          { zoomUserId: "zu_ken", displayName: "Ken Sato", owners: ["u_ken"] },
          { zoomUserId: "zu_shared", displayName: "Recruiting Interviews" },
        ],
      });
      const asked = async () =>
        ((await (await fetch(`/fake-tsunagu/control/zoom-hosts/requests?org=${tenant.org}`)).json()) as unknown[])
          .length;
      const el = await mountScheduler(tenant, { webInterview: true });
      cellAt(el, tuesdayNine).focus();
      await sendKeys({ press: "Enter" });
      const picker = shadow(el).querySelector("zoom-host-picker")!;
      await waitUntil(() => picker.shadowRoot?.querySelector('[role="radio"]'), "no Zoom hosts", { timeout: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 400));
      const region = picker.shadowRoot!.querySelector('[part="status"]')!;
      const said: string[] = [];
      new MutationObserver(() => said.push(region.textContent ?? "")).observe(region, {
        childList: true,
        characterData: true,
        subtree: true,
      });
      const before = await asked();
      for (const key of ["ArrowRight", "ArrowDown", "ArrowLeft"]) await sendKeys({ press: key });
      picker.shadowRoot!.querySelector<HTMLElement>('[role="radio"][tabindex="0"]')!.focus();
      await sendKeys({ press: "ArrowDown" });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect([await asked(), said]).to.deep.equal([before, []]);
      expect(picker.value).to.equal("zu_shared");
    });

    it("can be heard while its Zoom host picker loads: no live region inside it sits in anything busy", async () => {
      const tenant = await seedInterviews({ people: sakuraPeople, stallZoomHosts: ["2027-01-12T00:00:00.000Z"] });
      const el = await mountScheduler(tenant, { webInterview: true });
      cellAt(el, tuesdayNine).click();
      await el.updateComplete;
      const picker = shadow(el).querySelector("zoom-host-picker")!;
      await waitUntil(() => picker.shadowRoot?.querySelector('[part="skeleton"]'), "the picker did not start loading");
      expect(texts(picker.shadowRoot!, '[part="loading"]')).to.deep.equal(["Zoom 主催者の候補を確認しています…"]);
      expect(liveRegionsHeldBusy(el)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });
  });
});
