/**
 * `POST /{tenant}/oauth2/v2.0/token`: code redemption (single use, bound to
 * client, redirect URI and PKCE) and refresh with rotation. Errors in the
 * AADSTS shape, HTTP 400 (401 for a wrong client secret).
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#redeem-a-code-for-an-access-token
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
 */
import { type Context, Hono } from "hono";
import { type AuthorizationCodes, basicCredentials } from "../oauth-kit.ts";
import type { FakeContext } from "../fake.ts";
import { accountsForTenant, canonicalScopes, type DirectoryAccount } from "./directory.ts";
import { aadError } from "./errors.ts";
import type { CodeSubject } from "./login.ts";
import type { TokenStore } from "./tokens.ts";

const redemptionErrors = {
  unknown_code: {
    error: "invalid_grant",
    aadsts: 9002313,
    message: "Invalid request. Request is malformed or invalid.",
  },
  expired_code: {
    error: "invalid_grant",
    aadsts: 70008,
    message:
      "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive " +
      "authorization request for this user and resource.",
  },
  client_mismatch: { error: "invalid_grant", aadsts: 70000, message: "Provided grant is invalid or malformed." },
  redirect_uri_mismatch: {
    error: "invalid_grant",
    aadsts: 500112,
    message: "The reply address does not match the reply address provided when requesting Authorization code.",
  },
  pkce_missing: {
    error: "invalid_request",
    aadsts: 900144,
    message: "The request body must contain the following parameter: 'code_verifier'.",
  },
  pkce_mismatch: {
    error: "invalid_grant",
    aadsts: 501481,
    message: "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
  },
  // Refused (pilcrowonpaper/arctic#128); the error Entra gives was not found: its answer to a verifier that matches no
  // challenge.
  pkce_unexpected: {
    error: "invalid_grant",
    aadsts: 501481,
    message: "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
  },
} as const;

export function tokenRoutes(
  context: FakeContext,
  codes: AuthorizationCodes<CodeSubject>,
  tokens: TokenStore,
  redeemed: Set<string>,
): Hono {
  const app = new Hono();
  const fail = (c: Context, error: string, aadsts: number, message: string, status: 400 | 401 = 400) =>
    aadError(c, context.clock, status, error, aadsts, message);

  app.post("/:tenant/oauth2/v2.0/token", async (c) => {
    const tenant = c.req.param("tenant");
    const tenantAccounts = accountsForTenant(tenant);
    if (!tenantAccounts) return fail(c, "invalid_request", 90002, `Tenant '${tenant}' not found.`);
    const inTenant = (account: DirectoryAccount) => tenantAccounts.some((candidate) => candidate.oid === account.oid);
    const form = Object.fromEntries(
      Object.entries(await c.req.parseBody()).map(([name, value]) => [name, typeof value === "string" ? value : ""]),
    );

    // The secret goes in the body or as HTTP Basic.
    const basic = basicCredentials(c.req.header("authorization"));
    const clientId = form.client_id ?? basic?.clientId;
    const clientSecret = form.client_secret ?? basic?.clientSecret;
    if (clientId !== context.clientId)
      return fail(
        c,
        "unauthorized_client",
        700016,
        `Application with identifier '${clientId ?? ""}' was not found in the directory.`,
      );
    if (!clientSecret)
      return fail(
        c,
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        401,
      );
    if (clientSecret !== context.clientSecret) {
      return fail(
        c,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not ` +
          `the client secret ID, for a secret added to app '${clientId}'.`,
        401,
      );
    }

    switch (form.grant_type) {
      case "authorization_code": {
        if (!form.code)
          return fail(c, "invalid_request", 900144, "The request body must contain the following parameter: 'code'.");
        if (redeemed.has(form.code)) {
          return fail(
            c,
            "invalid_grant",
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing " +
              "refresh token.",
          );
        }
        const redemption = codes.redeem(form.code, {
          clientId,
          redirectUri: form.redirect_uri,
          codeVerifier: form.code_verifier,
        });
        redeemed.add(form.code);
        if (!redemption.ok) {
          const { error, aadsts, message } = redemptionErrors[redemption.reason];
          return fail(c, error, aadsts, message);
        }
        const { account, scopes, nonce } = redemption.grant.subject;
        if (!inTenant(account))
          return fail(
            c,
            "invalid_grant",
            700005,
            "Provided Authorization Code is intended to use against other tenant, thus rejected.",
          );
        return c.json(tokens.issue(tokens.startGrant(account, clientId, scopes), { nonce }), 200, {
          "cache-control": "no-store",
        });
      }
      case "refresh_token": {
        if (!form.refresh_token)
          return fail(
            c,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'refresh_token'.",
          );
        const checked = tokens.checkRefreshToken(form.refresh_token, clientId);
        if (!checked.ok) return fail(c, "invalid_grant", checked.aadsts, checked.message);
        if (!inTenant(checked.grant.account))
          return fail(
            c,
            "invalid_grant",
            700005,
            "Provided grant is intended to use against other tenant, thus rejected.",
          );
        const missing = canonicalScopes(form.scope ?? "").filter((scope) => !checked.grant.scopes.includes(scope));
        if (missing.length > 0) {
          return fail(
            c,
            "invalid_grant",
            65001,
            `The user or administrator has not consented to use the application with ID '${clientId}'. Send an ` +
              `interactive authorization request for this user and resource.`,
          );
        }
        // A new refresh token every time; the one just used keeps working.
        return c.json(tokens.issue(checked.grant), 200, { "cache-control": "no-store" });
      }
      case undefined:
      case "":
        return fail(
          c,
          "invalid_request",
          900144,
          "The request body must contain the following parameter: 'grant_type'.",
        );
      default:
        return fail(
          c,
          "unsupported_grant_type",
          70003,
          `The app requested an unsupported grant type '${form.grant_type}'.`,
        );
    }
  });

  return app;
}
