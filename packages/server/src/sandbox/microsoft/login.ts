/**
 * login.microsoftonline.com's pages, with the tenant segment in the path:
 * the authorize page (choose an account, allow or deny) and the admin-consent
 * page. Plain form posts, no script. The authorize answer goes back the way
 * `response_mode` asks: `query` (the default for a code), `fragment`, or
 * `form_post`, Microsoft's auto-submitting page that POSTs it to the
 * redirect URI.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
 * https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
 *
 * There is no app registration here, so any absolute http(s) redirect URI is
 * accepted; the token endpoint then insists on the same one.
 */
import { randomUUID } from "node:crypto";
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { AuthorizationCodes } from "../oauth-kit.ts";
import { type ConsentScope, consentPage } from "../consent-page.ts";
import type { FakeContext } from "../fake.ts";
import { accountsForTenant, canGrantAdminConsent, canonicalScopes, type DirectoryAccount } from "./directory.ts";
import { aadErrorPage } from "./errors.ts";

export interface CodeSubject {
  account: DirectoryAccount;
  scopes: string[];
  nonce: string | undefined;
}

const scopeLabels: Record<string, string> = {
  openid: "Sign you in",
  profile: "View your basic profile",
  email: "View your email address",
  offline_access: "Maintain access to data you have given it access to",
  "https://graph.microsoft.com/User.Read": "Sign in and read your profile",
  "https://graph.microsoft.com/Calendars.Read": "Read your calendars",
  "https://graph.microsoft.com/Calendars.ReadWrite": "Have full access to your calendars",
};

type Fields = Record<string, string | string[]>;
type Checked =
  | { page: Response | Promise<Response> }
  | { redirectUri: string; state: string | undefined; accounts: DirectoryAccount[] };

/** https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code */
const responseModes = ["query", "fragment", "form_post"] as const;
type ResponseMode = (typeof responseModes)[number];

export function loginRoutes(context: FakeContext, codes: AuthorizationCodes<CodeSubject>): Hono {
  const app = new Hono();

  app.get("/:tenant/oauth2/v2.0/authorize", (c) => authorizePage(c, c.req.query()));
  app.post("/:tenant/oauth2/v2.0/authorize", async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Fields;
    const checked = checkRequest(c, form);
    if ("page" in checked) return checked.page;
    const { redirectUri, state, accounts } = checked;
    const mode = responseMode(one(form, "response_mode")) ?? "query";
    if (one(form, "decision") !== "allow") {
      return answer(c, mode, redirectUri, {
        error: "access_denied",
        error_description: "AADSTS65004: User declined to consent to access the app.",
        state,
      });
    }
    const account = accounts.find((candidate) => candidate.oid === one(form, "account"));
    if (!account) return aadErrorPage(c, 400, 50034, "The user account does not exist in this directory.");
    const method = one(form, "code_challenge_method") || "plain";
    const code = codes.issue({
      clientId: context.clientId,
      redirectUri,
      codeChallenge: one(form, "code_challenge") || undefined,
      codeChallengeMethod: method === "S256" ? "S256" : "plain",
      subject: {
        account,
        scopes: canonicalScopes(all(form, "scope").join(" ")),
        nonce: one(form, "nonce") || undefined,
      },
    });
    return answer(c, mode, redirectUri, { code, state, session_state: randomUUID() });
  });

  app.get("/:tenant/v2.0/adminconsent", (c) => adminConsentPage(c, c.req.query()));
  app.post("/:tenant/v2.0/adminconsent", async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Fields;
    const checked = checkRequest(c, form, { adminConsent: true });
    if ("page" in checked) return checked.page;
    const { redirectUri, state, accounts } = checked;
    if (one(form, "decision") !== "allow") {
      return redirect(c, redirectUri, {
        error: "access_denied",
        error_description: "AADSTS65004: The resource owner or authorization server denied the request.",
        state,
      });
    }
    const account = accounts.find((candidate) => candidate.oid === one(form, "account"));
    if (!account) return aadErrorPage(c, 400, 50034, "The user account does not exist in this directory.");
    if (!canGrantAdminConsent(account)) {
      // Shape from the admin-consent doc's error example.
      return redirect(c, redirectUri, {
        admin_consent: "True",
        error: "consent_required",
        error_description:
          `AADSTS90094: ${account.person.name} is not an administrator of this organization; ` +
          `granting permissions for everyone needs an admin.`,
        state,
      });
    }
    return redirect(c, redirectUri, {
      admin_consent: "True",
      tenant: account.tenantId,
      scope: all(form, "scope").join(" "),
      state,
    });
  });

  return app;

  function authorizePage(c: Context, query: Record<string, string>): Response | Promise<Response> {
    const checked = checkRequest(c, query);
    if ("page" in checked) return checked.page;
    const { redirectUri, state, accounts } = checked;
    const mode = responseMode(query.response_mode ?? "query");
    if (!mode) {
      // The AADSTS number is the fake's guess; the refusal itself follows the doc's list of modes.
      return redirect(c, redirectUri, {
        error: "invalid_request",
        error_description:
          `AADSTS900144: response_mode '${query.response_mode ?? ""}' is not supported. Use query, ` +
          `fragment or form_post.`,
        state,
      });
    }
    if (query.response_type !== "code") {
      return answer(c, mode, redirectUri, {
        error: "unsupported_response_type",
        error_description: `AADSTS70005: response_type '${
          query.response_type ?? ""
        }' is not enabled for the application.`,
        state,
      });
    }
    if (!query.scope)
      return answer(c, mode, redirectUri, {
        error: "invalid_request",
        error_description: "AADSTS900144: The request body must contain the following parameter: 'scope'.",
        state,
      });
    if (query.code_challenge_method && !["S256", "plain"].includes(query.code_challenge_method)) {
      return answer(c, mode, redirectUri, {
        error: "invalid_request",
        error_description: "AADSTS501491: Invalid code_challenge_method.",
        state,
      });
    }
    return render(c, query, accounts, "Microsoft", undefined);
  }

  function adminConsentPage(c: Context, query: Record<string, string>): Response | Promise<Response> {
    const checked = checkRequest(c, query, { adminConsent: true });
    if ("page" in checked) return checked.page;
    if (!query.scope)
      return redirect(c, checked.redirectUri, {
        error: "invalid_request",
        error_description: "AADSTS900144: The request body must contain the following parameter: 'scope'.",
        state: checked.state,
      });
    return render(
      c,
      query,
      checked.accounts,
      "Microsoft — admin consent",
      "Accepting grants these permissions for everyone in your organization. Only an administrator of the tenant can " +
        "accept.",
    );
  }

  /** What must hold before we may redirect at all: a known tenant, our client, an absolute redirect URI. */
  function checkRequest(c: Context, fields: Fields, options: { adminConsent?: boolean } = {}): Checked {
    const tenant = c.req.param("tenant") ?? "";
    if (options.adminConsent && ["common", "consumers"].includes(tenant.toLowerCase())) {
      return {
        page: aadErrorPage(
          c,
          400,
          900023,
          `Admin consent needs 'organizations' or a tenant id; '${tenant}' cannot be used.`,
        ),
      };
    }
    const accounts = accountsForTenant(tenant);
    if (!accounts)
      return {
        page: aadErrorPage(
          c,
          400,
          90002,
          `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the ` +
            `correct cloud.`,
        ),
      };
    if (accounts.length === 0)
      return {
        page: aadErrorPage(
          c,
          400,
          50020,
          `No account can sign in under '${tenant}': the app accepts work and school accounts only.`,
        ),
      };
    const clientId = one(fields, "client_id");
    if (clientId !== context.clientId)
      return {
        page: aadErrorPage(c, 400, 700016, `Application with identifier '${clientId}' was not found in the directory.`),
      };
    const redirectUri = one(fields, "redirect_uri");
    if (!/^https?:\/\/[^\s]+$/.test(redirectUri))
      return {
        page: aadErrorPage(c, 400, 900144, "The request body must contain the following parameter: 'redirect_uri'."),
      };
    return { redirectUri, state: one(fields, "state") || undefined, accounts };
  }

  function render(
    c: Context,
    query: Record<string, string>,
    accounts: DirectoryAccount[],
    providerName: string,
    note: string | undefined,
  ) {
    const hint = query.login_hint?.toLowerCase();
    const ordered = [...accounts].sort(
      (a, b) => Number(b.userPrincipalName.toLowerCase() === hint) - Number(a.userPrincipalName.toLowerCase() === hint),
    );
    const scopes: ConsentScope[] = canonicalScopes(query.scope ?? "").map((value) => ({
      value,
      label: scopeLabels[value] ?? value,
    }));
    const hiddenNames = [
      "client_id",
      "redirect_uri",
      "state",
      "code_challenge",
      "code_challenge_method",
      "nonce",
      "response_type",
      "response_mode",
    ];
    const hidden = Object.fromEntries(
      hiddenNames.filter((name) => query[name] !== undefined).map((name) => [name, query[name] as string]),
    );
    return c.html(
      consentPage({
        providerName,
        brandColor: "#0078d4",
        appName: "Tsunagu",
        accounts: ordered.map((account) => ({
          id: account.oid,
          label: account.person.name,
          detail: `${account.userPrincipalName} · tenant ${account.tenantId}`,
        })),
        scopes,
        action: new URL(c.req.url).pathname,
        hidden,
        ...(note && { note }),
      }),
    );
  }
}

function one(fields: Fields, name: string): string {
  const value = fields[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

function all(fields: Fields, name: string): string[] {
  const value = fields[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function responseMode(value: string): ResponseMode | undefined {
  return (responseModes as readonly string[]).includes(value) ? (value as ResponseMode) : undefined;
}

/** The authorize endpoint's answer, delivered the way `response_mode` asked. */
function answer(
  c: Context,
  mode: ResponseMode,
  redirectUri: string,
  params: Record<string, string | undefined>,
): Response | Promise<Response> {
  const fields = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (mode === "query") return redirect(c, redirectUri, params);
  if (mode === "fragment") {
    const url = new URL(redirectUri);
    url.hash = new URLSearchParams(fields).toString();
    return c.redirect(url.toString(), 302);
  }
  // Microsoft's form_post page: a hidden form posted by script, with a button when script is off.
  return c.html(
    html`<html><head><title>Working...</title></head
      ><body><form method="POST" name="hiddenform" action="${redirectUri}">${fields.map(
        ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
      )}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit"
      /></noscript></form><script language="javascript">document.forms[0].submit();</script></body></html>`,
  );
}

function redirect(c: Context, redirectUri: string, params: Record<string, string | undefined>): Response {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return c.redirect(url.toString(), 302);
}
