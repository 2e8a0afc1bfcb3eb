/**
 * The Google fake: accounts.google.com, oauth2.googleapis.com and the
 * Calendar v3 / userinfo paths of www.googleapis.com on one local origin
 * (googleapis keeps only the scheme, host and port of a rootUrl, so the real
 * paths are served as they are). Contract: shared/providers.md §1 and its
 * "faithful fake" bullets.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { GoogleEndpoints } from "../../providers/settings.ts";
import type { FakeContext, FakeProvider } from "../fake.ts";
import { fakeMemory } from "../memory.ts";
import { AuthorizationCodes } from "../oauth-kit.ts";
import { findAccount } from "./accounts.ts";
import { authorizePath, authorizeRoutes, type GoogleCodeSubject } from "./authorize.ts";
import { calendarRoutes } from "./calendar.ts";
import { apiErrors, apiFailure, oauthFailure } from "./envelope.ts";
import { GoogleEvents, savedGoogleEvents } from "./events.ts";
import { GoogleGrants, savedGoogleGrants } from "./grants.ts";
import { createSigningKey, tokenRoutes } from "./token.ts";

export { googleAccounts } from "./accounts.ts";

/** Google does not document a code lifetime; ten minutes, as most servers (RFC 6749 §4.1.2 advises at most that). */
const codeLifetimeMs = 10 * 60_000;

export function googleSandboxEndpoints(baseUrl: string): GoogleEndpoints {
  return {
    authorizeUrl: `${baseUrl}${authorizePath}`,
    tokenUrl: `${baseUrl}/token`,
    revokeUrl: `${baseUrl}/revoke`,
    apiRootUrl: `${baseUrl}/`,
    userinfoUrl: `${baseUrl}/v1/userinfo`,
    issuer: baseUrl,
    jwksUrl: `${baseUrl}/oauth2/v3/certs`,
  };
}

export function createGoogleFake(context: FakeContext): FakeProvider {
  const grants = new GoogleGrants(context.clock);
  const events = new GoogleEvents(context.clock, () => context.baseUrl());
  const codes = new AuthorizationCodes<GoogleCodeSubject>(context.clock, codeLifetimeMs, "4/0A");
  const authorize = authorizeRoutes(context, grants, codes);
  const app = new Hono();
  app.route("/", authorize.app);
  app.route("/", tokenRoutes(context, grants, codes, createSigningKey()));
  app.route("/", calendarRoutes(context, grants, events));
  // Every event on every calendar, for tests that check nothing was left behind.
  app.get("/_control/events", (c) =>
    c.json({
      events: events.all().map((event) => ({
        id: event.resource.id,
        calendar: event.owner.email,
        status: event.resource.status,
        summary: event.resource.summary ?? null,
        start: event.start.toISOString(),
        end: event.end.toISOString(),
      })),
    }),
  );
  // A path the fake does not serve answers the JSON envelope Google gives an unknown calendar or event
  // (404 `notFound` "Not Found", as seen in https://github.com/googleapis/google-api-java-client/issues/702),
  // so a client reads a Google 404 rather than a plain-text page.
  app.all("*", (c) => apiErrors.notFound(c));

  /** The token and revoke endpoints answer in the OAuth shape, everything else in the API envelope. */
  const isOAuthPath = (c: Context) => c.req.path === "/token" || c.req.path === "/revoke";

  return {
    provider: "google",
    app,
    failure: (c, status) => (isOAuthPath(c) ? oauthFailure(c, status) : apiFailure(c, status)),
    // Google documents no Retry-After for Calendar; the fake sends the one it was told to, to exercise the client.
    rateLimited: (c, retryAfter) =>
      isOAuthPath(c)
        ? oauthFailure(c, 429, { "Retry-After": retryAfter })
        : apiFailure(c, 429, { "Retry-After": retryAfter }),
    reset() {
      grants.reset();
      events.reset();
      codes.clear();
      authorize.reset();
    },
    // Pending consents and unredeemed codes are not kept: a consent page open across a restart is started again.
    memory: fakeMemory({
      schema: z.object({ grants: savedGoogleGrants, events: savedGoogleEvents }),
      save: () => ({ grants: grants.save(), events: events.save() }),
      load(state) {
        grants.load(state.grants);
        events.load(state.events);
      },
    }),
    expireAccessTokens: () => grants.expireAccessTokens(),
    revokeGrants(subject) {
      const account = findAccount(subject);
      return account ? grants.revokeAccount(account) : 0;
    },
  };
}
