import { expect, fixture, html, waitUntil } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import type { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import type { TsunaguTokenExpiredEvent } from "../events/tsunagu-token-expired.ts";
import type { TsunaguZoomHostChangedEvent } from "../events/tsunagu-zoom-host-changed.ts";
import { fakeServer } from "../test-support/fake-host-token.ts";
import { has, texts } from "../test-support/integration-accounts.ts";
import { liveRegionsHeldBusy } from "../test-support/live-regions.ts";
import {
  busyHour,
  type FakeZoomTenant,
  freeHalfHour,
  pickerSettled,
  radioOf,
  radios,
  sakuraHosts,
  seedZoomHosts,
  shownHosts,
} from "../test-support/fake-zoom-hosts.ts";
import { ZoomHostPicker } from "./zoom-host-picker.ts";
import "./define.ts";

interface MountOptions {
  locale?: string;
  time?: { start: string; end: string } | null;
  participants?: string;
  token?: string;
  linkPlace?: string;
  onChanged?: (event: TsunaguZoomHostChangedEvent) => void;
}

async function mount(tenant: FakeZoomTenant, options: MountOptions = {}): Promise<ZoomHostPicker> {
  const time = options.time === undefined ? busyHour : options.time;
  const el = await fixture<ZoomHostPicker>(html`<zoom-host-picker
    server=${fakeServer}
    token=${options.token ?? tenant.token()}
    locale=${options.locale ?? "en"}
    debounce="0"
    start=${time?.start ?? ""}
    end=${time?.end ?? ""}
    participants=${options.participants ?? "u_ken u_aiko"}
    .linkPlace=${options.linkPlace ?? null}
    @tsunagu-zoom-host-changed=${(event: TsunaguZoomHostChangedEvent) => options.onChanged?.(event)}
  ></zoom-host-picker>`);
  await pickerSettled(el);
  return el;
}

describe("<zoom-host-picker>", () => {
  describe("registration", () => {
    it("is registered by define.ts under its tag name, as a form-associated element", () => {
      expect(document.createElement("zoom-host-picker") instanceof ZoomHostPicker).to.equal(true);
      expect((ZoomHostPicker as unknown as { formAssociated: boolean }).formAssociated).to.equal(true);
    });
  });

  describe("candidates", () => {
    it(
      "lists the participants' own Zoom users first, then the " + "shared ones, each with its state, reason and load",
      async () => {
        const tenant = await seedZoomHosts({ hosts: sakuraHosts });
        const el = await mount(tenant);
        expect(shownHosts(el)).to.deep.equal(["zu_ken", "zu_aiko", "zu_recruit*", "zu_basic"]);
        const root = el.shadowRoot!;
        expect(texts(root, '[part~="candidate-name"]')).to.deep.equal([
          "Ken Sato",
          "田中 愛子",
          "Recruiting Interviews",
          "Intern Desk",
        ]);
        expect(texts(root, '[part~="status-badge"]')).to.deep.equal([
          "Cannot host",
          "Cannot host",
          "Available",
          "Cannot host",
        ]);
        expect(texts(radioOf(el, "zu_ken"), '[part~="status-reason"]')).to.deep.equal([
          "Already hosting another meeting at this time.",
        ]);
        expect(texts(radioOf(el, "zu_aiko"), '[part~="status-reason"]')).to.deep.equal([
          "Needs linking again: link this Zoom user again in the integration settings.",
        ]);
        expect(texts(radioOf(el, "zu_basic"), '[part~="status-reason"]')).to.deep.equal([
          "A Basic (free) Zoom user can host meetings of up to 40 minutes.",
        ]);
        expect(texts(radioOf(el, "zu_recruit"), '[part~="load"]')).to.deep.equal(["Meetings at this time: 1 of 2"]);
        expect(has(radioOf(el, "zu_recruit"), '[part~="status-reason"]')).to.equal(false);
        expect(radioOf(el, "zu_ken").getAttribute("part")).to.equal("card candidate-card unavailable");
        expect(radioOf(el, "zu_ken").querySelector('[part~="status-badge"]')!.getAttribute("part")).to.equal(
          "badge status-badge status-busy",
        );
        expect(radioOf(el, "zu_ken").getAttribute("aria-disabled")).to.equal("true");
        expect(radioOf(el, "zu_recruit").hasAttribute("aria-disabled")).to.equal(false);
        await expect(el).to.be.accessible();
      },
    );

    it("preselects the server's pick, badges it and says why, and tells the page", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const changes: TsunaguZoomHostChangedEvent["detail"][] = [];
      const el = await mount(tenant, { onChanged: (event) => changes.push(event.detail) });
      expect(el.value).to.equal("zu_recruit");
      expect(radioOf(el, "zu_recruit").getAttribute("aria-checked")).to.equal("true");
      expect(radioOf(el, "zu_recruit").getAttribute("part")).to.equal("card candidate-card selected");
      expect(texts(radioOf(el, "zu_recruit"), '[part~="pick-badge"]')).to.deep.equal(["Suggested"]);
      expect(texts(el.shadowRoot!, '[part~="pick-reason"]')).to.deep.equal([
        "Chosen automatically: No interviewer's own Zoom user is free, so the least busy shared user Recruiting " +
          "Interviews was picked.",
      ]);
      // The pick's reason describes its radio, so a screen reader hears it with the name.
      expect(radioOf(el, "zu_recruit").getAttribute("aria-describedby")).to.contain("pick-reason");
      expect(changes).to.deep.equal([{ zoomUserId: "zu_recruit", displayName: "Recruiting Interviews", auto: true }]);
      expect(texts(el.shadowRoot!, '[part~="status"]')).to.deep.equal([
        "4 Zoom hosts listed. Recruiting Interviews is chosen.",
      ]);
    });

    it("picks the interviewer's own Zoom user when it is free", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const el = await mount(tenant, { time: freeHalfHour });
      expect(shownHosts(el)).to.deep.equal(["zu_ken*", "zu_aiko", "zu_recruit", "zu_basic"]);
      expect(texts(el.shadowRoot!, '[part~="pick-reason"]')[0]).to.contain(
        "Ken Sato is one of the interviewers and is free at this time.",
      );
    });

    it("words a reason it does not know as 'cannot host', and keeps fields it does not know", async () => {
      const tenant = await seedZoomHosts({
        hosts: [
          { zoomUserId: "zu_new", displayName: "Plan Expired", reason: "zoom_plan_expired", extra: { plan: "pro" } },
          { zoomUserId: "zu_ok", displayName: "Recruiting", extra: { plan: "business" } },
        ],
      });
      const el = await mount(tenant);
      expect(texts(radioOf(el, "zu_new"), '[part~="status-reason"]')).to.deep.equal([
        "Cannot host a meeting at this time.",
      ]);
      expect(radioOf(el, "zu_new").querySelector('[part~="status-badge"]')!.getAttribute("part")).to.equal(
        "badge status-badge status-unavailable",
      );
      expect(el.candidates.map((candidate) => (candidate as unknown as { plan: string }).plan)).to.deep.equal([
        "pro",
        "business",
      ]);
      expect(el.value).to.equal("zu_ok");
    });

    it("says what to do when nobody can host at that time, and chooses none", async () => {
      const tenant = await seedZoomHosts({
        hosts: [{ zoomUserId: "zu_ken", displayName: "Ken Sato", owners: ["u_ken"], meetings: [busyHour] }],
      });
      const el = await mount(tenant);
      expect(el.value).to.equal("");
      expect(texts(el.shadowRoot!, '[part~="notice"]')).to.deep.equal([
        "No Zoom user can host at this time. Choose another time, or free one of the hosts in Zoom.",
      ]);
      // Every candidate is unavailable: the first still takes Tab, so its reason can be heard.
      expect(radios(el).map((radio) => radio.tabIndex)).to.deep.equal([0]);
      await expect(el).to.be.accessible();
    });

    it("says so when the organisation has no linked Zoom user", async () => {
      const tenant = await seedZoomHosts({ hosts: [] });
      const el = await mount(tenant);
      expect(texts(el.shadowRoot!, '[part~="empty"]')).to.deep.equal([
        "No Zoom user is linked in your organisation yet. Link one in the integration settings.",
      ]);
    });

    it("sends people to link where the page says, on a page that is itself the integration settings", async () => {
      // Beside the portal's own accounts section, 連携設定 would send the person to the page they are on.
      const none = await mount(await seedZoomHosts({ hosts: [] }), {
        locale: "ja",
        linkPlace: "上の「アカウント連携」",
      });
      expect(texts(none.shadowRoot!, '[part~="empty"]')).to.deep.equal([
        "組織で連携済みの Zoom ユーザーがまだいません。上の「アカウント連携」で Zoom ユーザーを連携してください。",
      ]);
      const el = await mount(await seedZoomHosts({ hosts: sakuraHosts }), {
        linkPlace: "the Linked accounts section above",
      });
      expect(texts(radioOf(el, "zu_aiko"), '[part~="status-reason"]')).to.deep.equal([
        "Needs linking again: link this Zoom user again in the Linked accounts section above.",
      ]);
      await expect(el).to.be.accessible();
    });

    it("asks nothing until it has a start and an end, and says what it needs", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const el = await mount(tenant, { time: null });
      expect(texts(el.shadowRoot!, '[part~="notice"]')).to.deep.equal([
        "Choose the interview's date and time to see who can host it on Zoom.",
      ]);
      expect(await tenant.requests()).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it("with interview-id, does not count that interview's own meeting against its host, only others", async () => {
      // Ken hosts the interview being changed, 10:00–11:00; the shared user hosts another one then.
      const own = { start: "2026-12-01T10:00:00Z", end: "2026-12-01T11:00:00Z", interviewId: "iv_10" };
      const hosts = [
        { zoomUserId: "zu_ken", displayName: "Ken Sato", owners: ["u_ken"], meetings: [own] },
        { zoomUserId: "zu_recruit", displayName: "Recruiting Interviews", meetings: [{ ...own, interviewId: "iv_9" }] },
      ];
      const tenant = await seedZoomHosts({ hosts });
      const el = await fixture<ZoomHostPicker>(html`<zoom-host-picker
        server=${fakeServer}
        token=${tenant.token()}
        locale="en"
        debounce="0"
        start=${own.start}
        end=${own.end}
        participants="u_ken"
        interview-id="iv_10"
      ></zoom-host-picker>`);
      await pickerSettled(el);
      expect(el.interviewId).to.equal("iv_10");
      expect(shownHosts(el)).to.deep.equal(["zu_ken*", "zu_recruit"]);
      expect(el.value).to.equal("zu_ken");
      expect(texts(radioOf(el, "zu_recruit"), '[part~="status-reason"]')).to.deep.equal([
        "Already hosting another meeting at this time.",
      ]);
      // As a property too: without it, the interview's own meeting makes Ken busy at its own time.
      el.interviewId = null;
      await waitUntil(async () => (await tenant.requests()).length === 2, "no second question", { timeout: 10_000 });
      await pickerSettled(el);
      expect(shownHosts(el)).to.deep.equal(["zu_ken", "zu_recruit"]);
      expect((await tenant.requests()).map((request) => request.interviewId)).to.deep.equal(["iv_10", null]);
      await expect(el).to.be.accessible();
    });
  });

  describe("refreshing", () => {
    const stalled = "2026-12-01T09:00:00.000Z";
    /** A picker shown with an answer, then moved to a time whose request the fake holds: its refresh under way. */
    async function refreshingOnStalled(): Promise<{ tenant: FakeZoomTenant; el: ZoomHostPicker }> {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts, stallStarts: [stalled] });
      const el = await mount(tenant, { time: freeHalfHour });
      el.start = stalled;
      el.end = "2026-12-01T09:30:00.000Z";
      await waitUntil(
        async () => (await tenant.requests()).some((request) => request.start === stalled),
        "the stalled request never reached the fake",
      );
      return { tenant, el };
    }

    it("shows the outline of the candidates while the first answer is on its way", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const el = await fixture<ZoomHostPicker>(
        html`<zoom-host-picker server=${fakeServer} token=${tenant.token()} locale="en" start=${busyHour.start}
          end=${busyHour.end}></zoom-host-picker>`,
      );
      const loading = el.shadowRoot!.querySelector('[part="loading"]');
      expect(loading?.getAttribute("role")).to.equal("status");
      expect(loading?.textContent).to.equal("Checking which Zoom users can host…");
      expect(liveRegionsHeldBusy(el)).to.deep.equal([]);
      expect(has(el.shadowRoot!, '[part="skeleton"][aria-busy="true"]')).to.equal(true);
      await expect(el).to.be.accessible();
      await pickerSettled(el);
      expect(has(el.shadowRoot!, '[part="skeleton"]')).to.equal(false);
    });

    it("marks the last list busy while a new answer loads, a bar along it, and says so outside it", async () => {
      const { el } = await refreshingOnStalled();
      await el.updateComplete;
      expect(texts(el.shadowRoot!, '[part~="status"]')).to.deep.equal(["Checking which Zoom users can host…"]);
      // A screen reader holds back a live region inside a busy one: the status line is beside the list.
      expect(liveRegionsHeldBusy(el)).to.deep.equal([]);
      expect(has(el.shadowRoot!, '[aria-busy="true"] [role="radiogroup"]')).to.equal(true);
      // Not dimmed, so every line of the list keeps its contrast; the cue is a bar in the accent colour (#0b5cad).
      expect(getComputedStyle(el.shadowRoot!.querySelector('[role="radiogroup"]')!).opacity).to.equal("1");
      expect(getComputedStyle(el.shadowRoot!.querySelector(".body")!).boxShadow).to.equal(
        "rgb(11, 92, 173) 0px -3px 0px 0px",
      );
      await expect(el).to.be.accessible();
    });

    it("asks once for inputs that change in a burst, with the last of them", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const el = await fixture<ZoomHostPicker>(
        html`<zoom-host-picker server=${fakeServer} token=${tenant.token()} locale="en"
          debounce="2000"></zoom-host-picker>`,
      );
      // A person typing a time: each change a moment after the one before, well within the debounce.
      const aMoment = () => new Promise((resolve) => setTimeout(resolve, 30));
      for (const minute of ["00", "15", "30"]) {
        el.start = `2026-12-01T13:${minute}:00.000Z`;
        el.end = `2026-12-01T14:${minute}:00.000Z`;
        await aMoment();
      }
      el.participants = ["u_aiko"];
      await el.updateComplete;
      expect(texts(el.shadowRoot!, '[part="loading"]')).to.deep.equal(["Checking which Zoom users can host…"]);
      await pickerSettled(el);
      const requests = await tenant.requests();
      expect(requests.map(({ start, end, participants }) => ({ start, end, participants }))).to.deep.equal([
        { start: "2026-12-01T13:30:00.000Z", end: "2026-12-01T14:30:00.000Z", participants: ["u_aiko"] },
      ]);
      expect(shownHosts(el)).to.deep.equal(["zu_aiko", "zu_recruit*", "zu_basic", "zu_ken"]);
    });

    it("asks nothing again, and says nothing again, when given equal participants and times anew", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const el = await mount(tenant, { locale: "ja" });
      const region = el.shadowRoot!.querySelector('[part="status"]')!;
      const said: string[] = [];
      new MutationObserver(() => said.push(region.textContent ?? "")).observe(region, {
        childList: true,
        characterData: true,
        subtree: true,
      });
      // What a page that renders again sets: the same values in new objects.
      el.participants = ["u_ken", "u_aiko"];
      el.start = new Date(busyHour.start);
      el.end = new Date(busyHour.end);
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await tenant.requests()).length).to.equal(1);
      expect(said).to.deep.equal([]);
      el.participants = ["u_aiko"];
      await pickerSettled(el);
      expect((await tenant.requests()).length).to.equal(2);
    });

    it("aborts a request that newer inputs made stale, and shows only the newer answer", async () => {
      const { tenant, el } = await refreshingOnStalled();
      // Still the earlier answer, marked as refreshing.
      expect(texts(el.shadowRoot!, '[part~="status"]')).to.deep.equal(["Checking which Zoom users can host…"]);

      el.start = busyHour.start;
      el.end = busyHour.end;
      await pickerSettled(el);
      await waitUntil(
        async () => (await tenant.requests()).find((request) => request.start === stalled)?.outcome === "aborted",
        "the stale request was not aborted",
      );
      expect((await tenant.requests()).map((request) => `${request.start} ${request.outcome}`)).to.deep.equal([
        `${freeHalfHour.start} answered`,
        `${stalled} aborted`,
        `${busyHour.start} answered`,
      ]);
      expect(el.value).to.equal("zu_recruit");
    });

    it(
      "keeps a person's choice across a refresh while it can " + "host, and falls back to the pick when it cannot",
      async () => {
        const tenant = await seedZoomHosts({ hosts: sakuraHosts });
        const changes: TsunaguZoomHostChangedEvent["detail"][] = [];
        const el = await mount(tenant, { time: freeHalfHour, onChanged: (event) => changes.push(event.detail) });
        radioOf(el, "zu_basic").click();
        expect(el.value).to.equal("zu_basic");

        el.end = "2026-12-01T13:40:00.000Z";
        await pickerSettled(el);
        expect(el.value).to.equal("zu_basic");

        // An hour is too long for the Basic user: the server's pick takes over, and the page hears it.
        el.end = "2026-12-01T14:00:00.000Z";
        await pickerSettled(el);
        expect(el.value).to.equal("zu_ken");
        expect(changes).to.deep.equal([
          { zoomUserId: "zu_ken", displayName: "Ken Sato", auto: true },
          { zoomUserId: "zu_basic", displayName: "Intern Desk", auto: false },
          { zoomUserId: "zu_ken", displayName: "Ken Sato", auto: true },
        ]);
      },
    );
  });

  describe("failures", () => {
    it("shows a load failure with what to do, reports it, and its retry works", async () => {
      const tenant = await seedZoomHosts({
        hosts: sakuraHosts,
        failures: [{ status: 503, code: "database_unavailable", message: "The database does not answer." }],
      });
      const errors: TsunaguErrorEvent[] = [];
      const el = await fixture<ZoomHostPicker>(html`<zoom-host-picker
        server=${fakeServer}
        token=${tenant.token()}
        locale="en"
        debounce="0"
        start=${busyHour.start}
        end=${busyHour.end}
        @tsunagu-error=${(event: TsunaguErrorEvent) => errors.push(event)}
      ></zoom-host-picker>`);
      await pickerSettled(el);
      const failure = el.shadowRoot!.querySelector('[part~="error"]')!;
      expect(failure.getAttribute("role")).to.equal("alert");
      expect(failure.querySelector("p")!.textContent).to.equal(
        "Could not load the Zoom hosts. The server cannot reach its database right now. Try again in a few seconds.",
      );
      expect(errors.map((event) => event.detail.error.code)).to.deep.equal(["database_unavailable"]);
      expect(el.value).to.equal("");
      await expect(el).to.be.accessible();

      failure.querySelector("button")!.focus();
      await sendKeys({ press: "Enter" });
      await pickerSettled(el);
      expect(el.value).to.equal("zu_recruit");
      expect(has(el.shadowRoot!, '[part~="error"]')).to.equal(false);
      // The retry button went with the failure: the focus is on the chosen host, not lost to the page.
      await waitUntil(() => el.shadowRoot!.activeElement === radioOf(el, "zu_recruit"), "the focus was lost");
    });

    it("shows the server's own message for a code it has no words for", async () => {
      const tenant = await seedZoomHosts({
        hosts: sakuraHosts,
        failures: [
          { status: 409, code: "zoom_connection_missing", message: "Connect the organisation's Zoom account first." },
        ],
      });
      const el = await mount(tenant);
      expect(texts(el.shadowRoot!, '[part~="error"] p')).to.deep.equal([
        "Could not load the Zoom hosts. Connect the organisation's Zoom account first.",
      ]);
    });

    it("fires tsunagu-token-expired when the server refuses the token and nothing can renew it", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const expired: TsunaguTokenExpiredEvent[] = [];
      const el = await fixture<ZoomHostPicker>(html`<zoom-host-picker
        server=${fakeServer}
        token=${tenant.token({ reject: "token_expired" })}
        locale="en"
        debounce="0"
        start=${busyHour.start}
        end=${busyHour.end}
        @tsunagu-token-expired=${(event: TsunaguTokenExpiredEvent) => expired.push(event)}
      ></zoom-host-picker>`);
      await pickerSettled(el);
      expect(expired.map((event) => event.detail.code)).to.deep.equal(["token_expired"]);
      expect(texts(el.shadowRoot!, '[part~="error"] p')).to.deep.equal([
        "Could not load the Zoom hosts. Your session has expired. Reload the page.",
      ]);

      // The page sets a fresh token: the picker asks again by itself.
      el.token = tenant.token({ sub: "u_ken", jti: "fresh" });
      await pickerSettled(el);
      expect(el.value).to.equal("zu_recruit");
    });

    it("asks its tokenProvider for a fresh token when the server refuses the old one", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const tokens = [tenant.token({ reject: "token_expired" }), tenant.token()];
      const el = await fixture<ZoomHostPicker>(html`<zoom-host-picker
        server=${fakeServer}
        locale="en"
        debounce="0"
        start=${busyHour.start}
        end=${busyHour.end}
        .tokenProvider=${async () => tokens.shift() ?? tenant.token()}
      ></zoom-host-picker>`);
      await pickerSettled(el);
      expect(el.value).to.equal("zu_recruit");
      expect(tokens).to.deep.equal([]);
    });
  });

  describe("keyboard focus when the page changes the inputs", () => {
    const failingHour = { start: "2026-12-01T15:00:00.000Z", end: "2026-12-01T16:00:00.000Z" };
    /** What has the focus: a host's radio by its id, the failure's retry, another part of the element, or not it. */
    const focused = (el: ZoomHostPicker): string => {
      const active = el.shadowRoot!.activeElement as HTMLElement | null;
      if (!active) return document.activeElement === document.body ? "nothing" : "outside";
      if (active.dataset.zoomUserId) return `radio ${active.dataset.zoomUserId}`;
      return active.closest('[part~="error"]') ? "retry" : `part ${active.getAttribute("part")}`;
    };

    it("moves the focus from a host to the failure's retry when the new request fails, and says why", async () => {
      const tenant = await seedZoomHosts({
        hosts: sakuraHosts,
        failures: [{ status: 503, code: "database_unavailable", message: "No database.", start: failingHour.start }],
      });
      const el = await mount(tenant, { time: freeHalfHour });
      radioOf(el, "zu_basic").focus();
      el.start = failingHour.start;
      el.end = failingHour.end;
      await pickerSettled(el);
      const failure = el.shadowRoot!.querySelector('[part~="error"]')!;
      expect(focused(el)).to.equal("retry");
      // Announced as it appears (an alert, in nothing busy), and read again with the button it holds.
      expect(failure.getAttribute("role")).to.equal("alert");
      expect(liveRegionsHeldBusy(el)).to.deep.equal([]);
      expect(texts(el.shadowRoot!, '[part~="error"] p')).to.deep.equal([
        "Could not load the Zoom hosts. The server cannot reach its database right now. Try again in a few seconds.",
      ]);
      await expect(el).to.be.accessible();

      // The retry goes with the failure too: the focus goes on to the chosen host (Ken's own, free then).
      await sendKeys({ press: "Enter" });
      await pickerSettled(el);
      expect(el.value).to.equal("zu_ken");
      expect(focused(el)).to.equal("radio zu_ken");
    });

    it("keeps the focus on the same host when the new answer shows it in another place", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const el = await mount(tenant, { time: freeHalfHour, participants: "u_aiko" });
      expect(shownHosts(el)).to.deep.equal(["zu_aiko", "zu_recruit*", "zu_basic", "zu_ken"]);
      radioOf(el, "zu_ken").focus();
      // Ken now takes part: his own Zoom user comes first, and another host takes the card the focus was on.
      el.participants = ["u_ken"];
      await pickerSettled(el);
      expect(shownHosts(el)).to.deep.equal(["zu_ken*", "zu_recruit", "zu_basic", "zu_aiko"]);
      expect(focused(el)).to.equal("radio zu_ken");
    });

    it("moves the focus to its label when the list goes and nothing can take it, then back to the host", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const el = await mount(tenant, { time: freeHalfHour });
      radioOf(el, "zu_ken").focus();
      el.start = null;
      await el.updateComplete;
      expect(texts(el.shadowRoot!, '[part="notice"]')).to.deep.equal([
        "Choose the interview's date and time to see who can host it on Zoom.",
      ]);
      expect(focused(el)).to.equal("part label");
      await expect(el).to.be.accessible();

      el.start = freeHalfHour.start;
      await pickerSettled(el);
      expect(focused(el)).to.equal("radio zu_ken");
    });

    it("does not take the focus when it was elsewhere on the page", async () => {
      const tenant = await seedZoomHosts({
        hosts: sakuraHosts,
        failures: [{ status: 503, code: "database_unavailable", message: "No database.", start: failingHour.start }],
      });
      const el = await mount(tenant, { time: freeHalfHour });
      const outside = document.createElement("button");
      document.body.append(outside);
      try {
        outside.focus();
        el.start = failingHour.start;
        el.end = failingHour.end;
        await pickerSettled(el);
        expect(has(el.shadowRoot!, '[part~="error"]')).to.equal(true);
        expect(focused(el)).to.equal("outside");
        expect(document.activeElement === outside).to.equal(true);
      } finally {
        outside.remove();
      }
    });
  });

  describe("languages", () => {
    it("speaks Japanese: states, reasons, load and the pick's reason, asked for in Japanese", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const el = await mount(tenant, { locale: "ja" });
      const root = el.shadowRoot!;
      expect(texts(root, '[part~="label"]')).to.deep.equal(["Zoom 主催者"]);
      expect(texts(root, '[part~="status-badge"]')).to.deep.equal([
        "主催できません",
        "主催できません",
        "主催できます",
        "主催できません",
      ]);
      expect(texts(root, '[part~="status-reason"]')).to.deep.equal([
        "同じ時間帯に別のミーティングを主催しています。",
        "再連携が必要です。連携設定でこの Zoom ユーザーを再連携してください。",
        "ベーシック（無料）ユーザーが主催できるのは40分までのミーティングです。",
      ]);
      expect(texts(radioOf(el, "zu_recruit"), '[part~="load"]')).to.deep.equal([
        "この時間帯のミーティング：1件（上限2件）",
      ]);
      expect(texts(radioOf(el, "zu_recruit"), '[part~="pick-badge"]')).to.deep.equal(["おすすめ"]);
      expect(texts(root, '[part~="pick-reason"]')).to.deep.equal([
        "自動選択の理由：参加者の Zoom ユーザーが空いていないため、共有の Zoom ユーザーのうち最も空いている" +
          "「Recruiting Interviews」（この時間帯のミーティング1件、上限2件）を主催者に選びました。",
      ]);
      expect((await tenant.requests()).map((request) => request.language)).to.deep.equal(["ja"]);
      expect(root.querySelector('[part~="base"]')!.getAttribute("lang")).to.equal("ja");
      await expect(el).to.be.accessible();
    });

    it("follows the token's locale, and asks again in the new language when the element's changes", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const el = await fixture<ZoomHostPicker>(
        html`<zoom-host-picker server=${fakeServer} token=${tenant.token({ locale: "ja" })} debounce="0"
          start=${freeHalfHour.start} end=${freeHalfHour.end}></zoom-host-picker>`,
      );
      await pickerSettled(el);
      expect(texts(el.shadowRoot!, '[part~="status-badge"]')[0]).to.equal("主催できます");
      el.locale = "en";
      await pickerSettled(el);
      expect(texts(el.shadowRoot!, '[part~="status-badge"]')[0]).to.equal("Available");
      expect((await tenant.requests()).map((request) => request.language)).to.deep.equal(["ja", "en"]);
    });

    describe("on an English page whose host token says ja", () => {
      beforeEach(() => {
        document.documentElement.lang = "en";
      });
      afterEach(() => {
        document.documentElement.lang = "";
      });

      it("speaks the token's Japanese before a time is set, having fetched the token and asked nothing", async () => {
        const tenant = await seedZoomHosts({ hosts: sakuraHosts });
        let tokens = 0;
        const tokenProvider = async () => {
          tokens++;
          return tenant.token({ locale: "ja" });
        };
        const el = await fixture<ZoomHostPicker>(
          html`<zoom-host-picker server=${fakeServer} debounce="0" .tokenProvider=${tokenProvider}></zoom-host-picker>`,
        );
        await waitUntil(
          () =>
            texts(el.shadowRoot!, '[part~="notice"]')[0] === "面接の日時を決めると、Zoom 主催者の候補が表示されます。",
          "the notice did not speak the token's language",
        );
        expect(texts(el.shadowRoot!, '[part~="label"]')).to.deep.equal(["Zoom 主催者"]);
        expect(el.shadowRoot!.querySelector('[part~="base"]')!.getAttribute("lang")).to.equal("ja");
        expect(tokens).to.equal(1);
        expect(await tenant.requests()).to.deep.equal([]);
        await expect(el).to.be.accessible();
        // The first question goes out with that token, in Japanese, once.
        el.start = busyHour.start;
        el.end = busyHour.end;
        await waitUntil(async () => (await tenant.requests()).length === 1, "it did not ask once a time was set");
        await pickerSettled(el);
        expect(texts(el.shadowRoot!, '[part~="pick-reason"]')[0]).to.match(/^自動選択の理由：/);
        expect((await tenant.requests()).map((request) => request.language)).to.deep.equal(["ja"]);
        expect(tokens).to.equal(1);
      });

      it("asks its first question in the token's language, not the page's first", async () => {
        const tenant = await seedZoomHosts({ hosts: sakuraHosts });
        const el = await fixture<ZoomHostPicker>(
          html`<zoom-host-picker server=${fakeServer} debounce="0" start=${busyHour.start} end=${busyHour.end}
            .tokenProvider=${async () => tenant.token({ locale: "ja" })}></zoom-host-picker>`,
        );
        await waitUntil(async () => (await tenant.requests()).length > 0, "it asked nothing");
        await pickerSettled(el);
        expect(texts(el.shadowRoot!, '[part~="pick-reason"]')[0]).to.match(/^自動選択の理由：/);
        expect((await tenant.requests()).map((request) => request.language)).to.deep.equal(["ja"]);
      });

      it("fetches no token before a time is set when its locale or lang says its language", async () => {
        const tenant = await seedZoomHosts({ hosts: sakuraHosts });
        let tokens = 0;
        const tokenProvider = async () => {
          tokens++;
          return tenant.token({ locale: "ja" });
        };
        const own = await fixture<HTMLElement>(html`<div>
          <zoom-host-picker locale="en" server=${fakeServer} .tokenProvider=${tokenProvider}></zoom-host-picker>
          <zoom-host-picker lang="en" server=${fakeServer} .tokenProvider=${tokenProvider}></zoom-host-picker>
        </div>`);
        for (const el of own.querySelectorAll("zoom-host-picker")) {
          await el.updateComplete;
          expect(texts(el.shadowRoot!, '[part~="notice"]')).to.deep.equal([
            "Choose the interview's date and time to see who can host it on Zoom.",
          ]);
        }
        expect(tokens).to.equal(0);
      });

      it("keeps the page's language when the provider fails, and shows the failure once a time is set", async () => {
        const tenant = await seedZoomHosts({ hosts: sakuraHosts });
        let tokens = 0;
        const el = await fixture<ZoomHostPicker>(html`<zoom-host-picker
          server=${fakeServer}
          debounce="0"
          .tokenProvider=${async () => {
            tokens++;
            throw new Error("the portal's session ended");
          }}
        ></zoom-host-picker>`);
        await waitUntil(() => tokens === 1, "it did not fetch the token");
        await el.updateComplete;
        expect(texts(el.shadowRoot!, '[part~="notice"]')).to.deep.equal([
          "Choose the interview's date and time to see who can host it on Zoom.",
        ]);
        el.start = busyHour.start;
        el.end = busyHour.end;
        await pickerSettled(el);
        expect(el.shadowRoot!.querySelector('[part~="error"]')).to.not.equal(null);
        expect(tokens).to.equal(2);
        expect(await tenant.requests()).to.deep.equal([]);
      });
    });

    it("asks again when its lang attribute or the document's changes, leaving no reason in the old one", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const el = await fixture<ZoomHostPicker>(
        html`<zoom-host-picker lang="ja" server=${fakeServer} token=${tenant.token()} debounce="0"
          start=${busyHour.start} end=${busyHour.end} participants="u_ken u_aiko"></zoom-host-picker>`,
      );
      await pickerSettled(el);
      expect(texts(el.shadowRoot!, '[part~="pick-reason"]')[0]).to.match(/^自動選択の理由：参加者の/);
      el.setAttribute("lang", "en");
      await waitUntil(async () => (await tenant.requests()).length === 2, "it did not ask again in English");
      await pickerSettled(el);
      expect(texts(el.shadowRoot!, '[part~="pick-reason"]')).to.deep.equal([
        "Chosen automatically: No interviewer's own Zoom user is free, so the least busy shared user Recruiting " +
          "Interviews was picked.",
      ]);
      el.removeAttribute("lang");
      document.documentElement.lang = "ja";
      try {
        await waitUntil(async () => (await tenant.requests()).length === 3, "it did not follow the document");
        await pickerSettled(el);
        expect(texts(el.shadowRoot!, '[part~="pick-reason"]')[0]).to.match(/^自動選択の理由：参加者の/);
      } finally {
        document.documentElement.lang = "";
      }
      expect((await tenant.requests()).map((request) => request.language)).to.deep.equal(["ja", "en", "ja"]);
    });
  });

  describe("styling", () => {
    it("rings the chosen card in the page's --tsunagu-color-accent and exposes its parts", async () => {
      const tenant = await seedZoomHosts({ hosts: sakuraHosts });
      const wrapper = await fixture<HTMLDivElement>(html`<div style="--tsunagu-color-accent: rgb(200, 30, 90)">
        <zoom-host-picker server=${fakeServer} token=${tenant.token()} locale="en" debounce="0" start=${busyHour.start}
          end=${busyHour.end}></zoom-host-picker>
      </div>`);
      const el = wrapper.querySelector("zoom-host-picker")!;
      await pickerSettled(el);
      expect(getComputedStyle(radioOf(el, "zu_recruit")).borderTopColor).to.equal("rgb(200, 30, 90)");
      expect(getComputedStyle(radioOf(el, "zu_ken")).borderTopColor).to.not.equal("rgb(200, 30, 90)");
    });
  });
});
