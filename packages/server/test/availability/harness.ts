/**
 * The real app with Google and Microsoft configured against their fakes on
 * loopback (link adapters and calendar clients alike, as the sandbox wires
 * them), over a test database; people link their calendars through the
 * fakes' consent pages exactly as in test/oauth/adapters.
 */
import { randomBytes } from "node:crypto";
import { createApp } from "../../src/app.ts";
import { loadHostRegistry, syncHostsToDatabase } from "../../src/auth/host-registry.ts";
import type { Clock } from "../../src/clock.ts";
import { silentLogger } from "../../src/log.ts";
import { createGoogleLinkAdapter } from "../../src/oauth/adapters/google.ts";
import { createMicrosoftLinkAdapter } from "../../src/oauth/adapters/microsoft.ts";
import type { HttpDeps } from "../../src/providers/http.ts";
import type { ProviderSettings } from "../../src/providers/settings.ts";
import { createGoogleFake, googleSandboxEndpoints } from "../../src/sandbox/google/index.ts";
import { createMicrosoftFake, microsoftSandboxEndpoints } from "../../src/sandbox/microsoft/index.ts";
import { createVault } from "../../src/vault/vault.ts";
import type { LinkingApp } from "../oauth/adapters/harness.ts";
import { portalApi, portalOrigin } from "../oauth/adapters/round-trip.ts";
import { createTestDatabase } from "../support/database.ts";
import { startFake } from "../support/fake-server.ts";
import { movableClock, randomSecret, temporaryHostsFile } from "../support/hosts.ts";

/** Retries without sleeping: no test waits on a backoff timer. */
function httpDeps(clock: Clock): HttpDeps {
  return { fetch: globalThis.fetch, clock, sleep: async () => {}, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1000 } };
}

export async function startAvailabilityApp(): Promise<LinkingApp> {
  const database = await createTestDatabase();
  const [google, microsoft] = await Promise.all([startFake(createGoogleFake), startFake(createMicrosoftFake)]);
  const secret = randomSecret();
  const hostsFile = temporaryHostsFile([{ id: "portal-a", origins: [portalOrigin], secret, algorithms: ["HS256"] }]);
  const clock = movableClock(google.clock.now().toISOString());
  const hosts = await loadHostRegistry(hostsFile.file, { logger: silentLogger });
  await syncHostsToDatabase(database.db, hosts, clock);
  const vault = createVault([{ id: "test", key: new Uint8Array(randomBytes(32)) }]);
  const providers: ProviderSettings = {
    google: { clientId: google.context.clientId, clientSecret: google.context.clientSecret, endpoints: googleSandboxEndpoints(google.baseUrl) },
    microsoft: { clientId: microsoft.context.clientId, clientSecret: microsoft.context.clientSecret, endpoints: microsoftSandboxEndpoints(microsoft.baseUrl) },
  };
  const adapters = {
    google: createGoogleLinkAdapter(providers.google!, httpDeps(google.clock)),
    microsoft: createMicrosoftLinkAdapter(providers.microsoft!, httpDeps(microsoft.clock)),
  };
  const app = createApp({ db: database.db, vault, clock, logger: silentLogger, hosts, config: { publicUrl: "http://tsunagu.test" }, providers, linkAdapters: adapters });
  return {
    app,
    db: database.db,
    vault,
    clock,
    google,
    microsoft,
    adapters,
    api: portalApi(app, secret, clock),
    async close() {
      await Promise.all([google.close(), microsoft.close()]);
      await database.close();
      hostsFile.cleanup();
    },
  };
}
