/**
 * Microsoft identity platform v2 + Microsoft Graph, for one OAuth app.
 * Quirks: the typed table in ./microsoft/quirks.ts (it has its own file so the
 * parts under ./microsoft/ can read it without importing this entry).
 * Endpoints: ./settings.ts, the only thing that differs between production
 * and any other server speaking Microsoft's protocols.
 * Token calls go through providerRequest; Graph calls through the official
 * Graph client with our middleware chain (./microsoft/graph-client.ts says why).
 */
import type { HttpDeps } from "./http.ts";
import type { MicrosoftEndpoints, OAuthApp } from "./settings.ts";
import { createGraphClient } from "./microsoft/graph-client.ts";
import { createMicrosoftGraphApi, type MicrosoftGraphApi } from "./microsoft/graph.ts";
import { createMicrosoftOAuth, type MicrosoftOAuthClient, microsoftIdTokenVerifier } from "./microsoft/oauth.ts";

import { microsoftQuirks } from "./microsoft/quirks.ts";

export { microsoftQuirks };
export {
  type AdminConsentResult,
  type MicrosoftIdentity,
  type MicrosoftOAuthClient,
  microsoftOAuthProfile,
} from "./microsoft/oauth.ts";
export type { GraphEvent, GraphEventOptions, MicrosoftGraphApi, MicrosoftUser } from "./microsoft/graph.ts";
export { createGraphClient } from "./microsoft/graph-client.ts";

export interface MicrosoftClient {
  /** Sign-in for work and school accounts of any tenant (`organizations`), plus admin consent. */
  oauth: MicrosoftOAuthClient;
  /** The same, pinned to one tenant: once an organisation is connected, only its people can link. */
  oauthForTenant(tenantId: string): MicrosoftOAuthClient;
  /** Graph calls made with one account's access token. */
  api(accessToken: string): MicrosoftGraphApi;
}

export function createMicrosoftClient(app: OAuthApp<MicrosoftEndpoints>, deps: HttpDeps): MicrosoftClient {
  const idTokens = microsoftIdTokenVerifier(app, deps);
  return {
    oauth: createMicrosoftOAuth(app, deps, microsoftQuirks.signInTenant, idTokens),
    oauthForTenant: (tenantId) => createMicrosoftOAuth(app, deps, tenantId, idTokens),
    api: (accessToken) =>
      createMicrosoftGraphApi(() => createGraphClient(app.endpoints.graphBaseUrl, accessToken, deps), deps, {
        graphBaseUrl: app.endpoints.graphBaseUrl,
        accessToken,
      }),
  };
}
