/**
 * The Slack fake: slack.com's paths on one local origin. Install consent,
 * oauth.v2.access (with opt-in rotation), Sign in with Slack (OIDC, JWKS,
 * discovery), the Web API methods Tsunagu calls, and signed Events API
 * callbacks. Contract: shared/providers.md §4 and its "faithful fake" bullets.
 */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { SlackEndpoints } from "../../providers/settings.ts";
import type { FakeContext, FakeProvider } from "../fake.ts";
import { fakeMemory } from "../memory.ts";
import { controlRoutes } from "./control.ts";
import { installRoutes } from "./install.ts";
import { slackMembers } from "./seed.ts";
import { signInRoutes } from "./sign-in.ts";
import { SlackFakeState, savedSlackState } from "./state.ts";
import { webApiRoutes } from "./web-api.ts";

export function slackSandboxEndpoints(baseUrl: string): SlackEndpoints {
  return {
    authorizeUrl: `${baseUrl}/oauth/v2/authorize`,
    oidcAuthorizeUrl: `${baseUrl}/openid/connect/authorize`,
    apiBaseUrl: `${baseUrl}/api/`,
    oidcIssuer: baseUrl,
    jwksUrl: `${baseUrl}/openid/connect/keys`,
  };
}

export function createSlackFake(context: FakeContext): FakeProvider {
  const state = new SlackFakeState(context.clock);
  const app = new Hono();
  const install = installRoutes(app, context, state);
  const signIn = signInRoutes(app, context, state);
  webApiRoutes(app, state);
  controlRoutes(app, context, state);
  // Unknown methods: `unknown_method` ("This method does not exist", in the common errors of Slack's method pages),
  // with the method asked as `req_method`, as reported answers show. HTTP 200 with ok:false, as Web API errors are
  // (https://github.com/slackhq/slack-api-docs/blob/master/index_web.md); the status of this one is not documented.
  app.all("/api/*", (c) =>
    c.json({ ok: false, error: "unknown_method", req_method: c.req.path.slice("/api/".length) }),
  );

  return {
    provider: "slack",
    app,
    failure(c: Context, status: number) {
      return c.json(
        { ok: false, error: status === 503 ? "service_unavailable" : "internal_error" },
        status as ContentfulStatusCode,
      );
    },
    rateLimited(c: Context, retryAfter: string) {
      // https://docs.slack.dev/apis/web-api/rate-limits: HTTP 429, Retry-After in seconds.
      return c.json({ ok: false, error: "ratelimited" }, 429, { "Retry-After": retryAfter });
    },
    reset() {
      state.reset();
      install.codes.clear();
      signIn.codes.clear();
    },
    // Install and sign-in codes are not kept: a consent open across a restart is started again.
    memory: fakeMemory({ schema: savedSlackState, save: () => state.save(), load: (saved) => state.load(saved) }),
    expireAccessTokens: () => state.expireAccessTokens(),
    revokeGrants(subject) {
      // A person (by email or member id, in every workspace they belong to) or a whole workspace (team id).
      const userIds = new Set(
        slackMembers
          .filter((member) => member.id === subject || member.person.email === subject)
          .map((member) => member.id),
      );
      return state.revokeWhere(
        (grant) => grant.teamId === subject || (grant.kind === "user" && userIds.has(grant.userId)),
      );
    },
  };
}
