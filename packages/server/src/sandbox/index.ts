/**
 * Starts the four fake providers, each on its own loopback origin (Google's
 * API client keeps only scheme, host and port of its root URL, so the fakes
 * cannot share one origin), and hands back provider settings that point the
 * production clients at them.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import type { Logger } from "../log.ts";
import type { ProviderId } from "../providers/errors.ts";
import type { ProviderSettings } from "../providers/settings.ts";
import { SandboxClock } from "./clock.ts";
import { type FakeContext, type FakeProvider, withControl } from "./fake.ts";
import type { FakeMemory } from "./memory.ts";
import { type SandboxStateFile, sandboxStateFile } from "./state-file.ts";
import { createGoogleFake, googleSandboxEndpoints } from "./google/index.ts";
import { createMicrosoftFake, microsoftSandboxEndpoints } from "./microsoft/index.ts";
import { createSlackFake, slackSandboxEndpoints } from "./slack/index.ts";
import { createZoomFake, zoomSandboxEndpoints } from "./zoom/index.ts";

export interface Sandbox {
  clock: SandboxClock;
  /** Each fake provider's origin. */
  baseUrls: Record<ProviderId, string>;
  settings: Required<ProviderSettings>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** Google listens here, then Microsoft, Zoom and Slack on the next ports; 0 picks free ports. */
  basePort: number;
  logger: Logger;
  /** The Tsunagu server's public URL: Zoom and Slack fakes deliver webhooks to `/webhooks/<provider>` there. */
  serverUrl?: string | undefined;
  /** Where the fakes keep their state across restarts (state-file.ts); in memory only when absent. */
  stateFile?: string | undefined;
  /** Active links in the server's database: said when the fakes start from the seed with them (state-file.ts). */
  linksInDatabase?: number | undefined;
}

const factories: Array<{ provider: ProviderId; create: (context: FakeContext) => FakeProvider }> = [
  { provider: "google", create: createGoogleFake },
  { provider: "microsoft", create: createMicrosoftFake },
  { provider: "zoom", create: createZoomFake },
  { provider: "slack", create: createSlackFake },
];

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const clock = new SandboxClock();
  const servers: ServerType[] = [];
  const baseUrls = {} as Record<ProviderId, string>;
  const credentials = {} as Record<ProviderId, { clientId: string; clientSecret: string; webhookSecret: string }>;
  const memories = {} as Record<ProviderId, FakeMemory>;
  let stateFile: SandboxStateFile | undefined;
  const afterRequest = options.stateFile ? () => stateFile?.saveIfChanged() : undefined;
  try {
    for (const [index, { provider, create }] of factories.entries()) {
      const clientId = `tsunagu-sandbox-${provider}`;
      const clientSecret = randomBytes(24).toString("base64url");
      const webhookSecret = randomBytes(24).toString("base64url");
      credentials[provider] = { clientId, clientSecret, webhookSecret };
      const webhookUrl = options.serverUrl && `${options.serverUrl}/webhooks/${provider}`;
      const fake = create({
        clock,
        clientId,
        clientSecret,
        webhookSecret,
        webhookUrl,
        baseUrl: () => baseUrls[provider],
      });
      memories[provider] = fake.memory;
      const app = withControl(fake, clock, { afterRequest });
      const port = options.basePort === 0 ? 0 : options.basePort + index;
      const server = await listen(app, port);
      servers.push(server);
      baseUrls[provider] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
  } catch (error) {
    await Promise.all(servers.map(close));
    throw error;
  }
  // Loaded once every fake listens (their origins are in the links they saved); nothing is written before.
  if (options.stateFile) {
    stateFile = sandboxStateFile({
      path: options.stateFile,
      fakes: memories,
      clock,
      origins: baseUrls,
      logger: options.logger,
      linksInDatabase: options.linksInDatabase,
    });
    try {
      stateFile.load();
    } catch (error) {
      // A file that cannot be used stops the start (state-file.ts): the fakes listening already are closed.
      await Promise.all(servers.map(close));
      throw error;
    }
  }
  options.logger.warn("sandbox enabled: fake providers are serving on loopback; no real provider is contacted", {
    providers: baseUrls,
  });
  return {
    clock,
    baseUrls,
    settings: {
      google: { ...oauthApp(credentials.google), endpoints: googleSandboxEndpoints(baseUrls.google) },
      microsoft: { ...oauthApp(credentials.microsoft), endpoints: microsoftSandboxEndpoints(baseUrls.microsoft) },
      zoom: {
        ...oauthApp(credentials.zoom),
        webhookSecret: credentials.zoom.webhookSecret,
        endpoints: zoomSandboxEndpoints(baseUrls.zoom),
      },
      slack: {
        ...oauthApp(credentials.slack),
        signingSecret: credentials.slack.webhookSecret,
        endpoints: slackSandboxEndpoints(baseUrls.slack),
      },
    },
    close: () => Promise.all(servers.map(close)).then(() => undefined),
  };
}

const oauthApp = ({ clientId, clientSecret }: { clientId: string; clientSecret: string }) => ({
  clientId,
  clientSecret,
});

function listen(app: Hono, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, () => resolve(server));
    server.once("error", reject);
  });
}

function close(server: ServerType): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
