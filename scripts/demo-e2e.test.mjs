// The HR workflow end to end, as people click it: `pnpm demo` (its server,
// the sandbox's four fake providers and the さくら採用 portal) driven in
// Debian's Chromium by puppeteer-core. The admin connects the organisation's
// Zoom account and Google Workspace through the sandbox's consent pages in
// popups, sets the organisation's 勤務時間 in the settings, and saves the
// 日程確定メール, previewed live as it is typed; a recruiter links their own
// Google calendar and Zoom user, sets hours of their own and sees their free
// times follow, then goes back to the organisation's, schedules an
// interview with a Zoom URL through <schedule-interview> on a candidate's page,
// finds the meeting and the event at the sandbox's fakes, reschedules it from
// the interview list, and cancels it there (the meeting and the event go); a
// candidate books through a scheduling link the recruiter made; a guest finds
// no booking action. Each state the people pass through is audited by axe on
// the way. The tests run in order and build on each other, as the people do.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { axePath, axeViolations, startDemoInChromium, waitForDeep } from "./demo-browser.mjs";
import { waitFor } from "./demo-harness.mjs";

const portal = "sakura-portal";
const accounts = `${portal} >>> integration-accounts`;
const scheduler = `${portal} >>> sakura-candidate-page >>> schedule-interview`;
const interviewList = `${portal} >>> sakura-interview-list`;
const editor = `${interviewList} >>> schedule-interview`;
const hoursPanel = `${portal} >>> sakura-working-hours-panel`;
/** Inside a <zoom-host-picker>: not loading (neither the first answer's outline nor a new answer's busy list). */
const pickerSettled = 'zoom-host-picker >>> .body[aria-busy="false"]:not(:has([part~="skeleton"]))';

let demo;
let page;
/** The sandbox's fake providers' origins, as the server's health check lists them. */
let fakes;
/** axe's violations in each state audited on the way, by the state's name. */
const audited = {};
/** The interview booked, as the sandbox and the list know it. */
const booked = {};

/** axe over the page as it is now (shadow roots included), kept under `state`. */
async function audit(state) {
  await page.waitForNetworkIdle({ idleTime: 300, timeout: 30_000 });
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  audited[state] = await axeViolations(page);
}

async function controlList(provider, path) {
  const response = await fetch(`${fakes[provider]}${path}`);
  assert.equal(response.status, 200, `${provider} ${path}`);
  return response.json();
}

/**
 * Clicks the first free time from tomorrow on in a <schedule-interview>'s
 * week (today's may already be past) that is not `other`; resolves with its start.
 */
async function chooseFreeTime(element, other) {
  await waitForDeep(page, `${element} >>> .week-scroll[aria-busy="false"] td[part~="free"]`, 60_000).catch(
    async (error) => {
      const said = await (await page.$(element)).evaluate((host) => host.shadowRoot.textContent.replace(/\s+/g, " "));
      throw new Error(`${error.message}; the element says: ${said.slice(0, 600)}`);
    },
  );
  const start = await page.$$eval(
    `${element} >>> td[part~="free"]`,
    (cells, avoid, from) =>
      cells.map((cell) => cell.dataset.start).find((value) => value !== avoid && Date.parse(value) > from),
    other ?? "",
    Date.now() + 24 * 3_600_000,
  );
  assert.ok(start, "a free time in the week");
  await page.click(`${element} >>> td[data-start="${start}"]`);
  return start;
}

/** Reviews and confirms in a <schedule-interview>, auditing the summary, and waits for the result view. */
async function reviewAndConfirm(element, summaryState) {
  await page.click(`${element} >>> [data-review]`);
  await waitForDeep(page, `${element} >>> [part~="summary"]`);
  await audit(summaryState);
  await page.click(`${element} >>> [data-confirm]`);
  await waitForDeep(page, `${element} >>> [part~="result"] [part~="result-when"]`, 60_000).catch(async (error) => {
    // What the element says instead (its error and what to do) is the useful part of the failure.
    throw new Error(`${error.message}; the element says: ${await textOf(`${element} >>> [part~="error"]`)}`);
  });
}

/**
 * Opens a portal page as `user` in a tab of its own (the portal remembers who
 * signed in, as a browser does between visits), so that nothing of the
 * previous user's is still on the way.
 */
async function openAs(user, hash) {
  await page?.close();
  page = await demo.browser.newPage();
  await page.setViewport({ width: 1280, height: 1000 });
  await page.evaluateOnNewDocument((id) => localStorage.setItem("sakura-recruit.user", id), user);
  await page.goto(`${demo.portalUrl}/${hash}`);
  await waitForDeep(page, `${portal} >>> #user`);
  assert.equal(await page.$eval(`${portal} >>> #user`, (select) => select.value), user);
}

/** Waits until the page's <integration-accounts> shows its cards. */
async function accountsSettled() {
  await page.waitForFunction(
    () => {
      const root = document.querySelector("sakura-portal").shadowRoot.querySelector("integration-accounts")?.shadowRoot;
      return Boolean(root?.querySelector("[data-card] [data-primary]")) && !root.querySelector('[part="loading"]');
    },
    { timeout: 30_000 },
  );
}

/**
 * Fills a form of the working-hours panel on the page open (`organisation` or
 * `own`) as a person does, saves it, and waits until the panel says so.
 */
async function saveHours(scope, { start, end, timeZone }) {
  const form = `${hoursPanel} >>> form[data-scope="${scope}"]`;
  await waitForDeep(page, `${form} button[type="submit"]`, 30_000);
  for (const [name, value] of Object.entries({ start, end })) {
    await page.click(`${form} input[name="${name}"]`, { count: 3 });
    await page.type(`${form} input[name="${name}"]`, value);
  }
  if (timeZone) await page.select(`${form} select[name="timeZone"]`, timeZone);
  await page.click(`${form} button[type="submit"]`);
  await page.waitForFunction(
    () => {
      const panel = document.querySelector("sakura-portal").shadowRoot.querySelector("sakura-working-hours-panel");
      return (
        panel.shadowRoot.querySelector("[data-saved]")?.textContent !== "" || panel.shadowRoot.querySelector(".error")
      );
    },
    { timeout: 30_000 },
  );
  const error = await textOf(`${hoursPanel} >>> .error`);
  assert.equal(error, "", `the panel refused the hours: ${error}`);
}

/**
 * Clicks the first candidate in the portal's candidate list once the list shows it: the list renders after its
 * route does, so a click right after the navigation could find nothing yet (seen once in CI).
 */
async function openFirstCandidate() {
  const link = `${portal} >>> sakura-candidate-list >>> a[href="#/candidates/c-101"]`;
  await waitForDeep(page, link);
  await page.click(link);
}

/**
 * Opens the first candidate's page and reads the free times of the week
 * <schedule-interview> shows, as minutes after midnight Tokyo time.
 */
async function freeTimesInTokyo() {
  await page.click(`${portal} >>> nav a[href="#/candidates"]`);
  await openFirstCandidate();
  await waitForDeep(page, `${scheduler} >>> .week-scroll[aria-busy="false"] td[part~="free"]`, 60_000);
  const starts = await page.$$eval(`${scheduler} >>> td[part~="free"]`, (cells) =>
    cells.map((cell) => cell.dataset.start),
  );
  const tokyoOffset = 9 * 60;
  return starts.map((start) => {
    const date = new Date(start);
    return (date.getUTCHours() * 60 + date.getUTCMinutes() + tokyoOffset) % (24 * 60);
  });
}

/** The text of the first element matching a `>>>` selector, or "" when there is none. */
async function textOf(selector) {
  const handle = await page.$(selector);
  if (!handle) return "";
  return handle.evaluate((element) => element.textContent ?? "");
}

/**
 * Presses a button that opens a provider's consent page in a popup, chooses
 * `account` there and allows; the popup closes itself once the server has
 * the tokens.
 */
async function consentInPopup(buttonSelector, account) {
  const popupOpened = new Promise((resolve) => demo.browser.once("targetcreated", (target) => resolve(target.page())));
  await page.click(buttonSelector);
  const popup = await popupOpened;
  await popup.waitForSelector('form button[value="allow"]', { timeout: 30_000 });
  await popup.click(`input[name="account"][value="${account}"]`);
  await popup.click('form button[value="allow"]').catch((error) => {
    // The popup may close before puppeteer hears back from the click.
    if (!/closed|detached|Target/i.test(String(error?.message))) throw error;
  });
}

/** Waits until an <integration-accounts> card shows an account (or connection) that names `name`. */
async function cardShows(card, name) {
  await page.waitForFunction(
    (key, expected) => {
      const root = document.querySelector("sakura-portal").shadowRoot.querySelector("integration-accounts").shadowRoot;
      const found = root.querySelector(`[data-card="${key}"]`);
      return Boolean(found?.querySelector('[part="account-name"]')) && found.textContent.includes(expected);
    },
    { timeout: 30_000 },
    card,
    name,
  );
}

describe("the demo, end to end in Chromium", { timeout: 600_000 }, () => {
  before(async () => {
    demo = await startDemoInChromium("demo-e2e");
    fakes = (await (await fetch(`${demo.serverUrl}/healthz`)).json()).providers;
  });

  after(async () => {
    console.log(`axe violations per state audited: ${JSON.stringify(audited)}`);
    await demo?.stop();
  });

  it("the admin connects the organisation's Zoom account and Google Workspace through the consent pages", async () => {
    await openAs("hanako", "#/integrations");
    await accountsSettled();
    // The Zoom host check beside the cards has nobody to offer yet, and sends the admin to the accounts section
    // above it: this page is the 連携設定 it would otherwise name.
    const empty = `${portal} >>> zoom-host-picker >>> [part~="empty"]`;
    await waitForDeep(page, empty);
    assert.equal(
      await textOf(empty),
      "組織で連携済みの Zoom ユーザーがまだいません。上の「アカウント連携」で Zoom ユーザーを連携してください。",
    );
    await consentInPopup(`${accounts} >>> [data-card="organization:zoom"] [data-primary]`, "zU_hanako");
    await cardShows("organization:zoom", "Sakura Recruit Inc.");
    // The Zoom host check beside the cards asks again: the admin's own Zoom user, linked with the connection, is
    // offered without a reload.
    await waitForDeep(page, `${portal} >>> zoom-host-picker >>> [data-zoom-user-id="zU_hanako"]`);
    await consentInPopup(
      `${accounts} >>> [data-card="organization:google"] [data-primary]`,
      "hanako.yamada@sakura-recruit.example",
    );
    await cardShows("organization:google", "sakura-recruit.example");
  });

  it("the admin sets the organisation's 勤務時間 (Mon–Fri 09:00–18:00, Tokyo) in the settings", async () => {
    // The server's default is 09:00–18:00 UTC until an admin says otherwise: さくら採用 works on Tokyo time.
    await saveHours("organisation", { start: "09:00", end: "18:00", timeZone: "Asia/Tokyo" });
    assert.equal(await textOf(`${hoursPanel} >>> [data-saved]`), "組織の勤務時間を保存しました。");
    await audit("working hours, the organisation's saved");
    const days = await page.$$eval(
      `${hoursPanel} >>> form[data-scope="organisation"] input[name="days"]:checked`,
      (boxes) => boxes.map((box) => box.value),
    );
    assert.deepEqual(days, ["mon", "tue", "wed", "thu", "fri"]);
  });

  it("a recruiter links their own Google calendar and Zoom user", async () => {
    await openAs("ken", "#/integrations");
    await accountsSettled();
    await consentInPopup(
      `${accounts} >>> [data-card="personal:google"] [data-primary]`,
      "ken.sato@sakura-recruit.example",
    );
    await cardShows("personal:google", "ken.sato@sakura-recruit.example");
    await consentInPopup(`${accounts} >>> [data-card="personal:zoom"] [data-primary]`, "zU_ken");
    await cardShows("personal:zoom", "Ken Sato");
  });

  it("a recruiter sets hours of their own, sees free times follow, and goes back to the organisation's", async () => {
    await openAs("ken", "#/integrations");
    // While following the organisation, a person's zone is their host token's, not the organisation's: the own form
    // offers "As the portal says", so saving hours without touching the zone does not pin the organisation's.
    const ownZone = `${hoursPanel} >>> form[data-scope="own"] select[name="timeZone"]`;
    await waitForDeep(page, ownZone, 30_000);
    assert.equal(await page.$eval(ownZone, (select) => select.value), "");
    await saveHours("own", { start: "13:00", end: "17:00" });
    assert.equal(await textOf(`${hoursPanel} >>> [data-saved]`), "自分の勤務時間を保存しました。");
    assert.equal(await page.$eval(`${hoursPanel} >>> [data-own-state]`, (state) => state.dataset.ownState), "own");
    await audit("working hours, own hours saved");
    const own = await freeTimesInTokyo();
    assert.ok(own.length > 0, "free times within the recruiter's own hours");
    assert.deepEqual(
      own.filter((minutes) => minutes < 13 * 60 || minutes > 16 * 60),
      [],
      "one-hour free times start 13:00–16:00 Tokyo time",
    );

    await page.click(`${portal} >>> nav a[href="#/integrations"]`);
    await waitForDeep(page, `${hoursPanel} >>> [data-action="reset-own"]`, 30_000);
    await page.click(`${hoursPanel} >>> [data-action="reset-own"]`);
    await page.waitForFunction(
      () =>
        document
          .querySelector("sakura-portal")
          .shadowRoot.querySelector("sakura-working-hours-panel")
          .shadowRoot.querySelector("[data-own-state]")?.dataset.ownState === "organisation",
      { timeout: 30_000 },
    );
    const organisation = await freeTimesInTokyo();
    assert.ok(
      organisation.some((minutes) => minutes < 13 * 60),
      "free times before 13:00 again",
    );
    assert.deepEqual(
      organisation.filter((minutes) => minutes < 9 * 60 || minutes > 17 * 60),
      [],
      "one-hour free times start 09:00–17:00 Tokyo time",
    );
  });

  it("the admin edits the 日程確定メール with a live preview and saves it", async () => {
    await openAs("hanako", "#/templates");
    const settings = `${portal} >>> sakura-template-settings`;
    await waitForDeep(page, `${settings} >>> [data-preview-state="rendered"] [data-preview-body]`);
    await page.click(`${settings} >>> input[name="subject"]`, { count: 3 });
    await page.type(
      `${settings} >>> input[name="subject"]`,
      "【さくら採用】{{candidate_name}} 様 {{date}} 面接のご案内",
    );
    await page.waitForFunction(
      () => {
        const root = document.querySelector("sakura-portal").shadowRoot.querySelector("sakura-template-settings");
        const subject = root.shadowRoot.querySelector("[data-preview-subject]")?.textContent ?? "";
        return subject.startsWith("【さくら採用】小林 さくら 様 ") && subject.endsWith(" 面接のご案内");
      },
      { timeout: 30_000 },
    );
    await audit("message templates, preview after typing");
    await page.click(`${settings} >>> button[type="submit"]`);
    await page.waitForFunction(
      () =>
        document
          .querySelector("sakura-portal")
          .shadowRoot.querySelector("sakura-template-settings")
          .shadowRoot.querySelector("#template-heading .badge.good") !== null,
      { timeout: 30_000 },
    );
  });

  it("a recruiter schedules an interview with a Zoom URL on a candidate's page", async () => {
    await openAs("ken", "#/candidates");
    await openFirstCandidate();
    // The heading names the candidate after a full-width colon, as Japanese writes it.
    const heading = `${portal} >>> sakura-candidate-page >>> #profile-heading`;
    await waitForDeep(page, heading);
    assert.equal(await textOf(heading), "候補者情報：小林 さくら");
    booked.start = await chooseFreeTime(scheduler);
    // The web interview is on: the Zoom host picker inside proposes a host for the chosen time.
    await waitForDeep(page, `${scheduler} >>> ${pickerSettled}`);
    await audit("<schedule-interview>, a time chosen");
    await reviewAndConfirm(scheduler, "<schedule-interview>, summary");
    booked.joinUrl = await page.$eval(`${scheduler} >>> [part~="zoom-url"]`, (link) => link.href);
    assert.match(booked.joinUrl, /\/j\/\d+/);
    // The candidate's message is the organisation's 日程確定メール the admin saved, rendered for this interview.
    await waitForDeep(page, `${scheduler} >>> [part~="candidate-message"]`, 30_000);
    const message = await textOf(`${scheduler} >>> [part~="candidate-message"]`);
    assert.match(message, /^【さくら採用】小林 さくら 様 /);
    assert.ok(message.includes(booked.joinUrl), message);
    // One confirmation, the element's; the page adds only the way to the interview list.
    const candidatePage = `${portal} >>> sakura-candidate-page`;
    await waitForDeep(page, `${candidatePage} >>> [data-see-interviews] a[href="#/interviews"]`);
    assert.equal(await textOf(`${scheduler} >>> #result-heading`), "面接を設定しました");
    assert.equal(await page.$eval(candidatePage, (found) => found.shadowRoot.querySelector('[role="status"]')), null);
    await audit("<schedule-interview>, result");
  });

  it("the sandbox's Zoom account holds the meeting and the organiser's Google calendar the event", async () => {
    const { meetings } = await controlList("zoom", "/_control/meetings");
    const meeting = meetings.find((candidate) => booked.joinUrl.includes(`/j/${candidate.id}`));
    assert.ok(meeting, `no meeting behind ${booked.joinUrl} in ${JSON.stringify(meetings)}`);
    assert.equal(meeting.start, new Date(booked.start).toISOString());
    booked.meetingId = meeting.id;
    const { events } = await controlList("google", "/_control/events");
    const event = events.find(
      (candidate) => candidate.calendar === "ken.sato@sakura-recruit.example" && candidate.status === "confirmed",
    );
    assert.ok(event, JSON.stringify(events));
    assert.equal(event.start, new Date(booked.start).toISOString());
    assert.equal(event.summary, meeting.topic);
    booked.eventId = event.id;
  });

  it("the recruiter reschedules it from the interview list", async () => {
    await page.click(`${portal} >>> nav a[href="#/interviews"]`);
    await waitForDeep(page, `${interviewList} >>> tr[data-interview] [data-action="reschedule"]`);
    await audit("interviews, one booked");
    await page.click(`${interviewList} >>> tr[data-interview] [data-action="reschedule"]`);
    // An existing interview opens on its details; "change" goes to the week.
    await waitForDeep(page, `${editor} >>> [data-edit]`, 30_000);
    await audit("<schedule-interview>, edit mode");
    await page.click(`${editor} >>> [data-edit]`);
    booked.newStart = new Date(await chooseFreeTime(editor, new Date(booked.start).toISOString())).toISOString();
    await reviewAndConfirm(editor, "<schedule-interview>, reschedule summary");
    await audit("<schedule-interview>, rescheduled");
    // The meeting behind the Zoom URL the element now shows, and the one event left on the organiser's calendar,
    // are at the new time.
    booked.joinUrl = await page.$eval(`${editor} >>> [part~="zoom-url"]`, (link) => link.href);
    const { meetings } = await controlList("zoom", "/_control/meetings");
    const meeting = meetings.find((candidate) => booked.joinUrl.includes(`/j/${candidate.id}`));
    assert.equal(meeting?.start, booked.newStart, JSON.stringify(meetings));
    booked.meetingId = meeting.id;
    const { events } = await controlList("google", "/_control/events");
    const confirmed = events.filter(
      (event) => event.calendar === "ken.sato@sakura-recruit.example" && event.status === "confirmed",
    );
    assert.deepEqual(
      confirmed.map((event) => event.start),
      [booked.newStart],
    );
    booked.eventId = confirmed[0].id;
  });

  it("the recruiter cancels it after a confirmation, and the meeting and the event are gone", async () => {
    await page.click(`${interviewList} >>> tr[data-interview] [data-action="cancel"]`);
    await waitForDeep(page, `${interviewList} >>> dialog[open] [data-action="confirm-cancel"]`);
    await audit("interviews, cancel confirmation");
    // Worded as <schedule-interview>'s own confirmation (この面接…, and that it cannot be undone).
    assert.equal(await textOf(`${interviewList} >>> dialog[open] h2`), "この面接をキャンセルしますか？");
    assert.match(await textOf(`${interviewList} >>> dialog[open] p`), /予定も削除され、元に戻すことはできません。$/);
    // As the elements' dialogs: the way out first (with the focus), the cancellation last.
    const buttons = await page.$$eval(`${interviewList} >>> dialog[open] .actions button`, (found) =>
      found.map((button) => ({ danger: button.classList.contains("danger"), focused: button.matches(":focus") })),
    );
    assert.deepEqual(buttons, [
      { danger: false, focused: true },
      { danger: true, focused: false },
    ]);
    await page.click(`${interviewList} >>> dialog[open] [data-action="confirm-cancel"]`);
    await page.waitForFunction(
      () => {
        const list = document.querySelector("sakura-portal").shadowRoot.querySelector("sakura-interview-list");
        const row = list.shadowRoot.querySelector("tr[data-interview]");
        return row !== null && row.querySelector("[data-action]") === null;
      },
      { timeout: 30_000 },
    );
    assert.match(await textOf(`${interviewList} >>> tr[data-interview]`), /キャンセル済み/);
    // A cancelled web interview has no join URL left, and was not in person (対面).
    assert.equal((await textOf(`${interviewList} >>> tr[data-interview] td.join`)).trim(), "—");
    await audit("interviews, cancelled");
    const { meetings } = await controlList("zoom", "/_control/meetings");
    assert.equal(
      meetings.some((meeting) => meeting.id === booked.meetingId),
      false,
    );
    const { events } = await controlList("google", "/_control/events");
    // Google keeps a deleted event readable as cancelled.
    assert.equal(events.find((event) => event.id === booked.eventId)?.status, "cancelled");
  });

  it("in English, the candidate's message and the interview list name everyone as English writes them", async () => {
    await openAs("ken", "#/candidates/c-103");
    await page.click(`${portal} >>> .account button`);
    const candidatePage = `${portal} >>> sakura-candidate-page`;
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await waitForDeep(page, `${candidatePage} >>> input[value="misaki"]`);
    await page.click(`${candidatePage} >>> input[value="misaki"]`);
    // The week is asked for again with her: choose once it shows her (she has no calendar, so every time flags her).
    await waitFor(
      async () => (await textOf(`${scheduler} >>> .week-scroll[aria-busy="false"]`)).includes("Misaki Suzuki"),
      30_000,
      "the week with Misaki Suzuki",
    );
    await chooseFreeTime(scheduler);
    await waitForDeep(page, `${scheduler} >>> ${pickerSettled}`);
    await reviewAndConfirm(scheduler, "<schedule-interview>, summary in English");
    await waitForDeep(page, `${scheduler} >>> [part~="candidate-message"]`, 30_000);
    // The server knows the interviewers by their host tokens' names (佐藤 健, 鈴木 美咲); the page names them.
    const message = await textOf(`${scheduler} >>> [part~="candidate-message"]`);
    assert.match(message, /^Dear Aoi Yoshida,/);
    assert.match(message, /\nInterviewers: Ken Sato, Misaki Suzuki\n/);
    await page.click(`${portal} >>> nav a[href="#/interviews"]`);
    const row = `${interviewList} >>> tr[data-interview]:has([data-action])`;
    await waitForDeep(page, row);
    /** The row's candidate and interviewers once they read `expected` (the list renders after the language). */
    const cellsRead = async (expected) => {
      let cells;
      await waitFor(
        async () => {
          const found = await page.$(row);
          cells = await found?.evaluate((tr) => [...tr.querySelectorAll("td")].slice(1, 3).map((td) => td.textContent));
          return JSON.stringify(cells) === JSON.stringify(expected);
        },
        30_000,
        () => `the row to read ${JSON.stringify(expected)}; it reads ${JSON.stringify(cells)}`,
      );
    };
    await cellsRead(["Aoi Yoshida", "Ken Sato, Misaki Suzuki"]);
    // The same interview in Japanese: the portal's names, not those it was booked with.
    await page.click(`${portal} >>> .account button`);
    await cellsRead(["吉田 葵", "佐藤 健、鈴木 美咲"]);
  });

  it("a candidate books one of the slots a recruiter offers through a scheduling link's public page", async () => {
    await openAs("ken", "#/links");
    const links = `${portal} >>> sakura-scheduling-link-page`;
    await waitForDeep(page, `${links} >>> form button[type="submit"]:not([disabled])`);
    await page.click(`${links} >>> form button[type="submit"]`);
    await waitForDeep(page, `${links} >>> input[name="slot"]`);
    const offered = await page.$$eval(
      `${links} >>> input[name="slot"]`,
      (inputs, from) =>
        inputs
          .map((input) => input.value)
          .filter((start) => Date.parse(start) > from)
          .slice(0, 2),
      Date.now() + 24 * 3_600_000,
    );
    assert.equal(offered.length, 2);
    for (const start of offered) await page.click(`${links} >>> input[name="slot"][value="${start}"]`);
    await audit("scheduling links, slots chosen");
    await page.click(`${links} >>> [data-action="create-link"]`);
    await waitForDeep(page, `${links} >>> [data-link-url]`);
    await audit("scheduling links, link made");
    // The portal opens the candidate's page in a tab of its own, as the candidate would open the link.
    const tabOpened = new Promise((resolve) => demo.browser.once("targetcreated", (target) => resolve(target.page())));
    await page.click(`${links} >>> [data-action="open-link"]`);
    const candidatePage = await tabOpened;
    await candidatePage.waitForSelector("button[data-slot]", { timeout: 30_000 });
    const slots = await candidatePage.$$eval("button[data-slot]", (buttons) =>
      buttons.map((button) => button.dataset.slot),
    );
    assert.deepEqual(
      slots.map((start) => new Date(start).toISOString()),
      offered.map((start) => new Date(start).toISOString()),
    );
    await candidatePage.click(`button[data-slot="${slots[1]}"]`);
    await candidatePage
      .waitForSelector("[data-interview] [data-join-url]", { timeout: 60_000 })
      .catch(async (error) => {
        // Once seen under load in CI: say what the candidate was shown and what the server did, not only the timeout.
        const shown = await candidatePage.$eval("body", (body) => body.textContent).catch(() => "(the page is gone)");
        const lastLines = demo.output().split("\n").slice(-40).join("\n");
        throw new Error(
          `the candidate's page shows no booked interview:\n${shown}\n\nthe demo's last lines:\n${lastLines}`,
          {
            cause: error,
          },
        );
      });
    const joinUrl = await candidatePage.$eval("[data-join-url]", (link) => link.href);
    await candidatePage.close();
    const { meetings } = await controlList("zoom", "/_control/meetings");
    const meeting = meetings.find((candidate) => joinUrl.includes(`/j/${candidate.id}`));
    assert.equal(meeting?.start, new Date(slots[1]).toISOString(), JSON.stringify(meetings));
    const { events } = await controlList("google", "/_control/events");
    assert.ok(
      events.some(
        (event) =>
          event.calendar === "ken.sato@sakura-recruit.example" &&
          event.status === "confirmed" &&
          event.start === meeting.start,
      ),
      JSON.stringify(events),
    );
  });

  it("a guest finds the candidates but no booking action anywhere", async () => {
    await openAs("ren", "#/candidates/c-101");
    await waitForDeep(page, `${portal} >>> sakura-candidate-page >>> [data-guest-note]`);
    assert.equal(await page.$(`${portal} >>> sakura-candidate-page >>> schedule-interview`), null);
    await page.click(`${portal} >>> nav a[href="#/interviews"]`);
    await waitForDeep(page, `${interviewList} >>> [data-guest-note]`);
    assert.equal(await page.$(`${interviewList} >>> [data-action]`), null);
    await page.click(`${portal} >>> nav a[href="#/links"]`);
    await waitForDeep(page, `${portal} >>> sakura-scheduling-link-page >>> [data-guest-note]`);
    assert.equal(await page.$(`${portal} >>> sakura-scheduling-link-page >>> form`), null);
  });

  it("found no axe violation in any state on the way", () => {
    assert.deepEqual(
      Object.entries(audited).filter(([, violations]) => violations.length > 0),
      [],
    );
  });
});
