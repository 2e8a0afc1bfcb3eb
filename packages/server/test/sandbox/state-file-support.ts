/**
 * What the state file's tests share: a directory of their own for the file, the sandbox started as main.ts starts
 * it (its log kept), the production clients pointed at it, and every fake linked through its consent page.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { createLogger } from "../../src/log.ts";
import { createGoogleClient, googleScopes } from "../../src/providers/google.ts";
import type { HttpDeps } from "../../src/providers/http.ts";
import { createMicrosoftClient, microsoftQuirks } from "../../src/providers/microsoft.ts";
import { createSlackClient, slackScopes } from "../../src/providers/slack.ts";
import { createZoomClient } from "../../src/providers/zoom.ts";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/index.ts";
import { decide, openConsent, pkcePair } from "../providers/google-support.ts";
import { decide as decideMicrosoft } from "../providers/microsoft-helpers.ts";

const redirectUri = "http://127.0.0.1:8787/oauth/callback";
export const hanako = "hanako.yamada@sakura-recruit.example";
export const ken = "ken.sato@sakura-recruit.example";
export const interview = {
  summary: "一次面接: 山本 さくら",
  start: new Date("2031-04-07T01:00:00Z"),
  end: new Date("2031-04-07T02:00:00Z"),
  timeZone: "Asia/Tokyo",
  attendees: [{ email: ken }],
};

export interface StateFileRig {
  /** A directory of this test's own, removed after it. */
  readonly directory: string;
  /** `sandbox-state.json` in it. */
  readonly stateFile: string;
  /** The sandbox's log lines since the test began or `forgetLog`, parsed. */
  log(): Array<Record<string, unknown> & { level: string; message: string }>;
  forgetLog(): void;
  /** The sandbox as main.ts starts it, with the state file unless told `stateFile: undefined`; closed after it. */
  start(options?: Partial<Pick<SandboxOptions, "basePort" | "stateFile" | "linksInDatabase">>): Promise<Sandbox>;
  stop(sandbox: Sandbox): Promise<void>;
}

/** Sets up and tears down around each test of the file that calls it. */
export function stateFileRig(): StateFileRig {
  let directory = "";
  let lines: string[] = [];
  const running: Sandbox[] = [];
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "tsunagu-sandbox-state-"));
    lines = [];
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((sandbox) => sandbox.close()));
    rmSync(directory, { recursive: true, force: true });
  });
  const rig: StateFileRig = {
    get directory() {
      return directory;
    },
    get stateFile() {
      return join(directory, "sandbox-state.json");
    },
    log: () => lines.map((line) => JSON.parse(line)),
    forgetLog: () => {
      lines = [];
    },
    async start(options = {}) {
      const logger = createLogger({ level: "info", write: (line) => lines.push(line) });
      const sandbox = await startSandbox({
        basePort: 0,
        logger,
        ...options,
        stateFile: "stateFile" in options ? options.stateFile : rig.stateFile,
      });
      running.push(sandbox);
      return sandbox;
    },
    async stop(sandbox) {
      running.splice(running.indexOf(sandbox), 1);
      await sandbox.close();
    },
  };
  return rig;
}

/** The production clients, pointed at this start of the sandbox (its client secrets are new at every start). */
export function clients(sandbox: Sandbox) {
  const deps: HttpDeps = {
    fetch: globalThis.fetch,
    clock: sandbox.clock,
    sleep: async () => undefined,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  };
  return {
    google: createGoogleClient(sandbox.settings.google, deps),
    microsoft: createMicrosoftClient(sandbox.settings.microsoft, deps),
    zoom: createZoomClient(sandbox.settings.zoom, deps),
    slack: createSlackClient(sandbox.settings.slack, deps),
  };
}

/** Consent in the fake's page (as a browser would), then the code exchanged for tokens. */
export async function linkEverything(sandbox: Sandbox) {
  const { google, microsoft, zoom, slack } = clients(sandbox);
  const code = (back: URL) => back.searchParams.get("code") ?? "";

  const googlePkce = pkcePair();
  const googleUrl = google.oauth.authorizationUrl({
    state: "s",
    codeChallenge: googlePkce.challenge,
    redirectUri,
    scopes: [...googleScopes],
    loginHint: hanako,
  });
  const googleTokens = await google.oauth.exchangeCode({
    code: code(await decide(await openConsent(googleUrl), hanako)),
    codeVerifier: googlePkce.verifier,
    redirectUri,
  });

  const microsoftPkce = pkcePair();
  const microsoftUrl = microsoft.oauth.authorizationUrl({
    state: "s",
    codeChallenge: microsoftPkce.challenge,
    redirectUri,
    scopes: [...microsoftQuirks.scopes],
    nonce: "n",
  });
  const microsoftTokens = await microsoft.oauth.exchangeCode({
    code: code(await decideMicrosoft(microsoftUrl, ken, "allow")),
    codeVerifier: microsoftPkce.verifier,
    redirectUri,
  });

  const zoomPkce = pkcePair();
  const zoomUrl = zoom.oauth.authorizationUrl({
    state: "s",
    codeChallenge: zoomPkce.challenge,
    redirectUri,
    scopes: [],
  });
  const zoomTokens = await zoom.oauth.exchangeCode({
    code: code(await decide(await openConsent(zoomUrl), "zU_hanako")),
    codeVerifier: zoomPkce.verifier,
    redirectUri,
  });

  const slackPkce = pkcePair();
  const slackUrl = slack.oauth.authorizationUrl({
    state: "s",
    codeChallenge: slackPkce.challenge,
    redirectUri,
    scopes: [...slackScopes.bot],
  });
  const slackTokens = await slack.oauth.exchangeCode({
    code: code(await decide(await openConsent(slackUrl), "U0S001HANA")),
    codeVerifier: slackPkce.verifier,
    redirectUri,
  });
  return { googleTokens, microsoftTokens, zoomTokens, slackTokens };
}

/** `count` consecutive loopback ports nothing listens on, for starts on fixed ports. */
export async function freeBasePort(count: number): Promise<number> {
  const isFree = (port: number) =>
    new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below Linux's ephemeral ports (32768 on), which an outgoing connection could take before the sandbox listens.
    const base = 20000 + Math.floor(Math.random() * 12000);
    const ports = Array.from({ length: count }, (_, offset) => base + offset);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error(`no ${count} free ports in a row`);
}
