/**
 * The fake Microsoft: identity platform v2 (authorize, token, admin consent,
 * under a tenant path segment) and Graph v1.0, on one loopback origin. The
 * production client reaches it through `microsoftSandboxEndpoints` only.
 */
import { type Context, Hono } from "hono";
import { z } from "zod";
import type { MicrosoftEndpoints } from "../../providers/settings.ts";
import type { FakeContext, FakeProvider } from "../fake.ts";
import { fakeMemory } from "../memory.ts";
import { AuthorizationCodes } from "../oauth-kit.ts";
import { findAccount } from "./directory.ts";
import { aadError, aadErrorPage, graphCodeFor, graphError } from "./errors.ts";
import { EventStore, savedEventStore } from "./events.ts";
import { graphRoutes } from "./graph.ts";
import { type CodeSubject, loginRoutes } from "./login.ts";
import { oidcRoutes } from "./oidc.ts";
import { SigningKeys } from "./signing-keys.ts";
import { tokenRoutes } from "./token.ts";
import { savedTokenStore, TokenStore } from "./tokens.ts";

/** `/{tenant}/oauth2/…`, `/{tenant}/v2.0/…`, `/{tenant}/discovery/…`: the identity platform's side of the origin. */
const identityPath = /^\/[^/]+\/(oauth2|v2\.0|discovery)(\/|$)/;

/** Authorization codes live about 10 minutes.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow */
const codeLifetimeMs = 10 * 60_000;

export function microsoftSandboxEndpoints(baseUrl: string): MicrosoftEndpoints {
  return { authority: baseUrl, graphBaseUrl: `${baseUrl}/` };
}

export function createMicrosoftFake(context: FakeContext): FakeProvider {
  const codes = new AuthorizationCodes<CodeSubject>(context.clock, codeLifetimeMs, "1.AX");
  const redeemed = new Set<string>();
  // Kept across resets, as Microsoft's keys outlive any one test.
  const keys = new SigningKeys();
  const tokens = new TokenStore(context.clock, () => context.baseUrl(), keys);
  const events = new EventStore();

  const app = new Hono();
  app.route("/", graphRoutes(context, tokens, events));
  // Every event in every mailbox, for tests that check nothing was left behind.
  app.get("/_control/events", (c) =>
    c.json({
      events: events.all().map((event) => ({
        id: event.id,
        calendar: event.owner.userPrincipalName,
        subject: event.subject,
        start: event.start.toISOString(),
        end: event.end.toISOString(),
        isOnlineMeeting: event.isOnlineMeeting,
      })),
    }),
  );
  app.route("/", loginRoutes(context, codes));
  app.route("/", tokenRoutes(context, codes, tokens, redeemed));
  app.route("/", oidcRoutes(context, keys));
  // Anything else: the sign-in site's error page under a tenant's identity paths, Graph's envelope everywhere else.
  app.all("*", (c) => {
    if (identityPath.test(c.req.path))
      return aadErrorPage(c, 404, undefined, "The page you asked for does not exist on the sign-in service.");
    // https://graph.microsoft.com/me (no version) answers 400 "Invalid version." (observed:
    // microsoftgraph/msgraph-sample-blazor-clientside#94).
    return graphError(c, context.clock, 400, "BadRequest", "Invalid version.");
  });

  const isGraph = (c: Context) => !identityPath.test(c.req.path);

  return {
    provider: "microsoft",
    app,
    failure(c, status) {
      const httpStatus = status as 400;
      if (isGraph(c)) {
        const { code, message } = graphCodeFor(status);
        return graphError(c, context.clock, httpStatus, code, message);
      }
      // The identity platform's own shape, for the token endpoint and the pages alike.
      if (status >= 500)
        return aadError(
          c,
          context.clock,
          httpStatus,
          "temporarily_unavailable",
          90033,
          "A transient error has occurred. Please try again.",
        );
      return aadError(
        c,
        context.clock,
        httpStatus,
        "invalid_request",
        9002313,
        "Invalid request. Request is malformed or invalid.",
      );
    },
    rateLimited(c, retryAfter) {
      // https://learn.microsoft.com/graph/throttling: 429 + Retry-After (seconds, fractional in the docs' sample).
      if (isGraph(c)) {
        return graphError(c, context.clock, 429, "TooManyRequests", "Please retry again later.", {
          headers: { "retry-after": retryAfter },
          innerError: { code: "429", status: "429" },
        });
      }
      const response = aadError(
        c,
        context.clock,
        429,
        "temporarily_unavailable",
        50196,
        "The server terminated an operation because it encountered a client request loop. Please contact your app " +
          "vendor.",
      );
      response.headers.set("retry-after", retryAfter);
      return response;
    },
    reset() {
      codes.clear();
      redeemed.clear();
      tokens.reset();
      events.reset();
    },
    // Codes (and which were redeemed) are not kept: they live ten minutes, and a sign-in open across a restart is
    // started again.
    memory: fakeMemory({
      schema: z.object({ tokens: savedTokenStore, events: savedEventStore }),
      save: () => ({ tokens: tokens.save(), events: events.save() }),
      load(state) {
        tokens.load(state.tokens);
        events.load(state.events);
      },
    }),
    expireAccessTokens() {
      tokens.expireAccessTokens();
    },
    /** Kills the person's refresh tokens; their access tokens run to expiry, as Microsoft's JWTs do. */
    revokeGrants(subject) {
      const account = findAccount(subject);
      return account ? tokens.revokeGrants(account) : 0;
    },
  };
}
