/**
 * The terms of the steps after the first screen (the summary, the result, the cancel dialog) are a chunk of each
 * language's own: the form shows without it, and the first step that needs it fetches it and shows whole. (This
 * file runs in a page of its own, so what was fetched is this file's doing alone.)
 */
import { expect, waitUntil } from "@open-wc/testing";
import {
  cellAt,
  mountScheduler,
  press,
  sakuraPeople,
  seedInterviews,
  shadow,
} from "../test-support/fake-interviews.ts";
import "./define.ts";
import "../zoom-host-picker/define.ts";
import { fetchedTables } from "../test-support/locale-fetches.ts";

describe("<schedule-interview> later steps' terms", () => {
  it("shows the form without them, and fetches them for the summary, whose first frame is whole", async () => {
    const el = await mountScheduler(await seedInterviews({ people: sakuraPeople }), { webInterview: true });
    expect(shadow(el).querySelector("#slots-heading")?.textContent).to.equal("空き時間");
    expect(fetchedTables()).to.deep.equal(["ja.ts"]);

    cellAt(el, "2027-01-12T00:00:00Z").click();
    await el.updateComplete;
    await press(el, "review");
    expect(shadow(el).querySelector("#summary-heading")?.textContent).to.equal("内容の確認");
    expect(shadow(el).querySelector("button[data-confirm]")?.textContent?.trim()).to.equal("確定する");
    expect(fetchedTables()).to.deep.equal(["ja.ts", "ja-later.ts"]);
  });

  it("fetches another language's terms only for a candidate who reads it, when their message is written", async () => {
    const candidate = { name: "Jane Doe", email: "jane@example.com", language: "en" } as const;
    const el = await mountScheduler(await seedInterviews({ people: sakuraPeople }), { candidate });
    cellAt(el, "2027-01-12T00:00:00Z").click();
    await el.updateComplete;
    await press(el, "review");
    expect(fetchedTables()).to.deep.equal(["ja.ts", "ja-later.ts"]);
    await press(el, "confirm");
    await waitUntil(() => shadow(el).querySelector('[part~="candidate-message"]'), "no message", { timeout: 10_000 });
    expect(shadow(el).querySelector("#result-heading")?.textContent).to.equal("面接を設定しました");
    expect(shadow(el).querySelector('[part~="candidate-message"]')?.textContent).to.match(/^Dear Jane Doe,/);
    expect(fetchedTables()).to.deep.equal(["ja.ts", "ja-later.ts", "en.ts", "en-later.ts"]);
  });
});
