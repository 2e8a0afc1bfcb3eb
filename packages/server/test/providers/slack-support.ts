/**
 * What the Slack contract tests share: the fake on loopback, the production
 * client pointed at it, and a "browser" that clicks through the consent pages.
 */
import { createHash, randomBytes } from "node:crypto";
import type { HttpDeps } from "../../src/providers/http.ts";
import { createSlackClient, type SlackClient, slackScopes } from "../../src/providers/slack.ts";
import { createSlackFake, slackSandboxEndpoints } from "../../src/sandbox/slack/index.ts";
import { type RunningFake, startFake } from "../support/fake-server.ts";

export const redirectUri = "http://127.0.0.1:8787/oauth/slack/callback";
export const sakura = "T0SAKURA01";
export const labs = "T0LABS0002";
export const hanako = "U0S001HANA";
export const ken = "U0S002KEN";
export const olivia = "U0G001OLIV";
export const kenta = "U0G002KENT";
export const labsHanako = "U0L001HANA";

export interface SlackHarness {
  fake: RunningFake;
  client: SlackClient;
  deps: HttpDeps & { slept: number[] };
}

export async function startSlack(options: { webhookUrl?: string } = {}): Promise<SlackHarness> {
  const fake = await startFake(createSlackFake, options);
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
    endpoints: slackSandboxEndpoints(fake.baseUrl),
  };
  return { fake, client: createSlackClient(app, deps), deps };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface ConsentForm {
  action: string;
  hidden: Record<string, string>;
  accounts: string[];
}

/** GETs a consent page and reads its form like a browser would. */
export async function openConsent(url: URL | string): Promise<ConsentForm> {
  const response = await fetch(url, { redirect: "manual" });
  const html = await response.text();
  if (response.status !== 200) throw new Error(`consent page answered ${response.status}: ${html}`);
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form on the consent page: ${html}`);
  const hidden: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    if (match[1] && match[1] !== "scope") hidden[match[1]] = decode(match[2] ?? "");
  }
  const accounts = [...html.matchAll(/<input type="radio" name="account" value="([^"]+)"/g)].map(
    (match) => match[1] ?? "",
  );
  return { action: new URL(decode(action), url).toString(), hidden, accounts };
}

/** Posts the consent form and returns where Slack redirected to. */
export async function decide(form: ConsentForm, account: string, decision: "allow" | "deny" = "allow"): Promise<URL> {
  const body = new URLSearchParams({ ...form.hidden, account, decision });
  const response = await fetch(form.action, { method: "POST", body, redirect: "manual" });
  const location = response.headers.get("location");
  if (response.status !== 302 || !location)
    throw new Error(`consent answered ${response.status}: ${await response.text()}`);
  return new URL(location);
}

/** Installs the app as `account` and returns the authorization code. */
export async function installCode(
  harness: SlackHarness,
  account: string,
  options: { userScopes?: string[]; state?: string } = {},
): Promise<string> {
  const url = harness.client.oauth.authorizationUrl({
    state: options.state ?? "state-1",
    codeChallenge: pkcePair().challenge,
    redirectUri,
    scopes: [...slackScopes.bot],
    userScopes: options.userScopes,
  });
  const back = await decide(await openConsent(url), account);
  const code = back.searchParams.get("code");
  if (!code) throw new Error(`no code in ${back}`);
  return code;
}

/** Installs the app as `account` in their workspace and returns the bot token. */
export async function installBot(harness: SlackHarness, account: string): Promise<string> {
  const tokens = await harness.client.oauth.exchangeCode({
    code: await installCode(harness, account),
    codeVerifier: pkcePair().verifier,
    redirectUri,
  });
  return tokens.accessToken;
}

function decode(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}
