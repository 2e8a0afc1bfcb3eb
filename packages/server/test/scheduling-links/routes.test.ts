/**
 * POST, GET and DELETE /v1/scheduling-links on the real app (SQLite and
 * PostgreSQL): recruiters and admins offer slots and get a URL once, every
 * malformed offer is a 400 naming the field, guests and assistants cannot
 * offer, another organisation never sees a link, and only a hash of the URL's
 * secret is stored.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountsOf, linkGoogle } from "../oauth/adapters/google-microsoft-links.ts";
import { link as linkZoom } from "../oauth/zoom-links.ts";
import { postedMessage } from "../support/round-trip.ts";
import { maxDaysAhead } from "../../src/routes/availability.ts";
import { type Caller, createTestApp, publicUrl, type TestApp } from "../support/test-app.ts";

const org = "sakura";
const recruiter: Caller = { sub: "u-ken", org, role: "recruiter" };
const admin: Caller = { sub: "u-hanako", org, role: "admin" };
const assistant: Caller = { sub: "u-aya", org, role: "assistant" };
const guest: Caller = { sub: "u-guest", org, role: "guest" };
const stranger: Caller = { sub: "u-other", org: "momiji", role: "admin" };
const sho: Caller = { sub: "u-sho", org, role: "recruiter" };
/** A recruiter who opened the portal but linked no calendar. */
const ryo: Caller = { sub: "u-ryo", org, role: "recruiter" };
/** An admin of an organisation without Zoom: a Google calendar and no Zoom user linked. */
const kaedeAdmin: Caller = { sub: "u-ai", org: "kaede", role: "admin" };

const hour = 3_600_000;
const day = 24 * hour;
let t: TestApp<"google" | "microsoft" | "zoom">;
let tomorrow: number;

// Ken, Hanako, Sho and Ai with Google calendars, Hanako's Zoom user linked for the organisation, Ryo seen only: the
// offers below are bookable unless a test takes that away.
beforeAll(async () => {
  t = await createTestApp({ providers: ["google", "microsoft", "zoom"] });
  tomorrow = Math.ceil(t.clock.now().getTime() / day) * day + day;
  // Each organisation's admin connects Google Workspace first; the recruiters then link their own calendars.
  for (const [caller, purpose, address] of [
    [admin, "org", "hanako.yamada@sakura-recruit.example"],
    [kaedeAdmin, "org", "ai.tanaka@sakura-recruit.example"],
    [recruiter, "personal", "ken.sato@sakura-recruit.example"],
    [sho, "personal", "sho.takahashi@sakura-recruit.example"],
  ] as const)
    expect((await linkGoogle(t, caller, purpose, address)).outcome.status).toBe("linked");
  const { response } = await linkZoom(t, admin, "zU_hanako", { purpose: "org", returnMode: "popup" });
  expect(postedMessage(await response.text())?.message?.status).toBe("linked");
  expect((await t.api(ryo, "GET", "/v1/me")).status).toBe(200);
});
afterAll(() => t.close());

function slot(offsetHours: number, minutes = 60) {
  const start = tomorrow + offsetHours * hour;
  return { start: new Date(start).toISOString(), end: new Date(start + minutes * 60_000).toISOString() };
}

function offer(overrides: Record<string, unknown> = {}) {
  return {
    title: "一次面接",
    durationMinutes: 60,
    interviewers: ["u-ken", "u-sho"],
    slots: [slot(3), slot(1), slot(5)],
    candidate: { name: "山田 花子", email: "hanako@candidate.example", timeZone: "Asia/Tokyo" },
    zoom: {},
    ...overrides,
  };
}

async function create(caller: Caller, body: unknown) {
  const response = await t.api(caller, "POST", "/v1/scheduling-links", body);
  return { status: response.status, body: (await response.json()) as any };
}

describe("POST /v1/scheduling-links", () => {
  it("gives a recruiter a URL on this server, the slots in time order, and an expiry two weeks ahead", async () => {
    const created = await create(recruiter, offer());
    expect(created.status).toBe(201);
    expect(created.body.url).toMatch(new RegExp(`^${publicUrl}/s/[A-Za-z0-9_-]{43}$`));
    expect(created.body.slots).toEqual([slot(1), slot(3), slot(5)]);
    expect(Date.parse(created.body.expiresAt)).toBe(t.clock.now().getTime() + 14 * day);
    // Only the secret's hash is stored: the URL cannot be read back from the database.
    const secret = created.body.url.split("/s/")[1];
    const row = await t.db
      .selectFrom("scheduling_links")
      .selectAll()
      .where("id", "=", created.body.id)
      .executeTakeFirst();
    expect(row?.secret_hash).toBe(createHash("sha256").update(secret).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it("lets an admin offer a link with its own expiry", async () => {
    const expiresAt = new Date(tomorrow + 2 * hour).toISOString();
    const created = await create(admin, offer({ expiresAt }));
    expect(created).toMatchObject({ status: 201, body: { expiresAt } });
  });

  it.each([
    ["an assistant", assistant],
    ["a guest", guest],
  ])("refuses %s with 403 forbidden_role", async (_, caller) => {
    const refused = await create(caller, offer());
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "forbidden_role" } } });
  });

  it.each([
    ["no title", () => ({ title: "" }), "title"],
    ["no interviewer", () => ({ interviewers: [] }), "interviewers"],
    ["no slot", () => ({ slots: [] }), "slots"],
    ["a slot that is not durationMinutes long", () => ({ slots: [slot(1, 30)] }), "slots.0.end"],
    ["a slot that is not a time", () => ({ slots: [{ start: "tomorrow", end: "later" }] }), "slots.0.start"],
    ["a candidate without an email", () => ({ candidate: { name: "山田 花子", email: "nope" } }), "candidate.email"],
    [
      "an unknown time zone",
      () => ({ candidate: { name: "A", email: "a@b.example", timeZone: "Mars/Base" } }),
      "timeZone",
    ],
    ["an unknown language", () => ({ candidate: { name: "A", email: "a@b.example", language: "fr" } }), "language"],
    ["both zoom and a conference", () => ({ conference: "google_meet" }), "conference"],
    ["an unknown field", () => ({ colour: "red" }), "colour"],
  ])("refuses %s with 400 invalid_body naming the field", async (_, overrides, field) => {
    const refused = await create(recruiter, offer(overrides()));
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalid_body");
    expect(refused.body.error.message).toContain(field);
  });

  it("keeps zones written in any letter case in their canonical spelling, and refuses an unknown one", async () => {
    const candidate = { name: "山田 花子", email: "hanako@candidate.example", timeZone: "ASIA/TOKYO" };
    const created = await create(recruiter, offer({ timeZone: "asia/tokyo", candidate }));
    expect(created.status).toBe(201);
    const view = (await (await t.api(recruiter, "GET", `/v1/scheduling-links/${created.body.id}`)).json()) as any;
    expect(view.candidate.timeZone).toBe("Asia/Tokyo");
    const row = await t.db
      .selectFrom("scheduling_links")
      .select("offer")
      .where("id", "=", created.body.id)
      .executeTakeFirstOrThrow();
    // The organiser's zone the pick will book in, and the candidate's, as stored.
    expect(JSON.parse(row.offer)).toMatchObject({ timeZone: "Asia/Tokyo", candidate: { timeZone: "Asia/Tokyo" } });
    for (const overrides of [
      { timeZone: "asia/atlantis" },
      { candidate: { ...candidate, timeZone: "asia/atlantis" } },
    ]) {
      const refused = await create(recruiter, offer(overrides));
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: "invalid_body", message: expect.stringContaining("timeZone") });
    }
  });

  it("refuses a slot in the past, slots more than 62 days apart, and an expiry in the past", async () => {
    const past = new Date(t.clock.now().getTime() - hour);
    const pastSlot = { start: past.toISOString(), end: new Date(past.getTime() + hour).toISOString() };
    for (const [body, words] of [
      [offer({ slots: [pastSlot] }), "slots.0.start must be in the future"],
      [offer({ slots: [slot(1), slot(63 * 24)] }), "within 62 days"],
      [offer({ expiresAt: past.toISOString() }), "expiresAt must be in the future"],
    ] as const) {
      const refused = await create(recruiter, body);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: "invalid_body" });
      expect(refused.body.error.message).toContain(words);
    }
  });

  it("refuses a slot starting more than 730 days ahead, year 9999 too, and offers one just within", async () => {
    const now = t.clock.now().getTime();
    const at = (start: number) => ({ start: new Date(start).toISOString(), end: new Date(start + hour).toISOString() });
    for (const far of [at(now + maxDaysAhead * day + hour), at(Date.parse("9999-12-31T00:00:00Z"))]) {
      const refused = await create(recruiter, offer({ slots: [far] }));
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: "invalid_body",
        message: "The scheduling link was not created: slots.0.start must be at most 730 days from now.",
      });
    }
    const within = await create(recruiter, offer({ slots: [at(now + maxDaysAhead * day - hour)] }));
    expect(within.status).toBe(201);
  });

  it("refuses a body that is not JSON", async () => {
    const response = await t.app.request("/v1/scheduling-links", {
      method: "POST",
      headers: { Authorization: `Bearer ${await t.token(recruiter)}`, "Content-Type": "application/json" },
      body: "{",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.code).toBe("invalid_body");
  });
});

describe("POST /v1/scheduling-links refuses what no pick could book, and keeps nothing", () => {
  const links = async () => (await t.db.selectFrom("scheduling_links").select("id").execute()).length;

  it.each([
    [
      "an interviewer who never opened the portal",
      recruiter,
      () => ({ interviewers: ["u-ken", "u-nobody"] }),
      400,
      "interviewer_unknown",
      "u-nobody",
    ],
    [
      "a Teams meeting on a Google calendar",
      recruiter,
      () => ({ zoom: undefined, conference: "microsoft_teams" }),
      400,
      "invalid_body",
      "Teams",
    ],
    [
      "a Zoom host not linked in the organisation",
      recruiter,
      () => ({ zoom: { hostZoomUserId: "zU_nobody" } }),
      409,
      "zoom_host_unavailable",
      "zU_nobody",
    ],
    ["a recruiter with no calendar linked", ryo, () => ({}), 409, "calendar_account_missing", "no Google or Outlook"],
    [
      "Zoom in an organisation where no Zoom user is linked",
      kaedeAdmin,
      () => ({ interviewers: ["u-ai"] }),
      409,
      "zoom_host_unavailable",
      "link a Zoom user",
    ],
  ] as const)("refuses %s", async (_, caller, overrides, status, code, words) => {
    const before = await links();
    const refused = await create(caller, offer(overrides()));
    expect(refused).toMatchObject({ status, body: { error: { code } } });
    expect(refused.body.error.message).toContain(words);
    expect(await links()).toBe(before);
  });

  it("refuses another user's calendar account, and takes the caller's own", async () => {
    const hanakosCalendar = (await accountsOf(t, admin)).accounts.find((account) => account.provider === "google");
    const kensCalendar = (await accountsOf(t, recruiter)).accounts.find((account) => account.provider === "google");
    const refused = await create(recruiter, offer({ calendarAccountId: hanakosCalendar?.id }));
    expect(refused).toMatchObject({ status: 400, body: { error: { code: "calendar_account_missing" } } });
    expect((await create(recruiter, offer({ calendarAccountId: kensCalendar?.id }))).status).toBe(201);
  });

  it("offers without Zoom where no Zoom user is linked", async () => {
    const created = await create(kaedeAdmin, offer({ interviewers: ["u-ai"], zoom: undefined }));
    expect(created.status).toBe(201);
  });
});

describe("GET and DELETE /v1/scheduling-links/:id", () => {
  it("shows the link open to the organisation, without its URL", async () => {
    const created = await create(recruiter, offer());
    const response = await t.api(assistant, "GET", `/v1/scheduling-links/${created.body.id}`);
    expect(response.status).toBe(200);
    const view = (await response.json()) as any;
    expect(view).toMatchObject({
      id: created.body.id,
      status: "open",
      title: "一次面接",
      durationMinutes: 60,
      interviewers: ["u-ken", "u-sho"],
      slots: created.body.slots,
      candidate: { name: "山田 花子", email: "hanako@candidate.example", timeZone: "Asia/Tokyo" },
      createdBy: "u-ken",
      revokedAt: null,
      interview: null,
    });
    expect(JSON.stringify(view)).not.toContain(created.body.url.split("/s/")[1]);
  });

  it("withdraws a link: it is then revoked, and a second DELETE keeps the first time", async () => {
    const created = await create(recruiter, offer());
    const first = await t.api(admin, "DELETE", `/v1/scheduling-links/${created.body.id}`);
    expect(first.status).toBe(200);
    const revoked = (await first.json()) as any;
    expect(revoked).toMatchObject({ status: "revoked", revokedAt: t.clock.now().toISOString() });
    t.clock.advance(60);
    const again = (await (await t.api(admin, "DELETE", `/v1/scheduling-links/${created.body.id}`)).json()) as any;
    expect(again.revokedAt).toBe(revoked.revokedAt);
  });

  it("says a link is expired once past its expiry", async () => {
    const created = await create(recruiter, offer({ expiresAt: new Date(tomorrow).toISOString() }));
    t.clock.advance((tomorrow + 1000 - t.clock.now().getTime()) / 1000);
    const view = (await (await t.api(recruiter, "GET", `/v1/scheduling-links/${created.body.id}`)).json()) as any;
    expect(view.status).toBe("expired");
  });

  it("answers 404 scheduling_link_not_found to another organisation, and to a guest 403", async () => {
    const created = await create(recruiter, offer({ slots: [slot(30)] }));
    for (const method of ["GET", "DELETE"]) {
      const response = await t.api(stranger, method, `/v1/scheduling-links/${created.body.id}`);
      expect(response.status).toBe(404);
      expect(((await response.json()) as any).error.code).toBe("scheduling_link_not_found");
    }
    expect((await t.api(guest, "GET", `/v1/scheduling-links/${created.body.id}`)).status).toBe(403);
    expect((await t.api(recruiter, "GET", `/v1/scheduling-links/${created.body.id}`)).status).toBe(200);
  });
});
