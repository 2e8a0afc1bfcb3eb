/**
 * How Zoom speaks OAuth 2.0: authorization code + PKCE, HTTP Basic client
 * authentication, single-use refresh tokens. Read by ../oauth2.ts.
 * https://developers.zoom.us/docs/integrations/oauth/
 */
import type { OAuth2Profile } from "../oauth2.ts";
import { zoomError } from "./request.ts";
import { tokenSchema } from "./schemas.ts";

export const zoomOAuthProfile: OAuth2Profile = {
  provider: "zoom",
  responseType: "code",
  // https://devforum.zoom.us/t/multiple-scopes-authorization/138714 (granular scopes, space-separated)
  scopeSeparator: " ",
  // S256 or plain, plain when omitted:
  // https://developers.zoom.us/changelog/platform/proof-key-for-code-exchange-pkce-update/
  pkceMethod: "S256",
  // "Authorization: Basic base64(client_id:client_secret)": https://developers.zoom.us/docs/integrations/oauth/
  clientAuthentication: "basic",
  // Each refresh returns a new refresh token and the one used dies ("Invalid Token!" afterwards):
  // https://devsupport.zoom.us/hc/en-us/articles/360060332931
  refreshTokenRotation: "single-use",
  tokenAnswer: tokenSchema,
  tokenError: ({ status, body, headers }, clock) => zoomError(status, body, headers, clock),
  failureIn200: undefined,
  // Zoom signals rate limits with HTTP 429 only: https://developers.zoom.us/docs/api/rate-limits/
  isRateLimited: undefined,
  // Zoom has no login_hint or prompt: every authorization shows the account Zoom's session is signed into.
  authorizeParams: () => ({}),
  tokenParams: {},
  // POST /oauth/revoke with the token in the form, HTTP Basic; a token Zoom already refuses is as revoked as it gets.
  revocation: { token: "form", authenticated: true, refusedIsRevoked: true },
};
