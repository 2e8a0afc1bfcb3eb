/**
 * Zoom lets no app mix user-level and `:admin` scopes, so a real deployment
 * registers two: a user-managed app for personal links and an admin-managed
 * app for the organisation connection (TSUNAGU_ZOOM_ADMIN_CLIENT_ID/SECRET).
 * The fake knows one app; here it is the admin app, and the user app's
 * credentials are ones it refuses, which shows which app each call used.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createZoomLinkAdapter } from "../../../src/oauth/adapters/zoom.ts";
import type { LinkAdapter, LinkFlow } from "../../../src/oauth/provider-link.ts";
import { defaultHttpDeps } from "../../../src/providers/http.ts";
import { zoomSandboxEndpoints } from "../../../src/sandbox/zoom/index.ts";
import { newPkce, redirectUri, startZoom, walkConsent, type ZoomHarness } from "../../providers/zoom-support.ts";

let zoom: ZoomHarness;
let adapter: LinkAdapter;

beforeAll(async () => {
  zoom = await startZoom();
  const endpoints = zoomSandboxEndpoints(zoom.running.baseUrl);
  const deps = { ...defaultHttpDeps(zoom.running.clock), sleep: async () => undefined };
  adapter = createZoomLinkAdapter(
    {
      clientId: "user-managed-app",
      clientSecret: "not-known-to-the-fake",
      endpoints,
      adminApp: { clientId: zoom.running.context.clientId, clientSecret: zoom.running.context.clientSecret },
    },
    deps,
  );
});
afterAll(() => zoom.close());

const flow = (purpose: LinkFlow["purpose"]): LinkFlow => ({
  id: "f1",
  hostId: "h",
  orgId: "o",
  userId: "u",
  userEmail: "hanako.yamada@sakura-recruit.example",
  provider: "zoom",
  purpose,
  step: null,
});

describe("a Zoom deployment with a user-managed and an admin-managed app", () => {
  it("sends the organisation install to the admin-managed app and personal links to the user-managed one", () => {
    const params = { state: "s", codeChallenge: newPkce().challenge, redirectUri, nonce: "n" };
    expect(adapter.authorizationUrl(flow("org"), params).searchParams.get("client_id")).toBe(
      zoom.running.context.clientId,
    );
    expect(adapter.authorizationUrl(flow("personal"), params).searchParams.get("client_id")).toBe("user-managed-app");
  });

  it("exchanges, refreshes and revokes an admin install's tokens with the admin-managed app", async () => {
    const pkce = newPkce();
    const url = adapter.authorizationUrl(flow("org"), {
      state: "s",
      codeChallenge: pkce.challenge,
      redirectUri,
      nonce: "n",
    });
    const { location } = await walkConsent(zoom, { url, account: "zU_hanako", pkce });
    const outcome = await adapter.complete(flow("org"), location.searchParams, {
      codeVerifier: pkce.verifier,
      redirectUri,
      nonce: "n",
      connection: undefined,
    });
    expect(outcome.kind).toBe("org");
    if (outcome.kind !== "org" || !outcome.grant) throw new Error("no organisation grant");
    const { tokens } = outcome.grant;
    expect(tokens.scopes.some((scope) => scope.endsWith(":admin"))).toBe(true);

    const refreshed = await adapter.refresh({ ...tokens, refreshToken: tokens.refreshToken ?? "" });
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    await expect(adapter.revoke(refreshed)).resolves.toEqual({ revoked: true });
  });

  it("refreshes user-level tokens with the user-managed app (which this fake does not know)", async () => {
    await expect(
      adapter.refresh({ accessToken: "a", refreshToken: "r", scopes: ["meeting:write:meeting"] }),
    ).rejects.toMatchObject({ provider: "zoom", status: 401 });
  });
});
