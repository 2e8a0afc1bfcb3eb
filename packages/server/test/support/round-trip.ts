/**
 * The parts of an OAuth round trip every suite takes the same way: start and
 * begin as the element does (a form POST of the begin secret from the
 * embedding page), following the provider's redirect to our callback page,
 * and reading what that page posts to the opener.
 */
import { expect } from "vitest";
import type { ProviderId } from "../../src/providers/errors.ts";
import { type Caller, originA, publicUrl } from "./test-app.ts";

export { type Caller, publicUrl } from "./test-app.ts";
/** The page the element is embedded in: portal-a's first origin. */
export const portalOrigin = originA;

/** What the round trip needs of a test app (./test-app.ts). */
export interface RoundTripApp {
  app: { request(input: string, init?: RequestInit): Response | Promise<Response> };
  clock: { advance(seconds: number): void };
  api(caller: Caller, method: string, path: string, body?: unknown): Promise<Response>;
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
export function beginRequest(
  started: Pick<StartedFlow, "url" | "beginSecret">,
  origin: string | null,
  secret: string | null = started.beginSecret,
): { path: string; init: RequestInit } {
  const url = new URL(started.url);
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (origin !== null) headers.Origin = origin;
  return {
    path: url.pathname + url.search,
    init: { method: "POST", headers, body: new URLSearchParams(secret === null ? {} : { secret }).toString() },
  };
}

/** POST start, then begin as the element would. */
export async function beginLink(
  t: RoundTripApp,
  caller: Caller,
  provider: ProviderId,
  purpose: "org" | "personal",
): Promise<Begun> {
  // A second passes between links, as it would for a person: accounts list in the order they were linked.
  t.clock.advance(1);
  return beginFrom(t, await t.api(caller, "POST", `/v1/oauth/${provider}/start`, { purpose, returnMode: "popup" }));
}

/** Begin as the element would from the portal's page, for a start the test made itself (Sign in with Slack starts with
 * its own token). */
export async function beginFrom(t: Pick<RoundTripApp, "app">, started: Response): Promise<Begun> {
  expect(started.status, await started.clone().text()).toBe(201);
  const body = (await started.json()) as StartedFlow;
  const { path, init } = beginRequest(body, portalOrigin);
  const begun = await t.app.request(path, init);
  expect(begun.status, await begun.clone().text()).toBe(303);
  const { flow } = body;
  return {
    flow,
    providerUrl: new URL(begun.headers.get("location") ?? ""),
    cookie: (begun.headers.get("set-cookie") ?? "").split(";")[0] ?? "",
  };
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
  if (!posted)
    throw new Error(`the callback posted nothing (code ${errorCodeOnPage(html) ?? "none"}): ${html.slice(0, 400)}`);
  expect(posted.origin).toBe(portalOrigin);
  return posted.message as unknown as Outcome;
}

/** The message the popup page posts, and the origin it posts it to. */
export function postedMessage(html: string): { message: Record<string, unknown>; origin: string } | undefined {
  const match = /var message = (.*);\n\s*var origin = (.*);/.exec(html);
  if (!match?.[1] || !match[2]) return undefined;
  return { message: JSON.parse(match[1]) as Record<string, unknown>, origin: JSON.parse(match[2]) as string };
}

export function errorCodeOnPage(html: string): string | undefined {
  return /data-error-code="([^"]+)"/.exec(html)?.[1];
}
