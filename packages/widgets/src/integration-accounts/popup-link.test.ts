import { expect } from "@open-wc/testing";
import type { FlowStatus } from "./accounts-api.ts";
import { outcomeOfStatus } from "./popup-outcome.ts";

const base = { flow: "f1", provider: "google", purpose: "personal", expiresAt: "2026-03-02T01:10:00.000Z" };
const status = (fields: Partial<FlowStatus> & Pick<FlowStatus, "status">): FlowStatus => ({ ...base, ...fields });

describe("outcomeOfStatus (the flow-status answer after a popup closed without a message)", () => {
  it("reads a linked flow as linked, with its ids", () => {
    expect(outcomeOfStatus(status({ status: "linked", accountId: "a1" }))).to.deep.equal({
      kind: "linked",
      accountId: "a1",
      connectionId: undefined,
    });
  });

  it("reads a failed flow as refused, with the server's refusal", () => {
    expect(
      outcomeOfStatus(status({ status: "error", error: { code: "consent_denied", message: "No." } })),
    ).to.deep.equal({ kind: "refused", error: { code: "consent_denied", message: "No." } });
  });

  it("reads an expired flow as refused with flow_expired, not as a closed window", () => {
    expect(
      outcomeOfStatus(status({ status: "expired", error: { code: "flow_expired", message: "Expired." } })),
    ).to.deep.equal({ kind: "refused", error: { code: "flow_expired", message: "Expired." } });
    expect(outcomeOfStatus(status({ status: "expired" }))).to.deep.equal({
      kind: "refused",
      error: { code: "flow_expired", message: "" },
    });
  });

  it("reads a flow still under way as cancelled: its popup is gone", () => {
    expect(outcomeOfStatus(status({ status: "started" }))).to.deep.equal({ kind: "cancelled" });
    expect(outcomeOfStatus(status({ status: "created" }))).to.deep.equal({ kind: "cancelled" });
  });
});
