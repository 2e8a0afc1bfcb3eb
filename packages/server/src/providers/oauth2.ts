/**
 * The one OAuth 2.0 client under every provider (authorization code with
 * PKCE, refresh, revoke), as Arctic keeps one OAuth2Client under its
 * providers. What sets a provider apart is its `OAuth2Profile`: data, every
 * field of which is read below. A provider's own files add only what OAuth 2.0
 * does not say (Microsoft's admin consent, Slack's install answer, id_token
 * checks). Token calls go through the one request path (./http.ts): a code
 * exchange is a `create` call, a refresh is one when it spends its token.
 * https://datatracker.ietf.org/doc/html/rfc6749 · https://datatracker.ietf.org/doc/html/rfc7636
 */
import type { z } from "zod";
import type { Clock } from "../clock.ts";
import { InvalidGrantError, type ProviderError, type ProviderId } from "./errors.ts";
import { type CallKind, type HttpDeps, providerRequest } from "./http.ts";
import type { AuthorizationRequest, CodeExchange, OAuthClient, TokenSet } from "./types.ts";

export interface OAuth2Profile<Request extends AuthorizationRequest = AuthorizationRequest> {
  provider: ProviderId;
  /** `code`, as RFC 6749 asks, or `omitted` where the authorize endpoint takes none (Slack's install). */
  responseType: "code" | "omitted";
  /** How the authorize URL joins scopes. Token answers are read split on spaces and commas alike. */
  scopeSeparator: " " | ",";
  /** Sent at authorize with the challenge, and the verifier at the token step; `none` where PKCE would make the app a
   * public client (Slack). */
  pkceMethod: "S256" | "none";
  /** Where the client secret goes: HTTP Basic (RFC 6749 §2.3.1, form-encoded first) or the form body
   * (`client_secret_post`). */
  clientAuthentication: "basic" | "body";
  /**
   * What a refresh does to the refresh token. `none`: the answer carries none and the one held stays valid.
   * `reissued`: a new one each time and the old one keeps working, so a refresh may be resent after a 5xx.
   * `single-use`: the one used dies, so a refresh is a `create` call and the held one is never kept.
   */
  refreshTokenRotation: "none" | "reissued" | "single-use";
  /** The shape of the provider's token answer (what it always sends is required there). */
  tokenAnswer: z.ZodType<TokenAnswer>;
  /** The provider's error shapes: a failed token or revoke answer as its typed error (`invalid_grant` →
   * InvalidGrantError). */
  tokenError: (response: { status: number; body: unknown; headers: Headers }, clock: Clock) => ProviderError;
  /** Failures the provider reports inside an HTTP 200 (Slack's `ok:false`); undefined when it never does. */
  failureIn200: ((body: unknown) => boolean) | undefined;
  /** Rate limits the provider signals beyond HTTP 429; undefined when 429 is all. */
  isRateLimited: ((error: ProviderError) => boolean) | undefined;
  /** Authorize parameters beyond RFC 6749's (prompt, nonce, access_type, team…); undefined values are left out. */
  authorizeParams: (request: Request) => Record<string, string | undefined>;
  /** Form fields every token request carries beyond RFC 6749's (Microsoft repeats the scope). */
  tokenParams: Record<string, string>;
  /**
   * How a token is revoked: sent in the query or the form of a POST to the revoke endpoint, as a bearer
   * token (Slack's `auth.revoke`), or not at all (Microsoft has no endpoint). `authenticated`: the client
   * authenticates as for the token endpoint. `refusedIsRevoked`: a token the provider already refuses counts as
   * revoked.
   */
  revocation: { token: "query" | "form" | "bearer"; authenticated: boolean; refusedIsRevoked: boolean } | "none";
}

export interface OAuth2Endpoints {
  authorizeUrl: string;
  tokenUrl: string;
  /** Required unless the profile's revocation is `none`. */
  revokeUrl?: string | undefined;
}

export interface OAuth2App {
  clientId: string;
  clientSecret: string;
}

/** RFC 6749 §5.1: what we read of a token answer; each profile's `tokenAnswer` schema says what its provider always
 * sends. */
export interface TokenAnswer {
  access_token: string;
  expires_in?: number | undefined;
  refresh_token?: string | undefined;
  scope?: string | undefined;
  id_token?: string | undefined;
}

export interface OAuth2Client<Request extends AuthorizationRequest = AuthorizationRequest> extends OAuthClient {
  authorizationUrl(request: Request): URL;
  /** The token answer in the provider's own shape, for providers whose answer says more than tokens (Slack's install).
   * */
  exchangeCodeFor<T>(exchange: CodeExchange, schema: z.ZodType<T>): Promise<T>;
  /** A refresh, answered in the provider's own shape. */
  refreshFor<T>(refreshToken: string, schema: z.ZodType<T>): Promise<T>;
  /** A token answer as our TokenSet; `heldRefreshToken` is kept only where the profile's rotation allows. */
  toTokenSet(answer: TokenAnswer, heldRefreshToken?: string | undefined): TokenSet;
}

export function createOAuth2Client<Request extends AuthorizationRequest>(
  profile: OAuth2Profile<Request>,
  app: OAuth2App,
  endpoints: OAuth2Endpoints,
  deps: HttpDeps,
): OAuth2Client<Request> {
  const clientHeaders = (): Record<string, string> =>
    profile.clientAuthentication === "basic"
      ? { authorization: basicAuthorization(app.clientId, app.clientSecret) }
      : {};
  const clientForm = (): Record<string, string> =>
    profile.clientAuthentication === "body" ? { client_id: app.clientId, client_secret: app.clientSecret } : {};
  const checks = {
    toError: (response: { status: number; body: unknown; headers: Headers }) =>
      profile.tokenError(response, deps.clock),
    checkOk: (body: unknown, response: { status: number; headers: Headers }) =>
      profile.failureIn200?.(body)
        ? profile.tokenError({ status: response.status, headers: response.headers, body }, deps.clock)
        : undefined,
    isRateLimited: profile.isRateLimited,
  };

  const tokenCall = <T>(form: Record<string, string | undefined>, kind: CallKind, schema: z.ZodType<T>): Promise<T> =>
    providerRequest(deps, {
      provider: profile.provider,
      url: endpoints.tokenUrl,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...clientHeaders() },
      body: formOf({ ...form, ...profile.tokenParams, ...clientForm() }),
      schema,
      kind,
      ...checks,
    });

  const exchangeCodeFor = <T>(exchange: CodeExchange, schema: z.ZodType<T>): Promise<T> =>
    tokenCall(
      {
        grant_type: "authorization_code",
        code: exchange.code,
        redirect_uri: exchange.redirectUri,
        code_verifier: profile.pkceMethod === "none" ? undefined : exchange.codeVerifier,
      },
      // A code is single use: a 5xx may have spent it.
      "create",
      schema,
    );
  const refreshFor = <T>(refreshToken: string, schema: z.ZodType<T>): Promise<T> =>
    tokenCall(
      { grant_type: "refresh_token", refresh_token: refreshToken },
      profile.refreshTokenRotation === "single-use" ? "create" : "safe",
      schema,
    );

  const toTokenSet = (answer: TokenAnswer, heldRefreshToken?: string): TokenSet => ({
    accessToken: answer.access_token,
    refreshToken:
      answer.refresh_token ?? (profile.refreshTokenRotation === "single-use" ? undefined : heldRefreshToken),
    expiresAt:
      answer.expires_in === undefined
        ? undefined
        : new Date(deps.clock.now().getTime() + answer.expires_in * 1000).toISOString(),
    scopes: (answer.scope ?? "").split(/[\s,]+/).filter(Boolean),
    idToken: answer.id_token,
  });

  return {
    authorizationUrl(request) {
      const url = new URL(endpoints.authorizeUrl);
      const pkce =
        profile.pkceMethod === "none"
          ? {}
          : { code_challenge: request.codeChallenge, code_challenge_method: profile.pkceMethod };
      const params = {
        response_type: profile.responseType === "code" ? "code" : undefined,
        client_id: app.clientId,
        redirect_uri: request.redirectUri,
        // Omitted when none are asked: the provider then applies the app's configured scopes (Zoom, Slack).
        scope: request.scopes.length > 0 ? request.scopes.join(profile.scopeSeparator) : undefined,
        state: request.state,
        ...pkce,
        ...profile.authorizeParams(request),
      };
      for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
      return url;
    },
    exchangeCodeFor,
    refreshFor,
    toTokenSet,
    exchangeCode: async (exchange) => toTokenSet(await exchangeCodeFor(exchange, profile.tokenAnswer)),
    refresh: async (refreshToken) => toTokenSet(await refreshFor(refreshToken, profile.tokenAnswer), refreshToken),
    async revoke(token) {
      const { revocation } = profile;
      if (revocation === "none") return;
      const url = new URL(endpoints.revokeUrl ?? "");
      if (revocation.token === "query") url.searchParams.set("token", token);
      const headers: Record<string, string> = {
        "content-type": "application/x-www-form-urlencoded",
        ...(revocation.authenticated ? clientHeaders() : {}),
      };
      if (revocation.token === "bearer") headers.authorization = `Bearer ${token}`;
      const form = {
        ...(revocation.token === "form" ? { token } : {}),
        ...(revocation.authenticated ? clientForm() : {}),
      };
      try {
        await providerRequest(deps, {
          provider: profile.provider,
          url,
          method: "POST",
          headers,
          body: formOf(form),
          schema: null,
          kind: "safe",
          ...checks,
        });
      } catch (error) {
        // Revoking is idempotent for callers where the provider says so by refusing the token.
        if (revocation.refusedIsRevoked && error instanceof InvalidGrantError) return;
        throw error;
      }
    },
  };
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
    "base64",
  )}`;
}

function formOf(fields: Record<string, string | undefined>): URLSearchParams {
  return new URLSearchParams(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
