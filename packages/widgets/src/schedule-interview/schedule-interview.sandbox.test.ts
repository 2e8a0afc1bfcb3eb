/**
 * <schedule-interview> against the real Tsunagu server and the sandbox's
 * fake providers (test-support/real-server.mjs): the admin connects the
 * organisation's Google Workspace and Zoom account (which links their own
 * calendar and Zoom user too), then books a web interview from the free
 * times, sees the Zoom URL and the rendered message, and cancels it. The
 * server's own record is checked through the API.
 */
import { expect, fixture, html, oneEvent, waitUntil } from "@open-wc/testing";
import type { InterviewView } from "@tsunagu/contract";
import type { TsunaguErrorEvent } from "../events/tsunagu-error.ts";
import type { TsunaguLinkedEvent } from "../events/tsunagu-linked.ts";
import type { IntegrationAccounts } from "../integration-accounts/integration-accounts.ts";
import "../integration-accounts/define.ts";
import { card, texts } from "../test-support/integration-accounts.ts";
import {
  apiAs,
  consentInPopup,
  type PortalUser,
  portalTokenProvider,
  type RealServer,
  realServer,
} from "../test-support/real-server.ts";
import type { ScheduleInterview } from "./schedule-interview.ts";
import "./define.ts";

let server: RealServer;

/** The admin connects `provider` for the organisation as the provider user `account`, in a real popup. */
async function connect(admin: PortalUser, provider: string, account: string): Promise<void> {
  const el = await fixture<IntegrationAccounts>(
    html`<integration-accounts .server=${server.url}
      .tokenProvider=${portalTokenProvider(admin)}></integration-accounts>`,
  );
  await waitUntil(() => !el.shadowRoot!.querySelector('[part="loading"]'), "accounts kept loading", {
    timeout: 10_000,
  });
  const outcome = Promise.race([oneEvent(el, "tsunagu-linked"), oneEvent(el, "tsunagu-error")]) as Promise<
    TsunaguLinkedEvent | TsunaguErrorEvent
  >;
  card(el, `organization:${provider}`).querySelector<HTMLButtonElement>("[data-primary]")!.click();
  await consentInPopup({ account });
  const event = await outcome;
  if (event.type !== "tsunagu-linked")
    throw new Error(`connecting ${provider} failed: ${(event as TsunaguErrorEvent).detail.error.code}`);
  el.remove();
}

/** Tomorrow and a week on, as YYYY-MM-DD in Tokyo: times to come, as the server requires. */
function comingWeek(): { first: string; last: string } {
  const day = (offset: number) =>
    new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(new Date(Date.now() + offset * 86_400_000));
  return { first: day(1), last: day(7) };
}

describe("<schedule-interview> with the real server and the sandbox", function () {
  // Real round trips: a server start, consent pages in popups, the saga's provider calls.
  this.timeout(60_000);

  before(async () => {
    server = await realServer();
  });

  it("books a web interview from the free times, shows its Zoom URL and message, and cancels it", async () => {
    const org = `sakura-${crypto.randomUUID().slice(0, 8)}`;
    const hanako: PortalUser = {
      sub: "hanako",
      org,
      role: "admin",
      email: "hanako.yamada@sakura-recruit.example",
      name: "山田 花子",
      locale: "ja",
      tz: "Asia/Tokyo",
    };
    await connect(hanako, "google", "hanako.yamada@sakura-recruit.example");
    await connect(hanako, "zoom", "zU_hanako");

    const { first, last } = comingWeek();
    const el = await fixture<ScheduleInterview>(html`<schedule-interview
      web-interview
      time-zone="Asia/Tokyo"
      range-start=${first}
      range-end=${last}
      debounce="0"
      .server=${server.url}
      .tokenProvider=${portalTokenProvider(hanako)}
      .interviewers=${[{ id: "hanako", name: "山田 花子" }]}
      .candidate=${{ name: "小林 葵", email: "aoi.kobayashi@example.com" }}
    ></schedule-interview>`);
    const root = el.shadowRoot!;
    await waitUntil(() => root.querySelector("td.free") && root.querySelector("#calendar-account"), "no free time", {
      timeout: 15_000,
    });
    // Hanako's calendar was read; her Google account holds the event.
    expect(texts(root, '[part~="person"] [part~="badge"]')).to.deep.equal(["予定を確認済み"]);
    expect(root.querySelector<HTMLSelectElement>("#calendar-account")?.selectedOptions[0]?.textContent).to.contain(
      "hanako.yamada@sakura-recruit.example",
    );
    const slot = root.querySelector<HTMLElement>("td.free")!;
    slot.click();
    await el.updateComplete;
    const picker = root.querySelector("zoom-host-picker")!;
    await waitUntil(() => picker.value !== "", "no Zoom host picked", { timeout: 15_000 });
    await el.updateComplete;
    root.querySelector<HTMLButtonElement>("button[data-review]")!.click();
    await el.updateComplete;
    await expect(el).to.be.accessible();

    const scheduled = oneEvent(el, "tsunagu-interview-scheduled");
    root.querySelector<HTMLButtonElement>("button[data-confirm]")!.click();
    const interview = ((await scheduled) as CustomEvent<{ interview: InterviewView }>).detail.interview;
    expect(interview.status).to.equal("confirmed");
    expect(interview.start).to.equal(slot.dataset.start);
    await waitUntil(() => root.querySelector('[part~="candidate-message"]'), "no message", { timeout: 15_000 });
    expect(texts(root, '[part~="zoom-url"]')).to.deep.equal([interview.zoom?.joinUrl]);
    expect(texts(root, '[part~="candidate-message"]')[0]).to.contain("小林 葵 様");
    expect(texts(root, '[part~="candidate-message"]')[0]).to.contain(interview.zoom?.joinUrl ?? "missing");
    // Hanako linked the meeting's Zoom host (her own Zoom user): she may start it.
    expect(root.querySelector("[data-start-meeting]")).to.not.equal(null);
    await expect(el).to.be.accessible();
    const stored = await apiAs<InterviewView>(server, hanako, `/v1/interviews/${interview.id}`);
    expect(stored).to.deep.include({ status: "confirmed", title: "面接：小林 葵様" });
    expect(stored.event?.provider).to.equal("google");

    root.querySelector<HTMLButtonElement>("button[data-cancel-interview]")!.click();
    const dialog = root.querySelector("dialog")!;
    await waitUntil(() => dialog.open, "the dialog did not open");
    const cancelled = oneEvent(el, "tsunagu-interview-cancelled");
    dialog.querySelector<HTMLButtonElement>("button[data-confirm-cancel]")!.click();
    await cancelled;
    await el.updateComplete;
    expect(texts(root, '[part~="interview-status"]')).to.deep.equal(["キャンセル済み"]);
    const after = await apiAs<InterviewView>(server, hanako, `/v1/interviews/${interview.id}`);
    expect(after.status).to.equal("cancelled");
  });
});
