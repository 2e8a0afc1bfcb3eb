import { expect, fixture, html, oneEvent, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import type { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import type { TsunaguUnlinkRequestEvent } from "../events/tsunagu-unlink-request.ts";
import type { TsunaguUnlinkedEvent } from "../events/tsunagu-unlinked.ts";
import { type FakeTenant, seedFakeTenant, type TenantSeed } from "../test-support/fake-accounts.ts";
import { fakeServer } from "../test-support/fake-host-token.ts";
import { card, has, settled, texts, toasts } from "../test-support/integration-accounts.ts";
import type { IntegrationAccounts } from "./integration-accounts.ts";
import "./define.ts";

const seed: TenantSeed = {
  connections: [
    { provider: "slack", externalId: "T0SAKURA01", displayName: "Sakura Recruit" },
    { provider: "google", externalId: "sakura-recruit.example", displayName: "sakura-recruit.example" },
    { provider: "microsoft", externalId: "6f1c2a9e", displayName: "Sakura Recruit Inc." },
    { provider: "zoom", externalId: "zAcSakura0001", displayName: "Zoom zAcSakura0001" },
  ],
  accounts: [
    {
      id: "acc-slack",
      provider: "slack",
      displayName: "佐藤 健",
      email: "ken.sato@sakura-recruit.example",
      externalAccountId: "T0SAKURA01",
      isDefault: true,
    },
    {
      id: "acc-outlook",
      provider: "microsoft",
      displayName: "Ken Sato",
      email: "ken.sato@sakura-recruit.example",
      externalAccountId: "6f1c2a9e",
      isDefault: true,
    },
    {
      id: "acc-zoom-ken",
      provider: "zoom",
      displayName: "Ken Sato",
      email: "ken.sato@sakura-recruit.example",
      isDefault: true,
    },
    {
      id: "acc-zoom-recruiting",
      provider: "zoom",
      displayName: "Recruiting Interviews",
      email: "recruiting@sakura-recruit.example",
    },
  ],
};

async function mount(
  tenant: FakeTenant,
  options: { role?: string; locale?: string } = {},
): Promise<IntegrationAccounts> {
  const el = await fixture<IntegrationAccounts>(
    html`<integration-accounts server=${fakeServer} token=${tenant.token(
      options.role ? { role: options.role } : {},
    )} locale=${options.locale ?? "en"}></integration-accounts>`,
  );
  await settled(el);
  return el;
}

function unlinkButton(el: IntegrationAccounts, accountId: string): HTMLButtonElement {
  const buttons = el.shadowRoot!.querySelectorAll<HTMLButtonElement>(`[data-account="${accountId}"] button`);
  return buttons[buttons.length - 1]!;
}

function dialog(el: IntegrationAccounts): HTMLDialogElement {
  return el.shadowRoot!.querySelector("dialog")!;
}

/** The focused element's text and attributes, as a string (never the element itself: see `has`). */
function focused(el: IntegrationAccounts): string {
  const active = el.shadowRoot!.activeElement;
  if (!active) return "nothing";
  return [
    active.tagName.toLowerCase(),
    active.getAttribute("data-account") ?? "",
    active.getAttribute("aria-label") ?? active.textContent?.replace(/\s+/g, " ").trim(),
  ].join("|");
}

async function openDialog(el: IntegrationAccounts, accountId: string): Promise<void> {
  unlinkButton(el, accountId).click();
  await el.updateComplete;
  await waitUntil(() => dialog(el).open, "the dialog did not open");
}

describe("<integration-accounts> unlinking", () => {
  describe("the confirmation dialog", () => {
    it("says what stops working for a Slack account, and starts on Cancel", async () => {
      const el = await mount(await seedFakeTenant(seed));
      await openDialog(el, "acc-slack");
      const box = dialog(el);
      expect(box.matches(":modal")).to.equal(true);
      expect(box.querySelector(`#${box.getAttribute("aria-labelledby")}`)?.textContent).to.equal(
        "Unlink this Slack account?",
      );
      expect(texts(box, '[part="impact"] li')).to.deep.equal([
        "Interview notifications by Slack direct message stop reaching this account.",
        "Sign in with Slack stops working for this account.",
      ]);
      expect(box.querySelector(`#${box.getAttribute("aria-describedby")}`)?.textContent).to.contain(
        "佐藤 健 (ken.sato@sakura-recruit.example)",
      );
      expect(focused(el)).to.equal("button||Cancel");
      await expect(el).to.be.accessible();
    });

    it("names calendar events and free/busy for Outlook, and says Microsoft keeps its grant", async () => {
      const el = await mount(await seedFakeTenant(seed), { locale: "ja" });
      await openDialog(el, "acc-outlook");
      expect(texts(dialog(el), '[part="impact"] li')).to.deep.equal([
        "面接の予定がこのアカウントの Outlook カレンダーに登録されなくなります。",
        "日程調整でこのアカウントの Outlook カレンダーの予定を確認できなくなります。",
      ]);
      expect(dialog(el).textContent).to.contain("Microsoft 側の許可は取り消されません。");
    });

    it("labels what goes with the language's own colon", async () => {
      const tenant = await seedFakeTenant({ ...seed, role: "admin" });
      const el = await mount(tenant, { locale: "ja", role: "admin" });
      await openDialog(el, "acc-zoom-ken");
      expect(texts(dialog(el), ".subject")).to.deep.equal(["Zoom：Ken Sato (ken.sato@sakura-recruit.example)"]);
      dialog(el).querySelector<HTMLButtonElement>("[data-dialog-cancel]")!.click();
      await waitUntil(() => !has(dialog(el), ".subject"), "the dialog kept its content");
      card(el, "organization:slack").querySelector<HTMLButtonElement>("[part~='danger-button']")!.click();
      await waitUntil(() => dialog(el).open, "the dialog did not open");
      expect(texts(dialog(el), ".subject")).to.deep.equal(["Slack ワークスペース：Sakura Recruit"]);
      await el.updateComplete;
      el.locale = "en";
      await el.updateComplete;
      expect(texts(dialog(el), ".subject")).to.deep.equal(["Slack workspace: Sakura Recruit"]);
    });

    it("names meeting URLs for Zoom, and says the default moves on", async () => {
      const el = await mount(await seedFakeTenant(seed));
      await openDialog(el, "acc-zoom-ken");
      expect(texts(dialog(el), '[part="impact"] li')).to.deep.equal([
        "Interviews can no longer get a Zoom meeting URL hosted by this Zoom user.",
      ]);
      expect(dialog(el).textContent).to.contain(
        "This is your default account; Recruiting Interviews becomes the default.",
      );
    });

    it("unlinks on confirmation, announces it, moves the focus to the card and tells the page", async () => {
      const tenant = await seedFakeTenant(seed);
      const el = await mount(tenant);
      await openDialog(el, "acc-zoom-ken");
      const unlinked = oneEvent(el, "tsunagu-unlinked") as Promise<TsunaguUnlinkedEvent>;
      dialog(el).querySelector<HTMLButtonElement>("[data-dialog-confirm]")!.click();
      expect((await unlinked).detail).to.deep.equal({ provider: "zoom", kind: "personal", id: "acc-zoom-ken" });
      await el.updateComplete;
      expect(dialog(el).open).to.equal(false);
      expect(toasts(el)).to.deep.equal(["Unlinked the Zoom user Ken Sato."]);
      expect(texts(card(el, "personal:zoom"), '[part="account-name"]')).to.deep.equal(["Recruiting Interviews"]);
      expect(texts(card(el, "personal:zoom"), '[part~="badge"]')).to.deep.equal(["Connected", "Default"]);
      expect(focused(el)).to.equal("button||Link another Zoom user");
      expect((await tenant.requests()).map((request) => request.route)).to.include("DELETE /v1/accounts/acc-zoom-ken");
    });

    it("adds what the provider kept when it could not revoke the grant", async () => {
      const el = await mount(await seedFakeTenant(seed));
      await openDialog(el, "acc-outlook");
      const unlinked = oneEvent(el, "tsunagu-unlinked");
      dialog(el).querySelector<HTMLButtonElement>("[data-dialog-confirm]")!.click();
      await unlinked;
      await el.updateComplete;
      expect(texts(el.shadowRoot!, '.toasts [role="status"] [part="toast"] p')).to.deep.equal([
        "Unlinked the Microsoft 365 account Ken Sato.",
        "Microsoft offers no way to revoke the grant, so Tsunagu deleted the tokens it kept; any copy left expires " +
          "on its own.",
      ]);
    });

    it("keeps the dialog open with the refusal, and lists the meetings a Zoom user still hosts", async () => {
      const tenant = await seedFakeTenant({
        ...seed,
        failures: {
          "DELETE /v1/accounts/acc-zoom-recruiting": {
            status: 409,
            code: "zoom_user_hosts_meetings",
            message: "The Zoom user recruiting@sakura-recruit.example hosts 2 upcoming meeting(s).",
            details: {
              zoomUserId: "zU_recruiting",
              meetings: [
                { id: "81234567890", topic: "一次面接: 田中 一郎", start: "2025-12-01T01:00:00Z" },
                { id: "81234567891", topic: null, start: "2025-12-02T05:30:00Z" },
              ],
            },
          },
        },
      });
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="ja"
          time-zone="Asia/Tokyo"></integration-accounts>`,
      );
      await settled(el);
      await openDialog(el, "acc-zoom-recruiting");
      const reported = oneEvent(el, "tsunagu-error") as Promise<TsunaguErrorEvent>;
      dialog(el).querySelector<HTMLButtonElement>("[data-dialog-confirm]")!.click();
      expect((await reported).detail.error.code).to.equal("zoom_user_hosts_meetings");
      await el.updateComplete;
      expect(dialog(el).open).to.equal(true);
      const alert = dialog(el).querySelector('[role="alert"]')!;
      expect(texts(alert, "p")[0]).to.equal(
        "この Zoom ユーザーは今後のミーティングの主催者になっているため、連携を解除できません。先にそれらのミーティングの主催者を別の Zoom ユーザーに変更してから、解除してください。",
      );
      expect(texts(alert, '[part="meetings"] li')).to.deep.equal([
        "2025年12月1日（月）10:00 一次面接: 田中 一郎",
        "2025年12月2日（火）14:30 （件名なし）",
      ]);
      expect(texts(card(el, "personal:zoom"), '[part="account-name"]')).to.deep.equal([
        "Ken Sato",
        "Recruiting Interviews",
      ]);
      await expect(el).to.be.accessible();
    });

    it("drops the refusal saying to reload once the page renews the refused token; confirming unlinks", async () => {
      const tenant = await seedFakeTenant({
        ...seed,
        failures: { "DELETE /v1/accounts/acc-slack": { status: 401, code: "token_expired", message: "Expired." } },
      });
      const el = await mount(tenant, { locale: "ja" });
      let renew: () => void = () => undefined;
      // The portal asks its backend for a fresh token: it arrives after the refusal is shown.
      el.addEventListener("tsunagu-token-expired", () => (renew = () => (el.token = tenant.token({ jti: "renewed" }))));
      await openDialog(el, "acc-slack");
      dialog(el).querySelector<HTMLButtonElement>("[data-dialog-confirm]")!.click();
      await waitUntil(() => dialog(el).querySelector('[role="alert"]'), "no refusal in the dialog", { timeout: 5000 });
      expect(texts(dialog(el), '[role="alert"] p')).to.deep.equal([
        "セッションの有効期限が切れました。ページを再読み込みしてください。",
      ]);
      renew();
      await el.updateComplete;
      // Reloading is not needed: the dialog stays, without the refusal, and confirming again unlinks.
      expect(texts(dialog(el), '[role="alert"] p')).to.deep.equal([]);
      expect(dialog(el).open).to.equal(true);
      await expect(el).to.be.accessible();
      const unlinked = oneEvent(el, "tsunagu-unlinked") as Promise<TsunaguUnlinkedEvent>;
      dialog(el).querySelector<HTMLButtonElement>("[data-dialog-confirm]")!.click();
      expect((await unlinked).detail.id).to.equal("acc-slack");
    });

    it("cancels without a request and gives the focus back to the unlink button", async () => {
      const tenant = await seedFakeTenant(seed);
      const el = await mount(tenant);
      unlinkButton(el, "acc-slack").focus();
      await openDialog(el, "acc-slack");
      dialog(el).querySelector<HTMLButtonElement>("[data-dialog-cancel]")!.click();
      await el.updateComplete;
      expect(dialog(el).open).to.equal(false);
      expect(focused(el)).to.equal("button||Unlink: Slack 佐藤 健 (ken.sato@sakura-recruit.example)");
      expect((await tenant.requests()).some((request) => request.route.startsWith("DELETE"))).to.equal(false);
    });

    it("shows the next dialog whole when it opens in the same task as the last one closed", async () => {
      const el = await mount(await seedFakeTenant(seed), { locale: "ja" });
      await openDialog(el, "acc-zoom-ken");
      // Cancel, then at once another account's Unlink: the first dialog's close is told after the second opened.
      dialog(el).querySelector<HTMLButtonElement>("[data-dialog-cancel]")!.click();
      unlinkButton(el, "acc-zoom-recruiting").click();
      await waitUntil(() => dialog(el).open, "the dialog did not open");
      await new Promise((resolve) => setTimeout(resolve, 50));
      await el.updateComplete;
      expect(texts(dialog(el), ".subject")).to.deep.equal([
        "Zoom：Recruiting Interviews (recruiting@sakura-recruit.example)",
      ]);
      await sendKeys({ press: "Escape" });
      await waitUntil(
        () => focused(el) === "button||連携を解除：Zoom Recruiting Interviews (recruiting@sakura-recruit.example)",
        "Escape did not give the focus back to the button that opened the second dialog",
      );
    });
  });

  describe("the unlink request event", () => {
    it("asks the page first, with what is about to go", async () => {
      const el = await mount(await seedFakeTenant(seed));
      const request = oneEvent(el, "tsunagu-unlink-request") as Promise<TsunaguUnlinkRequestEvent>;
      unlinkButton(el, "acc-slack").click();
      const event = await request;
      expect(event.cancelable).to.equal(true);
      expect(event.detail).to.deep.equal({
        provider: "slack",
        kind: "personal",
        id: "acc-slack",
        displayName: "佐藤 健",
      });
    });

    it("does nothing when the page vetoes it", async () => {
      const tenant = await seedFakeTenant(seed);
      const el = await mount(tenant);
      el.addEventListener("tsunagu-unlink-request", (event) => event.preventDefault());
      unlinkButton(el, "acc-slack").click();
      await el.updateComplete;
      expect(dialog(el).open).to.equal(false);
      expect((await tenant.requests()).some((request) => request.route.startsWith("DELETE"))).to.equal(false);
    });
  });

  describe("disconnecting the organisation", () => {
    it(
      "says what stops working for everyone, disconnects, and " + "counts the accounts that need linking again",
      async () => {
        const tenant = await seedFakeTenant(seed);
        const el = await mount(tenant, { role: "admin" });
        const request = oneEvent(el, "tsunagu-unlink-request") as Promise<TsunaguUnlinkRequestEvent>;
        card(el, "organization:zoom").querySelector<HTMLButtonElement>('button[part~="danger-button"]')!.click();
        expect((await request).detail).to.include({ provider: "zoom", kind: "organization" });
        await waitUntil(() => dialog(el).open, "the dialog did not open");
        expect(texts(dialog(el), "h2")).to.deep.equal(["Disconnect the Zoom account?"]);
        expect(texts(dialog(el), '[part="impact"] li')).to.deep.equal([
          "New interviews get no Zoom meeting URL, and Zoom hosts are no longer picked.",
          "Nobody can link a Zoom user until the organisation connects again, and linked accounts need linking " +
            "again.",
        ]);
        const unlinked = oneEvent(el, "tsunagu-unlinked") as Promise<TsunaguUnlinkedEvent>;
        dialog(el).querySelector<HTMLButtonElement>("[data-dialog-confirm]")!.click();
        expect((await unlinked).detail).to.include({ provider: "zoom", kind: "organization" });
        await el.updateComplete;
        expect(toasts(el)).to.deep.equal([
          "Disconnected the Zoom account Zoom zAcSakura0001. 2 accounts now need linking again.",
        ]);
        expect(texts(card(el, "organization:zoom"), "button")).to.deep.equal(["Connect the Zoom account"]);
        expect(focused(el)).to.equal("button||Connect the Zoom account");
        expect(texts(card(el, "personal:zoom"), '[part~="status-badge"]')).to.deep.equal([
          "Needs reconnecting",
          "Needs reconnecting",
        ]);
        expect(texts(card(el, "personal:zoom"), '[part="status-reason"]')[0]).to.equal(
          "Your organisation was disconnected. Link the account again once an administrator has reconnected it.",
        );
      },
    );
  });

  describe("keyboard", () => {
    it("opens the dialog with Enter, keeps Tab inside it, and closes it with Escape back on the button", async () => {
      const el = await mount(await seedFakeTenant(seed));
      unlinkButton(el, "acc-slack").focus();
      await sendKeys({ press: "Enter" });
      await waitUntil(() => dialog(el).open, "Enter did not open the dialog");
      expect(focused(el)).to.equal("button||Cancel");
      await sendKeys({ press: "Tab" });
      expect(focused(el)).to.equal("button||Unlink");
      await sendKeys({ press: "Escape" });
      await el.updateComplete;
      expect(dialog(el).open).to.equal(false);
      expect(focused(el)).to.equal("button||Unlink: Slack 佐藤 健 (ken.sato@sakura-recruit.example)");
    });

    /** Mounts the element and unlinks the Slack account with the keyboard alone (Space, Tab to Unlink, Enter). */
    async function unlinkSlackByKeyboard(): Promise<IntegrationAccounts> {
      const el = await mount(await seedFakeTenant(seed));
      unlinkButton(el, "acc-slack").focus();
      await sendKeys({ press: "Space" });
      await waitUntil(() => dialog(el).open, "Space did not open the dialog");
      await sendKeys({ press: "Tab" });
      const unlinked = oneEvent(el, "tsunagu-unlinked");
      await sendKeys({ press: "Enter" });
      await unlinked;
      await el.updateComplete;
      return el;
    }

    it("confirms with the keyboard alone", async () => {
      const el = await unlinkSlackByKeyboard();
      expect(has(el.shadowRoot!, '[data-account="acc-slack"]')).to.equal(false);
      expect(focused(el)).to.equal("button||Link a Slack account");
    });

    it("gives the focus back to the control it came from when the toast is dismissed from the keyboard", async () => {
      const el = await unlinkSlackByKeyboard();
      expect(toasts(el)).to.deep.equal(["Unlinked the Slack account 佐藤 健."]);
      // The toasts come after the cards: a Tab from the last card's last button reaches the toast's ×.
      const last = [...el.shadowRoot!.querySelectorAll<HTMLElement>("[data-card] button")].at(-1)!;
      last.focus();
      const before = focused(el);
      await sendKeys({ press: "Tab" });
      expect(focused(el)).to.equal("button||Dismiss notification");
      await sendKeys({ press: "Enter" });
      await el.updateComplete;
      expect(toasts(el)).to.deep.equal([]);
      expect(focused(el)).to.equal(before);
    });

    it("reaches every action of a card with Tab, in reading order", async () => {
      const el = await mount(await seedFakeTenant(seed));
      const zoom = card(el, "personal:zoom");
      zoom.querySelector<HTMLElement>('[part="card-heading"]')!.focus();
      const visited: string[] = [];
      for (let step = 0; step < 4; step++) {
        await sendKeys({ press: "Tab" });
        visited.push(focused(el));
      }
      expect(visited).to.deep.equal([
        "button||Unlink: Zoom Ken Sato (ken.sato@sakura-recruit.example)",
        "button||Make default: Zoom Recruiting Interviews (recruiting@sakura-recruit.example)",
        "button||Unlink: Zoom Recruiting Interviews (recruiting@sakura-recruit.example)",
        "button||Link another Zoom user",
      ]);
    });
  });
});
