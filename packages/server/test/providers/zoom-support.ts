/**
 * Shared by the Zoom contract tests: the fake on loopback, our production
 * client pointed at it with a recording sleep, and a browser-like walk
 * through the consent page (GET the authorize URL, POST its form).
 */
import { createHash, randomBytes } from "node:crypto";
import type { HttpDeps } from "../../src/providers/http.ts";
import type { TokenSet } from "../../src/providers/types.ts";
import { createZoomClient, type ZoomClient, type ZoomClientOptions } from "../../src/providers/zoom.ts";
import { createZoomFake, zoomSandboxEndpoints } from "../../src/sandbox/zoom/index.ts";
import { type RunningFake, startFake } from "../support/fake-server.ts";

export const redirectUri = "http://127.0.0.1:8787/oauth/callback/zoom";

export interface ZoomHarness {
  running: RunningFake;
  client: ZoomClient;
  /** Delays the client asked to sleep, in order. */
  slept: number[];
  /** A client with other credentials or options against the same fake. */
  clientWith(overrides: { clientSecret?: string; options?: ZoomClientOptions }): ZoomClient;
  close(): Promise<void>;
}

export async function startZoom(
  options: { webhookUrl?: string; clientOptions?: ZoomClientOptions } = {},
): Promise<ZoomHarness> {
  const running = await startFake(
    createZoomFake,
    options.webhookUrl === undefined ? {} : { webhookUrl: options.webhookUrl },
  );
  const slept: number[] = [];
  const deps: HttpDeps = {
    fetch: globalThis.fetch,
    clock: running.clock,
    sleep: async (ms) => {
      slept.push(ms);
    },
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 5000 },
  };
  const clientWith: ZoomHarness["clientWith"] = ({ clientSecret, options: clientOptions }) =>
    createZoomClient(
      {
        clientId: running.context.clientId,
        clientSecret: clientSecret ?? running.context.clientSecret,
        endpoints: zoomSandboxEndpoints(running.baseUrl),
      },
      deps,
      clientOptions ?? options.clientOptions,
    );
  return { running, client: clientWith({}), slept, clientWith, close: () => running.close() };
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface ConsentWalk {
  /** The authorize URL to open; built by our client unless given. */
  url?: URL;
  scopes?: string[];
  /** Zoom user id to choose on the page. */
  account: string;
  decision?: "allow" | "deny";
  pkce?: Pkce;
  state?: string;
}

/** Opens the consent page, picks the account and clicks a button; returns where Zoom sent the browser back. */
export async function walkConsent(harness: ZoomHarness, walk: ConsentWalk): Promise<{ location: URL; page: string }> {
  const pkce = walk.pkce ?? newPkce();
  const url =
    walk.url ??
    harness.client.oauth.authorizationUrl({
      state: walk.state ?? "state-1",
      codeChallenge: pkce.challenge,
      redirectUri,
      scopes: walk.scopes ?? [],
    });
  const pageResponse = await fetch(url, { redirect: "manual" });
  const page = await pageResponse.text();
  // Zoom sends some bad requests straight back to the app without showing the page.
  const early = pageResponse.headers.get("location");
  if (pageResponse.status === 302 && early) return { location: new URL(early), page };
  if (pageResponse.status !== 200) throw new Error(`consent page answered ${pageResponse.status}: ${page}`);
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  if (!action) throw new Error("no form on the consent page");
  const form = new URLSearchParams();
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    form.append(decodeHtml(match[1] ?? ""), decodeHtml(match[2] ?? ""));
  form.set("account", walk.account);
  form.set("decision", walk.decision ?? "allow");
  const decided = await fetch(new URL(decodeHtml(action), harness.running.baseUrl), {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  const location = decided.headers.get("location");
  if (decided.status !== 302 || !location)
    throw new Error(`consent POST answered ${decided.status}: ${await decided.text()}`);
  return { location: new URL(location), page };
}

/** Consent plus code exchange: the tokens our client gets for this Zoom user. */
export async function link(harness: ZoomHarness, account: string, scopes: string[] = []): Promise<TokenSet> {
  const pkce = newPkce();
  const { location } = await walkConsent(harness, { account, scopes, pkce });
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code in ${location}`);
  return harness.client.oauth.exchangeCode({ code, codeVerifier: pkce.verifier, redirectUri });
}

/** Moves the sandbox clock to `hour`:00 UTC of the next day, so tests never straddle a UTC midnight. */
export function moveClockToNextDay(running: RunningFake, hour: number): Date {
  const now = running.clock.now();
  const target = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, hour);
  running.clock.advance(target - now.getTime());
  return running.clock.now();
}

function decodeHtml(text: string): string {
  return text
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}
