/**
 * What the Google contract tests share: the fake on loopback, the production
 * client (googleapis inside) pointed at it, and a "browser" that reads the
 * consent page's form and posts it back.
 */
import { createHash, randomBytes } from "node:crypto";
import { createGoogleClient, type GoogleClient, googleScopes } from "../../src/providers/google.ts";
import type { HttpDeps } from "../../src/providers/http.ts";
import type { OAuthApp, GoogleEndpoints } from "../../src/providers/settings.ts";
import type { TokenSet } from "../../src/providers/types.ts";
import { createGoogleFake, googleSandboxEndpoints } from "../../src/sandbox/google/index.ts";
import { type RunningFake, startFake } from "../support/fake-server.ts";

export const redirectUri = "http://127.0.0.1:8787/oauth/google/callback";
export const hanako = "hanako.yamada@sakura-recruit.example";
export const ken = "ken.sato@sakura-recruit.example";
export const consumer = "hanako.yamada.home@gmail.example";
export const calendarEvents = "https://www.googleapis.com/auth/calendar.events";
export const calendarFreeBusy = "https://www.googleapis.com/auth/calendar.freebusy";

export interface GoogleHarness {
  fake: RunningFake;
  app: OAuthApp<GoogleEndpoints>;
  client: GoogleClient;
  deps: HttpDeps & { slept: number[] };
}

export async function startGoogle(): Promise<GoogleHarness> {
  const fake = await startFake(createGoogleFake);
  const slept: number[] = [];
  const deps = {
    fetch: globalThis.fetch,
    clock: fake.clock,
    sleep: async (ms: number) => {
      slept.push(ms);
    },
    retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 60_000 },
    slept,
  };
  const app = {
    clientId: fake.context.clientId,
    clientSecret: fake.context.clientSecret,
    endpoints: googleSandboxEndpoints(fake.baseUrl),
  };
  return { fake, app, client: createGoogleClient(app, deps), deps };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface ConsentForm {
  action: string;
  hidden: Record<string, string>;
  accounts: string[];
  /** Scopes shown as checkboxes (ticked by default). */
  optionalScopes: string[];
  /** Scopes shown without a checkbox (sign-in scopes). */
  fixedScopes: string[];
}

/** GETs the consent page and reads its form like a browser would. */
export async function openConsent(url: URL | string): Promise<ConsentForm> {
  const response = await fetch(url, { redirect: "manual" });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`consent page answered ${response.status}: ${html}`);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the consent page: ${html}`);
  const hidden: Record<string, string> = {};
  const fixedScopes: string[] = [];
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    if (match[1] === "scope") fixedScopes.push(decode(match[2] ?? ""));
    else if (match[1]) hidden[match[1]] = decode(match[2] ?? "");
  }
  const optionalScopes = [...html.matchAll(/<input type="checkbox" name="scope" value="([^"]+)" checked/g)].map(
    (match) => decode(match[1] ?? ""),
  );
  const accounts = [...html.matchAll(/<input type="radio" name="account" value="([^"]+)"/g)].map((match) =>
    decode(match[1] ?? ""),
  );
  return { action: new URL(decode(action), url).toString(), hidden, accounts, optionalScopes, fixedScopes };
}

/** Posts the consent form (all boxes ticked unless `untick` says otherwise) and returns where Google redirected to. */
export async function decide(
  form: ConsentForm,
  account: string,
  options: { decision?: "allow" | "deny"; untick?: string[] } = {},
): Promise<URL> {
  const body = new URLSearchParams({ ...form.hidden, account, decision: options.decision ?? "allow" });
  for (const scope of [...form.fixedScopes, ...form.optionalScopes.filter((scope) => !options.untick?.includes(scope))])
    body.append("scope", scope);
  const response = await fetch(form.action, { method: "POST", body, redirect: "manual" });
  const location = response.headers.get("location");
  if (response.status !== 302 || !location)
    throw new Error(`consent answered ${response.status}: ${await response.text()}`);
  return new URL(location);
}

export interface LinkOptions {
  forceConsent?: boolean;
  untick?: string[];
  scopes?: string[];
}

/** Goes through consent as `account` and returns the code and the verifier it needs. */
export async function authorize(
  harness: GoogleHarness,
  account: string,
  options: LinkOptions = {},
): Promise<{ code: string; verifier: string; back: URL }> {
  const pkce = pkcePair();
  const url = harness.client.oauth.authorizationUrl({
    state: "state-1",
    codeChallenge: pkce.challenge,
    redirectUri,
    scopes: options.scopes ?? [...googleScopes],
    loginHint: account,
    forceConsent: options.forceConsent,
  });
  const back = await decide(await openConsent(url), account, { untick: options.untick });
  const code = back.searchParams.get("code");
  if (!code) throw new Error(`no code in ${back}`);
  return { code, verifier: pkce.verifier, back };
}

/** Links `account` all the way to tokens. */
export async function link(harness: GoogleHarness, account: string, options: LinkOptions = {}): Promise<TokenSet> {
  const { code, verifier } = await authorize(harness, account, options);
  return harness.client.oauth.exchangeCode({ code, codeVerifier: verifier, redirectUri });
}

function decode(value: string): string {
  return value
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}
