/**
 * The parts of an OAuth round trip every adapter test takes the same way:
 * the portal's call as a signed-in user, start + begin as the element does
 * (a form POST of the begin secret from the embedding page), and following
 * the provider's redirect to our callback page.
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

/** What start answers: the begin form's action and secret. */
export interface StartedFlow {
  flow: string;
  url: string;
  beginSecret: string;
}

/**
 * The begin request as a browser sends the element's form: a POST to the
 * start's URL with the secret, `Origin` set to the embedding page's origin
 * (`null`: none, as a plain navigation has), and the secret (`null`: no
 * field). As a path and init for
 * `app.request`, or with the server's base URL for `fetch`.
 */
export function beginRequest(started: Pick<StartedFlow, "url" | "beginSecret">, origin: string | null, secret: string | null = started.beginSecret): { path: string; init: RequestInit } {
  const url = new URL(started.url);
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (origin !== null) headers.Origin = origin;
  return { path: url.pathname + url.search, init: { method: "POST", headers, body: new URLSearchParams(secret === null ? {} : { secret }).toString() } };
}

/** POST start, then begin as the element would. */
export async function beginLink(t: RoundTripApp, caller: Caller, provider: ProviderId, purpose: "org" | "personal"): Promise<Begun> {
  // A second passes between links, as it would for a person: accounts list in the order they were linked.
  t.clock.advance(1);
  return beginFrom(t, await t.api(caller, "POST", `/v1/oauth/${provider}/start`, { purpose, returnMode: "popup" }));
}

/** Begin as the element would from the portal's page, for a start the test made itself (Sign in with Slack starts with its own token). */
export async function beginFrom(t: Pick<RoundTripApp, "app">, started: Response): Promise<Begun> {
  expect(started.status, await started.clone().text()).toBe(201);
  const body = (await started.json()) as StartedFlow;
  const { path, init } = beginRequest(body, portalOrigin);
  const begun = await t.app.request(path, init);
  expect(begun.status, await begun.clone().text()).toBe(303);
  const { flow } = body;
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
