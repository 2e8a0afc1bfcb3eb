import { expect } from "@open-wc/testing";
import { TsunaguApiError } from "../shared/api-error.ts";
import { moveWithin } from "./radio-keys.ts";
import { knownReason, readZoomHostsAnswer, zoomHostsPath } from "./zoom-hosts-api.ts";

describe("GET /v1/zoom/hosts as the picker reads it", () => {
  it("asks with the fixed query names, participants joined by commas", () => {
    const path = zoomHostsPath({
      start: "2026-12-01T10:30:00.000Z",
      end: "2026-12-01T11:30:00.000Z",
      participants: ["u_ken", "u_aiko"],
    });
    expect(path).to.equal(
      "/v1/zoom/hosts?start=2026-12-01T10%3A30%3A00.000Z&end=2026-12-01T11%3A30%3A00.000Z&participants=u_ken%2Cu_aiko",
    );
    const query = new URL(path, "https://tsunagu.example").searchParams;
    expect([query.get("start"), query.get("end"), query.get("participants")]).to.deep.equal([
      "2026-12-01T10:30:00.000Z",
      "2026-12-01T11:30:00.000Z",
      "u_ken,u_aiko",
    ]);
  });

  it("refuses an answer without candidates and pick as invalid_response", () => {
    for (const body of [undefined, [], { candidates: [] }, { pick: null }, { candidates: {}, pick: null }]) {
      expect(() => readZoomHostsAnswer(body))
        .to.throw(TsunaguApiError)
        .with.property("code", "invalid_response");
    }
  });

  it("keeps what it can show: no id, no candidate; one Zoom user once; a reason means it cannot host", () => {
    const answer = readZoomHostsAnswer({
      candidates: [
        { zoomUserId: "zu_a", displayName: "A", limit: 2, load: 1, canHost: true, plan: "business" },
        { displayName: "no id", limit: 1, load: 0, canHost: true },
        { zoomUserId: "zu_a", displayName: "A again", limit: 1, load: 0, canHost: true },
        { zoomUserId: "zu_b", displayName: "", limit: -1, load: "2", canHost: true, reason: "busy" },
      ],
      pick: { zoomUserId: "zu_a", reason: "A is free." },
    });
    expect(answer).to.deep.equal({
      candidates: [
        { zoomUserId: "zu_a", displayName: "A", limit: 2, load: 1, canHost: true, plan: "business" },
        { zoomUserId: "zu_b", displayName: "zu_b", limit: 0, load: 0, canHost: false, reason: "busy" },
      ],
      pick: { zoomUserId: "zu_a", reason: "A is free." },
    });
  });

  it("drops a pick that names no listed candidate", () => {
    expect(readZoomHostsAnswer({ candidates: [], pick: { zoomUserId: "zu_gone", reason: "…" } }).pick).to.equal(null);
  });

  it("knows the contract's reasons and no others", () => {
    expect(
      ["busy", "needs_reauth", "basic_user_time_limit", "zoom_plan_expired", undefined].map(knownReason),
    ).to.deep.equal(["busy", "needs_reauth", "basic_user_time_limit", undefined, undefined]);
  });
});

describe("radio group keys", () => {
  const enabled = [false, true, false, true, true, false];

  it("moves to the next or previous radio that can be checked, wrapping at the ends", () => {
    expect(moveWithin(enabled, 1, "next")).to.equal(3);
    expect(moveWithin(enabled, 4, "next")).to.equal(1);
    expect(moveWithin(enabled, 1, "previous")).to.equal(4);
    expect(moveWithin(enabled, 3, "previous")).to.equal(1);
    // From a radio that cannot be checked (focused by a click or by Tab when none is checked).
    expect(moveWithin(enabled, 0, "next")).to.equal(1);
    expect(moveWithin(enabled, 5, "previous")).to.equal(4);
  });

  it("goes to the first and last that can be checked, and nowhere when none can", () => {
    expect(moveWithin(enabled, 4, "first")).to.equal(1);
    expect(moveWithin(enabled, 1, "last")).to.equal(4);
    expect(moveWithin([false, false], 0, "next")).to.equal(undefined);
  });
});
