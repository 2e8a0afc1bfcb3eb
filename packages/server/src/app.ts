/**
 * The Hono app, built from injected dependencies. No I/O happens here: the
 * entry (`main.ts`) opens the database, loads hosts and listens.
 */
import { Hono } from "hono";
import { createAccountChecks } from "./accounts/probes/index.ts";
import { createCompletionLock, createConnectionAccess, createLinkPurpose } from "./accounts/flow-purposes.ts";
import { createTokenRefresher } from "./accounts/refresh.ts";
import { hostCors } from "./auth/cors.ts";
import { hostTokens } from "./auth/host-token.ts";
import { tokenAuth } from "./auth/middleware.ts";
import type { AppDeps } from "./deps.ts";
import { ApiError } from "./errors.ts";
import type { AppEnv } from "./auth/app-env.ts";
import { benchRoutes } from "./routes/bench.ts";
import { answerMethodNotAllowed, errorHandler, notFoundHandler } from "./http/errors.ts";
import { requestFront } from "./http/request-front.ts";
import { requestGuards } from "./http/request-guards.ts";
import { createFlows } from "./oauth/flows.ts";
import { defaultHttpDeps } from "./providers/http.ts";
import { accountHealthRoutes } from "./routes/account-health.ts";
import { accountRoutes } from "./routes/accounts.ts";
import { elementRoutes } from "./routes/elements.ts";
import { availabilityRoutes } from "./routes/availability.ts";
import { freeBusyClients } from "./availability/clients.ts";
import { healthRoutes } from "./routes/health.ts";
import { meRoutes } from "./routes/me.ts";
import { notificationRoutes } from "./routes/notifications.ts";
import { createInterviewNotices } from "./notices/observer.ts";
import { oauthApiRoutes, oauthBrowserRoutes } from "./routes/oauth.ts";
import { openApiRoutes } from "./routes/openapi.ts";
import { serverKeyRoutes, signInSettingRoutes, signInStartRoutes } from "./routes/signin.ts";
import { createSignInAdapters } from "./signin/adapters.ts";
import { createSignIn } from "./signin/sign-in.ts";
import { schedulingLinkRoutes } from "./routes/scheduling-links.ts";
import { schedulingLinkPageRoutes } from "./routes/scheduling-link-page.ts";
import { templateRoutes } from "./routes/templates.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { zoomHostRoutes } from "./routes/zoom-hosts.ts";
import { createZoomClient } from "./providers/zoom.ts";
import { createZoomHosts } from "./zoom-hosts/service.ts";
import { createInterviews, type Interviews } from "./interviews/service.ts";
import { interviewRoutes } from "./routes/interviews.ts";

export function createApp(deps: AppDeps): Hono<AppEnv> {
  return createServerApp(deps).app;
}

/** The app and the parts a server process also runs on its own (the interviews' recovery pass). */
export function createServerApp(deps: AppDeps): { app: Hono<AppEnv>; interviews: Interviews } {
  const app = new Hono<AppEnv>();
  const onError = errorHandler(deps.logger);
  app.onError(onError);
  app.notFound(notFoundHandler);
  // Ahead of every middleware: the bench's bare baseline must stay bare.
  if (deps.config.benchRoutes) app.route("/", benchRoutes(deps.hosts));

  // Request id, security headers and log line; then, run by the front itself (issue 15: no layer of their own), the
  // body limit and the NUL check, and CORS for the widget API (before the sign-in start and tokenAuth below).
  app.use(
    requestFront({
      logger: deps.logger,
      steps: [{ middleware: requestGuards() }, { path: "/v1", middleware: hostCors({ hosts: deps.hosts }) }],
      onError,
    }),
  );

  app.route("/", healthRoutes(deps));
  // The API's OpenAPI document, built from the routes below on its first request.
  app.route("/", openApiRoutes(app, deps.config.publicUrl));
  if (deps.config.elementsDir) app.route("/", elementRoutes(deps.config.elementsDir));

  const { db, vault, clock, logger, hosts, linkAdapters: adapters } = deps;
  const signInAdapters = createSignInAdapters(deps.providers, defaultHttpDeps(clock));
  const signIn = createSignIn({
    db,
    vault,
    clock,
    logger,
    publicUrl: deps.config.publicUrl,
    linkAdapters: adapters,
    signInAdapters,
  });
  // The one refresher: account routes, health checks and the OAuth engine's connection tokens share it.
  const refresher = createTokenRefresher({ db, vault, clock, logger });
  const linking = createLinkPurpose({ db, vault, clock, logger, adapters });
  const flows = createFlows({
    db,
    vault,
    clock,
    logger,
    hosts,
    publicUrl: deps.config.publicUrl,
    purposes: { org: linking, personal: linking, signin: signIn.purpose },
    connections: createConnectionAccess({ db, refresher, adapters }),
    completionLock: createCompletionLock({ db, clock, logger }),
  });
  const { probes, zoomMeetings } = createAccountChecks(deps.providers, defaultHttpDeps(clock));
  // The OAuth popup and callback pages: reached by the browser, not with a host token.
  app.route("/", oauthBrowserRoutes(flows));
  // Public keys the portals verify sign-in assertions with.
  app.route("/", serverKeyRoutes(signIn.keys));
  // Zoom's and Slack's webhooks: authenticated by the provider's signature, not a host token.
  app.route("/", webhookRoutes({ db, clock, logger, providers: deps.providers }));

  // A sign-in start carries a sign-in token, which the API's tokenAuth refuses: it is answered before that runs.
  app.route("/v1", signInStartRoutes({ hosts, db, clock, flows, providers: signIn.providers }));
  app.use("/v1/*", tokenAuth({ audience: hostTokens, hosts, db, clock }));
  app.route("/v1", meRoutes(deps));
  app.route("/v1", oauthApiRoutes(flows));
  app.route("/v1", signInSettingRoutes({ db, clock, providers: signIn.providers }));
  // Zoom hosts and holds (issue 10): only where Zoom is configured.
  const zoomHosts =
    deps.providers.zoom &&
    createZoomHosts({
      db,
      clock,
      logger,
      refresher,
      adapters,
      zoom: createZoomClient(deps.providers.zoom, defaultHttpDeps(clock)),
    });
  app.route(
    "/v1",
    accountRoutes({
      db,
      vault,
      clock,
      logger,
      adapters,
      refresher,
      zoomMeetings,
      zoomMoveTargets: zoomHosts?.moveTargets,
    }),
  );
  app.route("/v1", accountHealthRoutes({ db, clock, adapters, refresher, probes }));
  app.route("/v1", notificationRoutes({ db, clock }));
  // Interviews (issue 11): the saga over the calendars and Zoom. Made before the Zoom host routes, which give an
  // interview's meeting another host through the interview.
  const interviews = createInterviews({
    db,
    clock,
    logger,
    refresher,
    adapters,
    providers: deps.providers,
    http: defaultHttpDeps(clock),
    zoom: zoomHosts || undefined,
    // The portal's webhooks and the interviewers' Slack DMs, queued with each settled change.
    observers: [createInterviewNotices({ clock }), ...(deps.interviewObservers ?? [])],
    leaseMs: deps.interviewLeaseMs,
  });
  if (zoomHosts) app.route("/v1", zoomHostRoutes({ db, clock, hosts: zoomHosts, interviews }));
  else {
    app.all("/v1/zoom/*", () => {
      throw new ApiError(404, "provider_unavailable", "Zoom is not configured on this server.");
    });
  }
  app.route(
    "/v1",
    availabilityRoutes({
      db,
      clock,
      logger,
      refresher,
      vault,
      adapters,
      clients: freeBusyClients(deps.providers, defaultHttpDeps(clock)),
    }),
  );

  app.route("/v1", interviewRoutes({ db, clock, interviews }));
  app.route("/v1", templateRoutes({ db, clock, findInterview: (tenant, id) => interviews.get(tenant, id, false) }));
  // Candidate scheduling links (issue 11, item 7): the portal's routes, and the candidate's page (no host token).
  app.route("/v1", schedulingLinkRoutes({ db, clock, publicUrl: deps.config.publicUrl, booker: interviews.booker }));
  app.route(
    "/",
    schedulingLinkPageRoutes({
      db,
      clock,
      logger,
      refresher,
      vault,
      adapters,
      clients: freeBusyClients(deps.providers, defaultHttpDeps(clock)),
      booker: interviews.booker,
      hosts,
    }),
  );

  answerMethodNotAllowed(app);
  return { app, interviews };
}
