/**
 * Migration 0017 through the migrator, as a server start runs it: zones stored
 * before the server spelled them as Intl does on input (`asia/tokyo`, kept as
 * typed) are spelled `Asia/Tokyo` in every column that holds one, and the
 * answers and the candidate's page that showed them as stored show Intl's
 * spelling. Rows are written as the server before wrote them.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newLinkSecret } from "../../src/scheduling-links/capability.ts";
import { type InterviewRow, viewOf } from "../../src/interviews/records.ts";
import { insertLink, markBooked, type Offer } from "../../src/scheduling-links/store.ts";
import { migrateToLatest } from "../../src/store/database.ts";
import { canonicaliseStoredZones } from "../../src/store/migrations/0017_canonical_time_zones.ts";
import * as schedulingLinkBlocked from "../../src/store/migrations/0018_scheduling_link_blocked.ts";
import { type Caller, createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp<never>;
const org = "sakura";
const hanako: Caller = { sub: "hanako", org, role: "admin", locale: "en" };
const ken: Caller = { sub: "ken", org, role: "recruiter", locale: "en" };
const tenant = { hostId: "portal-a", orgId: org };
/** Secrets of the candidate pages: the open link's, the booked one's. */
let openPage = "";
let bookedPage = "";
const links = { open: "", booked: "", pickUnderWay: "" };

beforeAll(async () => {
  t = await createTestApp();
  for (const caller of [hanako, ken]) expect((await t.api(caller, "GET", "/v1/me")).status).toBe(200);
  await writeOldRows();
});
afterAll(async () => {
  await t.close();
});

const now = () => t.clock.now().getTime();
const inDays = (days: number, hour = 1) => new Date(now() + days * 86_400_000 + hour * 3600_000).toISOString();

/** An interview row as the booking wrote it (migration 0012's columns), settled, with these zones. */
function interviewRow(id: string, timeZone: string, candidateZone?: string): InterviewRow {
  const at = new Date(now()).toISOString();
  return {
    id,
    host_id: tenant.hostId,
    org_id: org,
    organiser_user_id: "ken",
    status: "confirmed",
    step: null,
    title: "一次面接",
    description: null,
    starts_at: inDays(3),
    ends_at: inDays(3, 2),
    time_zone: timeZone,
    interviewers: JSON.stringify([{ userId: "misaki", name: null, email: null }]),
    candidate: JSON.stringify({
      name: "山田 太郎",
      email: "taro@candidate.example",
      ...(candidateZone && { timeZone: candidateZone }),
    }),
    conference: null,
    calendar_provider: "google",
    calendar_account_id: "account-1",
    event_id: null,
    event_web_link: null,
    event_created: 0,
    join_url: null,
    zoom_host_user_id: null,
    zoom_hold_id: null,
    zoom_meeting_id: null,
    zoom_join_url: null,
    zoom_passcode: null,
    pending: null,
    drift: "[]",
    failure: null,
    lease_holder: null,
    lease_expires_at: null,
    created_by: "ken",
    created_at: at,
    updated_at: at,
  };
}

function offer(timeZone: string, candidateZone: string): Offer {
  return {
    title: "一次面接",
    durationMinutes: 60,
    slots: [{ start: inDays(4), end: inDays(4, 2) }],
    candidate: { name: "山田 花子", email: "hanako@candidate.example", timeZone: candidateZone, language: "en" },
    description: null,
    timeZone,
    locale: "en",
  };
}

async function offerLink(timeZone: string, candidateZone: string): Promise<{ id: string; secret: string }> {
  const { secret, hash } = newLinkSecret();
  const link = await insertLink(
    t.db,
    {
      tenant,
      createdBy: "ken",
      offer: offer(timeZone, candidateZone),
      interviewers: ["ken"],
      expiresAt: inDays(3),
      createdAt: new Date(now()).toISOString(),
    },
    hash,
  );
  return { id: link.id, secret };
}

/** The zones as the server before stored them: as typed, in any letter case. */
async function writeOldRows(): Promise<void> {
  // Users whose host tokens carried a zone; none of them has been seen since.
  for (const [user, zone] of [
    ["misaki", "asia/tokyo"],
    ["emily", "EUROPE/LONDON"],
    ["sho", "Asia/Tokyo"],
    ["ai", "asia/kolkata"],
    ["yui", null],
  ] as const) {
    await t.db
      .insertInto("users")
      .values({
        host_id: tenant.hostId,
        org_id: org,
        user_id: user,
        email: `${user}@sakura.example`,
        name: null,
        role: "recruiter",
        locale: null,
        time_zone: zone,
        first_seen_at: new Date(now()).toISOString(),
        last_seen_at: new Date(now()).toISOString(),
        profile_issued_at: null,
      })
      .execute();
  }
  const hours = { days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "18:00" };
  expect((await t.api(hanako, "PUT", "/v1/working-hours", { ...hours, timeZone: "Asia/Tokyo" })).status).toBe(200);
  expect((await t.api(ken, "PUT", "/v1/working-hours/me", { ...hours, timeZone: "Europe/Paris" })).status).toBe(200);
  expect((await t.api(hanako, "PUT", "/v1/working-hours/me", { ...hours, timeZone: null })).status).toBe(200);
  await t.db.updateTable("working_hours").set({ time_zone: "asia/tokyo" }).where("user_id", "=", "").execute();
  await t.db.updateTable("working_hours").set({ time_zone: "europe/paris" }).where("user_id", "=", "ken").execute();

  await t.db
    .insertInto("interviews")
    .values([
      interviewRow("iv-lower", "asia/tokyo", "america/new_york"),
      interviewRow("iv-canonical", "Asia/Tokyo"),
      interviewRow("iv-unknown", "Mars/Olympus", "mars/olympus"),
    ])
    .execute();

  const open = await offerLink("asia/tokyo", "america/los_angeles");
  const booked = await offerLink("asia/tokyo", "america/los_angeles");
  const underWay = await offerLink("asia/tokyo", "america/los_angeles");
  links.open = open.id;
  links.booked = booked.id;
  links.pickUnderWay = underWay.id;
  openPage = open.secret;
  bookedPage = booked.secret;
  // Booked from the link: the interview row, and the link holding the interview's view as the pick wrote it.
  const fromLink = {
    ...interviewRow("iv-from-link", "asia/tokyo"),
    candidate: JSON.stringify((await storedOffer(links.booked)).candidate),
  };
  await t.db.insertInto("interviews").values(fromLink).execute();
  const organiser = { userId: "ken", name: null, email: null };
  await markBooked(t.db, links.booked, viewOf(fromLink, organiser), new Date(now()).toISOString());
  await t.db
    .updateTable("scheduling_links")
    .set({
      claimed_start: (await storedOffer(links.pickUnderWay)).slots[0]?.start,
      claimed_at: new Date(now()).toISOString(),
    })
    .where("id", "=", links.pickUnderWay)
    .execute();
}

const usersZones = async () =>
  Object.fromEntries(
    (
      await t.db
        .selectFrom("users")
        .select(["user_id", "time_zone"])
        .where("user_id", "in", ["misaki", "emily", "sho", "ai", "yui"])
        .execute()
    ).map((row) => [row.user_id, row.time_zone]),
  );
const hoursZones = async () =>
  Object.fromEntries(
    (await t.db.selectFrom("working_hours").select(["user_id", "time_zone"]).execute()).map((row) => [
      row.user_id,
      row.time_zone,
    ]),
  );
const interview = async (id: string) =>
  (await t.api(ken, "GET", `/v1/interviews/${id}`).then((response) => response.json())) as {
    timeZone: string;
    candidate: { timeZone?: string };
  };
const linkRow = (id: string) =>
  t.db.selectFrom("scheduling_links").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const storedOffer = async (id: string) => JSON.parse((await linkRow(id)).offer) as Offer;
const page = async (secret: string) => (await t.app.request(`/s/${secret}`)).text();
const zoneOptionsOf = (html: string) => [...html.matchAll(/<option value="([^"]+)" selected>/g)].map((m) => m[1]);

describe("time zones stored in other letters than Intl's", () => {
  it("show as stored before the migration: in the API's answers and on the candidate's page", async () => {
    expect(await interview("iv-lower")).toMatchObject({
      timeZone: "asia/tokyo",
      candidate: { timeZone: "america/new_york" },
    });
    expect(await (await t.api(ken, "GET", "/v1/working-hours")).json()).toMatchObject({
      organisation: { timeZone: "asia/tokyo" },
      own: { timeZone: "europe/paris" },
    });
    const html = await page(openPage);
    expect(html).toContain('data-time-zone="america/los_angeles"');
    // The page's zone as an entry of its own before Intl's list, which holds America/Los_Angeles too.
    expect(zoneOptionsOf(html)).toEqual(["america/los_angeles"]);
    expect(html).toContain('<option value="America/Los_Angeles">');
  });

  it("are spelled as Intl spells them by migration 0017, run by the migrator as a server start runs it", async () => {
    // The database as a server at 0016 left it: the migrations after 0017 undone, so the migrator runs them all.
    await schedulingLinkBlocked.down(t.db as any);
    await sql`delete from kysely_migration where name >= '0017_canonical_time_zones'`.execute(t.db);
    await migrateToLatest(t.db);

    expect(await usersZones()).toEqual({
      misaki: "Asia/Tokyo",
      emily: "Europe/London",
      sho: "Asia/Tokyo",
      // An alias is kept as named, as on input: Intl calls it Asia/Calcutta, not Asia/Kolkata in other letters.
      ai: "asia/kolkata",
      yui: null,
    });
    expect(await hoursZones()).toEqual({ "": "Asia/Tokyo", ken: "Europe/Paris", hanako: null });
    expect(await interview("iv-lower")).toMatchObject({
      timeZone: "Asia/Tokyo",
      candidate: { timeZone: "America/New_York" },
    });
    expect((await interview("iv-canonical")).timeZone).toBe("Asia/Tokyo");
    expect((await interview("iv-canonical")).candidate).not.toHaveProperty("timeZone");
    // A zone Intl does not know stays as stored.
    expect(await interview("iv-unknown")).toMatchObject({
      timeZone: "Mars/Olympus",
      candidate: { timeZone: "mars/olympus" },
    });

    expect(await storedOffer(links.open)).toMatchObject({
      timeZone: "Asia/Tokyo",
      candidate: { timeZone: "America/Los_Angeles" },
    });
    const booked = await linkRow(links.booked);
    expect(JSON.parse(booked.offer)).toMatchObject({
      timeZone: "Asia/Tokyo",
      candidate: { timeZone: "America/Los_Angeles" },
    });
    expect(JSON.parse(booked.interview ?? "null")).toMatchObject({
      id: "iv-from-link",
      timeZone: "Asia/Tokyo",
      candidate: { name: "山田 花子", email: "hanako@candidate.example", timeZone: "America/Los_Angeles" },
    });
    expect(await interview("iv-from-link")).toMatchObject({
      timeZone: "Asia/Tokyo",
      candidate: { timeZone: "America/Los_Angeles" },
    });
    // A pick under way asks its booking again with the candidate as stored, under the same Idempotency-Key.
    expect(await storedOffer(links.pickUnderWay)).toMatchObject({
      timeZone: "Asia/Tokyo",
      candidate: { timeZone: "america/los_angeles" },
    });

    const html = await page(openPage);
    expect(html).toContain('data-time-zone="America/Los_Angeles"');
    expect(zoneOptionsOf(html)).toEqual(["America/Los_Angeles"]);
    expect(html).not.toContain("america/los_angeles");
    expect(await page(bookedPage)).toContain('data-time-zone="America/Los_Angeles"');
  });

  it("are left alone by the migration run again", async () => {
    const before = {
      users: await usersZones(),
      hours: await hoursZones(),
      interviews: await t.db.selectFrom("interviews").select(["id", "time_zone", "candidate"]).orderBy("id").execute(),
      links: await t.db.selectFrom("scheduling_links").select(["id", "offer", "interview"]).orderBy("id").execute(),
    };
    await canonicaliseStoredZones(t.db as never);
    expect({
      users: await usersZones(),
      hours: await hoursZones(),
      interviews: await t.db.selectFrom("interviews").select(["id", "time_zone", "candidate"]).orderBy("id").execute(),
      links: await t.db.selectFrom("scheduling_links").select(["id", "offer", "interview"]).orderBy("id").execute(),
    }).toEqual(before);
  });
});
