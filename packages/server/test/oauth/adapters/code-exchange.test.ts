/**
 * The four link adapters share one "exchange the code or refuse" step: a
 * callback without a code ends `code_missing`, and a code the provider calls
 * spent, in each provider's own words, ends `code_invalid`. The token
 * endpoints are a loopback server answering as each provider does for a
 * spent code (Google and Microsoft `invalid_grant`, Zoom a 400, Slack a 200
 * with `ok:false, error:"invalid_code"`).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGoogleLinkAdapter } from "../../../src/oauth/adapters/google.ts";
import { createMicrosoftLinkAdapter } from "../../../src/oauth/adapters/microsoft.ts";
import { createSlackLinkAdapter } from "../../../src/oauth/adapters/slack.ts";
import { createZoomLinkAdapter } from "../../../src/oauth/adapters/zoom.ts";
import type { LinkAdapter, LinkFlow } from "../../../src/oauth/provider-link.ts";
import type { ProviderId } from "../../../src/providers/errors.ts";
import type { HttpDeps } from "../../../src/providers/http.ts";

const spentAnswers: Record<ProviderId, { status: number; body: unknown }> = {
  google: { status: 400, body: { error: "invalid_grant", error_description: "Bad Request" } },
  microsoft: {
    status: 400,
    body: { error: "invalid_grant", error_description: "AADSTS54005: OAuth2 Authorization code was already redeemed." },
  },
  zoom: { status: 400, body: { reason: "Invalid authorization code", error: "invalid_request" } },
  slack: { status: 200, body: { ok: false, error: "invalid_code" } },
};

let server: Server;
let base = "";
const tokenCalls: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const provider = (request.url ?? "").split("/")[1] as ProviderId;
    tokenCalls.push(`${request.method} ${request.url}`);
    const answer = spentAnswers[provider];
    response.writeHead(answer.status, { "content-type": "application/json" });
    response.end(JSON.stringify(answer.body));
    request.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const deps: HttpDeps = {
  fetch: globalThis.fetch,
  clock: { now: () => new Date() },
  sleep: async () => {},
  retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1000 },
};
const app = { clientId: "client", clientSecret: "secret" };

function adapters(): Record<ProviderId, LinkAdapter> {
  return {
    google: createGoogleLinkAdapter(
      {
        ...app,
        endpoints: {
          authorizeUrl: `${base}/google/authorize`,
          tokenUrl: `${base}/google/token`,
          revokeUrl: `${base}/google/revoke`,
          apiRootUrl: `${base}/`,
          userinfoUrl: `${base}/google/userinfo`,
          issuer: base,
          jwksUrl: `${base}/google/certs`,
        },
      },
      deps,
    ),
    microsoft: createMicrosoftLinkAdapter(
      { ...app, endpoints: { authority: `${base}/microsoft`, graphBaseUrl: `${base}/microsoft/graph` } },
      deps,
    ),
    zoom: createZoomLinkAdapter(
      {
        ...app,
        endpoints: {
          authorizeUrl: `${base}/zoom/oauth/authorize`,
          tokenUrl: `${base}/zoom/oauth/token`,
          revokeUrl: `${base}/zoom/oauth/revoke`,
          apiBaseUrl: `${base}/zoom/v2/`,
        },
      },
      deps,
    ),
    slack: createSlackLinkAdapter(
      {
        ...app,
        endpoints: {
          authorizeUrl: `${base}/slack/oauth/v2/authorize`,
          oidcAuthorizeUrl: `${base}/slack/openid/connect/authorize`,
          apiBaseUrl: `${base}/slack/api/`,
          oidcIssuer: base,
          jwksUrl: `${base}/slack/openid/connect/keys`,
        },
      },
      deps,
    ),
  };
}

const flow = (provider: ProviderId): LinkFlow => ({
  id: "f1",
  hostId: "portal-a",
  orgId: "sakura",
  userId: "hanako",
  userEmail: "hanako@sakura.example",
  provider,
  purpose: "personal",
  step: null,
});
const params = {
  codeVerifier: "v".repeat(43),
  redirectUri: "http://tsunagu.test/oauth/x/callback",
  nonce: "n",
  connection: undefined,
  connectionTokens: async () => undefined,
};
const names: Record<ProviderId, string> = { google: "Google", microsoft: "Microsoft", zoom: "Zoom", slack: "Slack" };

describe.each(["google", "microsoft", "zoom", "slack"] as const)("the %s link adapter", (provider) => {
  it("refuses a callback without a code as code_missing, without calling the provider", async () => {
    const before = tokenCalls.length;
    const outcome = await adapters()[provider].complete(flow(provider), new URLSearchParams({ state: "s" }), params);
    expect(outcome).toEqual({
      kind: "refused",
      code: "code_missing",
      message: `${names[provider]} sent no authorization code back. Start linking again.`,
    });
    expect(tokenCalls.length).toBe(before);
  });

  it("refuses a code the provider calls spent as code_invalid, after one token call", async () => {
    const before = tokenCalls.length;
    const outcome = await adapters()[provider].complete(
      flow(provider),
      new URLSearchParams({ state: "s", code: "spent" }),
      params,
    );
    expect(outcome).toMatchObject({
      kind: "refused",
      code: "code_invalid",
      message: expect.stringMatching(new RegExp(`^${names[provider]} did not accept this sign-in any more`)),
    });
    expect(tokenCalls.length).toBe(before + 1);
  });
});
