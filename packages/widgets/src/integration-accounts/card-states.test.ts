import { expect, fixture, html, oneEvent, waitUntil } from "@open-wc/testing";
import { emulateMedia } from "@web/test-runner-commands";
import { type FakeTenant, seedFakeTenant, type TenantSeed } from "../test-support/fake-accounts.ts";
import { fakeServer } from "../test-support/fake-host-token.ts";
import { card, decideInPopup, has, settled, texts, toasts, watchPopups } from "../test-support/integration-accounts.ts";
import type { IntegrationAccounts } from "./integration-accounts.ts";
import "./define.ts";

const sakura: TenantSeed = {
  connections: [
    { provider: "slack", externalId: "T0SAKURA01", displayName: "Sakura Recruit" },
    { provider: "google", externalId: "sakura-recruit.example", displayName: "sakura-recruit.example" },
    { provider: "zoom", externalId: "zAcSakura0001", displayName: "Sakura Recruit Zoom" },
  ],
};

async function mount(tenant: FakeTenant, claims: { role?: string; sub?: string } = {}): Promise<IntegrationAccounts> {
  const el = await fixture<IntegrationAccounts>(
    html`<integration-accounts server=${fakeServer} token=${tenant.token(claims)} locale="en"></integration-accounts>`,
  );
  await settled(el);
  return el;
}

function button(root: ParentNode, label: string): HTMLButtonElement {
  const found = [...root.querySelectorAll<HTMLButtonElement>("button")].find(
    (candidate) => candidate.textContent?.trim() === label,
  );
  if (!found) throw new Error(`no button ${label}`);
  return found;
}

describe("<integration-accounts> states", () => {
  describe("one person's messages", () => {
    it(
      "forgets the previous person's card errors, toasts and " + "dialog when the token becomes another person's",
      async () => {
        const first = await seedFakeTenant({
          ...sakura,
          role: "admin",
          accounts: [
            { id: "acc-a", provider: "zoom", displayName: "A", isDefault: true },
            { id: "acc-b", provider: "zoom", displayName: "B" },
            { id: "acc-slack", provider: "slack", displayName: "佐藤 健", isDefault: true },
          ],
          failures: {
            "POST /v1/accounts/acc-b/default": {
              status: 409,
              code: "account_not_active",
              message: "Only an active account can be the default.",
            },
          },
        });
        const el = await mount(first, { role: "admin" });
        // A toast: Slack disconnected, one account waits for it.
        button(card(el, "organization:slack"), "Disconnect").click();
        await el.updateComplete;
        el.shadowRoot!.querySelector<HTMLButtonElement>("[data-dialog-confirm]")!.click();
        await waitUntil(() => toasts(el).length > 0, "no toast");
        expect(toasts(el)[0]).to.contain("1 account now needs linking again");
        // An inline error.
        button(card(el, "personal:zoom"), "Make default").click();
        await waitUntil(() => has(card(el, "personal:zoom"), '[part="error"]'), "no inline error");
        // And a dialog left open.
        button(card(el, "organization:google"), "Disconnect").click();
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector("dialog")!.open).to.equal(true);

        const second = await seedFakeTenant({
          ...sakura,
          accounts: [{ provider: "google", displayName: "Emily Carter", isDefault: true }],
        });
        el.token = second.token({ sub: "emily" });
        await settled(el);
        expect(texts(card(el, "personal:google"), '[part="account-name"]')).to.deep.equal(["Emily Carter"]);
        expect(toasts(el)).to.deep.equal([]);
        expect(toasts(el, "alert")).to.deep.equal([]);
        expect(has(el.shadowRoot!, '[part="error"]')).to.equal(false);
        expect(el.shadowRoot!.querySelector("dialog")!.open).to.equal(false);
      },
    );

    it("forgets them too when the same person's token is for another organisation", async () => {
      const first = await seedFakeTenant({
        ...sakura,
        accounts: [
          { id: "acc-a", provider: "zoom", displayName: "A", isDefault: true },
          { id: "acc-b", provider: "zoom", displayName: "B" },
        ],
      });
      const el = await mount(first);
      button(card(el, "personal:zoom"), "Make default").click();
      await waitUntil(() => toasts(el).length > 0, "no toast");
      const other = await seedFakeTenant(sakura);
      el.token = other.token();
      await settled(el);
      expect(toasts(el)).to.deep.equal([]);
    });

    it("keeps its messages when the same person's token is only renewed", async () => {
      const tenant = await seedFakeTenant({
        ...sakura,
        accounts: [
          { id: "acc-a", provider: "zoom", displayName: "A", isDefault: true },
          { id: "acc-b", provider: "zoom", displayName: "B" },
        ],
      });
      const el = await mount(tenant);
      button(card(el, "personal:zoom"), "Make default").click();
      await waitUntil(() => toasts(el).length > 0, "no toast");
      el.token = tenant.token({ jti: "renewed" });
      await settled(el);
      expect(toasts(el)).to.deep.equal(["B is now your default Zoom account."]);
    });
  });

  describe("the organisation connection missing", () => {
    it("offers no relink that can only fail and says the organisation was disconnected", async () => {
      const tenant = await seedFakeTenant({
        connections: (sakura.connections ?? []).filter((connection) => connection.provider !== "google"),
        accounts: [
          {
            provider: "google",
            displayName: "Ken Sato",
            status: "needs_reauth",
            statusReason: "org_disconnected",
            isDefault: true,
          },
        ],
      });
      const el = await mount(tenant);
      const google = card(el, "personal:google");
      expect(texts(google, '[part="notice"]')).to.deep.equal([
        "The organisation's Google Workspace was disconnected. Once an administrator connects it again, you can link " +
          "the accounts again.",
      ]);
      expect(texts(google, "button")).to.deep.equal(["Unlink"]);
      await expect(el).to.be.accessible();
    });

    it("still says 'not connected yet' when the organisation never connected", async () => {
      const tenant = await seedFakeTenant({ connections: [] });
      const el = await mount(tenant, { role: "admin" });
      expect(texts(card(el, "personal:zoom"), '[part="notice"]')).to.deep.equal([
        "Connect the organisation's Zoom account first, under Organisation connections.",
      ]);
      expect(has(card(el, "personal:zoom"), "button")).to.equal(false);
    });

    it("drops a stale 'not connected' refusal once the card is reloaded and the connection exists", async () => {
      const tenant = await seedFakeTenant({
        ...sakura,
        failures: {
          "POST /v1/oauth/google/start": {
            status: 409,
            code: "org_connection_missing",
            message: "Your organisation has not connected this provider yet.",
          },
        },
      });
      const el = await mount(tenant);
      const popups = watchPopups();
      try {
        const reported = oneEvent(el, "tsunagu-error");
        card(el, "personal:google").querySelector<HTMLButtonElement>("[data-primary]")!.click();
        expect((await reported).detail.error.code).to.equal("org_connection_missing");
        await settled(el);
        await waitUntil(
          async () => (await tenant.requests()).filter((request) => request.route === "GET /v1/accounts").length === 2,
          "no reload after the refusal",
        );
        await settled(el);
        expect(has(card(el, "personal:google"), '[part="error"]')).to.equal(false);
        expect(has(card(el, "personal:google"), '[part="notice"]')).to.equal(false);
        expect(texts(card(el, "personal:google"), "button")).to.deep.equal(["Link a Google account"]);
      } finally {
        popups.restore();
      }
    });
  });

  describe("the default account", () => {
    it("offers 'Make default' on the active account when the default needs linking again", async () => {
      const tenant = await seedFakeTenant({
        ...sakura,
        accounts: [
          {
            id: "acc-old",
            provider: "zoom",
            displayName: "Ken Sato",
            isDefault: true,
            status: "needs_reauth",
            statusReason: "invalid_grant",
          },
          { id: "acc-new", provider: "zoom", displayName: "Recruiting Interviews" },
        ],
      });
      const el = await mount(tenant);
      expect(texts(card(el, "personal:zoom").querySelector('[data-account="acc-new"]')!, "button")).to.deep.equal([
        "Make default",
        "Unlink",
      ]);
      button(card(el, "personal:zoom").querySelector('[data-account="acc-new"]')!, "Make default").click();
      await waitUntil(() => toasts(el).length > 0, "no toast");
      expect(
        texts(card(el, "personal:zoom").querySelector('[data-account="acc-new"]')!, '[part~="badge"]'),
      ).to.deep.equal(["Connected", "Default"]);
    });

    it("says so when a reload shows the server moved the default because it needs linking again", async () => {
      const accounts = (oldStatus: "active" | "needs_reauth") => [
        {
          id: "acc-old",
          provider: "zoom" as const,
          displayName: "Ken Sato",
          isDefault: oldStatus === "active",
          status: oldStatus,
          ...(oldStatus === "active" ? {} : { statusReason: "invalid_grant" as const }),
        },
        {
          id: "acc-new",
          provider: "zoom" as const,
          displayName: "Recruiting Interviews",
          isDefault: oldStatus !== "active",
        },
      ];
      const tenant = await seedFakeTenant({ ...sakura, accounts: accounts("active") });
      const el = await mount(tenant);
      expect(toasts(el)).to.deep.equal([]);
      // Zoom refused the refresh in the background; the server handed the default on.
      await fetch("/fake-tsunagu/control/seed", {
        method: "POST",
        body: JSON.stringify({ org: tenant.org, ...sakura, accounts: accounts("needs_reauth") }),
      });
      await el.reload();
      await waitUntil(() => toasts(el).length > 0, "no toast");
      expect(toasts(el)).to.deep.equal([
        "Ken Sato needs linking again, so Recruiting Interviews is now your default Zoom account.",
      ]);
      expect(
        texts(card(el, "personal:zoom").querySelector('[data-account="acc-new"]')!, '[part~="badge"]'),
      ).to.deep.equal(["Connected", "Default"]);
      // Nothing more to say on the next reload.
      await el.reload();
      expect(toasts(el)).to.have.length(1);
    });

    it("names the account that becomes the default before and after unlinking the default", async () => {
      const tenant = await seedFakeTenant({
        ...sakura,
        accounts: [
          {
            id: "acc-ken",
            provider: "zoom",
            displayName: "Ken Sato",
            isDefault: true,
            createdAt: "2026-01-01T00:00:00Z",
          },
          {
            id: "acc-broken",
            provider: "zoom",
            displayName: "Old Room",
            status: "needs_reauth",
            statusReason: "invalid_grant",
            createdAt: "2026-01-02T00:00:00Z",
          },
          {
            id: "acc-recruiting",
            provider: "zoom",
            displayName: "Recruiting Interviews",
            createdAt: "2026-01-03T00:00:00Z",
          },
        ],
      });
      const el = await mount(tenant);
      button(card(el, "personal:zoom").querySelector('[data-account="acc-ken"]')!, "Unlink").click();
      await el.updateComplete;
      expect(texts(el.shadowRoot!, "dialog [data-default-moves]")).to.deep.equal([
        "This is your default account; Recruiting Interviews becomes the default.",
      ]);
      el.shadowRoot!.querySelector<HTMLButtonElement>("[data-dialog-confirm]")!.click();
      await waitUntil(() => toasts(el).length > 0, "no toast");
      expect(texts(el.shadowRoot!, '.toasts [part="toast"] p')).to.deep.equal([
        "Unlinked the Zoom user Ken Sato.",
        "Recruiting Interviews is now your default Zoom account.",
      ]);
      expect(
        texts(card(el, "personal:zoom").querySelector('[data-account="acc-recruiting"]')!, '[part~="badge"]'),
      ).to.deep.equal(["Connected", "Default"]);
    });
  });

  describe("linking under way", () => {
    let popups: ReturnType<typeof watchPopups>;
    beforeEach(() => {
      popups = watchPopups();
    });
    afterEach(() => {
      popups.restore();
    });

    it("shows the whole of what to do, cut nowhere, at 320 px, and leaves the other cards as they look", async () => {
      const tenant = await seedFakeTenant({
        ...sakura,
        role: "admin",
        accounts: [
          { provider: "google", displayName: "Ken Sato", email: "ken.sato@sakura-recruit.example", isDefault: true },
        ],
      });
      const el = await mount(tenant);
      // What a 320 px wide window leaves inside the page's margins (200 % zoom of a 640 px one).
      el.style.width = "304px";
      await el.updateComplete;
      const zoomButton = card(el, "personal:zoom").querySelector<HTMLButtonElement>("button")!;
      const opacityBefore = getComputedStyle(zoomButton).opacity;
      for (const key of ["personal:google", "organization:microsoft"]) {
        const linking = () => card(el, key);
        linking().querySelector<HTMLButtonElement>("[data-primary]")!.click();
        await waitUntil(
          () => texts(linking(), '[part~="progress"] [role="status"]')[0]?.startsWith("Continue"),
          "the link never reached the popup",
        );
        const words = linking().querySelector<HTMLElement>('[part~="progress"] [role="status"]')!;
        expect(words.scrollWidth, `"${words.textContent}" is cut`).to.be.at.most(words.clientWidth);
        const right = linking().getBoundingClientRect().right;
        const sticking = [...linking().querySelectorAll("*")].filter(
          (node) => node.getBoundingClientRect().right > right + 0.5,
        );
        expect(sticking.map((node) => node.outerHTML.slice(0, 60))).to.deep.equal([]);
        expect(getComputedStyle(zoomButton).opacity).to.equal(opacityBefore);
        await expect(el).to.be.accessible();
        linking().querySelector<HTMLButtonElement>("[data-cancel]")!.click();
        await el.updateComplete;
      }
    });

    it("keeps its spinner still for those who asked for less motion (the theme stills every animation)", async () => {
      const el = await mount(await seedFakeTenant(sakura));
      card(el, "personal:google").querySelector<HTMLButtonElement>("[data-primary]")!.click();
      await el.updateComplete;
      const spinner = card(el, "personal:google").querySelector<HTMLElement>(".spinner")!;
      try {
        await emulateMedia({ reducedMotion: "reduce" });
        expect(getComputedStyle(spinner).animationName).to.equal("none");
        await emulateMedia({ reducedMotion: "no-preference" });
        expect(getComputedStyle(spinner).animationName).to.equal("spin");
      } finally {
        await emulateMedia({ reducedMotion: "no-preference" });
      }
    });

    it("says 'connect' on an organisation card's cancel button", async () => {
      const tenant = await seedFakeTenant({ ...sakura, role: "admin" });
      const el = await mount(tenant, { role: "admin" });
      card(el, "organization:microsoft").querySelector<HTMLButtonElement>("[data-primary]")!.click();
      await waitUntil(() => has(card(el, "organization:microsoft"), "[data-cancel]"), "no cancel button");
      expect(texts(card(el, "organization:microsoft"), "[data-cancel]")).to.deep.equal([
        "Cancel connecting the Microsoft 365 tenant",
      ]);
    });
  });

  describe("words that fit the card", () => {
    let popups: ReturnType<typeof watchPopups>;
    beforeEach(() => {
      popups = watchPopups();
    });
    afterEach(() => {
      popups.restore();
    });

    async function refusedLink(seed: TenantSeed, key: string, locale: string): Promise<IntegrationAccounts> {
      const tenant = await seedFakeTenant(seed);
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer} token=${tenant.token()}
          locale=${locale}></integration-accounts>`,
      );
      await settled(el);
      card(el, key).querySelector<HTMLButtonElement>("[data-primary]")!.click();
      await decideInPopup(popups.opened[0]!, "allow");
      await waitUntil(() => has(card(el, key), '[part="error"]'), "no refusal shown");
      return el;
    }

    it("tells a Microsoft user to press 承諾, Microsoft's own button, after a denied consent", async () => {
      const connections = [
        ...(sakura.connections ?? []),
        { provider: "microsoft" as const, externalId: "6f1c2a9e", displayName: "Sakura Recruit Inc." },
      ];
      const el = await refusedLink(
        { connections, outcomes: [{ error: { code: "consent_denied", message: "Access was not allowed." } }] },
        "personal:microsoft",
        "ja",
      );
      expect(texts(card(el, "personal:microsoft"), '[part="error"] p')).to.deep.equal([
        "Microsoft 365 でアクセスが許可されなかったため、連携できませんでした。もう一度連携し、Microsoft 365 の画面で「承諾」を押してください。",
      ]);
    });

    it("names the workspace to sign in to after a wrong-workspace refusal", async () => {
      const el = await refusedLink(
        {
          connections: sakura.connections,
          outcomes: [{ error: { code: "slack_wrong_workspace", message: "Another workspace." } }],
        },
        "personal:slack",
        "ja",
      );
      expect(texts(card(el, "personal:slack"), '[part="error"] p')[0]).to.contain(
        "組織で連携している Slack ワークスペースは「Sakura Recruit」です。",
      );
    });

    for (const [locale, words] of [
      ["ja", "組織の連携を変更できるのは管理者だけです。"],
      ["en", "Only an administrator can change the organisation's connections."],
    ] as const)
      it(`says only an admin connects the organisation once the portal demoted the admin (${locale})`, async () => {
        const outcomes = [{ error: { code: "admin_required", message: "Your portal account is no longer an admin." } }];
        const el = await refusedLink({ role: "admin", outcomes }, "organization:google", locale);
        expect(texts(card(el, "organization:google"), '[part="error"] p')).to.deep.equal([words]);
      });

    it("says that connecting the organisation links the admin's own account too, and lists it to unlink", async () => {
      const tenant = await seedFakeTenant({
        role: "admin",
        outcomes: [
          {
            connection: { externalId: "sakura-recruit.example", displayName: "sakura-recruit.example" },
            adminAccount: {
              externalUserId: "g-hanako",
              displayName: "Hanako Yamada",
              email: "hanako@sakura-recruit.example",
            },
          },
        ],
      });
      const el = await mount(tenant, { role: "admin" });
      expect(texts(card(el, "organization:google"), '[part="note"]')).to.deep.equal([
        "The Google account you connect with is also linked as one of your own accounts; you can unlink it there " +
          "like any other.",
      ]);
      expect(has(card(el, "organization:slack"), '[part="note"]')).to.equal(false);
      card(el, "organization:google").querySelector<HTMLButtonElement>("[data-primary]")!.click();
      await decideInPopup(popups.opened[0]!, "allow");
      await waitUntil(() => toasts(el).length > 0, "no toast");
      expect(texts(el.shadowRoot!, '.toasts [part="toast"] p')).to.deep.equal([
        "Connected the Google Workspace sakura-recruit.example.",
        "Your own Google account Hanako Yamada is linked too (under Your accounts).",
      ]);
      expect(texts(card(el, "personal:google"), '[part="account"] button')).to.deep.equal(["Unlink"]);
    });

    it("shows the confirmation dialog over a visible backdrop", async () => {
      const tenant = await seedFakeTenant({
        ...sakura,
        accounts: [{ provider: "zoom", displayName: "Ken Sato", isDefault: true }],
      });
      const el = await mount(tenant);
      button(card(el, "personal:zoom"), "Unlink").click();
      await el.updateComplete;
      const backdrop = getComputedStyle(el.shadowRoot!.querySelector("dialog")!, "::backdrop").backgroundColor;
      expect(backdrop).to.not.be.oneOf(["rgba(0, 0, 0, 0)", "transparent", ""]);
      el.shadowRoot!.querySelector<HTMLButtonElement>("[data-dialog-cancel]")!.click();
    });
  });

  describe("a connection without a name", () => {
    it(
      "shows a Zoom account Zoom gave no name for as a " + "translated label beside its id, never the id alone",
      async () => {
        const tenant = await seedFakeTenant({
          role: "admin",
          connections: [{ provider: "zoom", externalId: "zAcOther00042", displayName: "zAcOther00042" }],
        });
        const el = await fixture<IntegrationAccounts>(
          html`<integration-accounts server=${fakeServer} token=${tenant.token({ role: "admin" })}
            locale="ja"></integration-accounts>`,
        );
        await settled(el);
        const zoom = card(el, "organization:zoom");
        expect(texts(zoom, '[part="account-name"]')).to.deep.equal(["Zoom アカウント"]);
        expect(texts(zoom, ".identity .muted")[0]).to.equal("zAcOther00042");
      },
    );
  });

  describe("first paint", () => {
    it("shows the outline of the cards, not a bare loading line", async () => {
      const tenant = await seedFakeTenant(sakura);
      const el = await fixture<IntegrationAccounts>(
        html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="en"
          providers="google zoom"></integration-accounts>`,
      );
      expect(el.shadowRoot!.querySelectorAll('[part="skeleton"] > li')).to.have.length(2);
      expect(el.shadowRoot!.querySelector('[part="skeleton"]')!.getAttribute("aria-hidden")).to.equal("true");
      expect(texts(el.shadowRoot!, '[part="loading"][role="status"]')).to.deep.equal(["Loading…"]);
      await expect(el).to.be.accessible();
      await settled(el);
      expect(has(el.shadowRoot!, '[part="skeleton"]')).to.equal(false);
    });
  });
});
