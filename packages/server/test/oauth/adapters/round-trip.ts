/**
 * The parts of an OAuth round trip every adapter test takes the same way:
 * the portal's call as a signed-in user, start + begin as the popup does,
 * and following the provider's redirect to our callback page.
 */
import { expect } from "vitest";
import type { Clock } from "../../../src/clock.ts";
import type { ProviderId } from "../../../src/providers/errors.ts";
import { portalClaims, secretKey, signToken } from "../../support/hosts.ts";
import { errorCodeOnPage, postedMessage } from "../harness.ts";

export const publicUrl = "http://tsunagu.test";
export const portalOrigin = "https://portal-a.example";

export interface Caller {
  sub: string;
  org: string;
  role: "admin" | "recruiter" | "assistant" | "guest";
}

/** What the round trip needs of a test app. */
export interface RoundTripApp {
  app: { request(input: string, init?: RequestInit): Response | Promise<Response> };
  clock: { advance(seconds: number): void };
  api(caller: Caller, method: string, path: string, body?: unknown): Promise<Response>;
}

/** The portal calling the API for `caller` with a host token of host "portal-a" from its origin. */
export function portalApi(app: RoundTripApp["app"], secret: string, clock: Clock): RoundTripApp["api"] {
  return async (caller, method, path, body) => {
    const token = await signToken(secretKey(secret), portalClaims(clock, "portal-a", { sub: caller.sub, org: caller.org, role: caller.role, email: `${caller.sub}@${caller.org}.example` }));
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Origin: portalOrigin };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  };
}

export interface Begun {
  flow: string;
  /** Where begin sent the browser: the provider's first page. */
  providerUrl: URL;
  /** `name=value` of the binding cookie. */
  cookie: string;
}

/** POST start, then GET begin as the popup would. */
export async function beginLink(t: RoundTripApp, caller: Caller, provider: ProviderId, purpose: "org" | "personal"): Promise<Begun> {
  // A second passes between links, as it would for a person: accounts list in the order they were linked.
  t.clock.advance(1);
  return beginFrom(t, await t.api(caller, "POST", `/v1/oauth/${provider}/start`, { purpose, returnMode: "popup" }));
}

/** GET begin as the popup would, for a start the test made itself (Sign in with Slack starts with its own token). */
export async function beginFrom(t: Pick<RoundTripApp, "app">, started: Response): Promise<Begun> {
  expect(started.status, await started.clone().text()).toBe(201);
  const { flow, url } = (await started.json()) as { flow: string; url: string };
  const begun = await t.app.request(new URL(url).pathname + new URL(url).search);
  expect(begun.status).toBe(302);
  return { flow, providerUrl: new URL(begun.headers.get("location") ?? ""), cookie: (begun.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
}

/** The provider's redirect to our callback, followed with the binding cookie. */
export async function followToCallback(t: Pick<RoundTripApp, "app">, location: URL, cookie: string): Promise<Response> {
  expect(location.origin).toBe(publicUrl);
  return await t.app.request(location.pathname + location.search, { headers: { Cookie: cookie } });
}

export interface Outcome {
  status: "linked" | "error";
  flow: string;
  accountId?: string;
  connectionId?: string;
  error?: { code: string; message: string };
}

/** What the callback page posts to the opener (every outcome of a verified browser is posted). */
export async function outcomeOf(response: Response): Promise<Outcome> {
  const html = await response.text();
  const posted = postedMessage(html);
  if (!posted) throw new Error(`the callback posted nothing (code ${errorCodeOnPage(html) ?? "none"}): ${html.slice(0, 400)}`);
  expect(posted.origin).toBe(portalOrigin);
  return posted.message as unknown as Outcome;
}
