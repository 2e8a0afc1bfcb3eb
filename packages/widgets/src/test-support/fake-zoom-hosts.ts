/**
 * Browser side of test-support/fake-zoom-hosts-api.mjs: seeds the Zoom
 * users of a tenant, makes host tokens for it, reads what the element asked,
 * and waits for <zoom-host-picker> to settle. Production code never imports
 * this folder.
 */
import { waitUntil } from "@open-wc/testing";
import type { ZoomHostPicker } from "../zoom-host-picker/zoom-host-picker.ts";
import { type FakeClaims, fakeHostToken } from "./fake-host-token.ts";

export interface SeedZoomHost {
  zoomUserId: string;
  displayName: string;
  /** Portal users who linked it: listed first when one of them takes part. */
  owners?: string[];
  /** Meetings it may host at once. Default 1. */
  limit?: number;
  /** A Basic user hosts at most 40 minutes. */
  type?: "basic" | "licensed";
  status?: "active" | "needs_reauth";
  /** Meetings it hosts (ours and Zoom's own), ISO times; `interviewId`: that interview's own meeting. */
  meetings?: Array<{ start: string; end: string; interviewId?: string }>;
  /** Forces this reason (one this version may not know). */
  reason?: string;
  /** Fields a newer server adds to the candidate. */
  extra?: Record<string, unknown>;
}

export interface ZoomHostsSeed {
  hosts: SeedZoomHost[];
  /** The next requests answer these error envelopes, in order; one with `start` only a request for that start. */
  failures?: Array<{ status: number; code: string; message: string; start?: string }>;
  /** Requests for these start times never answer: only the browser's abort ends them. */
  stallStarts?: string[];
}

export interface ZoomHostsRequest {
  start: string;
  end: string;
  participants: string[];
  /** The interview being changed, when the element named one. */
  interviewId: string | null;
  /** What Accept-Language asked for: `ja` or `en`. */
  language: "ja" | "en";
  outcome: "pending" | "answered" | "failed" | "aborted";
}

export interface FakeZoomTenant {
  org: string;
  token(claims?: Partial<FakeClaims>): string;
  requests(): Promise<ZoomHostsRequest[]>;
}

export async function seedZoomHosts(seed: ZoomHostsSeed): Promise<FakeZoomTenant> {
  const org = `org-${crypto.randomUUID()}`;
  const response = await fetch("/fake-tsunagu/control/zoom-hosts/seed", {
    method: "POST",
    body: JSON.stringify({ org, ...seed }),
  });
  if (!response.ok) throw new Error(`seeding the fake failed: ${response.status} ${await response.text()}`);
  const now = Math.floor(Date.now() / 1000);
  return {
    org,
    token: (claims = {}) =>
      fakeHostToken({ iss: "fake-host", sub: "u_ken", org, role: "recruiter", iat: now, exp: now + 900, ...claims }),
    requests: async () =>
      (await (
        await fetch(`/fake-tsunagu/control/zoom-hosts/requests?org=${encodeURIComponent(org)}`)
      ).json()) as ZoomHostsRequest[],
  };
}

/** Waits until the picker has an answer or a failure to show (not loading, not waiting for its debounce). */
export async function pickerSettled(el: ZoomHostPicker): Promise<void> {
  await el.updateComplete;
  // Loading is the outline of the cards (the first answer) or the list marked busy (a new one).
  await waitUntil(
    () => el.shadowRoot?.querySelector('[part~="base"]') && !el.shadowRoot.querySelector('[aria-busy="true"]'),
    "the picker kept loading",
    { timeout: 4000 },
  );
  await el.updateComplete;
}

/** The candidates' radios, in order. */
export function radios(el: ZoomHostPicker): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')];
}

/** The radio of one Zoom user. */
export function radioOf(el: ZoomHostPicker, zoomUserId: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(
    `[role="radio"][data-zoom-user-id="${CSS.escape(zoomUserId)}"]`,
  );
  if (!found) throw new Error(`no candidate ${zoomUserId}`);
  return found;
}

/** The Zoom user ids of the radios, in order, with the checked one marked `*`. */
export function shownHosts(el: ZoomHostPicker): string[] {
  return radios(el).map(
    (radio) => `${radio.dataset.zoomUserId}${radio.getAttribute("aria-checked") === "true" ? "*" : ""}`,
  );
}

/**
 * A tenant like a recruiting team's: two interviewers with their own Zoom
 * users (one busy, one needing linking again) and two shared ones (a
 * licensed user hosting up to two meetings, and a Basic one).
 */
export const sakuraHosts: SeedZoomHost[] = [
  {
    zoomUserId: "zu_recruit",
    displayName: "Recruiting Interviews",
    limit: 2,
    meetings: [{ start: "2026-12-01T10:00:00Z", end: "2026-12-01T11:00:00Z" }],
  },
  { zoomUserId: "zu_basic", displayName: "Intern Desk", type: "basic" },
  {
    zoomUserId: "zu_ken",
    displayName: "Ken Sato",
    owners: ["u_ken"],
    meetings: [{ start: "2026-12-01T10:00:00Z", end: "2026-12-01T11:00:00Z" }],
  },
  { zoomUserId: "zu_aiko", displayName: "田中 愛子", owners: ["u_aiko"], status: "needs_reauth" },
];

/** An hour overlapping Ken's and the shared user's 10:00 meeting. */
export const busyHour = { start: "2026-12-01T10:30:00.000Z", end: "2026-12-01T11:30:00.000Z" };
/** Half an hour when Ken is free. */
export const freeHalfHour = { start: "2026-12-01T13:00:00.000Z", end: "2026-12-01T13:30:00.000Z" };
