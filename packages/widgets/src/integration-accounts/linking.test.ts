import { expect, fixture, html, oneEvent, waitUntil } from "@open-wc/testing";
import type { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import type { TsunaguLinkedEvent } from "../events/tsunagu-linked.ts";
import { type FakeTenant, seedFakeTenant, type TenantSeed } from "../test-support/fake-accounts.ts";
import { fakeServer } from "../test-support/fake-host-token.ts";
import { card, has, settled, texts, toasts, watchPopups } from "../test-support/integration-accounts.ts";
import { liveRegionsHeldBusy } from "../test-support/live-regions.ts";
import type { IntegrationAccounts } from "./integration-accounts.ts";
import { beginNavigation } from "./begin-form.ts";
import "./define.ts";

const connected: TenantSeed = {
  connections: [
    { provider: "google", externalId: "sakura-recruit.example", displayName: "sakura-recruit.example" },
    { provider: "zoom", externalId: "zAcSakura0001", displayName: "Zoom zAcSakura0001" },
  ],
};

/** A Zoom account whose grant was refused (needs linking again), and the popup's outcome that relinks it. */
const zoomNeedingRelink: Pick<TenantSeed, "accounts" | "outcomes"> = {
  accounts: [
    {
      provider: "zoom",
      externalUserId: "zU_recruiting",
      displayName: "Recruiting Interviews",
      status: "needs_reauth",
      statusReason: "invalid_grant",
    },
  ],
  outcomes: [{ account: { externalUserId: "zU_recruiting" } }],
};

/** Waits for the fake provider's page in the popup and returns its flow id. */
async function consentPage(popup: Window): Promise<string> {
  await waitUntil(
    () => popup.document?.querySelector?.('button[value="allow"]'),
    "the popup never showed the provider's page",
  );
  return new URL(popup.location.href).searchParams.get("flow") ?? "";
}

function choose(popup: Window, decision: "allow" | "deny"): void {
  popup.document.querySelector<HTMLButtonElement>(`button[value="${decision}"]`)!.click();
}

async function mount(
  tenant: FakeTenant,
  options: { role?: string; locale?: string; linkMode?: string } = {},
): Promise<IntegrationAccounts> {
  const el = await fixture<IntegrationAccounts>(
    html`<integration-accounts
      server=${fakeServer}
      token=${tenant.token(options.role ? { role: options.role } : {})}
      locale=${options.locale ?? "en"}
      link-mode=${options.linkMode ?? "popup"}
    ></integration-accounts>`,
  );
  await settled(el);
  return el;
}

function linkButton(el: IntegrationAccounts, key: string): HTMLButtonElement {
  return card(el, key).querySelector<HTMLButtonElement>("[data-primary]")!;
}

describe("<integration-accounts> linking", () => {
  let popups: ReturnType<typeof watchPopups>;
  beforeEach(() => {
    popups = watchPopups();
  });
  afterEach(() => {
    popups.restore();
  });

  describe("in a popup", () => {
    it(
      "opens the popup in the click, posts the begin form with its secret into it, and links when the person " +
        "allows",
      async () => {
        const tenant = await seedFakeTenant({
          ...connected,
          outcomes: [
            {
              account: {
                displayName: "Ken Sato",
                email: "ken.sato@sakura-recruit.example",
                externalAccountId: "sakura-recruit.example",
              },
            },
          ],
        });
        const el = await mount(tenant);
        linkButton(el, "personal:google").click();
        expect(popups.opened, "opened before anything was awaited").to.have.length(1);
        await el.updateComplete;
        expect(texts(card(el, "personal:google"), '[part="progress"] [role="status"]')).to.deep.equal([
          "Getting ready…",
        ]);

        const popup = popups.opened[0]!;
        // The fake shows its page only for a POST of the flow's begin secret from this page's origin.
        await consentPage(popup);
        expect(el.shadowRoot!.querySelector("form"), "the begin form is removed once submitted").to.equal(null);
        expect(texts(card(el, "personal:google"), '[part="progress"] [role="status"]')).to.deep.equal([
          "Continue in the Google window that opened…",
        ]);
        // What linking changes is busy, not the card around the progress line: that one is heard.
        expect(liveRegionsHeldBusy(el)).to.deep.equal([]);
        expect(card(el, "personal:google").querySelector('[part="empty"]')?.getAttribute("aria-busy")).to.equal("true");
        const linked = oneEvent(el, "tsunagu-linked") as Promise<TsunaguLinkedEvent>;
        choose(popup, "allow");

        const { detail } = await linked;
        expect(detail).to.include({ provider: "google", kind: "personal", displayName: "Ken Sato" });
        await el.updateComplete;
        expect(toasts(el)).to.deep.equal(["Linked the Google account Ken Sato."]);
        expect(texts(card(el, "personal:google"), '[part="account-name"]')).to.deep.equal(["Ken Sato"]);
        expect(has(card(el, "personal:google"), '[part="progress"]')).to.equal(false);
        expect(popup.closed).to.equal(true);
        const starts = (await tenant.requests()).filter((request) => request.route === "POST /v1/oauth/google/start");
        expect(starts.map((request) => request.body)).to.deep.equal([{ purpose: "personal", returnMode: "popup" }]);
      },
    );

    it("says how linking goes in a live region that was in the card, empty, before linking began", async () => {
      const tenant = await seedFakeTenant({ ...connected, ...zoomNeedingRelink });
      const el = await mount(tenant);
      const region = (key: string) => card(el, key).querySelector<HTMLElement>('[role="status"][data-progress]');
      const starts: Array<[key: string, start: () => void, provider: string]> = [
        ["personal:google", () => linkButton(el, "personal:google").click(), "Google"],
        [
          "personal:zoom",
          () => card(el, "personal:zoom").querySelector<HTMLButtonElement>('[part="account"] button')!.click(),
          "Zoom",
        ],
      ];
      for (const [key, start, provider] of starts) {
        const waiting = region(key);
        expect(waiting === null, `${key} has no live region before linking`).to.equal(false);
        expect(waiting!.textContent).to.equal("");
        start();
        await el.updateComplete;
        // The same node, there since the card was drawn, now holds the words: a change a screen reader announces.
        expect(region(key) === waiting, `${key}'s region was replaced`).to.equal(true);
        expect(texts(card(el, key), '[part="progress"] [role="status"]')).to.deep.equal(["Getting ready…"]);
        await consentPage(popups.opened.at(-1)!);
        expect(region(key) === waiting, `${key}'s region was replaced`).to.equal(true);
        expect(waiting!.textContent).to.equal(`Continue in the ${provider} window that opened…`);
        card(el, key).querySelector<HTMLButtonElement>("[data-cancel]")!.click();
        await el.updateComplete;
        expect(region(key) === waiting, `${key}'s region left with the progress line`).to.equal(true);
        expect(waiting!.textContent).to.equal("");
      }
      await expect(el).to.be.accessible();
    });

    it("connects the organisation for an admin and names the workspace", async () => {
      const tenant = await seedFakeTenant({
        outcomes: [{ connection: { externalId: "T0SAKURA01", displayName: "Sakura Recruit" } }],
      });
      const el = await mount(tenant, { role: "admin" });
      linkButton(el, "organization:slack").click();
      const popup = popups.opened[0]!;
      await consentPage(popup);
      const linked = oneEvent(el, "tsunagu-linked") as Promise<TsunaguLinkedEvent>;
      choose(popup, "allow");
      expect((await linked).detail).to.include({
        provider: "slack",
        kind: "organization",
        displayName: "Sakura Recruit",
      });
      await el.updateComplete;
      expect(toasts(el)).to.deep.equal(["Connected the Slack workspace Sakura Recruit."]);
      expect(texts(card(el, "organization:slack"), "button")).to.deep.equal(["Reconnect", "Disconnect"]);
      expect(has(card(el, "personal:slack"), '[part="notice"]')).to.equal(false);
      expect(
        (await tenant.requests()).find((request) => request.route === "POST /v1/oauth/slack/start")?.body,
      ).to.deep.equal({ purpose: "org", returnMode: "popup" });
    });

    it("relinks an account that needs it through the same round trip", async () => {
      const tenant = await seedFakeTenant({
        ...connected,
        ...zoomNeedingRelink,
      });
      const el = await mount(tenant);
      const relink = card(el, "personal:zoom").querySelector<HTMLButtonElement>('[part="account"] button')!;
      relink.focus();
      relink.click();
      const popup = popups.opened[0]!;
      await consentPage(popup);
      const linked = oneEvent(el, "tsunagu-linked");
      choose(popup, "allow");
      await linked;
      await el.updateComplete;
      expect(texts(card(el, "personal:zoom"), '[part~="status-badge"]')).to.deep.equal(["Connected"]);
      expect(has(card(el, "personal:zoom"), '[part="status-reason"]')).to.equal(false);
      // The relink button went with the need to relink: the focus is on the card's main action, not lost.
      await waitUntil(
        () => el.shadowRoot!.activeElement === card(el, "personal:zoom").querySelector("[data-primary]"),
        "the focus was lost with the relink button",
      );
    });

    it("shows the provider's refusal inline, in Japanese, and reports it", async () => {
      const tenant = await seedFakeTenant(connected);
      const el = await mount(tenant, { locale: "ja" });
      linkButton(el, "personal:zoom").click();
      const popup = popups.opened[0]!;
      await consentPage(popup);
      const reported = oneEvent(el, "tsunagu-error") as Promise<TsunaguErrorEvent>;
      choose(popup, "deny");

      const { error } = (await reported).detail;
      expect({ status: error.status, code: error.code }).to.deep.equal({ status: 400, code: "consent_denied" });
      await el.updateComplete;
      const inline = card(el, "personal:zoom").querySelector('[part="error"]')!;
      expect(inline.getAttribute("role")).to.equal("alert");
      expect(texts(inline, "p")).to.deep.equal([
        "Zoom でアクセスが許可されなかったため、連携できませんでした。もう一度連携し、Zoom の画面で「許可」を押してください。",
      ]);
      await expect(el).to.be.accessible();

      inline.querySelector("button")!.click();
      await el.updateComplete;
      expect(has(card(el, "personal:zoom"), '[part="error"]')).to.equal(false);
    });

    it("shows the server's own message for a refusal it has no words for", async () => {
      const tenant = await seedFakeTenant({
        ...connected,
        outcomes: [{ error: { code: "brand_new_guard", message: "Ask your Zoom admin to approve the app first." } }],
      });
      const el = await mount(tenant);
      linkButton(el, "personal:zoom").click();
      const popup = popups.opened[0]!;
      await consentPage(popup);
      const reported = oneEvent(el, "tsunagu-error");
      choose(popup, "allow");
      await reported;
      await el.updateComplete;
      expect(texts(card(el, "personal:zoom"), '[part="error"] p')).to.deep.equal([
        "Ask your Zoom admin to approve the app first.",
      ]);
    });

    it("ignores outcome messages that are not from its popup at the server's origin", async () => {
      const tenant = await seedFakeTenant({ ...connected, outcomes: [{ account: { displayName: "Real One" } }] });
      const el = await mount(tenant);
      let linkedEvents = 0;
      el.addEventListener("tsunagu-linked", () => (linkedEvents += 1));
      linkButton(el, "personal:google").click();
      const popup = popups.opened[0]!;
      const flow = await consentPage(popup);

      const forged = {
        type: "tsunagu:oauth",
        flow,
        status: "linked",
        provider: "google",
        purpose: "personal",
        accountId: "forged",
      };
      window.dispatchEvent(
        new MessageEvent("message", { data: forged, origin: "https://evil.example", source: popup }),
      );
      window.dispatchEvent(new MessageEvent("message", { data: forged, origin: location.origin, source: window }));
      window.dispatchEvent(
        new MessageEvent("message", {
          data: { ...forged, flow: "another-flow" },
          origin: location.origin,
          source: popup,
        }),
      );
      await el.updateComplete;
      expect(linkedEvents).to.equal(0);
      expect(has(card(el, "personal:google"), '[part="progress"]')).to.equal(true);

      const linked = oneEvent(el, "tsunagu-linked") as Promise<TsunaguLinkedEvent>;
      choose(popup, "allow");
      expect((await linked).detail.displayName).to.equal("Real One");
      expect(linkedEvents).to.equal(1);
    });

    it("says nothing was linked when the person closes the popup", async () => {
      const tenant = await seedFakeTenant(connected);
      const el = await mount(tenant);
      linkButton(el, "personal:google").click();
      const popup = popups.opened[0]!;
      await consentPage(popup);
      popup.close();
      await waitUntil(() => toasts(el).length > 0, "no toast after the popup closed");
      expect(toasts(el)).to.deep.equal(["Google was not linked (the window was closed)."]);
      expect(has(card(el, "personal:google"), '[part="progress"]')).to.equal(false);
      expect(has(card(el, "personal:google"), '[part="error"]')).to.equal(false);
    });

    it("puts the focus on Cancel while the popup is open, back on the link button if nothing was linked", async () => {
      const tenant = await seedFakeTenant({
        ...connected,
        outcomes: [{ error: { code: "brand_new_guard", message: "Ask your Zoom admin to approve the app first." } }],
      });
      const el = await mount(tenant);
      for (const [key, end] of [
        ["personal:google", (popup: Window) => popup.close()],
        ["personal:zoom", (popup: Window) => choose(popup, "allow")],
      ] as const) {
        // As Enter on it: the focus on it, then its click.
        linkButton(el, key).focus();
        linkButton(el, key).click();
        const popup = popups.opened.at(-1)!;
        await consentPage(popup);
        // The link button gave way to the progress line: the focus went to Cancel, in its place.
        expect(
          el.shadowRoot!.activeElement === card(el, key).querySelector("[data-cancel]"),
          `focus on Cancel while ${key} links`,
        ).to.equal(true);
        end(popup);
        await waitUntil(() => !has(card(el, key), '[part="progress"]'), "the link never ended");
        await el.updateComplete;
        expect(el.shadowRoot!.activeElement === linkButton(el, key), `focus on the link button after ${key}`).to.equal(
          true,
        );
      }
    });

    it("asks the server how the flow ended when the popup closes without a message", async () => {
      const tenant = await seedFakeTenant({ ...connected, outcomes: [{ account: { displayName: "Quiet One" } }] });
      const el = await mount(tenant);
      linkButton(el, "personal:google").click();
      const popup = popups.opened[0]!;
      await consentPage(popup);
      // As when a provider page severs the opener: the outcome page cannot post, and does not close itself.
      (popup as { opener: unknown }).opener = null;
      choose(popup, "allow");
      await waitUntil(() => popup.document?.body?.textContent?.includes("linked"), "the outcome page never loaded");
      const linked = oneEvent(el, "tsunagu-linked") as Promise<TsunaguLinkedEvent>;
      popup.close();
      expect((await linked).detail.displayName).to.equal("Quiet One");
      expect((await tenant.requests()).some((request) => request.route.startsWith("GET /v1/oauth/flows/"))).to.equal(
        true,
      );
    });

    it("says, in Japanese, that linking expired when the popup closes after the flow's time ran out", async () => {
      // A flow that expires at once: the popup is left open past the flow's ten minutes, then closed without an answer.
      const tenant = await seedFakeTenant({ ...connected, flowLifetimeMs: 0 });
      const el = await mount(tenant, { locale: "ja" });
      linkButton(el, "personal:google").click();
      const popup = popups.opened[0]!;
      await consentPage(popup);
      const reported = oneEvent(el, "tsunagu-error") as Promise<TsunaguErrorEvent>;
      popup.close();

      expect((await reported).detail.error.code).to.equal("flow_expired");
      await el.updateComplete;
      expect(texts(card(el, "personal:google"), '[part="error"] p')).to.deep.equal([
        "連携の手続きが時間切れになりました。もう一度お試しください。",
      ]);
      expect(toasts(el)).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it("closes the popup on Cancel and gives the focus back to the card's link button", async () => {
      const tenant = await seedFakeTenant(connected);
      const el = await mount(tenant);
      linkButton(el, "personal:google").click();
      const popup = popups.opened[0]!;
      await consentPage(popup);
      const cancel = card(el, "personal:google").querySelector<HTMLButtonElement>("[data-cancel]")!;
      expect(cancel.textContent?.trim()).to.equal("Cancel linking Google");
      cancel.focus();
      cancel.click();
      await el.updateComplete;
      await el.updateComplete;
      expect(popup.closed).to.equal(true);
      expect(has(card(el, "personal:google"), '[part="progress"]')).to.equal(false);
      expect(el.shadowRoot!.activeElement === linkButton(el, "personal:google"), "focus on the link button").to.equal(
        true,
      );
      expect(toasts(el)).to.deep.equal([]);
    });

    it("lets other actions wait, without taking their focus, while a link is under way", async () => {
      const tenant = await seedFakeTenant({
        ...connected,
        accounts: [{ provider: "zoom", displayName: "Ken Sato", isDefault: true }],
      });
      const el = await mount(tenant);
      linkButton(el, "personal:google").click();
      await consentPage(popups.opened[0]!);
      const unlink = card(el, "personal:zoom").querySelector<HTMLButtonElement>('[part="account"] button')!;
      expect(unlink.getAttribute("aria-disabled")).to.equal("true");
      expect(unlink.disabled).to.equal(false);
      unlink.click();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector("dialog")!.open).to.equal(false);
      linkButton(el, "personal:zoom").click();
      expect(popups.opened).to.have.length(1);
    });

    it("shows a refused start inline and closes the empty popup", async () => {
      const tenant = await seedFakeTenant({
        ...connected,
        failures: {
          "POST /v1/oauth/google/start": {
            status: 403,
            code: "origin_not_allowed",
            message: "Start linking from a registered origin.",
          },
        },
      });
      const el = await mount(tenant);
      const reported = oneEvent(el, "tsunagu-error") as Promise<TsunaguErrorEvent>;
      linkButton(el, "personal:google").click();
      expect((await reported).detail.error.code).to.equal("origin_not_allowed");
      await el.updateComplete;
      expect(popups.opened[0]!.closed).to.equal(true);
      expect(texts(card(el, "personal:google"), '[part="error"] p')).to.deep.equal([
        "This page's address is not registered with the Tsunagu server. Tell your administrator.",
      ]);
    });
    it("drops a relink's refusal saying to reload once the page renews the token; relinking works", async () => {
      const tenant = await seedFakeTenant({
        ...connected,
        ...zoomNeedingRelink,
        failures: { "POST /v1/oauth/zoom/start": { status: 401, code: "token_expired", message: "Expired." } },
      });
      const el = await mount(tenant, { locale: "ja" });
      let renew: () => void = () => undefined;
      // The portal asks its backend for a fresh token: it arrives after the refusal is shown.
      el.addEventListener("tsunagu-token-expired", () => (renew = () => (el.token = tenant.token({ jti: "renewed" }))));
      const relink = () => card(el, "personal:zoom").querySelector<HTMLButtonElement>('[part="account"] button')!;
      relink().click();
      await waitUntil(() => has(card(el, "personal:zoom"), '[part="error"]'), "no refusal", { timeout: 5000 });
      expect(texts(card(el, "personal:zoom"), '[part="error"] p')).to.deep.equal([
        "セッションの有効期限が切れました。ページを再読み込みしてください。",
      ]);
      renew();
      await el.updateComplete;
      // Reloading is not needed: the card drops the refusal and offers the relink again, which goes through.
      expect(has(card(el, "personal:zoom"), '[part="error"]')).to.equal(false);
      await expect(el).to.be.accessible();
      relink().click();
      const popup = popups.opened[1]!;
      await consentPage(popup);
      const linked = oneEvent(el, "tsunagu-linked") as Promise<TsunaguLinkedEvent>;
      choose(popup, "allow");
      expect((await linked).detail).to.include({ provider: "zoom", kind: "personal" });
    });

    it("drops a link's refusal for a token the page renewed in tsunagu-token-expired's handler", async () => {
      const tenant = await seedFakeTenant({
        ...connected,
        failures: { "POST /v1/oauth/google/start": { status: 401, code: "token_expired", message: "Expired." } },
      });
      const el = await mount(tenant, { locale: "ja" });
      el.addEventListener("tsunagu-token-expired", () => (el.token = tenant.token({ jti: "renewed" })));
      const reported = oneEvent(el, "tsunagu-error") as Promise<TsunaguErrorEvent>;
      linkButton(el, "personal:google").click();
      expect((await reported).detail.error.code).to.equal("token_expired");
      await settled(el);
      expect(has(card(el, "personal:google"), '[part="error"]')).to.equal(false);
      expect(linkButton(el, "personal:google").textContent?.trim()).to.equal("Google アカウントを連携");
    });
  });

  describe("in the page (redirect mode)", () => {
    /** The begin forms the page submitted (caught before the page leaves). */
    let submitted: Array<{ method: string; action: string; target: string; secret: string | null; connected: boolean }>;
    const submit = beginNavigation.submit;
    beforeEach(() => {
      submitted = [];
      beginNavigation.submit = (form) =>
        submitted.push({
          method: form.method,
          action: form.action,
          target: form.target,
          secret: new FormData(form).get("secret") as string | null,
          connected: form.isConnected,
        });
    });
    afterEach(() => {
      beginNavigation.submit = submit;
    });

    /** Begins a caught begin form as the browser would have: a POST of its secret from this page. */
    async function postBegin(form: (typeof submitted)[number]): Promise<string> {
      const begun = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams({ secret: form.secret ?? "" }),
      });
      expect(begun.status).to.equal(200);
      return new URL(form.action).searchParams.get("flow")!;
    }

    it("offers to continue on this page when the browser blocks the popup", async () => {
      const tenant = await seedFakeTenant(connected);
      const el = await mount(tenant);
      window.open = () => null;
      linkButton(el, "personal:google").click();
      await el.updateComplete;
      const notice = card(el, "personal:google").querySelector('[part="notice"]')!;
      expect(notice.textContent).to.contain("The popup was blocked, so the Google window could not open.");
      // Nothing opened after the click: the notice is said at once. It arrives with its words, which an alert's are
      // heard with and a status's are not by every screen reader.
      expect(notice.getAttribute("role")).to.equal("alert");
      await expect(el).to.be.accessible();

      notice.querySelector<HTMLButtonElement>("[data-continue]")!.click();
      await waitUntil(() => submitted.length > 0, "the page never left");
      // A POST of the begin secret from this page, into the page itself; the form is gone afterwards.
      expect(submitted[0]).to.include({ method: "post", target: "_self", connected: true });
      expect(submitted[0]!.action).to.match(
        new RegExp(`^${location.origin}/fake-tsunagu/oauth/google/consent\\?flow=`),
      );
      expect(submitted[0]!.secret).to.match(/^[A-Za-z0-9_-]{43}$/);
      expect(el.shadowRoot!.querySelector("form")).to.equal(null);
      const start = (await tenant.requests()).find((request) => request.route === "POST /v1/oauth/google/start");
      expect(start?.body).to.deep.equal({
        purpose: "personal",
        returnMode: "redirect",
        returnUrl: location.href.split("#")[0],
      });
    });

    it("goes straight to the provider with link-mode=redirect", async () => {
      const tenant = await seedFakeTenant(connected);
      const el = await mount(tenant, { linkMode: "redirect" });
      linkButton(el, "personal:zoom").click();
      await waitUntil(() => submitted.length > 0, "the page never left");
      expect(popups.opened).to.have.length(0);
      expect(submitted[0]!.action).to.contain("/fake-tsunagu/oauth/zoom/consent?flow=");
    });

    it("reports the outcome when the page comes back, and cleans the address bar", async () => {
      const tenant = await seedFakeTenant({ ...connected, outcomes: [{ account: { displayName: "Back Again" } }] });
      const first = await mount(tenant, { linkMode: "redirect" });
      linkButton(first, "personal:google").click();
      await waitUntil(() => submitted.length > 0, "the page never left");
      // The person allows at the "provider"; the fake sends the page back with the outcome.
      const flow = await postBegin(submitted[0]!);
      const decided = await fetch(`/fake-tsunagu/oauth/google/decide`, {
        method: "POST",
        body: new URLSearchParams({ flow, decision: "allow" }),
        redirect: "manual",
      });
      expect(decided.type).to.equal("opaqueredirect");
      first.remove();

      const before = location.href;
      history.replaceState(null, "", `?keep=1&tsunagu_oauth=linked&flow=${flow}`);
      try {
        const linked = oneEvent(document, "tsunagu-linked") as Promise<TsunaguLinkedEvent>;
        const el = await fixture<IntegrationAccounts>(
          html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="en"></integration-accounts>`,
        );
        expect((await linked).detail.displayName).to.equal("Back Again");
        await el.updateComplete;
        expect(toasts(el)).to.deep.equal(["Linked the Google account Back Again."]);
        expect(location.search).to.equal("?keep=1");
      } finally {
        history.replaceState(null, "", before);
      }
    });

    it("shows the refusal of a flow that came back refused", async () => {
      const tenant = await seedFakeTenant({
        ...connected,
        outcomes: [
          { error: { code: "account_already_linked", message: "This account is already linked to your profile." } },
        ],
      });
      const first = await mount(tenant, { linkMode: "redirect" });
      linkButton(first, "personal:zoom").click();
      await waitUntil(() => submitted.length > 0, "the page never left");
      const flow = await postBegin(submitted[0]!);
      await fetch(`/fake-tsunagu/oauth/zoom/decide`, {
        method: "POST",
        body: new URLSearchParams({ flow, decision: "allow" }),
        redirect: "manual",
      });
      first.remove();

      const before = location.href;
      history.replaceState(null, "", `?tsunagu_oauth=error&flow=${flow}&code=account_already_linked`);
      try {
        const reported = oneEvent(document, "tsunagu-error") as Promise<TsunaguErrorEvent>;
        const el = await fixture<IntegrationAccounts>(
          html`<integration-accounts server=${fakeServer} token=${tenant.token()} locale="ja"></integration-accounts>`,
        );
        expect((await reported).detail.error.code).to.equal("account_already_linked");
        await el.updateComplete;
        expect(texts(card(el, "personal:zoom"), '[part="error"] p')).to.deep.equal([
          "このアカウントはすでに連携されています。",
        ]);
        expect(location.search).to.equal("");
      } finally {
        history.replaceState(null, "", before);
      }
    });
  });
});
