/**
 * accounts.google.com's authorization endpoint: GET checks the request and
 * shows the consent page (choose an account, untick calendar scopes, allow or
 * deny); the form POSTs back here and we redirect to redirect_uri with
 * `code`, `state` and `scope`, or with `error=access_denied`.
 * https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient
 * https://developers.google.com/identity/protocols/oauth2/web-server#handlingresponse
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { consentPage } from "../consent-page.ts";
import type { FakeContext } from "../fake.ts";
import type { AuthorizationCodes } from "../oauth-kit.ts";
import { findAccount, googleAccounts } from "./accounts.ts";
import type { GoogleGrants } from "./grants.ts";
import { canonicalScope, isKnownScope, isSignInScope, scopeLabel } from "./scopes.ts";

/** What a redeemed code stands for. */
export interface GoogleCodeSubject {
  email: string;
  scopes: string[];
  offline: boolean;
  forceConsent: boolean;
  nonce: string | undefined;
}

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  offline: boolean;
  forceConsent: boolean;
  includeGrantedScopes: boolean;
  codeChallenge: string | undefined;
  codeChallengeMethod: "S256" | "plain";
  nonce: string | undefined;
  expiresAt: number;
}

const pendingLifetimeMs = 60 * 60_000;
export const authorizePath = "/o/oauth2/v2/auth";

export function authorizeRoutes(
  context: FakeContext,
  grants: GoogleGrants,
  codes: AuthorizationCodes<GoogleCodeSubject>,
) {
  const pending = new Map<string, PendingAuthorization>();
  const app = new Hono();

  app.get(authorizePath, (c) => {
    const query = c.req.query();
    if (query.client_id !== context.clientId)
      return errorPage(c, 401, "invalid_client", "The OAuth client was not found.");
    if (!isAbsoluteHttpUrl(query.redirect_uri))
      return errorPage(c, 400, "invalid_request", "Missing required parameter: redirect_uri");
    if (query.response_type !== "code")
      return errorPage(c, 400, "unsupported_response_type", `Invalid response_type: ${query.response_type ?? ""}`);
    const requested = (query.scope ?? "").split(" ").filter(Boolean);
    if (requested.length === 0) return errorPage(c, 400, "invalid_request", "Missing required parameter: scope");
    const invalid = requested.filter((scope) => !isKnownScope(scope));
    if (invalid.length > 0)
      return errorPage(
        c,
        400,
        "invalid_scope",
        `Some requested scopes were invalid. {invalid=[${invalid.join(", ")}]}`,
      );
    const method = query.code_challenge_method ?? "plain";
    if (method !== "S256" && method !== "plain")
      return errorPage(c, 400, "invalid_request", "Invalid code_challenge_method value.");
    const id = randomUUID();
    const prompts = (query.prompt ?? "").split(" ");
    pending.set(id, {
      clientId: query.client_id,
      redirectUri: query.redirect_uri,
      state: query.state,
      scopes: [...new Set(requested.map(canonicalScope))],
      offline: query.access_type === "offline",
      forceConsent: prompts.includes("consent"),
      includeGrantedScopes: query.include_granted_scopes === "true",
      codeChallenge: query.code_challenge,
      codeChallengeMethod: method,
      nonce: query.nonce,
      expiresAt: context.clock.now().getTime() + pendingLifetimeMs,
    });
    const hint = query.login_hint?.toLowerCase();
    const accounts = [...googleAccounts].sort((a, b) => Number(b.email === hint) - Number(a.email === hint));
    const request = pending.get(id) as PendingAuthorization;
    return c.html(
      consentPage({
        providerName: "Google",
        brandColor: "#1a73e8",
        appName: "Tsunagu",
        accounts: accounts.map((account) => ({
          id: account.email,
          label: account.person.name,
          detail: account.hd
            ? `${account.email} · Google Workspace (${account.hd})`
            : `${account.email} · personal account`,
        })),
        scopes: request.scopes.map((scope) => ({
          value: scope,
          label: scopeLabel(scope),
          optional: !isSignInScope(scope),
        })),
        action: authorizePath,
        hidden: { request: id },
        note: "Untick a calendar permission to grant only part of the access (Google's granular consent).",
      }),
    );
  });

  app.post(authorizePath, async (c) => {
    const form = await c.req.parseBody({ all: true });
    const id = typeof form.request === "string" ? form.request : "";
    const request = pending.get(id);
    pending.delete(id);
    if (!request || request.expiresAt <= context.clock.now().getTime())
      return errorPage(c, 400, "invalid_request", "This sign-in request has expired. Start again from the app.");
    const redirect = new URL(request.redirectUri);
    if (request.state !== undefined) redirect.searchParams.set("state", request.state);
    if (form.decision !== "allow") {
      redirect.searchParams.set("error", "access_denied");
      return c.redirect(redirect.toString(), 302);
    }
    const account = findAccount(typeof form.account === "string" ? form.account : "");
    if (!account) return errorPage(c, 400, "invalid_request", "Choose an account.");
    const ticked = new Set([form.scope ?? []].flat().filter((value): value is string => typeof value === "string"));
    const allowed = request.scopes.filter((scope) => isSignInScope(scope) || ticked.has(scope));
    const scopes = grants.consent(account, request.clientId, allowed, request.includeGrantedScopes);
    const code = codes.issue({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      subject: {
        email: account.email,
        scopes,
        offline: request.offline,
        forceConsent: request.forceConsent,
        nonce: request.nonce,
      },
    });
    redirect.searchParams.set("code", code);
    redirect.searchParams.set("scope", scopes.join(" "));
    redirect.searchParams.set("authuser", "0");
    if (account.hd) redirect.searchParams.set("hd", account.hd);
    redirect.searchParams.set("prompt", "consent");
    return c.redirect(redirect.toString(), 302);
  });

  return { app, reset: () => pending.clear() };
}

function isAbsoluteHttpUrl(value: string | undefined): value is string {
  if (!value) return false;
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Google shows request errors on its own page ("Error 400: invalid_request") rather than redirecting. */
function errorPage(c: Context, status: number, error: string, description: string) {
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head><meta charset="utf-8" /><title>Error ${status}: ${error}</title></head>
        <body>
          <main><h1>Access blocked: authorization error</h1><p>Error ${status}: ${error}</p><p>${description}</p></main>
        </body>
      </html>`,
    status as ContentfulStatusCode,
  );
}
