// The demo as a newcomer opens it, checked by axe: every page of the portal
// (candidates, a candidate with <schedule-interview>, interviews, scheduling
// links with their free slots, message templates with the preview and with a
// wrong tag, integrations with <integration-accounts> and <zoom-host-picker>,
// the working-hours editor and the days-off settings, and the editor refusing
// hours that end before they start), in Japanese and in English after pressing
// the language button, as the admin; the settings as a recruiter, who edits
// only their own hours; and the pages where a guest finds no booking action,
// as the guest. Zero
// violations. The same pages also fit a phone's width (375 px). The states
// reached only after linking accounts and booking
// (summary, result, edit mode, the cancel confirmation, a created link) are
// audited by the end-to-end test (demo-e2e.test.mjs).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { axePath, axeViolations, startDemoInChromium, waitForDeep } from "./demo-browser.mjs";

const portal = "sakura-portal";
const hoursPanel = `${portal} >>> sakura-working-hours-panel`;
/** The settings panels on the integrations page, loaded. */
const settingsReady = [
  `${hoursPanel} >>> form[data-scope="own"] button[type="submit"]`,
  `${portal} >>> sakura-days-off-panel >>> select[name="locale"]`,
];

/**
 * Each page: the route, what shows it is ready, and what a person does on it
 * first (if anything) to reach the state audited.
 */
const pages = [
  { name: "candidates", hash: "#/candidates", ready: [`${portal} >>> sakura-candidate-list >>> table`] },
  {
    name: "candidate with <schedule-interview>",
    hash: "#/candidates/c-101",
    ready: [`${portal} >>> sakura-candidate-page >>> schedule-interview >>> [part~="base"]`],
  },
  {
    name: "interviews",
    hash: "#/interviews",
    ready: [`${portal} >>> sakura-interview-list >>> .load[aria-busy="false"]`],
  },
  {
    name: "scheduling links, free slots found",
    hash: "#/links",
    ready: [`${portal} >>> sakura-scheduling-link-page >>> form`],
    act: async (page) => {
      await page.click(`${portal} >>> sakura-scheduling-link-page >>> form button[type="submit"]`);
      await waitForDeep(page, `${portal} >>> sakura-scheduling-link-page >>> :is(#slots-heading, .error)`);
    },
  },
  {
    name: "message templates, preview",
    hash: "#/templates",
    ready: [`${portal} >>> sakura-template-settings >>> [data-preview-state="rendered"]`],
  },
  {
    name: "message templates, a wrong tag",
    hash: "#/templates",
    ready: [`${portal} >>> sakura-template-settings >>> [data-preview-state="rendered"]`],
    act: async (page) => {
      await page.type(`${portal} >>> sakura-template-settings >>> textarea[name="body"]`, "{{zoom_ur}}");
      await waitForDeep(page, `${portal} >>> sakura-template-settings >>> [data-preview-state="failed"]`);
    },
  },
  {
    name: "integrations",
    hash: "#/integrations",
    ready: [
      `${portal} >>> integration-accounts >>> [data-card] [data-primary]`,
      // Not loading: neither the first answer's outline nor a new answer's busy list.
      `${portal} >>> zoom-host-picker >>> .body[aria-busy="false"]:not(:has([part~="skeleton"]))`,
      ...settingsReady,
    ],
  },
  {
    name: "integrations, working hours that end before they start",
    hash: "#/integrations",
    ready: settingsReady,
    act: async (page) => {
      const form = `${hoursPanel} >>> form[data-scope="organisation"]`;
      await page.click(`${form} input[name="end"]`, { count: 3 });
      await page.type(`${form} input[name="end"]`, "08:00");
      await page.click(`${form} button[type="submit"]`);
      await waitForDeep(page, `${hoursPanel} >>> .error[role="alert"]`);
    },
  },
];

/** A recruiter sees the organisation's settings without changing them, and edits their own hours. */
const recruiterPages = [{ name: "integrations, the settings", hash: "#/integrations", ready: settingsReady }];

/** Where a recruiter books, a guest finds the reason they cannot instead. */
const guestPages = [
  {
    name: "candidate",
    hash: "#/candidates/c-101",
    ready: [`${portal} >>> sakura-candidate-page >>> [data-guest-note]`],
  },
  {
    name: "interviews",
    hash: "#/interviews",
    ready: [`${portal} >>> sakura-interview-list >>> section:has(.load[aria-busy="false"]) [data-guest-note]`],
  },
  {
    name: "scheduling links",
    hash: "#/links",
    ready: [`${portal} >>> sakura-scheduling-link-page >>> [data-guest-note]`],
  },
];

describe("the demo's pages", () => {
  let demo;
  before(async () => {
    demo = await startDemoInChromium("demo-axe");
  });
  after(async () => {
    await demo?.stop();
  });

  /** Opens the page as `user`, waits until it is ready in `language` and nothing is on the way, then asks axe. */
  async function audit(user, { hash, ready, act }) {
    const found = {};
    const page = await demo.browser.newPage();
    try {
      // A page of its own each time: the portal starts in the user's language (Japanese).
      await page.evaluateOnNewDocument((id) => localStorage.setItem("sakura-recruit.user", id), user);
      await page.goto(`${demo.portalUrl}/${hash}`);
      await page.addScriptTag({ path: axePath });
      for (const language of ["ja", "en"]) {
        if (language === "en")
          // The header's language button, as a person presses it.
          await page.click(`${portal} >>> header button[lang]`);
        await page.waitForFunction((lang) => document.documentElement.lang === lang, {}, language);
        for (const selector of ready) await waitForDeep(page, selector, 30_000);
        if (act) await act(page);
        await page.waitForNetworkIdle({ idleTime: 300, timeout: 30_000 });
        found[language] = await axeViolations(page);
      }
    } finally {
      await page.close();
    }
    return found;
  }

  it("have no axe violations for the admin, in Japanese and in English", { timeout: 300_000 }, async () => {
    const found = {};
    for (const page of pages) found[page.name] = await audit("hanako", page);
    assert.deepEqual(found, Object.fromEntries(pages.map(({ name }) => [name, { ja: [], en: [] }])));
  });

  it("have no axe violations for a recruiter, who edits only their own hours", { timeout: 120_000 }, async () => {
    const found = {};
    for (const page of recruiterPages) found[page.name] = await audit("ken", page);
    assert.deepEqual(found, Object.fromEntries(recruiterPages.map(({ name }) => [name, { ja: [], en: [] }])));
  });

  it("have no axe violations for a guest, who finds no booking action", { timeout: 180_000 }, async () => {
    const found = {};
    for (const page of guestPages) found[page.name] = await audit("ren", page);
    assert.deepEqual(found, Object.fromEntries(guestPages.map(({ name }) => [name, { ja: [], en: [] }])));
  });

  it("fit a phone 375 pixels wide: no page wider than the screen, no menu entry or row label broken", {
    timeout: 300_000,
  }, async () => {
    const found = {};
    for (const { name, hash, ready } of pages.filter((page) => !page.act)) {
      const page = await demo.browser.newPage();
      try {
        await page.setViewport({ width: 375, height: 800 });
        await page.evaluateOnNewDocument(() => localStorage.setItem("sakura-recruit.user", "hanako"));
        await page.goto(`${demo.portalUrl}/${hash}`);
        for (const language of ["ja", "en"]) {
          if (language === "en") await page.click(`${portal} >>> header button[lang]`);
          await page.waitForFunction((lang) => document.documentElement.lang === lang, {}, language);
          for (const selector of ready) await waitForDeep(page, selector, 30_000);
          await page.waitForNetworkIdle({ idleTime: 300, timeout: 30_000 });
          found[`${name}, ${language}`] = await page.evaluate(() => {
            /** How many lines an element's text takes: a squeezed 候補者 stands one character a line. */
            const lines = (element) => {
              const range = document.createRange();
              range.selectNodeContents(element);
              return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
            };
            const portalRoot = document.querySelector("sakura-portal").shadowRoot;
            const pageRoots = [...portalRoot.querySelectorAll("main > *")].map((page) => page.shadowRoot ?? page);
            const broken = [
              ...portalRoot.querySelectorAll("nav a"),
              ...pageRoots.flatMap((root) => [...root.querySelectorAll('th[scope="row"]')]),
            ].filter((element) => lines(element) > 1);
            return {
              widerThanScreen: document.documentElement.scrollWidth > window.innerWidth,
              broken: broken.map((element) => element.textContent.trim()),
            };
          });
        }
      } finally {
        await page.close();
      }
    }
    const fits = { widerThanScreen: false, broken: [] };
    assert.deepEqual(found, Object.fromEntries(Object.keys(found).map((key) => [key, fits])));
  });

  it("says the template preview is updating where it is heard, and stops once it is shown, moved page and all", {
    timeout: 120_000,
  }, async () => {
    const page = await demo.browser.newPage();
    try {
      await page.evaluateOnNewDocument(() => localStorage.setItem("sakura-recruit.user", "hanako"));
      // Each render answers 1.5 s late, so the preview is seen while it updates.
      await page.setRequestInterception(true);
      page.on("request", (request) => {
        const late = request.method() === "POST" && request.url().endsWith("/v1/templates/render");
        setTimeout(() => request.continue().catch(() => undefined), late ? 1500 : 0);
      });
      await page.goto(`${demo.portalUrl}/#/templates`);
      const settings = `${portal} >>> sakura-template-settings`;
      await waitForDeep(page, `${settings} >>> [data-preview-state="rendered"]`, 30_000);
      /** The preview's live regions with their words, and whether each sits in something busy (held back). */
      const preview = () =>
        page.evaluate(() => {
          const root = document.querySelector("sakura-portal").shadowRoot.querySelector("sakura-template-settings");
          const section = root.shadowRoot.querySelector("[data-preview-state]");
          return {
            state: section.dataset.previewState,
            live: [...section.querySelectorAll('[role="status"], [role="alert"], [aria-live]')].map((region) => ({
              text: region.textContent.trim(),
              held: region.closest('[aria-busy="true"]') !== null,
            })),
          };
        });
      await page.type(`${settings} >>> textarea[name="body"]`, "。");
      await waitForDeep(page, `${settings} >>> [data-preview-state="rendering"]`, 5_000);
      assert.deepEqual((await preview()).live, [{ text: "プレビューを更新しています…", held: false }]);
      // The portal moves the page while the render is on its way: it leaves the page and comes back.
      await page.evaluate(() => {
        const root = document.querySelector("sakura-portal").shadowRoot.querySelector("sakura-template-settings");
        root.parentNode.insertBefore(root, root.nextSibling);
      });
      await waitForDeep(page, `${settings} >>> [data-preview-state="rendered"] [data-preview-body]`, 10_000);
      assert.deepEqual(await preview(), { state: "rendered", live: [{ text: "", held: false }] });
    } finally {
      await page.close();
    }
  });
});
