/**
 * Shared by the Microsoft contract tests: the fake on loopback, our client
 * pointed at it, and a "browser" that reads the consent page and posts its form.
 */
import { createHash, randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { HttpDeps } from "../../src/providers/http.ts";
import { createMicrosoftClient, type MicrosoftClient, microsoftQuirks } from "../../src/providers/microsoft.ts";
import type { TokenSet } from "../../src/providers/types.ts";
import { createMicrosoftFake, microsoftSandboxEndpoints } from "../../src/sandbox/microsoft/index.ts";
import { type RunningFake, startFake } from "../support/fake-server.ts";

export const redirectUri = "http://127.0.0.1:8787/oauth/microsoft/callback";
export const hanako = "hanako.yamada@sakura-recruit.example";
export const ken = "ken.sato@sakura-recruit.example";
export const taro = "taro.toyama@other-company.example";
/** Cloud Application Administrator of the tenant: may grant admin consent without being a Global Administrator. */
export const ai = "ai.tanaka@sakura-recruit.example";
/** The nonce `link` signs in with, for `verifyIdToken`. */
export const signInNonce = "nonce-of-this-sign-in";

export interface MicrosoftTestEnv {
  running: RunningFake;
  client: MicrosoftClient;
  deps: HttpDeps & { slept: number[] };
}

export async function startMicrosoft(): Promise<MicrosoftTestEnv> {
  const running = await startFake(createMicrosoftFake);
  const slept: number[] = [];
  const deps = {
    fetch: globalThis.fetch,
    clock: running.clock,
    sleep: async (ms: number) => {
      slept.push(ms);
    },
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1000 },
    slept,
  };
  const client = createMicrosoftClient(
    {
      clientId: running.context.clientId,
      clientSecret: running.context.clientSecret,
      endpoints: microsoftSandboxEndpoints(running.baseUrl),
    },
    deps,
  );
  return { running, client, deps };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface ConsentPage {
  action: string;
  hidden: Array<[string, string]>;
  accounts: Array<{ id: string; detail: string }>;
}

/** GETs a sign-in page and reads its form as a browser would. */
export async function openConsentPage(url: URL | string): Promise<ConsentPage> {
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status).toBe(200);
  const page = await response.text();
  const action = new URL(decodeHtml(/<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? ""), url).toString();
  const hidden = [...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(
    (match) => [match[1] ?? "", decodeHtml(match[2] ?? "")] as [string, string],
  );
  const accounts = [
    ...page.matchAll(
      new RegExp(
        String.raw`<input type="radio" name="account" value="([^"]+)"[^>]*\/>\s*` +
          String.raw`<span><strong>[^<]*<\/strong><br \/><small>([^<]*)<\/small>`,
        "g",
      ),
    ),
  ].map((match) => ({
    id: match[1] ?? "",
    detail: decodeHtml(match[2] ?? ""),
  }));
  return { action, hidden, accounts };
}

/** Chooses the account whose sign-in name is `email`, clicks allow or deny, and returns where the page redirects. */
export async function decide(url: URL | string, email: string, decision: "allow" | "deny"): Promise<URL> {
  const page = await openConsentPage(url);
  const account = page.accounts.find((candidate) => candidate.detail.startsWith(`${email} `));
  if (!account) throw new Error(`the consent page does not offer ${email}`);
  const form = new URLSearchParams([...page.hidden, ["account", account.id], ["decision", decision]]);
  const response = await fetch(page.action, { method: "POST", body: form, redirect: "manual" });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location") ?? "");
}

/** The whole link: authorize URL → consent page → code → tokens. */
export async function link(env: MicrosoftTestEnv, email = hanako, scopes?: string[]): Promise<TokenSet> {
  const { verifier, challenge } = pkcePair();
  const url = env.client.oauth.authorizationUrl({
    state: "state-1",
    codeChallenge: challenge,
    redirectUri,
    scopes: scopes ?? [...microsoftQuirks.scopes],
    nonce: signInNonce,
  });
  const callback = await decide(url, email, "allow");
  return env.client.oauth.exchangeCode({
    code: callback.searchParams.get("code") ?? "",
    codeVerifier: verifier,
    redirectUri,
  });
}

function decodeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
