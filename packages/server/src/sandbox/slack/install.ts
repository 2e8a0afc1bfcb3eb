/**
 * The app install: /oauth/v2/authorize (consent) and oauth.v2.access (code
 * exchange and, with rotation on, refresh).
 * https://docs.slack.dev/authentication/installing-with-oauth
 * https://docs.slack.dev/reference/methods/oauth.v2.access
 * https://docs.slack.dev/authentication/using-token-rotation
 */
import type { Context, Hono } from "hono";
import type { FakeContext } from "../fake.ts";
import { AuthorizationCodes, type CodeRedemption } from "../oauth-kit.ts";
import { chosenMember, formStrings, readAuthorizeRequest, renderConsent, splitScopes } from "./consent.ts";
import { checkClient, fail, htmlError, ok, readArgs, redirectBack, text } from "./http.ts";
import { findTeam, slackAppId } from "./seed.ts";
import type { IssuedToken, SlackFakeState, TokenGrant } from "./state.ts";

interface InstallGrant {
  userId: string;
  teamId: string;
  botScopes: string[];
  userScopes: string[];
}

/** Slack's codes last ten minutes. */
const codeLifetimeMs = 10 * 60_000;

export function installRoutes(
  app: Hono,
  context: FakeContext,
  state: SlackFakeState,
): { codes: AuthorizationCodes<InstallGrant> } {
  const codes = new AuthorizationCodes<InstallGrant>(context.clock, codeLifetimeMs);

  const authorize = async (c: Context, params: Record<string, string | undefined>, form?: Record<string, unknown>) => {
    const request = readAuthorizeRequest(c, params, context);
    if (request instanceof Response) return request;
    const botScopes = splitScopes(params.bot_scope ?? params.scope, /,/);
    const userScopes = splitScopes(params.user_scope, /,/);
    if (!botScopes || !userScopes) return htmlError(c, "invalid_scope", "Invalid permissions requested.");
    if (botScopes.length + userScopes.length === 0)
      return htmlError(c, "invalid_scope", "No scope or user_scope was requested.");
    if (!form) {
      return renderConsent(c, {
        title: "Slack",
        action: "/oauth/v2/authorize",
        request,
        scopes: [...botScopes, ...userScopes],
        hidden: {
          client_id: request.clientId,
          redirect_uri: request.redirectUri,
          state: request.state,
          team: request.teamId,
          bot_scope: botScopes.join(","),
          user_scope: userScopes.join(","),
          code_challenge: request.codeChallenge,
          code_challenge_method: request.codeChallenge ? request.codeChallengeMethod : undefined,
        },
        note: "Installs the app into the chosen member's workspace.",
      });
    }
    if (form.decision !== "allow")
      return redirectBack(c, request.redirectUri, { error: "access_denied", state: request.state });
    const member = chosenMember(form, request.teamId);
    if (!member) return htmlError(c, "invalid_account", "Choose an active member of the workspace.");
    const code = codes.issue({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      subject: { userId: member.id, teamId: member.teamId, botScopes, userScopes },
    });
    return redirectBack(c, request.redirectUri, { code, state: request.state });
  };

  app.get("/oauth/v2/authorize", (c) => authorize(c, c.req.query()));
  app.post("/oauth/v2/authorize", async (c) => {
    const form = await c.req.parseBody();
    // The consent page posts the granted scopes as `scope`; what was asked travels as bot_scope / user_scope.
    return authorize(c, { ...formStrings(form), scope: undefined }, form);
  });

  app.on(["GET", "POST"], "/api/oauth.v2.access", async (c) => {
    const args = await readArgs(c);
    const clientError = checkClient(c, args, context);
    if (clientError) return fail(c, clientError);
    const grantType = text(args, "grant_type") ?? "authorization_code";
    if (grantType === "refresh_token") {
      const refreshed = state.refresh(text(args, "refresh_token") ?? "");
      if (!refreshed) return fail(c, "invalid_refresh_token");
      return ok(c, refreshAnswer(refreshed.grant, refreshed.issued));
    }
    if (grantType !== "authorization_code") return fail(c, "invalid_grant_type");
    const redemption = codes.redeem(text(args, "code") ?? "", {
      clientId: context.clientId,
      redirectUri: text(args, "redirect_uri"),
      codeVerifier: text(args, "code_verifier"),
    });
    if (!redemption.ok) return fail(c, codeError(redemption.reason));
    const { userId, teamId, botScopes, userScopes } = redemption.grant.subject;
    const team = findTeam(teamId);
    if (!team) return fail(c, "invalid_code");
    const bot =
      botScopes.length > 0
        ? state.issue({ kind: "bot", teamId, userId: team.botUserId, scopes: botScopes })
        : undefined;
    const user = userScopes.length > 0 ? state.issue({ kind: "user", teamId, userId, scopes: userScopes }) : undefined;
    return ok(c, {
      app_id: slackAppId,
      authed_user: {
        id: userId,
        ...(user && { scope: userScopes.join(","), token_type: "user", ...tokenFields(user) }),
      },
      ...(bot && { scope: botScopes.join(","), token_type: "bot", ...tokenFields(bot), bot_user_id: team.botUserId }),
      team: { id: team.id, name: team.name },
      enterprise: null,
      is_enterprise_install: false,
    });
  });

  return { codes };
}

export function codeError(reason: Extract<CodeRedemption<unknown>, { ok: false }>["reason"]): string {
  switch (reason) {
    case "redirect_uri_mismatch":
      return "bad_redirect_uri";
    case "pkce_missing":
    case "pkce_mismatch":
    case "pkce_unexpected":
      return "invalid_code_verifier";
    default:
      return "invalid_code";
  }
}

export function tokenFields(issued: IssuedToken): Record<string, unknown> {
  return {
    access_token: issued.accessToken,
    ...(issued.refreshToken && { expires_in: issued.expiresIn, refresh_token: issued.refreshToken }),
  };
}

function refreshAnswer(grant: TokenGrant, issued: IssuedToken): Record<string, unknown> {
  const team = findTeam(grant.teamId);
  return {
    app_id: slackAppId,
    scope: grant.scopes.join(","),
    token_type: grant.kind,
    ...tokenFields(issued),
    ...(grant.kind === "bot" ? { bot_user_id: grant.userId } : { user_id: grant.userId }),
    team: { id: grant.teamId, name: team?.name },
    enterprise: null,
    is_enterprise_install: false,
  };
}
