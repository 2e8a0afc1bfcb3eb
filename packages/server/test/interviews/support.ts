/**
 * One organisation set up for interviews on the test app with the Google,
 * Microsoft and Zoom fakes: the admin connected all three, ken (recruiter)
 * linked Zoom and Google, sho (recruiter) linked Outlook, and the
 * interviewers have opened the portal. Plus what the tests read at the fakes
 * (every Zoom meeting, every calendar event) and a booking call with an
 * Idempotency-Key.
 */
import { expect } from "vitest";
import { readTokens } from "../../src/accounts/tokens.ts";
import { ken as googleKen, hanako as googleHanako } from "../providers/google-support.ts";
import { hanako as microsoftHanako, ken as microsoftKen } from "../providers/microsoft-helpers.ts";
import { connectMicrosoft, linkGoogle, linkMicrosoft } from "../oauth/adapters/google-microsoft-links.ts";
import { link } from "../oauth/zoom-links.ts";
import { holdAt } from "../support/fake-server.ts";
import { postedMessage } from "../support/round-trip.ts";
import type { Caller, TestApp } from "../support/test-app.ts";

export type InterviewApp = TestApp<"google" | "microsoft" | "zoom">;
/** Any test app with the Zoom fake (the crash test's has no Microsoft). */
type WithZoom = Pick<TestApp<"zoom">, "zoom">;

export const org = "sakura";
export const hanako: Caller = { sub: "hanako", org, role: "admin", locale: "en" };
export const ken: Caller = { sub: "ken", org, role: "recruiter", locale: "en" };
export const sho: Caller = { sub: "sho", org, role: "recruiter", locale: "en" };
export const misaki: Caller = { sub: "misaki", org, role: "assistant", email: "misaki@sakura.example" };
export const emily: Caller = { sub: "emily", org, role: "recruiter", email: "emily@sakura.example" };
export const guest: Caller = { sub: "guest-1", org, role: "guest" };
export const outsider: Caller = { sub: "ken", org: "other-org", role: "admin" };

export async function linkZoom(t: TestApp<"zoom">, caller: Caller, zoomUser: string, purpose: "org" | "personal") {
  const { response } = await link(t, caller, zoomUser, { purpose, returnMode: "popup" });
  const message = postedMessage(await response.text())?.message;
  if (message?.status !== "linked") throw new Error(`linking ${zoomUser} failed: ${JSON.stringify(message)}`);
}

/** The organisation as every interview suite starts from it; the ids of ken's Google and sho's Outlook accounts. */
export async function setUpOrganisation(
  t: InterviewApp,
): Promise<{ googleAccountId: string; outlookAccountId: string }> {
  await linkZoom(t, hanako, "zU_hanako", "org");
  await linkZoom(t, ken, "zU_ken", "personal");
  expect((await linkGoogle(t, hanako, "org", googleHanako)).outcome.status).toBe("linked");
  const google = await linkGoogle(t, ken, "personal", googleKen);
  expect(google.outcome.status).toBe("linked");
  expect((await connectMicrosoft(t, hanako, microsoftHanako)).outcome.status).toBe("linked");
  const outlook = await linkMicrosoft(t, sho, microsoftKen);
  expect(outlook.outcome.status).toBe("linked");
  for (const person of [misaki, emily]) expect((await t.api(person, "GET", "/v1/me")).status).toBe(200);
  return { googleAccountId: String(google.outcome.accountId), outlookAccountId: String(outlook.outcome.accountId) };
}

/** Whole hours from two days after the fakes' now, as ISO. */
export function hoursFromNow(t: WithZoom, hours: number): string {
  const base = Math.floor(t.zoom.running.clock.now().getTime() / 3600_000) * 3600_000 + 48 * 3600_000;
  return new Date(base + hours * 3600_000).toISOString();
}

export function booking(t: WithZoom, slot: number, extra: Record<string, unknown> = {}) {
  return {
    title: `一次面接 ${slot}`,
    start: hoursFromNow(t, slot),
    end: new Date(Date.parse(hoursFromNow(t, slot)) + 45 * 60_000).toISOString(),
    interviewers: ["misaki", "emily"],
    candidate: { name: "山田 太郎", email: "taro.candidate@example.com" },
    description: "Please join five minutes early.",
    ...extra,
  };
}

export async function call(
  t: InterviewApp,
  caller: Caller,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) {
  const response = await t.api(caller, method, path, body, headers ? { headers } : {});
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

export interface FakeMeeting {
  id: string;
  userId: string;
  start: string;
  end: string;
  topic: string;
}

export async function zoomMeetings(t: WithZoom): Promise<FakeMeeting[]> {
  const answer = await fetch(`${t.zoom.running.baseUrl}/_control/meetings`);
  return ((await answer.json()) as { meetings: FakeMeeting[] }).meetings;
}

export interface FakeEvent {
  id: string;
  calendar: string;
  start: string;
  end: string;
  status?: string;
  summary?: string | null;
  subject?: string;
  isOnlineMeeting?: boolean;
}

/** Google's events that are not cancelled. */
export async function googleEvents(t: InterviewApp): Promise<FakeEvent[]> {
  const answer = await fetch(`${t.google.baseUrl}/_control/events`);
  return ((await answer.json()) as { events: FakeEvent[] }).events.filter((event) => event.status !== "cancelled");
}

export async function outlookEvents(t: InterviewApp): Promise<FakeEvent[]> {
  const answer = await fetch(`${t.microsoft.baseUrl}/_control/events`);
  return ((await answer.json()) as { events: FakeEvent[] }).events;
}

/** Live holds of the organisation (not lapsed). */
export async function liveHolds(t: InterviewApp) {
  const now = t.clock.now().toISOString();
  return (await t.db.selectFrom("zoom_holds").selectAll().where("org_id", "=", org).execute()).filter(
    (hold) => hold.expires_at === null || hold.expires_at > now,
  );
}

/** The access token stored for a linked account (tests only), to act at a fake as the person would outside Tsunagu. */
export async function accessTokenOf(t: InterviewApp, accountId: string): Promise<string> {
  const row = await t.db
    .selectFrom("accounts")
    .select(["credential_id", "org_id"])
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  const stored = await readTokens(
    { db: t.db, vault: t.vault, clock: t.clock },
    { hostId: "portal-a", orgId: row.org_id },
    row.credential_id,
  );
  if (!stored) throw new Error(`no tokens for account ${accountId}`);
  return stored.tokens.accessToken;
}

/** ken's Zoom account id (his personal link to zU_ken). */
export async function kenZoomAccountId(t: InterviewApp): Promise<string> {
  const row = await t.db
    .selectFrom("accounts")
    .select("id")
    .where("org_id", "=", org)
    .where("user_id", "=", "ken")
    .where("provider", "=", "zoom")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Ken books `slot` with zU_ken as the Zoom host while Google holds the event's insert: the booking's request (under
 * way) and its record as it stands there.
 */
export async function bookingHeldAtGoogle(t: InterviewApp, slot: number) {
  await t.google.control("/latency", { ms: 60_000 });
  const body = booking(t, slot, { zoom: { hostZoomUserId: "zU_ken" } });
  const answer = call(t, ken, "POST", "/v1/interviews", body);
  await holdAt(t.google, "POST /calendar/v3/calendars/primary/events", "the event's insert held at Google");
  const row = await t.db.selectFrom("interviews").selectAll().where("title", "=", body.title).executeTakeFirstOrThrow();
  return { answer, row };
}
