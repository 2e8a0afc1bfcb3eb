/**
 * The set-up the scheduling-link page tests and the scheduling-link audit share, so that both stand on the same
 * organisation: the real app with the Google, Microsoft and Zoom fakes, Hanako (admin), Ken and Sho (recruiters)
 * with Google calendars linked, Hanako's and Ken's Zoom linked, and the free slots of Ken and Sho over the next two
 * weeks from POST /v1/availability. `useSchedulingLinks()` registers the file's beforeAll/afterAll and returns the
 * helpers that offer a link, show its page, pick a slot and read what the fakes hold.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { readTokens } from "../../src/accounts/tokens.ts";
import { linkGoogle } from "../oauth/adapters/google-microsoft-links.ts";
import { link as linkZoom } from "../oauth/zoom-links.ts";
import { postedMessage } from "../support/round-trip.ts";
import { type Caller, createTestApp, type TestApp, type TestAppOptions } from "../support/test-app.ts";

export const org = "sakura";
export const hanako: Caller = { sub: "u-hanako", org, role: "admin" };
export const ken: Caller = { sub: "u-ken", org, role: "recruiter" };
export const sho: Caller = { sub: "u-sho", org, role: "recruiter" };
export const address = (name: string) => `${name}@sakura-recruit.example`;

export type Slot = { start: string; end: string };
export type ZoomMeeting = { id: string; userId: string; start: string; topic: string };
export type GoogleEvent = { id: string; calendar: string; status: string; start: string };

export interface SchedulingLinks {
  /** The app of the calling file, set by its beforeAll. */
  readonly t: TestApp<"google" | "microsoft" | "zoom">;
  /** The next `count` free slots no other test of the file has offered. */
  takeSlots(count: number): Slot[];
  /** Ken offers `slots` to 山田 花子 with Ken and Sho interviewing over Zoom: the link's id and page path. */
  offer(slots: Slot[], overrides?: Record<string, unknown>): Promise<{ id: string; path: string }>;
  /** GET of the candidate's page. */
  page(path: string, headers?: Record<string, string>): Promise<Response>;
  /** The candidate's form post picking `slot`, in Japanese from Tokyo unless `fields` say otherwise. */
  pick(path: string, slot: string, fields?: Record<string, string>): Promise<Response>;
  /** The meetings the Zoom fake holds. */
  zoomMeetings(): Promise<ZoomMeeting[]>;
  /** The events the Google fake holds. */
  googleEvents(): Promise<GoogleEvent[]>;
  /** One event of Ken's calendar as Google's API answers it, what Tsunagu sent included (the zone of its times). */
  kensGoogleEvent(eventId: string): Promise<Record<string, any>>;
}

/** `pool`: the app's own pool, opened with these options (short lock timeouts, say). */
export function useSchedulingLinks(options: Pick<TestAppOptions<"google">, "pool"> = {}): SchedulingLinks {
  let t: TestApp<"google" | "microsoft" | "zoom"> | undefined;
  /** Free slots of Ken and Sho next week, from POST /v1/availability, as ISO UTC. */
  let free: Slot[] = [];
  let nextSlot = 0;
  const app = () => {
    if (!t) throw new Error("the scheduling-link app is made in beforeAll");
    return t;
  };

  beforeAll(async () => {
    const made = await createTestApp({ providers: ["google", "microsoft", "zoom"], ...options });
    t = made;
    const linked = async (outcome: Promise<{ outcome: { status: string } }>) =>
      expect((await outcome).outcome.status).toBe("linked");
    await linked(linkGoogle(made, hanako, "org", address("hanako.yamada")));
    await linked(linkGoogle(made, ken, "personal", address("ken.sato")));
    await linked(linkGoogle(made, sho, "personal", address("sho.takahashi")));
    for (const [caller, zoomUser, purpose] of [
      [hanako, "zU_hanako", "org"],
      [ken, "zU_ken", "personal"],
    ] as const) {
      const { response } = await linkZoom(made, caller, zoomUser, { purpose, returnMode: "popup" });
      expect(postedMessage(await response.text())?.message?.status).toBe("linked");
    }
    const now = made.clock.now().getTime();
    const answer = await made.api(ken, "POST", "/v1/availability", {
      participants: ["u-ken", "u-sho"],
      start: new Date(now + 2 * 86_400_000).toISOString(),
      end: new Date(now + 16 * 86_400_000).toISOString(),
      durationMinutes: 60,
      stepMinutes: 60,
      timeZone: "Asia/Tokyo",
    });
    expect(answer.status).toBe(200);
    const slots = ((await answer.json()) as { slots: Slot[] }).slots;
    // Slots an hour apart at least, so that booking one leaves the next free.
    free = slots
      .map((slot) => ({ start: new Date(slot.start).toISOString(), end: new Date(slot.end).toISOString() }))
      .filter((slot, index, all) => index === 0 || Date.parse(slot.start) >= Date.parse(all[index - 1]!.end));
    expect(free.length).toBeGreaterThan(25);
  }, 60_000);
  afterAll(() => t?.close());

  return {
    get t() {
      return app();
    },
    takeSlots(count) {
      const taken = free.slice(nextSlot, nextSlot + count);
      nextSlot += count;
      return taken;
    },
    async offer(slots, overrides = {}) {
      const response = await app().api(ken, "POST", "/v1/scheduling-links", {
        title: "一次面接",
        durationMinutes: 60,
        interviewers: ["u-ken", "u-sho"],
        slots,
        candidate: { name: "山田 花子", email: "hanako@candidate.example", timeZone: "Asia/Tokyo" },
        zoom: {},
        ...overrides,
      });
      expect(response.status, await response.clone().text()).toBe(201);
      const created = (await response.json()) as { id: string; url: string };
      return { id: created.id, path: new URL(created.url).pathname };
    },
    async page(path, headers = {}) {
      return app().app.request(path, { headers });
    },
    async pick(path, slot, fields = {}) {
      return app().app.request(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ slot, lang: "ja", tz: "Asia/Tokyo", ...fields }).toString(),
      });
    },
    async zoomMeetings() {
      const response = await fetch(`${app().zoom.running.baseUrl}/_control/meetings`);
      return ((await response.json()) as { meetings: ZoomMeeting[] }).meetings;
    },
    async googleEvents() {
      const response = await fetch(`${app().google.baseUrl}/_control/events`);
      return ((await response.json()) as { events: GoogleEvent[] }).events;
    },
    async kensGoogleEvent(eventId) {
      const made = app();
      const account = await made.db
        .selectFrom("accounts")
        .select("credential_id")
        .where("org_id", "=", org)
        .where("user_id", "=", ken.sub)
        .where("provider", "=", "google")
        .executeTakeFirstOrThrow();
      const stored = await readTokens(
        { db: made.db, vault: made.vault, clock: made.clock },
        { hostId: "portal-a", orgId: org },
        account.credential_id,
      );
      const response = await fetch(`${made.google.baseUrl}/calendar/v3/calendars/primary/events/${eventId}`, {
        headers: { authorization: `Bearer ${stored?.tokens.accessToken}` },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, any>;
    },
  };
}
