/**
 * The candidate's page in Debian's Chromium (or CHROME_PATH), driven by the puppeteer-core the widget tests already
 * use, over loopback: what a browser does that a plain request does not, its zone script and its back button.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveApp } from "../support/test-app.ts";
import { useSchedulingLinks } from "./support.ts";

const widgets = createRequire(new URL("../../../widgets/package.json", import.meta.url));
const puppeteer = createRequire(widgets.resolve("@web/test-runner-chrome"))("puppeteer-core");

const rig = useSchedulingLinks();
let browser: any;
let served: { baseUrl: string; close(): Promise<void> } | undefined;

beforeAll(async () => {
  served = await serveApp(rig.t.app);
  browser = await puppeteer.launch({
    executablePath: process.env.CHROME_PATH || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await served?.close();
});

// Run in the page (as text: this package's TypeScript has no DOM types).
/** The page's own text, without the zone list of its settings. */
const mainText = `(() => {
  const main = document.querySelector("main").cloneNode(true);
  main.querySelector("nav").remove();
  return main.innerText;
})()`;
const bookedShown = `document.querySelector("h1")?.textContent === "Your interview is booked"`;

describe("the page in Chromium", () => {
  it("shows the booked interview, not the choices of before, when the back button brings the page back", async () => {
    const slots = rig.takeSlots(2);
    const candidate = { name: "John Smith", email: "john@candidate.example", language: "en" };
    const { path } = await rig.offer(slots, { candidate });
    const page = await browser.newPage();
    await page.emulateTimezone("America/New_York");
    await page.goto(`${served?.baseUrl}${path}`, { waitUntil: "networkidle0" });
    // The script moved the page to the browser's zone.
    expect(new URL(page.url()).searchParams.get("tz")).toBe("America/New_York");
    expect(await page.evaluate(mainText)).toContain("John Smith, please choose one time that suits you.");

    const booked = page.waitForNavigation({ waitUntil: "networkidle0" });
    await page.click(`button[data-slot="${slots[0]?.start}"]`, { clickCount: 2 });
    await booked;
    await page.waitForFunction(bookedShown);
    expect((await rig.zoomMeetings()).filter((meeting) => meeting.start === slots[0]?.start)).toHaveLength(1);

    // Chromium keeps even a no-store page in its back/forward cache: the page of choices came back as it was, every
    // slot offered again, the booked one included. The script asks for it anew.
    await page.goBack();
    await page.waitForFunction(bookedShown, { timeout: 10_000 });
    expect(await page.evaluate(`document.querySelectorAll("button[data-slot]").length`)).toBe(0);
    await page.close();
  }, 60_000);
});
