/**
 * The fake zoom.us OAuth endpoints: the consent page (GET shows it, POST
 * decides), /oauth/token with HTTP Basic client auth, and /oauth/revoke.
 * An admin-managed install is asked for with `:admin` scopes in `scope`; only
 * an account owner or admin may grant it.
 * https://developers.zoom.us/docs/integrations/oauth/ · https://developers.zoom.us/docs/integrations/end-user-auth/
 */
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import { consentPage } from "../consent-page.ts";
import type { FakeContext } from "../fake.ts";
import { AuthorizationCodes, basicCredentials } from "../oauth-kit.ts";
import { zoom as seed } from "../seed.ts";
import type { InstallKind, ZoomGrants } from "./grants.ts";
import { invalidClient, oauthError } from "./responses.ts";
import { userManagedAppScopes } from "./scopes.ts";

/** https://developers.zoom.us/docs/integrations/oauth-error-messages/ (4733: the code lives five minutes). */
const codeLifetimeMs = 5 * 60_000;

interface CodeSubject {
  zoomUserId: string;
  kind: InstallKind;
  scopes: string[];
}

export function zoomOAuthRoutes(context: FakeContext, grants: ZoomGrants): { app: Hono; clear(): void } {
  const codes = new AuthorizationCodes<CodeSubject>(context.clock, codeLifetimeMs, "zc_");
  const app = new Hono();

  app.get("/oauth/authorize", (c) => {
    const request = readAuthorizeRequest(context, c.req.query());
    if ("page" in request) return errorPage(c, request.page);
    if ("redirect" in request) return c.redirect(request.redirect, 302);
    return c.html(
      consentPage({
        providerName: "Zoom",
        brandColor: "#0b5cff",
        appName: "Tsunagu",
        accounts: seed.users.map((user) => ({
          id: user.id,
          label: `${user.person.name} <${user.person.email}>`,
          detail:
            `${user.accountId === seed.accountId ? "Sakura Recruit" : "another company"} · ${user.role} · ` +
            `${user.type === 2 ? "Licensed" : "Basic"}${user.awaitsAppPreApproval ? " · app not pre-approved" : ""}`,
        })),
        scopes: request.scopes.map((scope) => ({ value: scope, label: scope })),
        action: "/oauth/authorize",
        hidden: request.hidden,
        note:
          request.kind === "admin"
            ? "Admin-managed app: installs for the whole Zoom account. Only an account owner or admin can allow it."
            : "User-managed app: acts for your own Zoom user only.",
      }),
    );
  });

  app.post("/oauth/authorize", async (c) => {
    const form = await c.req.parseBody({ all: true });
    const field = (name: string) => (typeof form[name] === "string" ? form[name] : undefined);
    const request = readAuthorizeRequest(context, {
      response_type: "code",
      client_id: field("client_id"),
      redirect_uri: field("redirect_uri"),
      state: field("state"),
      code_challenge: field("code_challenge"),
      code_challenge_method: field("code_challenge_method"),
      scope: field("requested_scope"),
    });
    if ("page" in request) return errorPage(c, request.page);
    if ("redirect" in request) return c.redirect(request.redirect, 302);
    if (field("decision") !== "allow")
      return c.redirect(
        request.back({ error: "access_denied", error_description: "The user denied the authorization." }),
        302,
      );
    const user = seed.users.find((candidate) => candidate.id === field("account"));
    if (!user) return errorPage(c, "Choose a Zoom account.");
    if (request.kind === "admin" && user.role === "member") {
      return c.redirect(
        request.back({
          error: "access_denied",
          error_description: "Only an account owner or admin can install an admin-managed app for the account.",
        }),
        302,
      );
    }
    // Zoom documents no redirect for this (its own page offers "Request pre-approval"); the sandbox answers as for the
    // refusal above.
    if (request.kind === "user" && user.awaitsAppPreApproval) {
      return c.redirect(
        request.back({
          error: "access_denied",
          error_description:
            "This app needs to be pre-approved by your Zoom account admin before you can add it. Request " +
            "pre-approval from your admin.",
        }),
        302,
      );
    }
    const code = codes.issue({
      clientId: context.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      subject: { zoomUserId: user.id, kind: request.kind, scopes: request.scopes },
    });
    return c.redirect(request.back({ code }), 302);
  });

  app.post("/oauth/token", async (c) => {
    const client = basicCredentials(c.req.header("authorization"));
    if (!client || client.clientId !== context.clientId || client.clientSecret !== context.clientSecret)
      return invalidClient(c);
    // Zoom takes the parameters in the query string or in a form body.
    const params = { ...c.req.query(), ...(await formFields(c)) };
    if (params.grant_type === "authorization_code") {
      const redeemed = codes.redeem(params.code ?? "", {
        clientId: client.clientId,
        redirectUri: params.redirect_uri,
        codeVerifier: params.code_verifier,
      });
      if (!redeemed.ok) {
        const reasons = {
          unknown_code: `Invalid authorization code ${params.code ?? ""}`,
          expired_code: "Code is expired.",
          client_mismatch: "Client ID does not match authenticated client.",
          redirect_uri_mismatch: "Redirect URI mismatch.",
          pkce_missing: "Invalid code_verifier.",
          pkce_mismatch: "Invalid code_verifier.",
          pkce_unexpected: "Invalid code_verifier.",
        };
        return oauthError(c, 400, "invalid_request", reasons[redeemed.reason]);
      }
      const { zoomUserId, kind, scopes } = redeemed.grant.subject;
      const user = seed.users.find((candidate) => candidate.id === zoomUserId);
      if (!user) return oauthError(c, 400, "invalid_request", "Owner of token does not exist.");
      return c.json(grants.authorize(user, kind, scopes));
    }
    if (params.grant_type === "refresh_token") {
      const outcome = grants.refresh(params.refresh_token ?? "");
      if (outcome.ok) return c.json(outcome.answer);
      // A rotated-out token and a revoked grant both read "Invalid Token!", in the two shapes seen from Zoom.
      return outcome.why === "revoked"
        ? oauthError(c, 401, "invalid_request", "Invalid Token!")
        : oauthError(c, 400, "invalid_grant", "Invalid Token!");
    }
    return oauthError(c, 400, "unsupported_grant_type", "Grant type is not supported from token endpoint.");
  });

  app.post("/oauth/revoke", async (c) => {
    const client = basicCredentials(c.req.header("authorization"));
    if (!client || client.clientId !== context.clientId || client.clientSecret !== context.clientSecret)
      return invalidClient(c);
    const token = c.req.query("token") ?? (await formFields(c)).token ?? "";
    if (!grants.revokeToken(token)) return oauthError(c, 400, "invalid_request", "Invalid Token!");
    return c.json({ status: "success" });
  });

  return { app, clear: () => codes.clear() };
}

type AuthorizeRequest =
  | { page: string }
  | { redirect: string }
  | {
      redirectUri: string;
      kind: InstallKind;
      scopes: string[];
      codeChallenge: string | undefined;
      codeChallengeMethod: "S256" | "plain";
      hidden: Record<string, string>;
      back(params: Record<string, string>): string;
    };

function readAuthorizeRequest(context: FakeContext, query: Record<string, string | undefined>): AuthorizeRequest {
  // Without a known client or a usable redirect URI there is nowhere safe to send an error: show it.
  if (query.client_id !== context.clientId) return { page: `Invalid client_id: ${query.client_id ?? "(none)"} (4702)` };
  const redirectUri = query.redirect_uri;
  if (!redirectUri || !URL.canParse(redirectUri)) return { page: "Redirect URI mismatch. (4709)" };
  const back = (params: Record<string, string>) => {
    const target = new URL(redirectUri);
    for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
    if (query.state !== undefined) target.searchParams.set("state", query.state);
    return target.toString();
  };
  if (query.response_type !== "code")
    return {
      redirect: back({
        error: "unsupported_response_type",
        error_description: "Only response_type=code is supported.",
      }),
    };
  const method = query.code_challenge_method ?? "plain";
  if (method !== "S256" && method !== "plain")
    return {
      redirect: back({ error: "invalid_request", error_description: "code_challenge_method must be S256 or plain." }),
    };
  const requested = (query.scope ?? "").split(/[\s,]+/).filter(Boolean);
  const adminScopes = requested.filter((scope) => scope.endsWith(":admin"));
  // No app mixes user-level and admin-level scopes: https://developers.zoom.us/docs/build-flow/basic-info/app-mgmt/
  if (adminScopes.length > 0 && adminScopes.length < requested.length) {
    return {
      redirect: back({
        error: "invalid_scope",
        error_description: "An app cannot mix user-managed and admin-managed (:admin) scopes.",
      }),
    };
  }
  const kind: InstallKind = adminScopes.length > 0 ? "admin" : "user";
  const scopes = requested.length > 0 ? requested : [...userManagedAppScopes];
  const hidden: Record<string, string> = {
    client_id: context.clientId,
    redirect_uri: redirectUri,
    requested_scope: scopes.join(" "),
    code_challenge_method: method,
  };
  if (query.state !== undefined) hidden.state = query.state;
  if (query.code_challenge) hidden.code_challenge = query.code_challenge;
  return {
    redirectUri,
    kind,
    scopes,
    codeChallenge: query.code_challenge || undefined,
    codeChallengeMethod: method,
    hidden,
    back,
  };
}

async function formFields(c: Context): Promise<Record<string, string>> {
  if (!(c.req.header("content-type") ?? "").includes("application/x-www-form-urlencoded")) return {};
  const body = await c.req.parseBody();
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

function errorPage(c: Context, message: string): Response | Promise<Response> {
  return c.html(
    html`<!doctype html><html lang="en"><head><meta
      charset="utf-8" /><title>Zoom sandbox — error</title></head><body><main><h1>Zoom</h1><p
        role="alert">${message}</p></main></body></html>`,
    400,
  );
}
