/**
 * The real app with the real Google and Microsoft link adapters, each pointed
 * at its fake on loopback, over a test database; and a browser-like walk
 * through start → begin → the fake's consent page(s) → our callback.
 */
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { createApp } from "../../../src/app.ts";
import { readTokens } from "../../../src/accounts/tokens.ts";
import { loadHostRegistry, syncHostsToDatabase } from "../../../src/auth/host-registry.ts";
import { silentLogger } from "../../../src/log.ts";
import { createGoogleLinkAdapter } from "../../../src/oauth/adapters/google.ts";
import { createMicrosoftLinkAdapter } from "../../../src/oauth/adapters/microsoft.ts";
import type { Clock } from "../../../src/clock.ts";
import type { LinkAdapter } from "../../../src/oauth/provider-link.ts";
import type { HttpDeps } from "../../../src/providers/http.ts";
import type { TokenSet } from "../../../src/providers/types.ts";
import { createGoogleFake, googleSandboxEndpoints } from "../../../src/sandbox/google/index.ts";
import { createMicrosoftFake, microsoftSandboxEndpoints } from "../../../src/sandbox/microsoft/index.ts";
import type { DB } from "../../../src/store/database.ts";
import type { Vault } from "../../../src/vault/vault.ts";
import { createVault } from "../../../src/vault/vault.ts";
import { decide as decideGoogle, openConsent as openGoogleConsent } from "../../providers/google-support.ts";
import { decide as decideMicrosoft } from "../../providers/microsoft-helpers.ts";
import { createTestDatabase } from "../../support/database.ts";
import { type RunningFake, startFake } from "../../support/fake-server.ts";
import { type MovableClock, movableClock, randomSecret, temporaryHostsFile } from "../../support/hosts.ts";
import { beginLink, type Caller, followToCallback, outcomeOf, portalApi, portalOrigin, publicUrl } from "./round-trip.ts";

export { beginLink, type Begun, type Caller, followToCallback, type Outcome, outcomeOf, portalOrigin, publicUrl } from "./round-trip.ts";



export interface LinkingApp {
  app: ReturnType<typeof createApp>;
  db: DB;
  vault: Vault;
  clock: MovableClock;
  google: RunningFake;
  microsoft: RunningFake;
  adapters: { google: LinkAdapter; microsoft: LinkAdapter };
  api(caller: Caller, method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** Fast retries, recorded instead of slept: no test waits on a timer. */
function httpDeps(clock: Clock): HttpDeps {
  return { fetch: globalThis.fetch, clock, sleep: async () => {}, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1000 } };
}

export async function startLinkingApp(): Promise<LinkingApp> {
  const database = await createTestDatabase();
  const [google, microsoft] = await Promise.all([startFake(createGoogleFake), startFake(createMicrosoftFake)]);
  const secret = randomSecret();
  const hostsFile = temporaryHostsFile([{ id: "portal-a", origins: [portalOrigin], secret, algorithms: ["HS256"] }]);
  // Start where the fakes' clocks are, so id_token and token expiry mean the same to both sides.
  const clock = movableClock(google.clock.now().toISOString());
  const hosts = await loadHostRegistry(hostsFile.file, { logger: silentLogger });
  await syncHostsToDatabase(database.db, hosts, clock);
  const vault = createVault([{ id: "test", key: new Uint8Array(randomBytes(32)) }]);
  const linkAdapters = {
    google: createGoogleLinkAdapter({ clientId: google.context.clientId, clientSecret: google.context.clientSecret, endpoints: googleSandboxEndpoints(google.baseUrl) }, httpDeps(google.clock)),
    microsoft: createMicrosoftLinkAdapter(
      { clientId: microsoft.context.clientId, clientSecret: microsoft.context.clientSecret, endpoints: microsoftSandboxEndpoints(microsoft.baseUrl) },
      httpDeps(microsoft.clock),
    ),
  };
  const deps = { db: database.db, vault, clock, logger: silentLogger, hosts };
  const app = createApp({ ...deps, config: { publicUrl }, providers: {}, linkAdapters });

  return {
    app,
    db: database.db,
    vault,
    clock,
    google,
    microsoft,
    adapters: linkAdapters,
    api: portalApi(app, secret, clock),
    async close() {
      await Promise.all([google.close(), microsoft.close()]);
      await database.close();
      hostsFile.cleanup();
    },
  };
}






export interface GoogleChoice {
  decision?: "allow" | "deny";
  /** Calendar scopes to untick on Google's granular consent screen. */
  untick?: string[];
}

/** The whole Google round trip, choosing `account` on the consent page. */
export async function linkGoogle(t: LinkingApp, caller: Caller, purpose: "org" | "personal", account: string, choice: GoogleChoice = {}) {
  const begun = await beginLink(t, caller, "google", purpose);
  const back = await decideGoogle(await openGoogleConsent(begun.providerUrl), account, choice);
  return { ...begun, outcome: await outcomeOf(await followToCallback(t, back, begun.cookie)) };
}

/** A Microsoft sign-in page: choose the account whose sign-in name is `email`, allow or deny; our callback's answer. */
export async function signInAtMicrosoft(t: LinkingApp, page: URL, email: string, cookie: string, decision: "allow" | "deny" = "allow"): Promise<Response> {
  return followToCallback(t, await decideMicrosoft(page, email, decision), cookie);
}

/**
 * Connects Microsoft 365: admin consent as `consentBy`, then (if our callback
 * sends the browser on) the sign-in as `signInAs`, pinned to the tenant.
 */
export async function connectMicrosoft(t: LinkingApp, caller: Caller, consentBy: string, signInAs = consentBy, decision: "allow" | "deny" = "allow") {
  const begun = await beginLink(t, caller, "microsoft", "org");
  const afterConsent = await signInAtMicrosoft(t, begun.providerUrl, consentBy, begun.cookie, decision);
  if (afterConsent.status !== 302) return { ...begun, signInUrl: undefined, outcome: await outcomeOf(afterConsent) };
  const signInUrl = new URL(afterConsent.headers.get("location") ?? "");
  return { ...begun, signInUrl, outcome: await outcomeOf(await signInAtMicrosoft(t, signInUrl, signInAs, begun.cookie)) };
}

export async function linkMicrosoft(t: LinkingApp, caller: Caller, email: string) {
  const begun = await beginLink(t, caller, "microsoft", "personal");
  return { ...begun, outcome: await outcomeOf(await signInAtMicrosoft(t, begun.providerUrl, email, begun.cookie)) };
}

export interface AccountsAnswer {
  connections: Array<{ id: string; provider: string; externalId: string; displayName: string; detail: Record<string, unknown>; status: string }>;
  accounts: Array<{ id: string; provider: string; externalUserId: string; externalAccountId: string; email: string | null; displayName: string; status: string; isDefault: boolean }>;
}

export async function accountsOf(t: LinkingApp, caller: Caller): Promise<AccountsAnswer> {
  const response = await t.api(caller, "GET", "/v1/accounts");
  expect(response.status).toBe(200);
  return (await response.json()) as AccountsAnswer;
}

/** The tokens stored for one of the caller's accounts (tests only: the API never shows them). */
export async function storedTokens(t: LinkingApp, caller: Caller, accountId: string): Promise<TokenSet | undefined> {
  const row = await t.db.selectFrom("accounts").select("credential_id").where("id", "=", accountId).executeTakeFirstOrThrow();
  return (await readTokens({ db: t.db, vault: t.vault, clock: t.clock }, { hostId: "portal-a", orgId: caller.org }, row.credential_id))?.tokens;
}
