/**
 * The terms of the steps after the first screen (the unlink dialog, linking under way, the toasts after them) are a
 * chunk of each language's own: the cards show without it, and the dialog fetches it and opens whole. (This file
 * runs in a page of its own, so what was fetched is this file's doing alone.)
 */
import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { seedFakeTenant } from "../test-support/fake-accounts.ts";
import { fakeServer } from "../test-support/fake-host-token.ts";
import { settled, texts } from "../test-support/integration-accounts.ts";
import type { IntegrationAccounts } from "./integration-accounts.ts";
import "./define.ts";
import { fetchedTables } from "../test-support/locale-fetches.ts";

describe("<integration-accounts> later steps' terms", () => {
  it("shows the cards without them, and fetches them for the unlink dialog, which opens whole", async () => {
    const tenant = await seedFakeTenant({
      connections: [{ provider: "slack", externalId: "T0SAKURA01", displayName: "Sakura Recruit" }],
      accounts: [{ id: "acc-slack", provider: "slack", displayName: "佐藤 健", externalAccountId: "T0SAKURA01" }],
    });
    const el = await fixture<IntegrationAccounts>(
      html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="ja"></integration-accounts>`,
    );
    await settled(el);
    expect(fetchedTables()).to.deep.equal(["ja.ts"]);

    const buttons = el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[data-account="acc-slack"] button');
    buttons[buttons.length - 1]!.click();
    const dialog = el.shadowRoot!.querySelector("dialog")!;
    await waitUntil(() => dialog.open, "the dialog did not open");
    expect(dialog.querySelector(`#${dialog.getAttribute("aria-labelledby")}`)?.textContent).to.equal(
      "Slack アカウントの連携を解除しますか？",
    );
    expect(texts(dialog, '[part="impact"] li')).to.have.length(2);
    expect(fetchedTables()).to.deep.equal(["ja.ts", "ja-later.ts"]);
  });
});
