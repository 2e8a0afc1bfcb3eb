import { expect, fixture, html } from "@open-wc/testing";
import type { InterviewView } from "@tsunagu/contract";
import { TsunaguApiError } from "../shared/api-error.ts";
import { TsunaguErrorEvent } from "./tsunagu-error.ts";
import { TsunaguLinkedEvent } from "./tsunagu-linked.ts";
import { TsunaguTokenExpiredEvent } from "./tsunagu-token-expired.ts";
import { TsunaguUnlinkRequestEvent } from "./tsunagu-unlink-request.ts";
import { TsunaguUnlinkedEvent } from "./tsunagu-unlinked.ts";
import { TsunaguInterviewCancelledEvent } from "./tsunagu-interview-cancelled.ts";
import { TsunaguInterviewScheduledEvent } from "./tsunagu-interview-scheduled.ts";
import { TsunaguInterviewUpdatedEvent } from "./tsunagu-interview-updated.ts";
import { TsunaguZoomHostChangedEvent } from "./tsunagu-zoom-host-changed.ts";

const interview: InterviewView = {
  id: "iv_1",
  status: "confirmed",
  title: "一次面接",
  start: "2027-01-12T00:00:00Z",
  end: "2027-01-12T01:00:00Z",
  description: null,
  organiser: { userId: "u_rec", name: "採用担当", email: null },
  interviewers: [{ userId: "u_ken", name: "Ken Sato", email: null }],
  candidate: { name: "山田 花子", email: "hanako@example.com" },
  timeZone: "Asia/Tokyo",
  conference: null,
  drift: [],
  createdAt: "2027-01-05T00:00:00Z",
  updatedAt: "2027-01-05T00:00:00Z",
};
const networkError = new TsunaguApiError(0, "network_error", "Could not reach the Tsunagu server.");
const events = [
  () =>
    new TsunaguLinkedEvent({
      provider: "zoom",
      kind: "personal",
      id: "acc_1",
      displayName: "recruiting@sakura-recruit.example",
    }),
  () => new TsunaguUnlinkedEvent({ provider: "google", kind: "personal", id: "acc_2" }),
  () => new TsunaguErrorEvent({ error: networkError }),
  () => new TsunaguTokenExpiredEvent({ code: "token_expired" }),
  () => new TsunaguUnlinkRequestEvent({ provider: "slack", kind: "personal", id: "acc_3", displayName: "佐藤 健" }),
  () => new TsunaguZoomHostChangedEvent({ zoomUserId: "zu_ken", displayName: "Ken Sato", auto: true }),
  () => new TsunaguInterviewScheduledEvent({ interview }),
  () =>
    new TsunaguInterviewUpdatedEvent({ interview: { ...interview, start: "2027-01-13T00:00:00Z" }, before: interview }),
  () => new TsunaguInterviewCancelledEvent({ interview: { ...interview, status: "cancelled" } }),
];

describe("events", () => {
  for (const create of events) {
    const sample = create();

    describe(sample.type, () => {
      it("starts with the tsunagu- prefix", () => {
        expect(sample.type).to.match(/^tsunagu-[a-z-]+$/);
      });

      it("bubbles out of a shadow root to the page, with its detail", async () => {
        const outer = await fixture<HTMLDivElement>(html`<div></div>`);
        const inner = document.createElement("span");
        outer.attachShadow({ mode: "open" }).append(inner);
        const received: Event[] = [];
        document.body.addEventListener(sample.type, (event) => received.push(event), { once: true });

        const event = create();
        inner.dispatchEvent(event);

        expect(received).to.have.length(1);
        expect(received[0]).to.equal(event);
        expect(event.bubbles).to.equal(true);
        expect(event.composed).to.equal(true);
        expect((received[0] as CustomEvent).detail).to.deep.equal(sample.detail);
      });
    });
  }
});
