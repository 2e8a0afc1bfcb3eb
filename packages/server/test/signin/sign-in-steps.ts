/**
 * The real app with the Slack link adapter and the Slack sign-in adapter, both
 * pointed at the Slack fake on loopback, over a test database; host tokens
 * for signed-in portal users, sign-in tokens for people at the login page,
 * and a browser-like walk through start → begin → Slack's page → callback.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import { expect } from "vitest";
import { createApp } from "../../src/app.ts";
import type { EncryptionKey } from "../../src/config.ts";
import { loadHostRegistry, syncHostsToDatabase } from "../../src/auth/host-registry.ts";
import { silentLogger } from "../../src/log.ts";
import { createSlackLinkAdapter } from "../../src/oauth/adapters/slack.ts";
import type { HttpDeps } from "../../src/providers/http.ts";
import { slackSandboxEndpoints } from "../../src/sandbox/slack/index.ts";
import { assertionType } from "../../src/signin/assertion.ts";
import { createVault, type Vault } from "../../src/vault/vault.ts";
import { errorCodeOnPage, postedMessage } from "../oauth/harness.ts";
import { decide, openConsent, type SlackHarness, startSlack } from "../providers/slack-support.ts";
import { createTestDatabase } from "../support/database.ts";
import type { DatabaseOptions, DB } from "../../src/store/database.ts";
import { type MovableClock, movableClock, portalClaims, randomSecret, secretKey, signToken, temporaryHostsFile } from "../support/hosts.ts";
import { beginFrom as begin, followToCallback as callback } from "../oauth/adapters/round-trip.ts";

export const publicUrl = "http://tsunagu.test";
export const portalOrigin = "https://portal-a.example";
export const loginPage = `${portalOrigin}/login`;

/** A portal user: who the host token (or the sign-in token) names. */
export interface Person {
  sub: string;
  org: string;
  role: "admin" | "recruiter" | "assistant" | "guest";
  email: string;
}

export const hanako: Person = { sub: "hanako", org: "sakura", role: "admin", email: "hanako.yamada@sakura-recruit.example" };
export const ken: Person = { sub: "ken", org: "sakura", role: "recruiter", email: "ken.sato@sakura-recruit.example" };
/** A portal user whose email is the Slack multi-channel guest's. */
export const olivia: Person = { sub: "olivia", org: "sakura", role: "guest", email: "olivia.brown@talent-agency.example" };

/** Slack members of the fake (src/sandbox/seed.ts). */
export const slackMembers = {
  hanako: "U0S001HANA",
  ken: "U0S002KEN",
  olivia: "U0G001OLIV",
  kenta: "U0G002KENT",
  hanakoInLabs: "U0L001HANA",
} as const;
export const sakuraTeam = "T0SAKURA01";

export interface SignInApp {
  app: ReturnType<typeof createApp>;
  db: DB;
  /** Opens another pool on the same data: a second server process. */
  databaseOptions: DatabaseOptions;
  vault: Vault;
  /** The one key of `vault`, id "test". */
  encryptionKey: EncryptionKey;
  clock: MovableClock;
  slack: SlackHarness;
  /** A JSON call with a host token of a signed-in `person`, from the portal's origin. */
  api(person: Person, method: string, path: string, body?: unknown): Promise<Response>;
  /** A sign-in token the portal's backend signs for whoever is at the login page claiming to be `person`. */
  signInToken(person: Person, overrides?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** Serves the app on loopback, for clients that fetch (jose's remote JWKS). */
export async function serveApp(t: SignInApp): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(started));
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Fast retries that never sleep: no test waits on a timer. */
function httpDeps(slack: SlackHarness): HttpDeps {
  return { fetch: globalThis.fetch, clock: slack.fake.clock, sleep: async () => {}, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1000 } };
}

export async function startSignInApp(): Promise<SignInApp> {
  const database = await createTestDatabase();
  const slack = await startSlack();
  const secret = randomSecret();
  const hostsFile = temporaryHostsFile([{ id: "portal-a", origins: [portalOrigin], secret, algorithms: ["HS256"] }]);
  // Start where the fake's clock is, so id_token expiry means the same to both sides.
  const clock = movableClock(slack.fake.clock.now().toISOString());
  const hosts = await loadHostRegistry(hostsFile.file, { logger: silentLogger });
  await syncHostsToDatabase(database.db, hosts, clock);
  const encryptionKey: EncryptionKey = { id: "test", key: new Uint8Array(randomBytes(32)) };
  const vault = createVault([encryptionKey]);
  const slackApp = { clientId: slack.fake.context.clientId, clientSecret: slack.fake.context.clientSecret, endpoints: slackSandboxEndpoints(slack.fake.baseUrl) };
  const app = createApp({
    db: database.db,
    vault,
    clock,
    logger: silentLogger,
    hosts,
    config: { publicUrl },
    // The sign-in adapter is built by the app from the provider settings; the link adapter is handed in, as main.ts does.
    providers: { slack: slackApp },
    linkAdapters: { slack: createSlackLinkAdapter(slackApp, httpDeps(slack)) },
  });

  const sign = (person: Person, overrides: Record<string, unknown>) =>
    signToken(secretKey(secret), portalClaims(clock, "portal-a", { sub: person.sub, org: person.org, role: person.role, email: person.email, ...overrides }));
  return {
    app,
    db: database.db,
    databaseOptions: database.options,
    vault,
    encryptionKey,
    clock,
    slack,
    async api(person, method, path, body) {
      const headers: Record<string, string> = { Authorization: `Bearer ${await sign(person, {})}`, Origin: portalOrigin };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      return app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    },
    signInToken(person, overrides = {}) {
      const now = Math.floor(clock.now().getTime() / 1000);
      return sign(person, { aud: "tsunagu:signin", exp: now + 5 * 60, ...overrides });
    },
    async close() {
      await slack.fake.close();
      await database.close();
      hostsFile.cleanup();
    },
  };
}

/** The login page's call: `POST /v1/oauth/slack/start` with a sign-in token (or `token` as given) from the portal's origin. */
export async function startSignIn(t: SignInApp, person: Person, body: Record<string, unknown> = { purpose: "signin", returnMode: "popup" }, token?: string): Promise<Response> {
  return t.app.request("/v1/oauth/slack/start", {
    method: "POST",
    headers: { Authorization: `Bearer ${token ?? (await t.signInToken(person))}`, Origin: portalOrigin, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

export { begin, callback };
export type { Begun } from "../oauth/adapters/round-trip.ts";

export interface Outcome {
  type: string;
  status: "linked" | "signed_in" | "error";
  flow: string;
  provider: string;
  purpose: string;
  accountId?: string;
  connectionId?: string;
  assertion?: string;
  error?: { code: string; message: string };
}

/** What the callback page posts to the opener; it must post to the login page's exact origin. */
export async function outcomeOf(response: Response): Promise<Outcome> {
  const html = await response.text();
  const posted = postedMessage(html);
  if (!posted) throw new Error(`the callback posted nothing (code ${errorCodeOnPage(html) ?? "none"}): ${html.slice(0, 400)}`);
  expect(posted.origin).toBe(portalOrigin);
  return posted.message as unknown as Outcome;
}

/** The admin connects the organisation's Slack workspace (bot install) as `member`. */
export async function connectSlack(t: SignInApp, admin: Person, member: string = slackMembers.hanako): Promise<Outcome> {
  const begun = await begin(t, await t.api(admin, "POST", "/v1/oauth/slack/start", { purpose: "org", returnMode: "popup" }));
  return outcomeOf(await callback(t, await decide(await openConsent(begun.providerUrl), member), begun.cookie));
}

export async function setSignIn(t: SignInApp, admin: Person, enabled: boolean): Promise<Response> {
  return t.api(admin, "PUT", "/v1/signin/slack", { enabled });
}

/** The whole sign-in: the login page starts for `person`, Slack's page is answered as `member`; our callback's answer. */
export async function signInAs(t: SignInApp, person: Person, member: string, body?: Record<string, unknown>) {
  // A second passes between sign-ins, as it would for a person.
  t.clock.advance(1);
  const begun = await begin(t, await startSignIn(t, person, body));
  const location = await decide(await openConsent(begun.providerUrl), member);
  return { ...begun, location, response: await callback(t, location, begun.cookie) };
}

/** The portal backend's check (README, "Sign in with Slack"): the server's JWKS, our issuer, the host as audience, the assertion type. */
export async function verifyAssertion(t: SignInApp, assertion: string): Promise<JWTPayload> {
  const jwks = (await (await t.app.request("/.well-known/jwks.json")).json()) as JSONWebKeySet;
  const { payload } = await jwtVerify(assertion, createLocalJWKSet(jwks), {
    issuer: publicUrl,
    audience: "portal-a",
    typ: assertionType,
    algorithms: ["ES256"],
    currentDate: t.clock.now(),
  });
  return payload;
}

export async function expectApiError(response: Response, status: number, code: string): Promise<{ code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect({ status: response.status, body }).toMatchObject({ status, body: { error: { code } } });
  return body.error;
}

export const slackAccountsOf = (t: SignInApp, person: Person) =>
  t.db.selectFrom("accounts").selectAll().where("host_id", "=", "portal-a").where("org_id", "=", person.org).where("user_id", "=", person.sub).where("provider", "=", "slack").execute();
