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

export function signInRoutes(
  app: Hono,
  context: FakeContext,
  state: SlackFakeState,
): { codes: AuthorizationCodes<SignInGrant> } {
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
    if ((params.response_type ?? "code") !== "code")
      return redirectBack(c, request.redirectUri, { error: "unsupported_response_type", state: request.state });
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
    if (form.decision !== "allow")
      return redirectBack(c, request.redirectUri, { error: "access_denied", state: request.state });
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
    const redemption = codes.redeem(text(args, "code") ?? "", {
      clientId: context.clientId,
      redirectUri: text(args, "redirect_uri"),
      codeVerifier: text(args, "code_verifier"),
    });
    if (!redemption.ok) return fail(c, codeError(redemption.reason));
    const { userId, nonce, authTime } = redemption.grant.subject;
    const member = findMember(userId);
    if (!member) return fail(c, "invalid_code");
    const issued = state.issue({ kind: "user", teamId: member.teamId, userId, scopes: signInScopes });
    const now = Math.floor(context.clock.now().getTime() / 1000);
    const idToken = await new SignJWT({
      ...identityClaims(member, context.baseUrl()),
      nonce,
      auth_time: authTime,
      at_hash: atHash(issued.accessToken),
    })
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
    if (!auth.token.scopes.includes("openid"))
      return fail(c, "missing_scope", { needed: "openid", provided: auth.token.scopes.join(",") });
    const member = findMember(auth.token.userId);
    if (!member) return fail(c, "user_not_found");
    const claims = identityClaims(member, context.baseUrl());
    // userInfo adds `picture` (the 192 px image, as the sample's gravatar link) to the id_token's claims.
    return ok(c, { sub: member.id, ...claims, picture: claims["https://slack.com/user_image_192"] });
  });

  // The images the claims link to: a monogram in place of Slack's avatars.slack-edge.com / gravatar pictures.
  app.get("/avatars/:file{[A-Z0-9]+_[0-9]+\\.svg}", (c) => {
    const [id = "", size = "48"] = c.req
      .param("file")
      .replace(/\.svg$/, "")
      .split("_");
    const member = findMember(id);
    const team = findTeam(id);
    const label = member ? displayName(member) : team?.name;
    if (!label) return c.text("Not Found", 404);
    return c.body(monogram(label, Number(size)), 200, {
      "content-type": "image/svg+xml",
      "cache-control": "max-age=86400",
    });
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

/** Slack's user image sizes and team image sizes, as the claims name them. */
const userImageSizes = [24, 32, 48, 72, 192, 512, 1024] as const;
const teamImageSizes = [34, 44, 68, 88, 102, 132, 230] as const;
/** When the seeded addresses were verified (Unix seconds): 2024-04-01T00:00:00Z. */
const emailVerifiedAt = 1_711_929_600;

/**
 * The identity claims of the id_token and of userInfo, with the names and
 * types of Slack's samples (openid.connect.token and openid.connect.userInfo
 * pages above): `date_email_verified` in Unix seconds, `given_name` /
 * `family_name`, `https://slack.com/user_image_{24…1024}`,
 * `https://slack.com/team_image_{34…230}` and `team_image_default`. Slack's
 * id_token sample leaves out the team's name and domain, which its userInfo
 * sample has; the fake sends them in both, as Tsunagu reads them from either.
 */
function identityClaims(member: FakeSlackMember, baseUrl: string): Record<string, unknown> {
  const team = findTeam(member.teamId);
  const [family = "", given = ""] = member.person.nameJa
    ? member.person.nameJa.split(" ")
    : [member.person.name.split(" ").slice(1).join(" "), member.person.name.split(" ")[0]];
  const image = (id: string, size: number) => `${baseUrl}/avatars/${id}_${size}.svg`;
  return {
    "https://slack.com/user_id": member.id,
    "https://slack.com/team_id": member.teamId,
    email: member.person.email,
    email_verified: true,
    date_email_verified: emailVerifiedAt,
    name: displayName(member),
    given_name: given,
    family_name: family,
    locale: localeOf(member),
    "https://slack.com/team_name": team?.name,
    "https://slack.com/team_domain": team?.domain,
    ...Object.fromEntries(
      userImageSizes.map((size) => [`https://slack.com/user_image_${size}`, image(member.id, size)]),
    ),
    ...Object.fromEntries(
      teamImageSizes.map((size) => [`https://slack.com/team_image_${size}`, image(member.teamId, size)]),
    ),
    "https://slack.com/team_image_default": false,
  };
}

/** A square SVG with the first letter of `label` on a colour drawn from it. */
function monogram(label: string, size: number): string {
  const hue = [...label].reduce((sum, char) => sum + (char.codePointAt(0) ?? 0), 0) % 360;
  const letter = [...label][0] ?? "?";
  const escaped = letter.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100"><rect ` +
    (`width="100" height="100" fill="hsl(${hue} 45% 45%)"/><text x="50" y="50" dy="0.35em" text-anchor="middle" ` +
      `font-family="sans-serif" font-size="50" fill="#fff">${escaped}</text></svg>`)
  );
}

function atHash(accessToken: string): string {
  return createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
}
