// The demo as a newcomer opens it, checked by axe: every page (integrations,
// interviews), in Japanese and in English after pressing the language button,
// with the <integration-accounts> cards, the <zoom-host-picker> candidates and
// the <schedule-interview> free times loaded from the real server. Zero
// violations. Chromium is Debian's; puppeteer-core and axe-core are the ones
// the widget tests already use (@web/test-runner-chrome, @open-wc/testing).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { freePorts, startLauncher, waitFor } from "./demo-harness.mjs";

const widgets = createRequire(new URL("../packages/widgets/package.json", import.meta.url));
const puppeteer = createRequire(widgets.resolve("@web/test-runner-chrome"))("puppeteer-core");
const axePath = createRequire(createRequire(widgets.resolve("@open-wc/testing")).resolve("chai-a11y-axe")).resolve(
  "axe-core/axe.min.js",
);

/** Waits until the page's <integration-accounts> (when the page has one) shows its cards in `language`. */
async function pageSettled(page, language) {
  await page.waitForFunction(
    (lang) => {
      const portal = document.querySelector("sakura-portal")?.shadowRoot;
      if (!portal || document.documentElement.lang !== lang) return false;
      // The interviews page's <zoom-host-picker>: its candidates (or its failure) are in.
      const picker = portal.querySelector("zoom-host-picker");
      if (picker && picker.shadowRoot?.querySelector('[part~="base"]')?.getAttribute("aria-busy") !== "false")
        return false;
      // The candidate page's <schedule-interview>: its free times (or their failure) and the accounts are in.
      const scheduler = portal.querySelector("sakura-candidate-page")?.shadowRoot?.querySelector("schedule-interview");
      const week = scheduler?.shadowRoot?.querySelector(".week-scroll");
      if (scheduler && week?.getAttribute("aria-busy") !== "false") return false;
      const accounts = portal.querySelector("integration-accounts");
      if (!accounts) return true;
      const root = accounts.shadowRoot;
      return Boolean(root?.querySelector("[data-card]")) && !root.querySelector('[part="loading"]');
    },
    { timeout: 30_000 },
    language,
  );
}

async function violations(page) {
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((violation) => ({
      id: violation.id,
      nodes: violation.nodes.map((node) => node.target.join(" ")),
    }));
  });
}

describe("the demo page", () => {
  it("has no axe violations on any page, in Japanese and in English", { timeout: 180_000 }, async () => {
    const ports = await freePorts();
    const dataDir = mkdtempSync(join(tmpdir(), "tsunagu-demo-axe-"));
    const demo = startLauncher(ports, dataDir);
    let browser;
    try {
      await waitFor(
        () => demo.output().includes("Demo ready"),
        90_000,
        () => `the demo to start:\n${demo.output()}`,
      );
      browser = await puppeteer.launch({
        executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
        headless: true,
        args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
      });
      const found = {};
      for (const hash of ["#/integrations", "#/interviews"]) {
        // A page of its own each time: the portal starts in the user's language (Japanese).
        const page = await browser.newPage();
        await page.goto(`http://localhost:${ports.demo}/${hash}`);
        await page.addScriptTag({ path: axePath });
        await pageSettled(page, "ja");
        found[`${hash} ja`] = await violations(page);
        // The header's language button, as a person presses it.
        await page.evaluate(() =>
          document.querySelector("sakura-portal").shadowRoot.querySelector("header button[lang]").click(),
        );
        await pageSettled(page, "en");
        found[`${hash} en`] = await violations(page);
        await page.close();
      }
      assert.deepEqual(found, {
        "#/integrations ja": [],
        "#/integrations en": [],
        "#/interviews ja": [],
        "#/interviews en": [],
      });
    } finally {
      await browser?.close();
      try {
        process.kill(-demo.child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      await demo.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
