/**
 * The real app with the real Zoom and Slack link adapters, each pointed at
 * its fake on loopback, over a test database; and a browser-like walk through
 * start → begin → the fake's consent page → our callback.
 */
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { createApp } from "../../../src/app.ts";
import { createTokenRefresher, type TokenOwner, type TokenRefresher } from "../../../src/accounts/refresh.ts";
import { readTokens } from "../../../src/accounts/tokens.ts";
import { loadHostRegistry, syncHostsToDatabase } from "../../../src/auth/host-registry.ts";
import { silentLogger } from "../../../src/log.ts";
import { createSlackLinkAdapter } from "../../../src/oauth/adapters/slack.ts";
import { createZoomLinkAdapter } from "../../../src/oauth/adapters/zoom.ts";
import type { LinkAdapter } from "../../../src/oauth/provider-link.ts";
import type { ProviderId } from "../../../src/providers/errors.ts";
import type { HttpDeps } from "../../../src/providers/http.ts";
import type { TokenSet } from "../../../src/providers/types.ts";
import { slackSandboxEndpoints } from "../../../src/sandbox/slack/index.ts";
import { zoomSandboxEndpoints } from "../../../src/sandbox/zoom/index.ts";
import type { DB } from "../../../src/store/database.ts";
import { createVault, type Vault } from "../../../src/vault/vault.ts";
import { decide, openConsent, type SlackHarness, startSlack } from "../../providers/slack-support.ts";
import { startZoom, walkConsent, type ZoomHarness } from "../../providers/zoom-support.ts";
import { createTestDatabase } from "../../support/database.ts";
import type { RunningFake } from "../../support/fake-server.ts";
import { type MovableClock, movableClock, randomSecret, temporaryHostsFile } from "../../support/hosts.ts";
import { beginLink, type Caller, followToCallback, type Outcome, outcomeOf, portalApi, portalOrigin, publicUrl } from "./round-trip.ts";

export { beginLink, type Begun, type Caller, type Outcome, portalOrigin, publicUrl } from "./round-trip.ts";



export interface ZoomSlackApp {
  app: ReturnType<typeof createApp>;
  db: DB;
  vault: Vault;
  clock: MovableClock;
  /** The Zoom fake, and our production Zoom client pointed at it (to check tokens the way a feature would use them). */
  zoom: ZoomHarness;
  /** The Slack fake, and our production Slack client pointed at it. */
  slack: SlackHarness;
  adapters: { zoom: LinkAdapter; slack: LinkAdapter };
  /** A refresher of the test's own, as another server process would have. */
  refresher: TokenRefresher;
  api(caller: Caller, method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** Fast retries that never sleep: no test waits on a timer. */
function httpDeps(fake: RunningFake): HttpDeps {
  return { fetch: globalThis.fetch, clock: fake.clock, sleep: async () => {}, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1000 } };
}

export async function startZoomSlackApp(): Promise<ZoomSlackApp> {
  const database = await createTestDatabase();
  const [zoom, slack] = await Promise.all([startZoom(), startSlack()]);
  const secret = randomSecret();
  const hostsFile = temporaryHostsFile([{ id: "portal-a", origins: [portalOrigin], secret, algorithms: ["HS256"] }]);
  // Start where the fakes' clocks are, so token expiry means the same to both sides.
  const clock = movableClock(zoom.running.clock.now().toISOString());
  const hosts = await loadHostRegistry(hostsFile.file, { logger: silentLogger });
  await syncHostsToDatabase(database.db, hosts, clock);
  const vault = createVault([{ id: "test", key: new Uint8Array(randomBytes(32)) }]);
  const app = (fake: RunningFake) => ({ clientId: fake.context.clientId, clientSecret: fake.context.clientSecret });
  const adapters = {
    zoom: createZoomLinkAdapter({ ...app(zoom.running), endpoints: zoomSandboxEndpoints(zoom.running.baseUrl) }, httpDeps(zoom.running)),
    slack: createSlackLinkAdapter({ ...app(slack.fake), endpoints: slackSandboxEndpoints(slack.fake.baseUrl) }, httpDeps(slack.fake)),
  };
  const deps = { db: database.db, vault, clock, logger: silentLogger, hosts };
  const server = createApp({ ...deps, config: { publicUrl }, providers: {}, linkAdapters: adapters });

  return {
    app: server,
    db: database.db,
    vault,
    clock,
    zoom,
    slack,
    adapters,
    refresher: createTokenRefresher(deps),
    api: portalApi(server, secret, clock),
    async close() {
      await Promise.all([zoom.close(), slack.fake.close()]);
      await database.close();
      hostsFile.cleanup();
    },
  };
}




/** Follows the provider's redirect to our callback with the binding cookie; returns what the page posts to the opener. */
export async function finish(t: ZoomSlackApp, location: URL, cookie: string): Promise<Outcome> {
  return outcomeOf(await followToCallback(t, location, cookie));
}

/** The whole Zoom round trip, choosing Zoom user `zoomUserId` on the consent page. */
export async function linkZoom(t: ZoomSlackApp, caller: Caller, purpose: "org" | "personal", zoomUserId: string) {
  const begun = await beginLink(t, caller, "zoom", purpose);
  const { location } = await walkConsent(t.zoom, { url: begun.providerUrl, account: zoomUserId });
  return { ...begun, location, outcome: await finish(t, location, begun.cookie) };
}

/** The whole Slack round trip (install or Sign in with Slack), choosing member `slackUserId` on the consent page. */
export async function linkSlack(t: ZoomSlackApp, caller: Caller, purpose: "org" | "personal", slackUserId: string) {
  const begun = await beginLink(t, caller, "slack", purpose);
  const location = await decide(await openConsent(begun.providerUrl), slackUserId);
  return { ...begun, location, outcome: await finish(t, location, begun.cookie) };
}

export function expectLinked(outcome: Outcome): void {
  expect(outcome, JSON.stringify(outcome.error)).toMatchObject({ status: "linked" });
}

export const accountRow = (t: ZoomSlackApp, id: string) => t.db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** The tokens stored behind an account or connection row (tests only: the API never shows them). */
export async function storedTokens(t: ZoomSlackApp, row: { org_id: string; credential_id: string | null }): Promise<TokenSet> {
  if (!row.credential_id) throw new Error("the row holds no credential");
  const stored = await readTokens({ db: t.db, vault: t.vault, clock: t.clock }, { hostId: "portal-a", orgId: row.org_id }, row.credential_id);
  if (!stored) throw new Error(`credential ${row.credential_id} is gone`);
  return stored.tokens;
}

/** The refresher's view of an account row. */
export function accountOwner(row: { id: string; org_id: string; provider: string; credential_id: string }): TokenOwner {
  return { kind: "account", id: row.id, hostId: "portal-a", orgId: row.org_id, provider: row.provider as ProviderId, credentialId: row.credential_id };
}
