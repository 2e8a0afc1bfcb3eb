/**
 * Zoom: OAuth (authorization code + PKCE, HTTP Basic client auth, rotating
 * refresh tokens) and the REST API v2 calls behind meetings. Plain fetch
 * through `providerRequest`: Zoom has no official Node API client, and this
 * way the calls share our retry policy, injected clock and sleep, and typed errors.
 * Reference: ../../../../shared/providers.md §3 and the vendor docs linked below.
 * Webhook verification lives in ./zoom-webhook.ts.
 */
import type { HttpDeps } from "./http.ts";
import type { OAuthApp, ZoomEndpoints } from "./settings.ts";
import type { OAuthClient, TokenSet } from "./types.ts";
import { InvalidGrantError } from "./errors.ts";
import { createZoomApi, type ZoomApi, type ZoomApiQuirks } from "./zoom/api.ts";
import { basicAuthorization, zoomCall } from "./zoom/request.ts";
import { revokeSchema, tokenSchema, type ZoomTokenAnswer } from "./zoom/schemas.ts";

export type { UpcomingMeeting, ZoomApi, ZoomMeeting, ZoomUser } from "./zoom/api.ts";

interface ZoomQuirks extends ZoomApiQuirks {
  /** How /oauth/authorize joins scopes, and how the token answer lists them. */
  scopeSeparator: string;
  pkceMethod: "S256";
  clientAuthentication: "basic";
  /** Each refresh returns a new refresh token and the one used dies ("Invalid Token!" afterwards). */
  refreshTokens: "single-use";
}

/** Everything that sets Zoom apart, in one place. */
export const zoomQuirks: ZoomQuirks = {
  // https://devforum.zoom.us/t/multiple-scopes-authorization/138714 (granular scopes, space-separated)
  scopeSeparator: " ",
  // S256 or plain, plain when omitted: https://developers.zoom.us/changelog/platform/proof-key-for-code-exchange-pkce-update/
  pkceMethod: "S256",
  // "Authorization: Basic base64(client_id:client_secret)": https://developers.zoom.us/docs/integrations/oauth/
  clientAuthentication: "basic",
  // https://devsupport.zoom.us/hc/en-us/articles/360060332931
  refreshTokens: "single-use",
  // GET /users and GET /users/{userId}/meetings allow up to 300 a page.
  pageSize: 300,
  // 404 {"code":3001,"message":"Meeting does not exist: …"}: https://developers.zoom.us/docs/api/errors
  meetingGoneCode: "3001",
  // People type passcodes from invitations: no look-alikes (0/O, 1/l/I).
  passcode: { length: 10, alphabet: "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789" },
  // Interviews: the candidate waits until the interviewer lets them in.
  meetingSettings: { join_before_host: false, waiting_room: true },
};

/**
 * Granular scopes. A user-managed app gets the plain ones; an admin-managed
 * app, installed by an account owner or admin for the whole account, gets the
 * `:admin` variants. Zoom lets no app mix the two.
 * https://developers.zoom.us/docs/integrations/oauth-scopes-granular/ · https://developers.zoom.us/docs/build-flow/basic-info/app-mgmt/
 */
export const zoomScopes = {
  /** Personal link: the person's own Zoom user. */
  user: ["user:read:user", "meeting:read:meeting", "meeting:read:list_meetings", "meeting:write:meeting", "meeting:update:meeting", "meeting:delete:meeting"],
  /** Organisation connection: every user of the Zoom account (host picking, the shared recruiting user). */
  admin: [
    "user:read:user:admin",
    "user:read:list_users:admin",
    "meeting:read:meeting:admin",
    "meeting:read:list_meetings:admin",
    "meeting:write:meeting:admin",
    "meeting:update:meeting:admin",
    "meeting:delete:meeting:admin",
  ],
} as const;

export interface ZoomClientOptions {
  /** Page size for the paginated lists (1–300); smaller pages only cost more calls. */
  pageSize?: number | undefined;
}

export interface ZoomClient {
  oauth: OAuthClient;
  api(accessToken: string): ZoomApi;
}

export function createZoomClient(app: OAuthApp<ZoomEndpoints>, deps: HttpDeps, options: ZoomClientOptions = {}): ZoomClient {
  const { endpoints } = app;
  const authorization = basicAuthorization(app.clientId, app.clientSecret);
  const quirks: ZoomQuirks = { ...zoomQuirks, pageSize: options.pageSize ?? zoomQuirks.pageSize };

  // A code and a refresh token are single-use: never resent after a 5xx that may have spent them.
  const tokenCall = async (params: Record<string, string>): Promise<TokenSet> => {
    const answer = await zoomCall(deps, { url: new URL(endpoints.tokenUrl), authorization, body: new URLSearchParams(params), schema: tokenSchema, kind: "create" });
    return toTokenSet(deps, answer);
  };

  return {
    oauth: {
      authorizationUrl(request) {
        const url = new URL(endpoints.authorizeUrl);
        url.searchParams.set("response_type", "code");
        url.searchParams.set("client_id", app.clientId);
        url.searchParams.set("redirect_uri", request.redirectUri);
        url.searchParams.set("state", request.state);
        url.searchParams.set("code_challenge", request.codeChallenge);
        url.searchParams.set("code_challenge_method", quirks.pkceMethod);
        // Optional: the app's configured scopes apply when absent; sent, it must be a subset of them.
        if (request.scopes.length > 0) url.searchParams.set("scope", request.scopes.join(quirks.scopeSeparator));
        // Zoom has no login_hint or prompt: every authorization shows the account Zoom's session is signed into.
        return url;
      },
      exchangeCode: (exchange) =>
        tokenCall({ grant_type: "authorization_code", code: exchange.code, redirect_uri: exchange.redirectUri, code_verifier: exchange.codeVerifier }),
      // The answer carries a NEW refresh token; the one passed in is dead from now on, so store the new one before use.
      refresh: (refreshToken) => tokenCall({ grant_type: "refresh_token", refresh_token: refreshToken }),
      async revoke(token) {
        try {
          await zoomCall(deps, { url: new URL(endpoints.revokeUrl), authorization, body: new URLSearchParams({ token }), schema: revokeSchema, kind: "safe" });
        } catch (error) {
          // A token Zoom already refuses is as revoked as it gets: revoking is idempotent for callers.
          if (error instanceof InvalidGrantError) return;
          throw error;
        }
      },
    },
    api: (accessToken) => createZoomApi(deps, endpoints.apiBaseUrl, accessToken, quirks),
  };
}

function toTokenSet(deps: HttpDeps, answer: ZoomTokenAnswer): TokenSet {
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token,
    expiresAt: new Date(deps.clock.now().getTime() + answer.expires_in * 1000).toISOString(),
    scopes: answer.scope.split(/[\s,]+/).filter(Boolean),
  };
}
