/**
 * Issue 10, items 1–3 and 5 through the real app (`app.request()`) with the
 * Zoom fake as the provider: candidates and the auto-pick, holds, the
 * organisation's settings, and meetings made in Zoom itself (outside
 * Tsunagu) counted in a Zoom user's load.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { link } from "../oauth/zoom-links.ts";
import { postedMessage } from "../support/round-trip.ts";
import { type Caller, createTestApp, type WebhookTestApp } from "../support/test-app.ts";

let t: WebhookTestApp<"zoom" | "slack">;
const hanako: Caller = { sub: "hanako", org: "sakura", role: "admin" };
const ken: Caller = { sub: "ken", org: "sakura", role: "recruiter" };
const kenInEnglish: Caller = { ...ken, locale: "en" };
const misaki: Caller = { sub: "misaki", org: "sakura", role: "assistant" };
const sho: Caller = { sub: "sho", org: "sakura", role: "recruiter" };
const guest: Caller = { sub: "guest-1", org: "sakura", role: "guest" };
const outsider: Caller = { sub: "ken", org: "other-org", role: "admin" };

async function linked(caller: Caller, zoomUser: string, purpose: "org" | "personal" = "personal"): Promise<void> {
  const { response } = await link(t, caller, zoomUser, { purpose, returnMode: "popup" });
  const message = postedMessage(await response.text())?.message;
  if (message?.status !== "linked") throw new Error(`linking ${zoomUser} failed: ${JSON.stringify(message)}`);
}

async function call(caller: Caller, method: string, path: string, body?: unknown) {
  const response = await t.api(caller, method, path, body);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Whole hours from a day after the fake's now, as ISO. */
const day = () => Math.floor(t.zoom.running.clock.now().getTime() / 3600_000) * 3600_000 + 24 * 3600_000;
const at = (hours: number) => new Date(day() + hours * 3600_000).toISOString();
const hostsQuery = (start: string, end: string, participants: string[], extra = "") =>
  `/v1/zoom/hosts?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}` +
  `&participants=${participants.join(",")}${extra}`;
const candidate = (body: Record<string, any>, zoomUserId: string) =>
  (body.candidates as Array<Record<string, unknown>>).find((entry) => entry.zoomUserId === zoomUserId);

async function meetingInZoom(userId: string, start: string, end: string, topic = "社内会議") {
  const response = await fetch(`${t.zoom.running.baseUrl}/_control/meetings`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId, start, end, topic }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; userId: string; start: string; end: string; topic: string };
}

beforeAll(async () => {
  t = await createTestApp({ providers: ["zoom", "slack"], serve: true, webhooks: {} });
  await linked(hanako, "zU_hanako", "org");
  await linked(ken, "zU_ken");
  await linked(misaki, "zU_misaki");
  // The shared recruiting user, linked by two portal users: one candidate.
  await linked(misaki, "zU_recruiting");
  await linked(sho, "zU_recruiting");
});
afterAll(async () => {
  await t.close();
});

describe("GET /v1/zoom/hosts", () => {
  it(
    "lists the participants' own Zoom users first, then the organisation's others once each, and picks the " +
      "participant's own with a Japanese reason",
    async () => {
      const answer = await call(ken, "GET", hostsQuery(at(1), at(2), ["ken"]));
      expect(answer.status).toBe(200);
      const ids = (answer.body.candidates as Array<{ zoomUserId: string }>).map((entry) => entry.zoomUserId);
      expect(ids[0]).toBe("zU_ken");
      expect([...ids].sort()).toEqual(["zU_hanako", "zU_ken", "zU_misaki", "zU_recruiting"]);
      expect(candidate(answer.body, "zU_ken")).toEqual({
        zoomUserId: "zU_ken",
        displayName: expect.any(String),
        participantOwned: true,
        limit: 1,
        load: 0,
        canHost: true,
      });
      expect(answer.body.pick).toEqual({
        zoomUserId: "zU_ken",
        basis: "participant_free",
        reason: expect.stringMatching(/参加者の Zoom ユーザー.*空いているため/),
      });
    },
  );

  it("answers the reason in English for a caller whose token says en", async () => {
    const answer = await call(kenInEnglish, "GET", hostsQuery(at(1), at(2), ["ken"]));
    expect(answer.body.pick.reason).toMatch(/^.+ is a participant's own Zoom user and is free at that time\.$/);
  });

  it(
    "counts a meeting made in Zoom itself, outside Tsunagu, once Zoom is asked again, and then picks the " +
      "least-loaded shared host",
    async () => {
      const listCalls = () => t.zoom.running.calls("GET /v2/users/zU_ken/meetings");
      const before = await listCalls();
      await call(ken, "GET", hostsQuery(at(3), at(4), ["ken"], "&refresh=1"));
      await meetingInZoom("zU_ken", at(3), at(4));
      // Asked again within the cache's interval: Zoom is not asked, the new meeting is not seen yet.
      const cached = await call(ken, "GET", hostsQuery(at(3), at(4), ["ken"]));
      expect(await listCalls()).toBe(before + 1);
      expect(candidate(cached.body, "zU_ken")).toMatchObject({ load: 0, canHost: true });
      // On demand: asked again.
      const fresh = await call(kenInEnglish, "GET", hostsQuery(at(3), at(4), ["ken"], "&refresh=1"));
      expect(await listCalls()).toBe(before + 2);
      expect(candidate(fresh.body, "zU_ken")).toEqual(
        expect.objectContaining({ load: 1, limit: 1, canHost: false, reason: "busy" }),
      );
      expect(fresh.body.pick).toMatchObject({
        basis: "shared_least_loaded",
        reason: expect.stringContaining("no participant's own Zoom user is free"),
      });
      expect(["zU_hanako", "zU_recruiting"]).toContain(fresh.body.pick.zoomUserId);
    },
  );

  it("refuses a Basic user for a meeting over 40 minutes and accepts it for 40", async () => {
    const long = await call(misaki, "GET", hostsQuery(at(5), at(6), ["misaki"]));
    expect(candidate(long.body, "zU_misaki")).toMatchObject({
      canHost: false,
      reason: "basic_user_time_limit",
      limit: 1,
    });
    expect(long.body.pick.zoomUserId).not.toBe("zU_misaki");
    const short = await call(
      misaki,
      "GET",
      hostsQuery(at(5), new Date(Date.parse(at(5)) + 40 * 60_000).toISOString(), ["misaki"]),
    );
    expect(candidate(short.body, "zU_misaki")).toMatchObject({ canHost: true });
    expect(short.body.pick.zoomUserId).toBe("zU_misaki");
  });

  it("says needs_reauth for a Zoom user whose every link must be linked again", async () => {
    await t.db
      .updateTable("accounts")
      .set({ status: "needs_reauth", status_reason: "invalid_grant" })
      .where("external_user_id", "=", "zU_misaki")
      .execute();
    try {
      const answer = await call(ken, "GET", hostsQuery(at(5), at(5.5), ["misaki"]));
      expect(candidate(answer.body, "zU_misaki")).toMatchObject({ canHost: false, reason: "needs_reauth" });
    } finally {
      await t.db
        .updateTable("accounts")
        .set({ status: "active", status_reason: null })
        .where("external_user_id", "=", "zU_misaki")
        .execute();
    }
  });

  it("refuses bad times, guests, and shows another organisation nothing of this one", async () => {
    expect(await call(ken, "GET", "/v1/zoom/hosts?start=tomorrow&end=later")).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_request" } },
    });
    expect(await call(ken, "GET", hostsQuery(at(2), at(1), []))).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_request", message: "end must be after start." } },
    });
    // Days and clock times that do not exist are refused, not rolled over into the next ones.
    const year = new Date(day()).getUTCFullYear() + 1;
    for (const [start, end] of [
      [`${year}-02-30T10:00:00+09:00`, `${year}-02-30T11:00:00+09:00`],
      [`${year}-04-31T10:00:00Z`, `${year}-05-01T11:00:00Z`],
      [`${year}-06-01T24:00:00Z`, `${year}-06-02T01:00:00Z`],
    ] as const)
      expect({ start, answer: await call(ken, "GET", hostsQuery(start, end, [])) }).toMatchObject({
        start,
        answer: { status: 400, body: { error: { code: "invalid_request" } } },
      });
    // A start more than 730 days ahead (year 9999 typed for this one, say).
    for (const start of [at(731 * 24), "9999-12-31T10:00:00Z"])
      expect(
        await call(ken, "GET", hostsQuery(start, new Date(Date.parse(start) + 3600_000).toISOString(), [])),
      ).toEqual({
        status: 400,
        body: { error: { code: "invalid_request", message: "start may be at most 730 days from now." } },
      });
    expect(await call(guest, "GET", hostsQuery(at(1), at(2), []))).toMatchObject({
      status: 403,
      body: { error: { code: "forbidden_role" } },
    });
    expect(await call(outsider, "GET", hostsQuery(at(1), at(2), ["ken"]))).toEqual({
      status: 200,
      body: { candidates: [], pick: null },
    });
  });
});

describe("POST /v1/zoom/holds", () => {
  it(
    "holds a Zoom user, refuses an overlapping hold with 409 " + "zoom_host_busy, and takes a back-to-back one",
    async () => {
      const first = await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(7), end: at(8) });
      expect(first).toEqual({
        status: 201,
        body: {
          id: expect.any(String),
          zoomUserId: "zU_ken",
          start: at(7),
          end: at(8),
          expiresAt: new Date(t.clock.now().getTime() + 5 * 60_000).toISOString(),
          meetingId: null,
        },
      });
      const overlapping = await call(ken, "POST", "/v1/zoom/holds", {
        zoomUserId: "zU_ken",
        start: at(7.5),
        end: at(8.5),
      });
      expect(overlapping).toMatchObject({
        status: 409,
        body: { error: { code: "zoom_host_busy", details: { zoomUserId: "zU_ken", limit: 1, load: 1 } } },
      });
      expect(
        await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(8), end: at(9) }),
      ).toMatchObject({ status: 201 });
      // A hold counts in the candidates' load.
      const hosts = await call(ken, "GET", hostsQuery(at(7.5), at(7.75), ["ken"]));
      expect(candidate(hosts.body, "zU_ken")).toMatchObject({ load: 1, canHost: false, reason: "busy" });
    },
  );

  it("counts a meeting made in Zoom itself against a hold", async () => {
    await meetingInZoom("zU_hanako", at(10), at(11), "採用定例");
    await call(hanako, "GET", hostsQuery(at(10), at(11), [], "&refresh=1"));
    expect(
      await call(hanako, "POST", "/v1/zoom/holds", { zoomUserId: "zU_hanako", start: at(10.5), end: at(11.5) }),
    ).toMatchObject({ status: 409, body: { error: { code: "zoom_host_busy" } } });
  });

  it(
    "lets a hold lapse by itself when no meeting confirms it " + "within five minutes, and keeps a confirmed one",
    async () => {
      const lapsing = await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(12), end: at(13) });
      const kept = await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(14), end: at(15) });
      expect(
        await call(ken, "POST", `/v1/zoom/holds/${kept.body.id}/confirm`, { meetingId: "81234567890" }),
      ).toMatchObject({ status: 200, body: { expiresAt: null, meetingId: "81234567890" } });
      t.clock.advance(5 * 60 + 1);
      expect(
        await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(12), end: at(13) }),
      ).toMatchObject({ status: 201 });
      expect(
        await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(14), end: at(15) }),
      ).toMatchObject({ status: 409, body: { error: { code: "zoom_host_busy" } } });
      // The next placement for that Zoom user tidied the lapsed row away.
      expect(
        await call(ken, "POST", `/v1/zoom/holds/${lapsing.body.id}/confirm`, { meetingId: "81234567891" }),
      ).toMatchObject({ status: 404, body: { error: { code: "zoom_hold_not_found" } } });
      expect(
        await t.db.selectFrom("zoom_holds").select("id").where("id", "=", lapsing.body.id).executeTakeFirst(),
      ).toBeUndefined();
    },
  );

  it("refuses to confirm a hold that lapsed, with 409 zoom_hold_lapsed", async () => {
    const hold = await call(sho, "POST", "/v1/zoom/holds", { zoomUserId: "zU_recruiting", start: at(40), end: at(41) });
    t.clock.advance(5 * 60 + 1);
    expect(
      await call(sho, "POST", `/v1/zoom/holds/${hold.body.id}/confirm`, { meetingId: "81234567892" }),
    ).toMatchObject({ status: 409, body: { error: { code: "zoom_hold_lapsed" } } });
  });

  it("releases a hold with DELETE, once, and never another organisation's", async () => {
    const hold = await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(16), end: at(17) });
    expect(await call(outsider, "DELETE", `/v1/zoom/holds/${hold.body.id}`)).toMatchObject({
      status: 404,
      body: { error: { code: "zoom_hold_not_found" } },
    });
    expect(await call(ken, "DELETE", `/v1/zoom/holds/${hold.body.id}`)).toEqual({
      status: 200,
      body: { released: true },
    });
    expect(await call(ken, "DELETE", `/v1/zoom/holds/${hold.body.id}`)).toMatchObject({
      status: 404,
      body: { error: { code: "zoom_hold_not_found" } },
    });
    expect(
      await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(16), end: at(17) }),
    ).toMatchObject({ status: 201 });
  });

  it("refuses an unknown Zoom user, a Basic user over 40 minutes, and a malformed body", async () => {
    expect(
      await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_taro", start: at(1), end: at(2) }),
    ).toMatchObject({ status: 404, body: { error: { code: "zoom_host_not_found" } } });
    expect(
      await call(outsider, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(1), end: at(2) }),
    ).toMatchObject({ status: 404, body: { error: { code: "zoom_host_not_found" } } });
    expect(
      await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_misaki", start: at(18), end: at(19) }),
    ).toMatchObject({
      status: 409,
      body: {
        error: { code: "zoom_host_unavailable", details: { zoomUserId: "zU_misaki", reason: "basic_user_time_limit" } },
      },
    });
    expect(await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(1) })).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_body" } },
    });
    expect(
      await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(-48), end: at(-47) }),
    ).toMatchObject({ status: 400, body: { error: { code: "invalid_body" } } });
    const year = new Date(day()).getUTCFullYear() + 1;
    const onFebruary30 = { zoomUserId: "zU_ken", start: `${year}-02-30T10:00:00Z`, end: `${year}-02-30T11:00:00Z` };
    expect(await call(ken, "POST", "/v1/zoom/holds", onFebruary30)).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_body" } },
    });
    const noHold = await t.db
      .selectFrom("zoom_holds")
      .select("id")
      .where("starts_at", "like", `${year}-03-02%`)
      .execute();
    expect(noHold).toEqual([]);
    const inYear9999 = { zoomUserId: "zU_ken", start: "9999-12-31T10:00:00Z", end: "9999-12-31T11:00:00Z" };
    expect(await call(ken, "POST", "/v1/zoom/holds", inYear9999)).toEqual({
      status: 400,
      body: { error: { code: "invalid_body", message: "start may be at most 730 days from now." } },
    });
    expect(await t.db.selectFrom("zoom_holds").select("id").where("starts_at", "like", "9999-%").execute()).toEqual([]);
  });
});

describe("POST /v1/zoom/holds with an Idempotency-Key", () => {
  const holdWithKey = async (caller: Caller, body: unknown, key: string) => {
    const response = await t.api(caller, "POST", "/v1/zoom/holds", body, { headers: { "idempotency-key": key } });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it("holds once for a retry and for the same request sent at once, taking one place under the limit", async () => {
    const body = { zoomUserId: "zU_ken", start: at(70), end: at(71) };
    const first = await holdWithKey(ken, body, "hold-70");
    expect(first).toMatchObject({ status: 201, body: { zoomUserId: "zU_ken", start: at(70), end: at(71) } });
    // zU_ken may run one meeting at once: a second hold would be refused as busy; the retry answers the first.
    expect(await holdWithKey(ken, body, "hold-70")).toEqual(first);
    const together = await Promise.all(
      Array.from({ length: 5 }, () => holdWithKey(ken, { zoomUserId: "zU_ken", start: at(72), end: at(73) }, "h-72")),
    );
    expect(together.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(together.map((answer) => answer.body.id)).size).toBe(1);
    const rows = await t.db
      .selectFrom("zoom_holds")
      .select("id")
      .where("zoom_user_id", "=", "zU_ken")
      .where("starts_at", "in", [at(70), at(72)])
      .execute();
    expect(rows).toHaveLength(2);
    // Without a key, the same request is another hold: refused, the Zoom user being held already.
    expect(await call(ken, "POST", "/v1/zoom/holds", body)).toMatchObject({
      status: 409,
      body: { error: { code: "zoom_host_busy" } },
    });
  });

  it("answers 422 idempotency_key_reused for the key with another user or time, and keeps keys per user", async () => {
    await holdWithKey(ken, { zoomUserId: "zU_ken", start: at(74), end: at(75) }, "hold-74");
    expect(await holdWithKey(ken, { zoomUserId: "zU_ken", start: at(76), end: at(77) }, "hold-74")).toMatchObject({
      status: 422,
      body: { error: { code: "idempotency_key_reused" } },
    });
    // Another portal user's same key is another hold (zU_recruiting is theirs to hold too).
    const shos = await holdWithKey(sho, { zoomUserId: "zU_recruiting", start: at(74), end: at(75) }, "hold-74");
    expect(shos.status).toBe(201);
    expect(await holdWithKey(ken, { zoomUserId: "zU_ken", start: at(1), end: at(2) }, "bad key")).toMatchObject({
      status: 400,
      body: { error: { code: "invalid_request" } },
    });
  });

  it("answers a retry after the hold lapsed with the lapsed hold, which a new key holds again (README)", async () => {
    const body = { zoomUserId: "zU_ken", start: at(78), end: at(79) };
    const first = await holdWithKey(ken, body, "hold-78");
    expect(first.status).toBe(201);
    t.clock.advance(5 * 60 + 1);
    const retry = await holdWithKey(ken, body, "hold-78");
    expect(retry).toEqual(first);
    expect(Date.parse(retry.body.expiresAt)).toBeLessThan(t.clock.now().getTime());
    expect(await call(ken, "POST", `/v1/zoom/holds/${retry.body.id}/confirm`, { meetingId: "m-78" })).toMatchObject({
      status: 409,
      body: { error: { code: "zoom_hold_lapsed" } },
    });
    const again = await holdWithKey(ken, body, "hold-78-again");
    expect(again).toMatchObject({ status: 201, body: { zoomUserId: "zU_ken", start: at(78) } });
    expect(again.body.id).not.toBe(first.body.id);
  });
});

describe("the organisation's Zoom plan and limits", () => {
  it(
    "are the admin's to set: a Business plan lets licensed users host two at once, " +
      "and a per-user limit overrides it",
    async () => {
      expect(await call(ken, "PUT", "/v1/zoom/settings", { plan: "business", limits: {} })).toMatchObject({
        status: 403,
        body: { error: { code: "admin_required" } },
      });
      expect(await call(hanako, "PUT", "/v1/zoom/settings", { plan: "gold", limits: {} })).toMatchObject({
        status: 400,
        body: { error: { code: "invalid_body" } },
      });
      expect(
        await call(hanako, "PUT", "/v1/zoom/settings", { plan: "business", limits: { zU_recruiting: 3 } }),
      ).toMatchObject({ status: 200, body: { plan: "business", limits: { zU_recruiting: 3 }, updatedBy: "hanako" } });
      expect(await call(ken, "GET", "/v1/zoom/settings")).toMatchObject({
        status: 200,
        body: { plan: "business", assumedPlan: "pro" },
      });

      const answer = await call(ken, "GET", hostsQuery(at(20), at(21), ["ken"]));
      expect(candidate(answer.body, "zU_ken")).toMatchObject({ limit: 2 });
      expect(candidate(answer.body, "zU_misaki")).toMatchObject({ limit: 1 });
      expect(candidate(answer.body, "zU_recruiting")).toMatchObject({ limit: 3 });
      for (const expected of [201, 201, 409]) {
        expect(
          (await call(ken, "POST", "/v1/zoom/holds", { zoomUserId: "zU_ken", start: at(20), end: at(21) })).status,
        ).toBe(expected);
      }
      expect(await call(outsider, "GET", "/v1/zoom/settings")).toMatchObject({ body: { plan: null, limits: {} } });
    },
  );
});

describe("the Zoom fake's meetings made outside Tsunagu", () => {
  it("are listed with the control API and in the user's upcoming meetings", async () => {
    const made = await meetingInZoom("recruiting@sakura-recruit.example", at(30), at(30.5), "説明会");
    expect(made).toEqual({
      id: expect.stringMatching(/^\d+$/),
      userId: "zU_recruiting",
      start: at(30),
      end: at(30.5),
      topic: "説明会",
    });
    const listed = (await (await fetch(`${t.zoom.running.baseUrl}/_control/meetings`)).json()) as {
      meetings: unknown[];
    };
    expect(listed.meetings).toContainEqual(made);
    const bad = await fetch(`${t.zoom.running.baseUrl}/_control/meetings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: "zU_ken", start: at(2), end: at(1) }),
    });
    expect(bad.status).toBe(400);
  });
});

describe("a server without a Zoom app", () => {
  it("answers the Zoom host routes with 404 provider_unavailable", async () => {
    const bare = await createTestApp();
    try {
      const response = await bare.api(ken, "GET", hostsQuery(at(1), at(2), ["ken"]));
      expect({ status: response.status, body: await response.json() }).toMatchObject({
        status: 404,
        body: { error: { code: "provider_unavailable" } },
      });
    } finally {
      await bare.close();
    }
  });
});
