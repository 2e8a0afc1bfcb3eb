/**
 * Sign in with Slack: the OpenID Connect provider. id_tokens are RS256 JWTs
 * signed with a key published at /openid/connect/keys; the issuer is this
 * fake's own origin, as `https://slack.com` is Slack's.
 * https://docs.slack.dev/authentication/sign-in-with-slack
 * https://docs.slack.dev/reference/methods/openid.connect.token
 * https://docs.slack.dev/reference/methods/openid.connect.userInfo
 */
import { createHash, generateKeyPairSync, randomUUID } from "node:crypto";
import type { Context, Hono } from "hono";
import { SignJWT } from "jose";
import type { FakeContext } from "../fake.ts";
import { AuthorizationCodes } from "../oauth-kit.ts";
import { chosenMember, formStrings, readAuthorizeRequest, renderConsent, splitScopes } from "./consent.ts";
import { bearerToken, checkClient, fail, htmlError, ok, readArgs, redirectBack, text } from "./http.ts";
import { codeError, tokenFields } from "./install.ts";
import { displayName, type FakeSlackMember, findMember, findTeam, localeOf } from "./seed.ts";
import type { SlackFakeState } from "./state.ts";

interface SignInGrant {
  userId: string;
  nonce: string | undefined;
  authTime: number;
}

const codeLifetimeMs = 10 * 60_000;
/** Slack's sample id_token lives five minutes (exp − iat = 300). */
const idTokenLifetimeSeconds = 300;
const signInScopes = ["openid", "email", "profile"];

export function signInRoutes(app: Hono, context: FakeContext, state: SlackFakeState): { codes: AuthorizationCodes<SignInGrant> } {
  const codes = new AuthorizationCodes<SignInGrant>(context.clock, codeLifetimeMs);
  const keyId = randomUUID();
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const publicJwk = { ...publicKey.export({ format: "jwk" }), kid: keyId, alg: "RS256", use: "sig" };

  const authorize = async (c: Context, params: Record<string, string | undefined>, form?: Record<string, unknown>) => {
    const request = readAuthorizeRequest(c, params, context);
    if (request instanceof Response) return request;
    const scopes = splitScopes(params.requested_scope ?? params.scope, /[\s+]+/);
    if (!scopes?.includes("openid") || scopes.some((scope) => !signInScopes.includes(scope))) {
      return redirectBack(c, request.redirectUri, { error: "invalid_scope", state: request.state });
    }
    if ((params.response_type ?? "code") !== "code") return redirectBack(c, request.redirectUri, { error: "unsupported_response_type", state: request.state });
    if (!form) {
      return renderConsent(c, {
        title: "Sign in with Slack",
        action: "/openid/connect/authorize",
        request,
        scopes,
        hidden: {
          client_id: request.clientId,
          redirect_uri: request.redirectUri,
          state: request.state,
          nonce: params.nonce,
          team: request.teamId,
          requested_scope: scopes.join(" "),
          code_challenge: request.codeChallenge,
          code_challenge_method: request.codeChallenge ? request.codeChallengeMethod : undefined,
        },
        note: "Shares the chosen member's identity, email and workspace with the app.",
      });
    }
    if (form.decision !== "allow") return redirectBack(c, request.redirectUri, { error: "access_denied", state: request.state });
    const member = chosenMember(form, request.teamId);
    if (!member) return htmlError(c, "invalid_account", "Choose an active member of the workspace.");
    const code = codes.issue({
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      subject: { userId: member.id, nonce: params.nonce, authTime: Math.floor(context.clock.now().getTime() / 1000) },
    });
    return redirectBack(c, request.redirectUri, { code, state: request.state });
  };

  app.get("/openid/connect/authorize", (c) => authorize(c, c.req.query()));
  app.post("/openid/connect/authorize", async (c) => {
    const form = await c.req.parseBody();
    return authorize(c, { ...formStrings(form), scope: undefined }, form);
  });

  app.on(["GET", "POST"], "/api/openid.connect.token", async (c) => {
    const args = await readArgs(c);
    const clientError = checkClient(c, args, context);
    if (clientError) return fail(c, clientError);
    const grantType = text(args, "grant_type") ?? "authorization_code";
    if (grantType === "refresh_token") {
      const refreshed = state.refresh(text(args, "refresh_token") ?? "");
      if (!refreshed) return fail(c, "invalid_refresh_token");
      return ok(c, { token_type: "Bearer", ...tokenFields(refreshed.issued) });
    }
    if (grantType !== "authorization_code") return fail(c, "invalid_grant_type");
    const redemption = codes.redeem(text(args, "code") ?? "", { clientId: context.clientId, redirectUri: text(args, "redirect_uri"), codeVerifier: text(args, "code_verifier") });
    if (!redemption.ok) return fail(c, codeError(redemption.reason));
    const { userId, nonce, authTime } = redemption.grant.subject;
    const member = findMember(userId);
    if (!member) return fail(c, "invalid_code");
    const issued = state.issue({ kind: "user", teamId: member.teamId, userId, scopes: signInScopes });
    const now = Math.floor(context.clock.now().getTime() / 1000);
    const idToken = await new SignJWT({ ...identityClaims(member), nonce, auth_time: authTime, at_hash: atHash(issued.accessToken) })
      .setProtectedHeader({ alg: "RS256", kid: keyId, typ: "JWT" })
      .setIssuer(context.baseUrl())
      .setSubject(userId)
      .setAudience(context.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + idTokenLifetimeSeconds)
      .sign(privateKey);
    return ok(c, { token_type: "Bearer", ...tokenFields(issued), id_token: idToken });
  });

  app.on(["GET", "POST"], "/api/openid.connect.userInfo", async (c) => {
    const auth = state.authenticate(bearerToken(c, await readArgs(c)));
    if (!auth.ok) return fail(c, auth.error);
    if (!auth.token.scopes.includes("openid")) return fail(c, "missing_scope", { needed: "openid", provided: auth.token.scopes.join(",") });
    const member = findMember(auth.token.userId);
    if (!member) return fail(c, "user_not_found");
    return ok(c, { sub: member.id, ...identityClaims(member) });
  });

  app.get("/openid/connect/keys", (c) => c.json({ keys: [publicJwk] }));

  // Mirrors https://slack.com/.well-known/openid-configuration with this fake's origin.
  app.get("/.well-known/openid-configuration", (c) => {
    const base = context.baseUrl();
    return c.json({
      issuer: base,
      authorization_endpoint: `${base}/openid/connect/authorize`,
      token_endpoint: `${base}/api/openid.connect.token`,
      userinfo_endpoint: `${base}/api/openid.connect.userInfo`,
      jwks_uri: `${base}/openid/connect/keys`,
      scopes_supported: signInScopes,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
    });
  });

  return { codes };
}

function identityClaims(member: FakeSlackMember): Record<string, unknown> {
  const team = findTeam(member.teamId);
  return {
    "https://slack.com/user_id": member.id,
    "https://slack.com/team_id": member.teamId,
    "https://slack.com/team_name": team?.name,
    "https://slack.com/team_domain": team?.domain,
    email: member.person.email,
    email_verified: true,
    name: displayName(member),
    given_name: "",
    family_name: "",
    locale: localeOf(member),
  };
}

function atHash(accessToken: string): string {
  return createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
}
