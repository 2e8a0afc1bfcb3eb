import { expect, fixture, html, oneEvent, waitUntil } from "@open-wc/testing";
import { sendKeys, setViewport } from "@web/test-runner-commands";
import type { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import { fakeServer } from "../test-support/fake-host-token.ts";
import { type FakeTenant, seedFakeTenant, type TenantSeed } from "../test-support/fake-accounts.ts";
import { IntegrationAccounts } from "./integration-accounts.ts";
import "./define.ts";
import { card, has, settled, texts, toasts } from "../test-support/integration-accounts.ts";
import { liveRegionsHeldBusy } from "../test-support/live-regions.ts";

const sakura: TenantSeed = {
  connections: [
    { provider: "slack", externalId: "T0SAKURA01", displayName: "Sakura Recruit" },
    { provider: "google", externalId: "sakura-recruit.example", displayName: "sakura-recruit.example" },
    { provider: "zoom", externalId: "zAcSakura0001", displayName: "Zoom zAcSakura0001" },
  ],
  accounts: [
    {
      provider: "slack",
      displayName: "佐藤 健",
      email: "ken.sato@sakura-recruit.example",
      externalAccountId: "T0SAKURA01",
      isDefault: true,
    },
    {
      provider: "zoom",
      displayName: "Ken Sato",
      email: "ken.sato@sakura-recruit.example",
      externalAccountId: "zAcSakura0001",
      isDefault: true,
    },
    {
      provider: "zoom",
      displayName: "Recruiting Interviews",
      email: "recruiting@sakura-recruit.example",
      externalAccountId: "zAcSakura0001",
      status: "needs_reauth",
      statusReason: "invalid_grant",
    },
  ],
};

async function mount(
  tenant: FakeTenant,
  options: { role?: string; locale?: string; attributes?: Record<string, string> } = {},
): Promise<IntegrationAccounts> {
  const el = await fixture<IntegrationAccounts>(
    html`<integration-accounts server=${fakeServer} token=${tenant.token({
      ...(options.role ? { role: options.role } : {}),
    })} locale=${options.locale ?? "en"}></integration-accounts>`,
  );
  for (const [name, value] of Object.entries(options.attributes ?? {})) el.setAttribute(name, value);
  await settled(el);
  return el;
}

describe("<integration-accounts>", () => {
  describe("registration", () => {
    it("is registered by define.ts under its tag name", () => {
      expect(document.createElement("integration-accounts") instanceof IntegrationAccounts).to.equal(true);
    });
  });

  describe("loading and empty states", () => {
    it("says it is loading until the server answers", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="en"></integration-accounts>`,
      );
      const loading = el.shadowRoot!.querySelector('[part="loading"]');
      expect(loading?.getAttribute("role")).to.equal("status");
      expect(loading?.textContent).to.equal("Loading…");
      // The live region is not inside anything busy, so it is heard; the outline the answer replaces is busy.
      expect(liveRegionsHeldBusy(el)).to.deep.equal([]);
      expect(el.shadowRoot!.querySelector('[part="skeleton"]')?.getAttribute("aria-busy")).to.equal("true");
      await settled(el);
      expect(has(el.shadowRoot!, '[part="loading"]')).to.equal(false);
    });

    it("tells a person with nothing linked how to start, per provider", async () => {
      const tenant = await seedFakeTenant({ connections: sakura.connections });
      const el = await mount(tenant);
      expect(texts(card(el, "personal:google"), '[part="empty"]')).to.deep.equal(["No Google account is linked yet."]);
      expect(texts(card(el, "personal:google"), "button")).to.deep.equal(["Link a Google account"]);
    });

    it("says so when the server offers no provider at all", async () => {
      const tenant = await seedFakeTenant({ providers: [] });
      const el = await mount(tenant);
      expect(texts(el.shadowRoot!, '[part="empty"]')).to.deep.equal(["No integrations are available on this server."]);
      await expect(el).to.be.accessible();
    });

    it("shows a load failure with the reason and a retry that works", async () => {
      const tenant = await seedFakeTenant({
        ...sakura,
        failures: {
          "GET /v1/accounts": { status: 503, code: "database_unavailable", message: "The database does not answer." },
        },
      });
      const errors: TsunaguErrorEvent[] = [];
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="en"
          @tsunagu-error=${(event: TsunaguErrorEvent) => errors.push(event)}></integration-accounts>`,
      );
      await settled(el);
      const failure = el.shadowRoot!.querySelector('[part="error"]')!;
      expect(failure.getAttribute("role")).to.equal("alert");
      expect(failure.textContent).to.contain(
        "Could not load the integrations. The server cannot reach its database right now. Try again in a few seconds.",
      );
      expect(errors.map((event) => event.detail.error.code)).to.deep.equal(["database_unavailable"]);
      await expect(el).to.be.accessible();

      (failure.querySelector("button") as HTMLButtonElement).focus();
      await sendKeys({ press: "Enter" });
      await settled(el);
      expect(has(el.shadowRoot!, `[data-card="personal:slack"]`)).to.equal(true);
      // The retry button went with the failure: the focus is on the first heading, not lost to the page.
      await waitUntil(() => el.shadowRoot!.activeElement?.id === "personal-heading", "the focus was lost");
    });
  });

  describe("sections", () => {
    it("shows an admin the organisation section before the personal one", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await mount(tenant, { role: "admin" });
      expect(texts(el.shadowRoot!, '[part~="section"] > [part="heading"]')).to.deep.equal([
        "Organisation connections",
        "Your accounts",
      ]);
      expect(texts(el.shadowRoot!, '[part~="organization-card"] [part="card-heading"]')).to.deep.equal([
        "Slack workspace",
        "Google Workspace",
        "Microsoft 365 tenant",
        "Zoom account",
      ]);
    });

    it("shows everyone else only their own accounts", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await mount(tenant, { role: "recruiter" });
      expect(has(el.shadowRoot!, '[part~="organization"]')).to.equal(false);
      expect(texts(el.shadowRoot!, '[part~="personal-card"] [part="card-heading"]')).to.deep.equal([
        "Slack",
        "Google",
        "Microsoft 365",
        "Zoom",
      ]);
    });

    it("shows a connection's name, id, status and the admin's actions", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await mount(tenant, { role: "admin" });
      const slack = card(el, "organization:slack");
      expect(texts(slack, '[part="account-name"]')).to.deep.equal(["Sakura Recruit"]);
      expect(slack.textContent).to.contain("T0SAKURA01");
      expect(texts(slack, '[part~="status-badge"]')).to.deep.equal(["Connected"]);
      expect(texts(slack, "button")).to.deep.equal(["Reconnect", "Disconnect"]);
      expect(texts(card(el, "organization:microsoft"), "button")).to.deep.equal(["Connect the Microsoft 365 tenant"]);
    });

    it("tells a member to ask an admin when the organisation has not connected a provider", async () => {
      const tenant = await seedFakeTenant(sakura);
      const member = await mount(tenant);
      expect(texts(card(member, "personal:microsoft"), '[part="notice"]')).to.deep.equal([
        "Your organisation has not connected its Microsoft 365 tenant yet. Ask an administrator to connect it.",
      ]);
      expect(has(card(member, "personal:microsoft"), "button")).to.equal(false);
    });

    it("shows only the providers named in the providers attribute", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="en"
          providers="zoom google"></integration-accounts>`,
      );
      await settled(el);
      expect(texts(el.shadowRoot!, '[part="card-heading"]')).to.deep.equal(["Google", "Zoom"]);
    });

    it("starts its outline at heading-level", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="en"
          heading-level="3"></integration-accounts>`,
      );
      await settled(el);
      expect(el.shadowRoot!.querySelector('[part~="personal"] > [part="heading"]')?.tagName).to.equal("H3");
      expect(card(el, "personal:zoom").querySelector('[part="card-heading"]')?.tagName).to.equal("H4");
    });
  });

  describe("accounts", () => {
    it("lists each account with its name, email, workspace and status", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await mount(tenant);
      const slack = card(el, "personal:slack");
      const row = slack.querySelector('[part="account"]')!;
      expect(texts(row, '[part="account-name"]')).to.deep.equal(["佐藤 健"]);
      expect(row.textContent).to.contain("ken.sato@sakura-recruit.example");
      expect(row.textContent).to.contain("Workspace: Sakura Recruit");
      expect(texts(row, '[part~="badge"]')).to.deep.equal(["Connected", "Default"]);
    });

    it("marks an account that needs linking again, says why, and offers to relink it", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await mount(tenant);
      const [, recruiting] = card(el, "personal:zoom").querySelectorAll('[part="account"]');
      expect(texts(recruiting!, '[part~="status-badge"]')).to.deep.equal(["Needs reconnecting"]);
      expect(has(recruiting!, '[part~="status-needs_reauth"]')).to.equal(true);
      expect(texts(recruiting!, '[part="status-reason"]')).to.deep.equal([
        "The provider refused to renew the connection. Link the account again.",
      ]);
      expect(texts(recruiting!, "button")).to.deep.equal(["Link again", "Unlink"]);
    });

    it("offers to make an active account the default only when there is a choice", async () => {
      const tenant = await seedFakeTenant({
        connections: sakura.connections,
        accounts: [
          { provider: "zoom", displayName: "Ken Sato", isDefault: true },
          { provider: "zoom", displayName: "Recruiting Interviews" },
          { provider: "slack", displayName: "佐藤 健", isDefault: true },
        ],
      });
      const el = await mount(tenant);
      const [ken, recruiting] = card(el, "personal:zoom").querySelectorAll('[part="account"]');
      expect(texts(ken!, "button")).to.deep.equal(["Unlink"]);
      expect(texts(recruiting!, "button")).to.deep.equal(["Make default", "Unlink"]);
      expect(texts(card(el, "personal:slack"), '[part="account"] button')).to.deep.equal(["Unlink"]);
    });

    it("names every account button after its provider and account", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await mount(tenant);
      const names = [...card(el, "personal:zoom").querySelectorAll('[part="account"] button')].map((button) =>
        button.getAttribute("aria-label"),
      );
      expect(names).to.deep.equal([
        "Unlink: Zoom Ken Sato (ken.sato@sakura-recruit.example)",
        "Link again: Zoom Recruiting Interviews (recruiting@sakura-recruit.example)",
        "Unlink: Zoom Recruiting Interviews (recruiting@sakura-recruit.example)",
      ]);
    });

    it("names an organisation connection's buttons after its provider and its id when it has no name", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await mount(tenant, { role: "admin", locale: "ja" });
      const names = (key: string) =>
        [...card(el, key).querySelectorAll("button")].map((button) => button.getAttribute("aria-label"));
      // Google told no name but the domain: the provider is said once, then the domain.
      expect(names("organization:google")).to.deep.equal([
        "再連携：Google sakura-recruit.example",
        "連携を解除：Google sakura-recruit.example",
      ]);
      expect(names("organization:slack")).to.deep.equal([
        "再連携：Slack Sakura Recruit",
        "連携を解除：Slack Sakura Recruit",
      ]);
    });

    it("makes another account the default and says so", async () => {
      const tenant = await seedFakeTenant({
        connections: sakura.connections,
        accounts: [
          { id: "acc-ken", provider: "zoom", displayName: "Ken Sato", isDefault: true },
          { id: "acc-recruiting", provider: "zoom", displayName: "Recruiting Interviews" },
        ],
      });
      const el = await mount(tenant);
      const button = card(el, "personal:zoom").querySelector<HTMLButtonElement>(
        '[data-account="acc-recruiting"] button',
      )!;
      button.focus();
      button.click();
      await waitUntil(() => texts(el.shadowRoot!, '[part="toast"] p').length > 0, "no toast");
      expect(texts(el.shadowRoot!, '[role="status"] [part="toast"] p')).to.deep.equal([
        "Recruiting Interviews is now your default Zoom account.",
      ]);
      expect(
        texts(card(el, "personal:zoom").querySelector('[data-account="acc-recruiting"]')!, '[part~="badge"]'),
      ).to.deep.equal(["Connected", "Default"]);
      expect(el.shadowRoot!.activeElement?.getAttribute("data-account")).to.equal("acc-recruiting");
      expect((await tenant.requests()).map((request) => request.route)).to.include(
        "POST /v1/accounts/acc-recruiting/default",
      );

      const dismiss = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="toast"] button')!;
      expect(dismiss.getAttribute("aria-label")).to.equal("Dismiss notification");
      dismiss.click();
      await el.updateComplete;
      expect(has(el.shadowRoot!, '[part="toast"]')).to.equal(false);
    });

    it("names Make default by what it shows while it works, 処理中… then gone", async () => {
      const tenant = await seedFakeTenant({
        connections: sakura.connections,
        accounts: [
          { id: "acc-ken", provider: "zoom", displayName: "Ken Sato", isDefault: true },
          { id: "acc-recruiting", provider: "zoom", displayName: "Recruiting Interviews" },
        ],
      });
      const el = await mount(tenant, { locale: "ja" });
      const button = () =>
        card(el, "personal:zoom").querySelector<HTMLButtonElement>('[data-account="acc-recruiting"] button')!;
      expect([button().textContent?.trim(), button().getAttribute("aria-label")]).to.deep.equal([
        "既定にする",
        "既定にする：Zoom Recruiting Interviews",
      ]);
      button().click();
      await el.updateComplete;
      expect([button().textContent?.trim(), button().getAttribute("aria-label")]).to.deep.equal([
        "処理中…",
        "処理中…：Zoom Recruiting Interviews",
      ]);
      await waitUntil(() => toasts(el).length > 0, "no toast");
    });

    /** Two Zoom accounts, A the default; making B the default is refused 409 account_not_active. */
    const defaultRefused = () =>
      seedFakeTenant({
        connections: sakura.connections,
        accounts: [
          { id: "acc-a", provider: "zoom", displayName: "A", isDefault: true },
          { id: "acc-b", provider: "zoom", displayName: "B" },
        ],
        failures: {
          "POST /v1/accounts/acc-b/default": {
            status: 409,
            code: "account_not_active",
            message: "Only an active account can be the default.",
          },
        },
      });

    it("shows a refused default change inline, in the card, and reports it", async () => {
      const el = await mount(await defaultRefused());
      const reported = oneEvent(el, "tsunagu-error");
      card(el, "personal:zoom").querySelector<HTMLButtonElement>('[data-account="acc-b"] button')!.click();
      expect((await reported).detail.error.code).to.equal("account_not_active");
      await settled(el);
      const inline = card(el, "personal:zoom").querySelector('[part="error"]')!;
      expect(inline.getAttribute("role")).to.equal("alert");
      expect(inline.textContent).to.contain("An account that needs linking again cannot be the default.");
      await expect(el).to.be.accessible();
    });

    it("keeps the focus in the card when its error is closed from the keyboard", async () => {
      const el = await mount(await defaultRefused(), { locale: "ja" });
      card(el, "personal:zoom").querySelector<HTMLButtonElement>('[data-account="acc-b"] button')!.click();
      await waitUntil(() => has(card(el, "personal:zoom"), '[part="error"] button'), "no inline error");
      const close = card(el, "personal:zoom").querySelector<HTMLButtonElement>('[part="error"] button')!;
      expect(close.getAttribute("aria-label")).to.equal("閉じる");
      close.focus();
      await sendKeys({ press: "Enter" });
      await el.updateComplete;
      expect(has(card(el, "personal:zoom"), '[part="error"]')).to.equal(false);
      await waitUntil(
        () => el.shadowRoot!.activeElement === card(el, "personal:zoom").querySelector("[data-primary]"),
        "the focus fell out of the card with the error's ×",
      );
    });

    it("drops a Make default refused for a token the page renewed since; pressing it again works", async () => {
      const tenant = await seedFakeTenant({
        connections: sakura.connections,
        accounts: [
          { id: "acc-a", provider: "zoom", displayName: "A", isDefault: true },
          { id: "acc-b", provider: "zoom", displayName: "B" },
        ],
        failures: { "POST /v1/accounts/acc-b/default": { status: 401, code: "token_expired", message: "Expired." } },
      });
      const el = await mount(tenant, { locale: "ja" });
      const makeDefault = () =>
        card(el, "personal:zoom").querySelector<HTMLButtonElement>('[data-account="acc-b"] button')!;
      makeDefault().click();
      await waitUntil(() => has(card(el, "personal:zoom"), '[part="error"]'), "no refusal", { timeout: 5000 });
      expect(texts(card(el, "personal:zoom"), '[part="error"] p')).to.deep.equal([
        "セッションの有効期限が切れました。ページを再読み込みしてください。",
      ]);
      el.token = tenant.token({ jti: "renewed" });
      await el.updateComplete;
      expect(has(card(el, "personal:zoom"), '[part="error"]')).to.equal(false);
      makeDefault().click();
      await waitUntil(
        () => card(el, "personal:zoom").querySelector('[data-account="acc-b"] [part~="default-badge"]'),
        "B never became the default",
        { timeout: 5000 },
      );
    });
  });

  describe("language", () => {
    it("speaks Japanese when the token says ja", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer} token=${tenant.token({
          locale: "ja",
          role: "admin",
        })}></integration-accounts>`,
      );
      await settled(el);
      expect(texts(el.shadowRoot!, '[part~="section"] > [part="heading"]')).to.deep.equal(["組織の連携", "個人の連携"]);
      expect(texts(card(el, "organization:microsoft"), "button")).to.deep.equal(["Microsoft 365 テナントと連携"]);
      const [, recruiting] = card(el, "personal:zoom").querySelectorAll('[part="account"]');
      expect(texts(recruiting!, '[part~="status-badge"]')).to.deep.equal(["再連携が必要"]);
      expect(texts(recruiting!, "button")).to.deep.equal(["再連携", "連携を解除"]);
      expect(recruiting!.querySelector("button")?.getAttribute("aria-label")).to.equal(
        "再連携：Zoom Recruiting Interviews (recruiting@sakura-recruit.example)",
      );
      expect(card(el, "personal:slack").textContent).to.contain("ワークスペース：Sakura Recruit");
      await expect(el).to.be.accessible();
    });

    it("follows the document's language when nothing else says", async () => {
      const tenant = await seedFakeTenant(sakura);
      document.documentElement.lang = "ja";
      try {
        const el = await fixture<IntegrationAccounts>(
          html`<integration-accounts server=${fakeServer} token=${tenant.token()}></integration-accounts>`,
        );
        await settled(el);
        expect(texts(card(el, "personal:google"), '[part="empty"]')).to.deep.equal([
          "Google アカウントはまだ連携されていません。",
        ]);
        document.documentElement.lang = "en";
        // The document's lang is watched by a MutationObserver: its callback runs as a microtask.
        await Promise.resolve();
        await el.updateComplete;
        expect(texts(card(el, "personal:google"), '[part="empty"]')).to.deep.equal([
          "No Google account is linked yet.",
        ]);
      } finally {
        document.documentElement.lang = "";
      }
    });
  });

  describe("tokens", () => {
    it("reloads for another person when the token provider changes, and not for a renewed token", async () => {
      const tenant = await seedFakeTenant(sakura);
      const other = await seedFakeTenant({
        connections: sakura.connections,
        accounts: [{ provider: "google", displayName: "Emily Carter" }],
      });
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer}
          .tokenProvider=${async () => tenant.token()} locale="en"></integration-accounts>`,
      );
      await settled(el);
      expect(texts(card(el, "personal:google"), '[part="account-name"]')).to.deep.equal([]);
      el.tokenProvider = async () => other.token({ sub: "emily" });
      await settled(el);
      expect(texts(card(el, "personal:google"), '[part="account-name"]')).to.deep.equal(["Emily Carter"]);
    });

    it("loads again when the person comes back to the tab, showing an unlink made in another tab", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await mount(tenant);
      const zoomNames = () => texts(card(el, "personal:zoom"), '[part="account-name"]');
      expect(zoomNames()).to.include("Recruiting Interviews");
      // Another tab of the same person unlinks the account: this one learns nothing of it yet.
      const auth = { authorization: `Bearer ${tenant.token()}` };
      const listed = (await (await fetch(`${fakeServer}/v1/accounts`, { headers: auth })).json()) as {
        accounts: Array<{ id: string; displayName: string }>;
      };
      const gone = listed.accounts.find((account) => account.displayName === "Recruiting Interviews");
      const unlinked = await fetch(`${fakeServer}/v1/accounts/${gone?.id}`, { method: "DELETE", headers: auth });
      expect(unlinked.ok).to.equal(true);
      const visibility = (state: DocumentVisibilityState) => {
        Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
        document.dispatchEvent(new Event("visibilitychange"));
      };
      try {
        visibility("hidden");
        await settled(el);
        expect(zoomNames()).to.include("Recruiting Interviews");
        visibility("visible");
        await waitUntil(() => !zoomNames().includes("Recruiting Interviews"), "the unlink shows once back in view");
        expect(zoomNames()).to.deep.equal(["Ken Sato"]);
      } finally {
        delete (document as { visibilityState?: unknown }).visibilityState;
      }
    });

    it("keeps what it shows when the page renews the token of the same person", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await mount(tenant);
      const before = (await tenant.requests()).length;
      el.token = tenant.token({ jti: "renewed" });
      await settled(el);
      expect((await tenant.requests()).length).to.equal(before);
    });

    it("loads again with the token the page renews on tsunagu-token-expired, refusal still on its way", async () => {
      const tenant = await seedFakeTenant({
        ...sakura,
        failures: { "GET /v1/accounts": { status: 401, code: "token_expired", message: "The host token expired." } },
      });
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="ja"
          @tsunagu-token-expired=${() => {
            el.token = tenant.token({ jti: "renewed" });
          }}></integration-accounts>`,
      );
      await waitUntil(() => has(el.shadowRoot!, '[data-card="personal:slack"]'), "the renewed token was not used", {
        timeout: 4000,
      });
      expect(has(el.shadowRoot!, '[part="error"]')).to.equal(false);
    });

    it("loads again when the page renews the token after the expiry was shown", async () => {
      const tenant = await seedFakeTenant({
        ...sakura,
        failures: { "GET /v1/accounts": { status: 401, code: "token_expired", message: "The host token expired." } },
      });
      const el = await mount(tenant, { locale: "ja" });
      expect(texts(el.shadowRoot!, '[part="error"] p')[0]).to.contain("セッションの有効期限が切れました。");
      el.token = tenant.token({ jti: "renewed" });
      await waitUntil(() => has(el.shadowRoot!, '[data-card="personal:slack"]'), "the renewed token was not used", {
        timeout: 4000,
      });
    });
  });

  describe("in a window 320 px wide", () => {
    afterEach(async () => {
      await setViewport({ width: 800, height: 600 });
      window.scrollTo(0, 0);
    });

    for (const locale of ["ja", "en"]) {
      it(`shows a toast at once, and over none of the buttons once scrolled to the end (${locale})`, async () => {
        await setViewport({ width: 320, height: 480 });
        const tenant = await seedFakeTenant({
          connections: sakura.connections,
          accounts: [
            { id: "acc-ken", provider: "zoom", displayName: "Ken Sato", isDefault: true },
            { id: "acc-recruiting", provider: "zoom", displayName: "Recruiting Interviews" },
          ],
        });
        const el = await mount(tenant, { role: "admin", locale });
        card(el, "personal:zoom").querySelector<HTMLButtonElement>('[data-account="acc-recruiting"] button')!.click();
        await waitUntil(() => toasts(el).length > 0, "no toast");
        const buttons = [...el.shadowRoot!.querySelectorAll<HTMLElement>("button")].filter(
          (button) => !button.closest('[part="toasts"]'),
        );
        const toastBox = () => el.shadowRoot!.querySelector('[part="toast"]')!.getBoundingClientRect();
        // Seen at once, the element going on below the window: held at the window's bottom.
        window.scrollTo(0, 0);
        expect(el.getBoundingClientRect().bottom, "the element is longer than the window").to.be.above(innerHeight);
        expect(toastBox().bottom).to.be.at.most(innerHeight);
        expect(toastBox().top).to.be.at.least(0);
        // Scrolled to the end, the last row is out from under it (in the window's corner it would lie over it).
        window.scrollTo(0, document.documentElement.scrollHeight);
        const toast = toastBox();
        const covered = buttons.filter((button) => {
          const box = button.getBoundingClientRect();
          return box.left < toast.right && toast.left < box.right && box.top < toast.bottom && toast.top < box.bottom;
        });
        expect(covered.map((button) => button.textContent?.trim())).to.deep.equal([]);
        expect(toast.width, "the toast is as wide as the element").to.be.closeTo(el.getBoundingClientRect().width, 1);
        await expect(el).to.be.accessible();
      });
    }
  });

  describe("accessibility", () => {
    it("is accessible for an admin with every kind of card", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await mount(tenant, { role: "admin" });
      await expect(el).to.be.accessible();
    });

    it("is accessible while loading", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="en"></integration-accounts>`,
      );
      await expect(el).to.be.accessible();
      await settled(el);
    });
  });
});
