/**
 * The fake Zoom: zoom.us (OAuth, consent) and api.zoom.us (/v2) paths on one
 * origin, the signed webhooks Zoom sends, and Zoom's own error shapes for the
 * failures and 429s the control API injects. Extra control routes:
 * POST /_control/deauthorize {userId}, POST /_control/url-validation, and
 * POST/GET /_control/meetings (meetings made in Zoom itself: control.ts). A
 * join URL opens a page of the fake's (join-page.ts).
 */
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZoomEndpoints } from "../../providers/settings.ts";
import type { FakeContext, FakeProvider } from "../fake.ts";
import { fakeMemory } from "../memory.ts";
import { zoom as seed } from "../seed.ts";
import { zoomApiRoutes } from "./api.ts";
import { zoomMeetingControlRoutes } from "./control.ts";
import { savedZoomGrants, ZoomGrants } from "./grants.ts";
import { zoomJoinPageRoutes } from "./join-page.ts";
import { FakeMeetings, savedMeetings } from "./meetings.ts";
import { zoomOAuthRoutes } from "./oauth.ts";
import { apiError, oauthError, rateLimitResponse } from "./responses.ts";
import { zoomWebhookControlRoutes } from "./webhooks.ts";

const qpsMessage = "You have reached the maximum per-second rate limit for this API. Try again later.";

export function zoomSandboxEndpoints(baseUrl: string): ZoomEndpoints {
  return {
    authorizeUrl: `${baseUrl}/oauth/authorize`,
    tokenUrl: `${baseUrl}/oauth/token`,
    revokeUrl: `${baseUrl}/oauth/revoke`,
    apiBaseUrl: `${baseUrl}/v2`,
  };
}

export function createZoomFake(context: FakeContext): FakeProvider {
  const grants = new ZoomGrants(context.clock, () => context.baseUrl());
  const meetings = new FakeMeetings(context.clock);
  const oauth = zoomOAuthRoutes(context, grants);
  const app = new Hono();
  app.route("/", zoomWebhookControlRoutes(context, grants));
  app.route("/", zoomMeetingControlRoutes(meetings));
  app.route("/", oauth.app);
  app.route("/", zoomApiRoutes(context, grants, meetings));
  app.route("/", zoomJoinPageRoutes(meetings));

  const isOAuthPath = (c: Context) => c.req.path.startsWith("/oauth/");

  return {
    provider: "zoom",
    app,
    failure(c, status) {
      const code = status as ContentfulStatusCode;
      if (isOAuthPath(c)) {
        if (status === 401) return oauthError(c, 401, "invalid_client", "Invalid client_id or client_secret");
        return oauthError(
          c,
          code,
          status >= 500 ? "server_error" : "invalid_request",
          status >= 500 ? "Internal server error." : "Invalid request.",
        );
      }
      if (status === 401) return apiError(c, 401, 124, "Invalid access token.");
      if (status === 404) return apiError(c, 404, 3001, "Meeting does not exist.");
      if (status === 429)
        return rateLimitResponse(c, {
          type: "QPS",
          category: "Light",
          limit: 30,
          retryAfter: undefined,
          message: qpsMessage,
        });
      return apiError(c, code, status, status >= 500 ? "Internal server error." : "Bad request.");
    },
    rateLimited: (c, retryAfter) =>
      rateLimitResponse(c, { type: "QPS", category: "Light", limit: 30, retryAfter, message: qpsMessage }),
    reset() {
      grants.clear();
      meetings.clear();
      oauth.clear();
    },
    // Codes (five minutes) are not kept: a consent open across a restart is started again.
    memory: fakeMemory({
      schema: z.object({ grants: savedZoomGrants, meetings: savedMeetings }),
      save: () => ({ grants: grants.save(), meetings: meetings.save() }),
      load(state) {
        grants.load(state.grants);
        meetings.load(state.meetings);
      },
    }),
    expireAccessTokens: () => grants.expireAccessTokens(),
    revokeGrants(subject) {
      const wanted = subject.toLowerCase();
      return seed.users
        .filter((user) => user.id.toLowerCase() === wanted || user.person.email.toLowerCase() === wanted)
        .reduce((count, user) => count + grants.revokeUser(user.id), 0);
    },
  };
}
