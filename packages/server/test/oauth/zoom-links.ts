/**
 * A browser-like walk through a Zoom round trip on the test app
 * (../support/test-app.ts with the Zoom fake): start → begin → Zoom consent →
 * callback, each step callable on its own with what a browser or another
 * page could send instead. Begin is the element's form POST (../support/round-trip.ts).
 */
import { walkConsent } from "../providers/zoom-support.ts";
import { beginRequest, type StartedFlow } from "../support/round-trip.ts";
import { type Caller, homeOrigin, type TestApp } from "../support/test-app.ts";

export interface BegunFlow {
  flow: string;
  /** Where begin sent the browser: the provider's authorize URL. */
  authorizeUrl: URL;
  /** `name=value` of the binding cookie. */
  cookie: string;
}

/** A started flow, with the origin the portal page started it from (the one begin must come from). */
export interface Started extends StartedFlow {
  origin: string;
}

export async function startFlow(
  t: TestApp,
  caller: Caller,
  body: Record<string, unknown>,
  origin?: string,
): Promise<Started> {
  const response = await t.api(caller, "POST", "/v1/oauth/zoom/start", body, origin ? { origin } : {});
  if (response.status !== 201) throw new Error(`start answered ${response.status}: ${await response.text()}`);
  return { ...((await response.json()) as StartedFlow), origin: origin ?? homeOrigin(caller) };
}

/** The element's begin form, submitted from the page that started the flow; `from` overrides what the browser would
 * send. */
export async function begin(
  t: TestApp,
  started: Started,
  from: { origin?: string | null; secret?: string | null } = {},
): Promise<Response> {
  const { path, init } = beginRequest(
    started,
    from.origin === undefined ? started.origin : from.origin,
    from.secret === undefined ? started.beginSecret : from.secret,
  );
  return t.app.request(path, init);
}

export async function startAndBegin(
  t: TestApp,
  caller: Caller,
  body: Record<string, unknown> = { purpose: "personal", returnMode: "popup" },
): Promise<BegunFlow> {
  const started = await startFlow(t, caller, body);
  const response = await begin(t, started);
  if (response.status !== 303) throw new Error(`begin answered ${response.status}: ${await response.text()}`);
  const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  return { flow: started.flow, authorizeUrl: new URL(response.headers.get("location") ?? ""), cookie };
}

/** The provider's redirect back to us, as the browser would follow it. */
export async function callback(t: TestApp, location: URL | string, cookie: string | undefined): Promise<Response> {
  const url = new URL(location);
  return t.app.request(url.pathname + url.search, { headers: cookie ? { Cookie: cookie } : {} });
}

/** Start, begin, consent at the Zoom fake as `zoomUser`, and return where Zoom sends the browser back. */
export async function consent(
  t: TestApp<"zoom">,
  caller: Caller,
  zoomUser: string,
  body?: Record<string, unknown>,
  decision: "allow" | "deny" = "allow",
) {
  // A second passes between links, as it would for a person: accounts list in the order they were linked.
  t.clock.advance(1);
  const begun = await startAndBegin(t, caller, body);
  const { location } = await walkConsent(t.zoom, { url: begun.authorizeUrl, account: zoomUser, decision });
  return { ...begun, location };
}

/** The whole round trip; returns the callback's answer. */
export async function link(t: TestApp<"zoom">, caller: Caller, zoomUser: string, body?: Record<string, unknown>) {
  const consented = await consent(t, caller, zoomUser, body);
  return { ...consented, response: await callback(t, consented.location, consented.cookie) };
}
