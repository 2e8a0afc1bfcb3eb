/**
 * <integration-accounts> against the real Tsunagu server and the sandbox's
 * fake providers (test-support/real-server.mjs): real OAuth round trips in a
 * real popup, with the consent pages answered through puppeteer as a person
 * would. Every test has its own portal organisation, so none depends on
 * another's connections.
 */
import { expect, fixture, html, oneEvent, waitUntil } from "@open-wc/testing";
import type { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import type { TsunaguLinkedEvent } from "../events/tsunagu-linked.ts";
import type { TsunaguUnlinkedEvent } from "../events/tsunagu-unlinked.ts";
import { card, has, texts, toasts } from "../test-support/integration-accounts.ts";
import {
  apiAs,
  consentInPopup,
  openElsewhere,
  type PortalUser,
  portalTokenProvider,
  type RealServer,
  realServer,
} from "../test-support/real-server.ts";
import type { PortalOutcome } from "../test-support/redirect-portal.ts";
import type { Account, AccountsAnswer, FlowStatus, StartedFlow } from "./accounts-api.ts";
import type { IntegrationAccounts } from "./integration-accounts.ts";
import "./define.ts";

let server: RealServer;

/** Hanako (admin) and Ken (recruiter) of a portal organisation of their own. */
function sakura(locale: "ja" | "en" = "en") {
  const org = `sakura-${crypto.randomUUID().slice(0, 8)}`;
  const hanako: PortalUser = {
    sub: "hanako",
    org,
    role: "admin",
    email: "hanako.yamada@sakura-recruit.example",
    name: "山田 花子",
    locale,
  };
  const ken: PortalUser = {
    sub: "ken",
    org,
    role: "recruiter",
    email: "ken.sato@sakura-recruit.example",
    name: "佐藤 健",
    locale,
  };
  return { hanako, ken };
}

async function mount(user: PortalUser): Promise<IntegrationAccounts> {
  const el = await fixture<IntegrationAccounts>(
    html`<integration-accounts .server=${server.url}
      .tokenProvider=${portalTokenProvider(user)}></integration-accounts>`,
  );
  await waitUntil(() => !el.shadowRoot!.querySelector('[part="loading"]'), "the element kept loading", {
    timeout: 10_000,
  });
  return el;
}

function primary(el: IntegrationAccounts, key: string): HTMLButtonElement {
  return card(el, key).querySelector<HTMLButtonElement>("[data-primary]")!;
}

/** Clicks the card's main button and answers the provider's page in the popup; resolves with the outcome event. */
async function linkThroughPopup(
  el: IntegrationAccounts,
  key: string,
  account: string,
  decision: "allow" | "deny" = "allow",
) {
  const outcome = Promise.race([oneEvent(el, "tsunagu-linked"), oneEvent(el, "tsunagu-error")]) as Promise<
    TsunaguLinkedEvent | TsunaguErrorEvent
  >;
  primary(el, key).click();
  await consentInPopup({ account, decision });
  const event = await outcome;
  await el.updateComplete;
  return event;
}

/** An admin's element connects the organisation to `provider` as the provider user `account`. */
async function connectOrganisation(admin: PortalUser, provider: string, account: string): Promise<void> {
  const el = await mount(admin);
  const event = await linkThroughPopup(el, `organization:${provider}`, account);
  if (event.type !== "tsunagu-linked")
    throw new Error(`connecting ${provider} failed: ${(event as TsunaguErrorEvent).detail.error.code}`);
  el.remove();
}

function accountNames(el: IntegrationAccounts, provider: string): string[] {
  return texts(card(el, `personal:${provider}`), '[part="account-name"]');
}

describe("<integration-accounts> with the real server and the sandbox", function () {
  // Real round trips: a server start, pages in a popup, provider calls.
  this.timeout(30_000);

  before(async () => {
    server = await realServer();
  });

  it("shows an admin every provider the server offers, none connected yet", async () => {
    const { hanako } = sakura();
    const el = await mount(hanako);
    expect(texts(el.shadowRoot!, '[part~="organization-card"] [part="card-heading"]')).to.deep.equal([
      "Slack workspace",
      "Google Workspace",
      "Microsoft 365 tenant",
      "Zoom account",
    ]);
    expect(texts(el.shadowRoot!, '[part~="organization-card"] [part~="badge"]')).to.deep.equal([
      "Not connected",
      "Not connected",
      "Not connected",
      "Not connected",
    ]);
    await expect(el).to.be.accessible();
  });

  it("links Google: the admin connects the Workspace, then a recruiter links their calendar in a popup", async () => {
    const { hanako, ken } = sakura();
    const admin = await mount(hanako);
    const connected = (await linkThroughPopup(
      admin,
      "organization:google",
      "hanako.yamada@sakura-recruit.example",
    )) as TsunaguLinkedEvent;
    expect(connected.detail).to.include({
      provider: "google",
      kind: "organization",
      displayName: "sakura-recruit.example",
    });
    expect(toasts(admin)).to.deep.equal(["Connected the Google Workspace sakura-recruit.example."]);
    // The admin's own Google account came with the organisation connection.
    expect(
      texts(card(admin, "personal:google"), '[part="account"]').map((row) =>
        row.includes("hanako.yamada@sakura-recruit.example"),
      ),
    ).to.deep.equal([true]);
    admin.remove();

    const el = await mount(ken);
    expect(texts(card(el, "personal:google"), "button")).to.deep.equal(["Link a Google account"]);
    const linked = (await linkThroughPopup(
      el,
      "personal:google",
      "ken.sato@sakura-recruit.example",
    )) as TsunaguLinkedEvent;
    expect(linked.type).to.equal("tsunagu-linked");
    // The server names a Google account after the id_token's name, or its email when the token has no name.
    const name = linked.detail.displayName ?? "";
    expect(linked.detail).to.include({ provider: "google", kind: "personal" });
    expect(["Ken Sato", "ken.sato@sakura-recruit.example"]).to.include(name);
    expect(toasts(el)).to.deep.equal([`Linked the Google account ${name}.`]);
    const row = card(el, "personal:google").querySelector('[part="account"]')!;
    expect(texts(row, '[part="account-name"]')).to.deep.equal([name]);
    expect(row.textContent).to.contain("ken.sato@sakura-recruit.example");
    expect(row.textContent).to.contain("Domain: sakura-recruit.example");
    expect(texts(row, '[part~="badge"]')).to.deep.equal(["Connected", "Default"]);

    const held = await apiAs<AccountsAnswer>(server, ken, "/v1/accounts");
    expect(
      held.accounts.map((account: Account) => [account.provider, account.email, account.id === linked.detail.id]),
    ).to.deep.equal([["google", "ken.sato@sakura-recruit.example", true]]);
    await expect(el).to.be.accessible();
  });

  it("links two Zoom users for one recruiter, the first as the default", async () => {
    const { hanako, ken } = sakura();
    await connectOrganisation(hanako, "zoom", "zU_hanako");
    const el = await mount(ken);

    const first = (await linkThroughPopup(el, "personal:zoom", "zU_ken")) as TsunaguLinkedEvent;
    expect(first.detail).to.include({ provider: "zoom", kind: "personal", displayName: "Ken Sato" });
    const second = (await linkThroughPopup(el, "personal:zoom", "zU_recruiting")) as TsunaguLinkedEvent;
    expect(second.detail).to.include({ provider: "zoom", kind: "personal", displayName: "Recruiting Interviews" });

    expect(accountNames(el, "zoom")).to.deep.equal(["Ken Sato", "Recruiting Interviews"]);
    expect(texts(card(el, "personal:zoom"), '[part~="default-badge"]')).to.have.length(1);
    expect(
      texts(card(el, "personal:zoom").querySelector(`[data-account="${first.detail.id}"]`)!, '[part~="badge"]'),
    ).to.deep.equal(["Connected", "Default"]);
    expect(card(el, "personal:zoom").textContent).to.contain("Zoom account: ");
    expect(texts(card(el, "personal:zoom"), '[part="card-heading"] + .count')).to.deep.equal(["2 Zoom users"]);

    // The second becomes the default through the server.
    card(el, "personal:zoom").querySelector<HTMLButtonElement>(`[data-account="${second.detail.id}"] button`)!.click();
    await waitUntil(
      () => toasts(el).includes("Recruiting Interviews is now your default Zoom account."),
      "the default did not change",
    );
    const held = await apiAs<AccountsAnswer>(server, ken, "/v1/accounts");
    expect(held.accounts.filter((account) => account.isDefault).map((account) => account.externalUserId)).to.deep.equal(
      ["zU_recruiting"],
    );
  });

  it("refuses Slack guests (multi- and single-channel), in Japanese, and links nothing", async () => {
    const { hanako, ken } = sakura("ja");
    await connectOrganisation(hanako, "slack", "U0S001HANA");
    const el = await mount(ken);
    const refused = (await linkThroughPopup(el, "personal:slack", "U0G001OLIV")) as TsunaguErrorEvent;
    expect(refused.type).to.equal("tsunagu-error");
    expect(refused.detail.error.code).to.equal("slack_guest_not_allowed");
    const inline = card(el, "personal:slack").querySelector('[part="error"]')!;
    expect(inline.getAttribute("role")).to.equal("alert");
    expect(texts(inline, "p")).to.deep.equal([
      "ゲストの Slack アカウントは連携できません（面接の詳細をダイレクトメッセージで送るため）。フルメンバーのアカウントを連携するか、Slack のワークスペース管理者にフルメンバーへの変更を依頼してください。",
    ]);
    expect(has(card(el, "personal:slack"), '[part="account"]')).to.equal(false);
    await expect(el).to.be.accessible();

    // A single-channel guest is refused the same way.
    const again = (await linkThroughPopup(el, "personal:slack", "U0G002KENT")) as TsunaguErrorEvent;
    expect(again.detail.error.code).to.equal("slack_guest_not_allowed");
    expect((await apiAs<AccountsAnswer>(server, ken, "/v1/accounts")).accounts).to.deep.equal([]);
  });

  it("links a full member of the connected Slack workspace", async () => {
    const { hanako, ken } = sakura();
    await connectOrganisation(hanako, "slack", "U0S001HANA");
    const el = await mount(ken);
    const linked = (await linkThroughPopup(el, "personal:slack", "U0S002KEN")) as TsunaguLinkedEvent;
    expect(linked.type).to.equal("tsunagu-linked");
    expect(linked.detail).to.include({ provider: "slack", kind: "personal" });
    const row = card(el, "personal:slack").querySelector('[part="account"]')!;
    expect(row.textContent).to.contain("ken.sato@sakura-recruit.example");
    expect(row.textContent).to.contain("Workspace: Sakura Recruit");
  });

  it("refuses a Zoom user of another company's Zoom account", async () => {
    const { hanako, ken } = sakura();
    await connectOrganisation(hanako, "zoom", "zU_hanako");
    const el = await mount(ken);
    const refused = (await linkThroughPopup(el, "personal:zoom", "zU_taro")) as TsunaguErrorEvent;
    expect(refused.detail.error.code).to.equal("zoom_foreign_account");
    expect(texts(card(el, "personal:zoom"), '[part="error"] p')).to.deep.equal([
      "This Zoom user belongs to another Zoom account than the one your organisation connected. Sign out of Zoom, " +
        ("sign in with your user of your organisation's Zoom account and link again; if you have none, ask your Zoom " +
          "admin to add you. The Zoom account your organisation connected is Sakura Recruit Inc."),
    ]);
    expect((await apiAs<AccountsAnswer>(server, ken, "/v1/accounts")).accounts).to.deep.equal([]);
  });

  it("says nothing was linked when the person denies access at the provider", async () => {
    const { hanako, ken } = sakura("ja");
    await connectOrganisation(hanako, "zoom", "zU_hanako");
    const el = await mount(ken);
    const refused = (await linkThroughPopup(el, "personal:zoom", "zU_ken", "deny")) as TsunaguErrorEvent;
    expect(refused.detail.error.code).to.equal("consent_denied");
    expect(texts(card(el, "personal:zoom"), '[part="error"] p')).to.deep.equal([
      "Zoom でアクセスが許可されなかったため、連携できませんでした。もう一度連携し、Zoom の画面で「許可」を押してください。",
    ]);
  });

  it(
    "names the Zoom organisation as Zoom does, says the admin's own Zoom user came with it, and lets the admin " +
      "unlink that one alone",
    async () => {
      const { hanako } = sakura();
      const el = await mount(hanako);
      await linkThroughPopup(el, "organization:zoom", "zU_hanako");
      expect(texts(card(el, "organization:zoom"), '[part="account-name"]')).to.deep.equal(["Sakura Recruit Inc."]);
      expect(texts(el.shadowRoot!, '.toasts [part="toast"] p')).to.deep.equal([
        "Connected the Zoom account Sakura Recruit Inc.",
        "Your own Zoom user Hanako Yamada is linked too (under Your accounts).",
      ]);
      const own = card(el, "personal:zoom").querySelector<HTMLElement>('[part="account"]')!;
      const buttons = own.querySelectorAll<HTMLButtonElement>("button");
      buttons[buttons.length - 1]!.click();
      const dialog = el.shadowRoot!.querySelector("dialog")!;
      await waitUntil(() => dialog.open, "no confirmation dialog");
      const unlinked = oneEvent(el, "tsunagu-unlinked") as Promise<TsunaguUnlinkedEvent>;
      dialog.querySelector<HTMLButtonElement>("[data-dialog-confirm]")!.click();
      expect((await unlinked).detail.kind).to.equal("personal");
      await el.updateComplete;
      expect(accountNames(el, "zoom")).to.deep.equal([]);
      const held = await apiAs<AccountsAnswer>(server, hanako, "/v1/accounts");
      expect(held.accounts).to.deep.equal([]);
      expect(held.connections.map((connection) => [connection.provider, connection.status])).to.deep.equal([
        ["zoom", "active"],
      ]);
    },
  );

  it("shows the next person none of the previous person's errors or toasts", async () => {
    const { hanako, ken } = sakura();
    await connectOrganisation(hanako, "zoom", "zU_hanako");
    let user = ken;
    const el = await fixture<IntegrationAccounts>(
      html`<integration-accounts .server=${server.url}
        .tokenProvider=${async () => portalTokenProvider(user)()}></integration-accounts>`,
    );
    await waitUntil(() => has(el.shadowRoot!, '[data-card="personal:zoom"]'), "the element kept loading", {
      timeout: 10_000,
    });
    await linkThroughPopup(el, "personal:zoom", "zU_ken", "deny");
    expect(has(card(el, "personal:zoom"), '[part="error"]')).to.equal(true);
    // The page signs another person in: a new token provider, as the demo's user switch does.
    user = {
      ...hanako,
      sub: "misaki",
      role: "recruiter",
      email: "misaki.suzuki@sakura-recruit.example",
      name: "鈴木 美咲",
    };
    el.tokenProvider = async () => portalTokenProvider(user)();
    await waitUntil(
      () => has(el.shadowRoot!, '[data-card="personal:zoom"]') && accountNames(el, "zoom").length === 0,
      "the element never showed the next person",
      { timeout: 10_000 },
    );
    expect(toasts(el)).to.deep.equal([]);
    expect(has(el.shadowRoot!, '[part="error"]')).to.equal(false);
  });

  it("unlinks a Zoom user after the confirmation, and the server no longer holds it", async () => {
    const { hanako, ken } = sakura();
    await connectOrganisation(hanako, "zoom", "zU_hanako");
    const el = await mount(ken);
    const kept = (await linkThroughPopup(el, "personal:zoom", "zU_ken")) as TsunaguLinkedEvent;
    const gone = (await linkThroughPopup(el, "personal:zoom", "zU_recruiting")) as TsunaguLinkedEvent;

    const buttons = card(el, "personal:zoom").querySelectorAll<HTMLButtonElement>(
      `[data-account="${gone.detail.id}"] button`,
    );
    buttons[buttons.length - 1]!.click();
    const dialog = el.shadowRoot!.querySelector("dialog")!;
    await waitUntil(() => dialog.open, "no confirmation dialog");
    expect(texts(dialog, "h2")).to.deep.equal(["Unlink this Zoom user?"]);
    expect(texts(dialog, '[part="impact"] li')).to.deep.equal([
      "Interviews can no longer get a Zoom meeting URL hosted by this Zoom user.",
    ]);
    await expect(el).to.be.accessible();

    const unlinked = oneEvent(el, "tsunagu-unlinked") as Promise<TsunaguUnlinkedEvent>;
    dialog.querySelector<HTMLButtonElement>("[data-dialog-confirm]")!.click();
    expect((await unlinked).detail).to.deep.equal({ provider: "zoom", kind: "personal", id: gone.detail.id });
    await el.updateComplete;
    expect(dialog.open).to.equal(false);
    expect(toasts(el)).to.include("Unlinked the Zoom user Recruiting Interviews.");
    expect(accountNames(el, "zoom")).to.deep.equal(["Ken Sato"]);
    const held = await apiAs<AccountsAnswer>(server, ken, "/v1/accounts");
    expect(held.accounts.map((account) => account.id)).to.deep.equal([kept.detail.id]);
  });
  describe("begin comes only from the page that started the link (linking CSRF)", () => {
    it(
      "links in redirect mode: the portal page posts the begin " + "form, goes to the provider and comes back linked",
      async () => {
        const { hanako, ken } = sakura();
        await connectOrganisation(hanako, "zoom", "zU_hanako");
        // The page leaves and comes back, so the portal runs in a window of its own.
        const portal = window.open(
          `/src/test-support/redirect-portal.html?` +
            `${new URLSearchParams({ server: server.url, user: JSON.stringify(ken) })}`,
        )!;
        try {
          const linkButton = () =>
            portal.document
              .querySelector("integration-accounts")
              ?.shadowRoot?.querySelector<HTMLButtonElement>('[data-card="personal:zoom"] [data-primary]');
          await waitUntil(() => linkButton(), "the portal page never showed the Zoom card", { timeout: 10_000 });
          linkButton()!.click();
          await consentInPopup({ account: "zU_ken" });
          // While the window is at the provider its document is another origin's: read nothing then.
          const outcomes = (): PortalOutcome[] => {
            try {
              return portal.outcomes ?? [];
            } catch {
              return [];
            }
          };
          await waitUntil(() => outcomes().length > 0, "the portal page never came back with an outcome", {
            timeout: 10_000,
          });
          const [outcome] = outcomes();
          expect(outcome?.type).to.equal("tsunagu-linked");
          expect(outcome?.type === "tsunagu-linked" && outcome.detail).to.include({
            provider: "zoom",
            kind: "personal",
            displayName: "Ken Sato",
          });
          expect(portal.location.search).not.to.contain("tsunagu_oauth");
          const held = await apiAs<AccountsAnswer>(server, ken, "/v1/accounts");
          expect(held.accounts.map((account) => account.externalUserId)).to.deep.equal(["zU_ken"]);
        } finally {
          portal.close();
        }
      },
    );

    it(
      "links nothing when the begin URL is opened by a click in another person's browser, or posted with its secret " +
        "from another site",
      async () => {
        const { hanako, ken } = sakura();
        await connectOrganisation(hanako, "zoom", "zU_hanako");
        // Ken's portal page starts a link as the element does; the begin URL leaks, and even its secret.
        const response = await fetch(`${server.url}/v1/oauth/zoom/start`, {
          method: "POST",
          headers: { Authorization: `Bearer ${await portalTokenProvider(ken)()}`, "Content-Type": "application/json" },
          body: JSON.stringify({ purpose: "personal", returnMode: "popup" }),
        });
        const started = (await response.json()) as StartedFlow;

        expect(await openElsewhere(started.url)).to.deep.equal({ status: 400, code: "begin_not_from_portal" });
        expect(
          await openElsewhere(started.url, {
            origin: new URL(server.providers.zoom!).origin,
            secret: started.beginSecret,
          }),
        ).to.deep.equal({ status: 400, code: "begin_not_from_portal" });
        expect((await apiAs<FlowStatus>(server, ken, `/v1/oauth/flows/${started.flow}`)).status).to.equal("created");
        expect((await apiAs<AccountsAnswer>(server, ken, "/v1/accounts")).accounts).to.deep.equal([]);

        // Ken's own page still links, in its popup.
        const el = await mount(ken);
        const linked = await linkThroughPopup(el, "personal:zoom", "zU_ken");
        expect(linked.type).to.equal("tsunagu-linked");
      },
    );
  });
});
