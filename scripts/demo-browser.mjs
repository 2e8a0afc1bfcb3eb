/**
 * The demo in Chromium, for the axe audit and the end-to-end test: the
 * launcher started on free ports, Debian's Chromium driven by the
 * puppeteer-core and axe-core the widget tests already use
 * (@web/test-runner-chrome, @open-wc/testing), and the portal's pages reached
 * through shadow roots with puppeteer's `>>>` selectors.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts, startLauncher, waitFor } from "./demo-harness.mjs";

const widgets = createRequire(new URL("../packages/widgets/package.json", import.meta.url));
export const puppeteer = createRequire(widgets.resolve("@web/test-runner-chrome"))("puppeteer-core");
export const axePath = createRequire(
  createRequire(widgets.resolve("@open-wc/testing")).resolve("chai-a11y-axe"),
).resolve("axe-core/axe.min.js");

/**
 * `pnpm demo` on free ports with a fresh data directory, and a headless
 * Chromium; `stop()` ends both and removes the data.
 */
export async function startDemoInChromium(name) {
  const ports = await freePorts();
  const dataDir = mkdtempSync(join(tmpdir(), `tsunagu-${name}-`));
  const demo = startLauncher(ports, dataDir);
  let browser;
  const stop = async () => {
    await browser?.close();
    try {
      process.kill(-demo.child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
    await demo.exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
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
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    browser,
    ports,
    portalUrl: `http://localhost:${ports.demo}`,
    serverUrl: `http://localhost:${ports.server}`,
    output: demo.output,
    stop,
  };
}

/** axe's violations on the whole page, shadow roots included, as `{id, nodes}`. */
export async function axeViolations(page) {
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((violation) => ({
      id: violation.id,
      nodes: violation.nodes.map((node) => node.target.join(" ")),
    }));
  });
}

/**
 * Waits until a `>>>` selector matches, asking again every 250 ms: puppeteer's
 * own waitForSelector watches the document's mutations only, so it misses a
 * change inside a shadow root.
 */
export async function waitForDeep(page, selector, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await page.$(selector);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${selector}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
