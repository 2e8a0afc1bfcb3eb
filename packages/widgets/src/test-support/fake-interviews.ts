/**
 * Browser side of test-support/fake-interviews-api.mjs: seeds one tenant in
 * the interview, accounts and Zoom hosts fakes at once, mounts
 * <schedule-interview> on it, and waits for it to settle. The week used is
 * 11–17 January 2027 in Tokyo: Monday the 11th is a national holiday
 * (成人の日). Production code never imports this folder.
 */
import type { AccountView, AvailabilityPerson, InterviewView } from "@tsunagu/contract";
import { fixture, html, waitUntil } from "@open-wc/testing";
import type { ScheduleInterview } from "../schedule-interview/schedule-interview.ts";
import type { CandidateInput, Interviewer } from "../schedule-interview/interviews-api.ts";
import { type FakeClaims, fakeHostToken, fakeServer } from "./fake-host-token.ts";
import type { SeedZoomHost } from "./fake-zoom-hosts.ts";

export interface SeedPerson extends Partial<Omit<AvailabilityPerson, "busy">> {
  id: string;
  name: string;
  email?: string;
  /** `interviewId`: the busy time of that interview's own event (left out when a question names it). */
  busy?: Array<{ start: string; end: string; interviewId?: string }>;
}

export interface InterviewsSeed {
  people: SeedPerson[];
  accounts?: Array<Partial<AccountView> & { id: string; provider: AccountView["provider"] }>;
  hosts?: SeedZoomHost[];
  interviews?: InterviewView[];
  templates?: Record<string, { body: string; subject?: string }>;
  /** Portal users who may start the meetings (the Zoom host's users). */
  startAllowed?: string[];
  /** `settled`: a booking refusal the server answers again for the same key (test-support/fake-interviews-api.mjs). */
  failures?: Record<string, Array<{ status: number; code: string; message: string; settled?: boolean }>>;
  holds?: string[];
  /** Starts the Zoom hosts fake answers for only when the browser gives up (fake-zoom-hosts-api.mjs `stallStarts`). */
  stallZoomHosts?: string[];
}

export interface InterviewsRequest {
  route: string;
  body: Record<string, unknown> | null;
  idempotencyKey: string | null;
}

export interface FakeInterviewsTenant {
  org: string;
  token(claims?: Partial<FakeClaims>): string;
  requests(): Promise<InterviewsRequest[]>;
  release(): Promise<void>;
}

const holiday = {
  date: "2027-01-11",
  reason: "holiday",
  name: "成人の日",
  nameEn: "Coming of Age Day",
  label: "祝日：成人の日",
};

/** Ken (every calendar read, busy Tuesday 10:00–11:00) and Aiko (one calendar needs linking again). */
export const sakuraPeople: SeedPerson[] = [
  {
    id: "u_ken",
    name: "Ken Sato",
    email: "ken@sakura.example",
    status: "ok",
    calendars: [{ accountId: "acc_ken", provider: "google", email: "ken@sakura.example", status: "read" }],
    busy: [{ start: "2027-01-12T01:00:00Z", end: "2027-01-12T02:00:00Z" }],
    daysOff: [holiday as AvailabilityPerson["daysOff"][number]],
  },
  {
    id: "u_aiko",
    name: "田中 愛子",
    email: "aiko@sakura.example",
    status: "unconfirmed",
    calendars: [
      {
        accountId: "acc_aiko",
        provider: "microsoft",
        email: "aiko@sakura.example",
        status: "unreadable",
        reason: "needs_reauth",
        detail: "The refresh token was refused.",
      },
    ],
    busy: [],
    daysOff: [holiday as AvailabilityPerson["daysOff"][number]],
  },
];

export const sakuraInterviewers: Interviewer[] = [
  { id: "u_ken", name: "Ken Sato" },
  { id: "u_aiko", name: "田中 愛子" },
];

export const calendarAccountsSeed: NonNullable<InterviewsSeed["accounts"]> = [
  { id: "acc_google_rec", provider: "google", email: "recruit@sakura.example", isDefault: true },
  { id: "acc_ms_rec", provider: "microsoft", email: "recruit@sakura.onmicrosoft.example" },
  { id: "acc_zoom_rec", provider: "zoom", email: "recruit@sakura.example" },
];

export async function seedInterviews(seed: InterviewsSeed): Promise<FakeInterviewsTenant> {
  const org = `org-${crypto.randomUUID()}`;
  const post = async (path: string, body: unknown) => {
    const response = await fetch(path, { method: "POST", body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`seeding ${path} failed: ${response.status} ${await response.text()}`);
  };
  await post("/fake-tsunagu/control/interviews/seed", { org, ...seed });
  await post("/fake-tsunagu/control/seed", { org, accounts: seed.accounts ?? calendarAccountsSeed });
  await post("/fake-tsunagu/control/zoom-hosts/seed", {
    org,
    hosts: seed.hosts ?? [],
    stallStarts: seed.stallZoomHosts ?? [],
  });
  const now = Math.floor(Date.now() / 1000);
  return {
    org,
    token: (claims = {}) =>
      fakeHostToken({
        iss: "fake-host",
        sub: "u_rec",
        org,
        role: "recruiter",
        tz: "Asia/Tokyo",
        iat: now,
        exp: now + 900,
        ...claims,
      }),
    requests: async () =>
      (await (
        await fetch(`/fake-tsunagu/control/interviews/requests?org=${encodeURIComponent(org)}`)
      ).json()) as InterviewsRequest[],
    release: async () => {
      await fetch(`/fake-tsunagu/control/interviews/release?org=${encodeURIComponent(org)}`, { method: "POST" });
    },
  };
}

export interface MountOptions {
  locale?: "ja" | "en";
  interviewId?: string;
  interviewers?: Interviewer[];
  webInterview?: boolean;
  templateKey?: string;
  token?: string;
  /** The page's `.candidate`; null gives none (a page that only knows an interview's id). */
  candidate?: CandidateInput | null;
}

export async function mountScheduler(
  tenant: FakeInterviewsTenant,
  options: MountOptions = {},
): Promise<ScheduleInterview> {
  const el = await fixture<ScheduleInterview>(html`<schedule-interview
    server=${fakeServer}
    token=${options.token ?? tenant.token()}
    locale=${options.locale ?? "ja"}
    time-zone="Asia/Tokyo"
    range-start="2027-01-11"
    range-end="2027-01-20"
    hours-start="09:00"
    hours-end="12:00"
    debounce="0"
    interview-id=${options.interviewId ?? ""}
    template-key=${options.templateKey ?? ""}
    ?web-interview=${options.webInterview ?? false}
    .interviewers=${options.interviewers ?? (options.interviewId ? [] : sakuraInterviewers)}
    .candidate=${options.candidate === undefined ? { name: "山田 花子", email: "hanako@example.com" } : options.candidate}
  ></schedule-interview>`);
  await schedulerSettled(el);
  return el;
}

/** Waits until the free times and the accounts are in (or failed), and the element has rendered them. */
export async function schedulerSettled(el: ScheduleInterview): Promise<void> {
  await el.updateComplete;
  await waitUntil(
    () => {
      const root = el.shadowRoot;
      if (!root) return false;
      if (root.querySelector('[part~="loading"][role="status"]:not(.visually-hidden)')) return false;
      if (root.querySelector('.week-scroll[aria-busy="true"]')) return false;
      return root.querySelector("#calendar-account, [part~='result'], [part~='error'], .summary") !== null;
    },
    "the scheduler did not settle",
    { timeout: 10_000 },
  );
  await el.updateComplete;
}

/** The grid cell starting at `start` (an ISO instant). */
export function cellAt(el: ScheduleInterview, start: string): HTMLElement {
  const cell = el.shadowRoot?.querySelector<HTMLElement>(`td[data-start="${new Date(start).toISOString()}"]`);
  if (!cell) throw new Error(`no cell starts at ${start}`);
  return cell;
}

export function shadow(el: ScheduleInterview): ShadowRoot {
  const root = el.shadowRoot;
  if (!root) throw new Error("no shadow root");
  return root;
}

/** Clicks the button carrying `data-<name>`. */
export async function press(el: ScheduleInterview, name: string): Promise<void> {
  const button = shadow(el).querySelector<HTMLButtonElement>(`button[data-${name}]`);
  if (!button) throw new Error(`no button data-${name}`);
  button.click();
  await el.updateComplete;
}
