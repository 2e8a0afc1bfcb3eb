/**
 * oauth2.googleapis.com: the token endpoint (code exchange with PKCE, refresh)
 * and revocation, and the id_token they hand out, signed RS256 with a key
 * published as a JWKS (and as PEM for google-auth-library's verifyIdToken).
 * https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
 * https://developers.google.com/identity/openid-connect/openid-connect#obtainuserinfo
 */
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import { type Context, Hono } from "hono";
import { SignJWT } from "jose";
import type { FakeContext } from "../fake.ts";
import { type AuthorizationCodes, basicCredentials } from "../oauth-kit.ts";
import { findAccount, type GoogleAccount } from "./accounts.ts";
import type { GoogleCodeSubject } from "./authorize.ts";
import { oauthError } from "./envelope.ts";
import { accessTokenLifetimeSeconds, type GoogleGrants } from "./grants.ts";
import { googleScopeAliases } from "./scopes.ts";

/** How a failed redemption answers (observed bodies; "Bad Request" is what Google says for a spent or expired code). */
const redemptionErrors = {
  unknown_code: ["invalid_grant", "Bad Request"],
  expired_code: ["invalid_grant", "Bad Request"],
  client_mismatch: ["invalid_grant", "Bad Request"],
  redirect_uri_mismatch: ["redirect_uri_mismatch", "Bad Request"],
  pkce_missing: ["invalid_grant", "Missing code verifier."],
  pkce_mismatch: ["invalid_grant", "Invalid code verifier."],
  // Observed: googleapis/google-auth-library-nodejs#2028.
  pkce_unexpected: ["invalid_grant", "code_verifier or verifier is not needed."],
} as const;

export function createSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomBytes(20).toString("hex");
  return {
    privateKey,
    kid,
    jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" },
    pem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}
export type SigningKey = ReturnType<typeof createSigningKey>;

export function tokenRoutes(
  context: FakeContext,
  grants: GoogleGrants,
  codes: AuthorizationCodes<GoogleCodeSubject>,
  key: SigningKey,
) {
  const app = new Hono();

  const idToken = (account: GoogleAccount, scopes: string[], accessToken: string, nonce: string | undefined) => {
    if (!scopes.includes("openid")) return undefined;
    const now = Math.floor(context.clock.now().getTime() / 1000);
    const atHash = createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
    // Claims follow the scopes: email with `email`, name with `profile`
    // (https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload).
    const claims = {
      azp: context.clientId,
      at_hash: atHash,
      ...(scopes.includes(googleScopeAliases.email ?? "") && { email: account.email, email_verified: true }),
      ...(scopes.includes(googleScopeAliases.profile ?? "") && { name: account.person.name }),
      ...(account.hd && { hd: account.hd }),
      ...(nonce && { nonce }),
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: key.kid, typ: "JWT" })
      .setIssuer(context.baseUrl())
      .setAudience(context.clientId)
      .setSubject(account.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(key.privateKey);
  };

  app.post("/token", async (c) => {
    const form = await readForm(c);
    const basic = basicCredentials(c.req.header("authorization"));
    const clientId = basic?.clientId ?? form.client_id;
    const clientSecret = basic?.clientSecret ?? form.client_secret;
    if (!clientId) return oauthError(c, 400, "invalid_request", "Could not determine client ID from request.");
    if (clientId !== context.clientId) return oauthError(c, 401, "invalid_client", "The OAuth client was not found.");
    if (clientSecret !== context.clientSecret) return oauthError(c, 401, "invalid_client", "Unauthorized");

    if (form.grant_type === "authorization_code") {
      if (!form.code) return oauthError(c, 400, "invalid_request", "Missing required parameter: code");
      const redemption = codes.redeem(form.code, {
        clientId,
        redirectUri: form.redirect_uri,
        codeVerifier: form.code_verifier,
      });
      if (!redemption.ok) {
        const [error, description] = redemptionErrors[redemption.reason];
        return oauthError(c, 400, error, description);
      }
      const { subject } = redemption.grant;
      const account = findAccount(subject.email);
      const issued = account && grants.redeem(account, clientId, subject.scopes, subject);
      if (!account || !issued) return oauthError(c, 400, "invalid_grant", "Token has been expired or revoked.");
      return c.json({
        access_token: issued.accessToken,
        expires_in: accessTokenLifetimeSeconds,
        ...(issued.refreshToken && { refresh_token: issued.refreshToken }),
        scope: subject.scopes.join(" "),
        token_type: "Bearer",
        ...(await optional("id_token", idToken(account, subject.scopes, issued.accessToken, subject.nonce))),
      });
    }

    if (form.grant_type === "refresh_token") {
      if (!form.refresh_token)
        return oauthError(c, 400, "invalid_request", "Missing required parameter: refresh_token");
      const refreshed = grants.refresh(form.refresh_token, clientId);
      if (refreshed === "invalid_grant")
        return oauthError(c, 400, "invalid_grant", "Token has been expired or revoked.");
      if (refreshed === "unauthorized_client") return oauthError(c, 401, "unauthorized_client", "Unauthorized");
      const { token, accessToken } = refreshed;
      // No refresh_token in the answer: Google does not rotate, the one used stays valid.
      return c.json({
        access_token: accessToken,
        expires_in: accessTokenLifetimeSeconds,
        scope: token.scopes.join(" "),
        token_type: "Bearer",
        ...(await optional("id_token", idToken(token.account, token.scopes, accessToken, undefined))),
      });
    }

    return oauthError(c, 400, "unsupported_grant_type", `Invalid grant_type: ${form.grant_type ?? ""}`);
  });

  // Revokes the whole grant behind an access or a refresh token.
  // https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
  app.post("/revoke", async (c) => {
    const token = c.req.query("token") ?? (await readForm(c)).token;
    if (!token || !grants.revokeToken(token)) return oauthError(c, 400, "invalid_token", "Token expired or revoked");
    return c.json({});
  });

  app.get("/oauth2/v3/certs", (c) => c.json({ keys: [key.jwk] }));
  // google-auth-library's verifyIdToken reads PEM by default (Google serves X.509 certificates there; a public key
  // verifies the same).
  app.get("/oauth2/v1/certs", (c) => c.json({ [key.kid]: key.pem }));
  app.get("/.well-known/openid-configuration", (c) => {
    const base = context.baseUrl();
    return c.json({
      issuer: base,
      authorization_endpoint: `${base}/o/oauth2/v2/auth`,
      token_endpoint: `${base}/token`,
      userinfo_endpoint: `${base}/v1/userinfo`,
      revocation_endpoint: `${base}/revoke`,
      jwks_uri: `${base}/oauth2/v3/certs`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "profile"],
      code_challenge_methods_supported: ["plain", "S256"],
      grant_types_supported: ["authorization_code", "refresh_token"],
    });
  });

  return app;
}

async function optional(name: string, value: Promise<string> | undefined): Promise<Record<string, string>> {
  return value ? { [name]: await value } : {};
}

/** The token endpoint takes a form, as the spec says; JSON is accepted too, as Google does. */
async function readForm(c: Context): Promise<Record<string, string | undefined>> {
  if (c.req.header("content-type")?.includes("application/json")) {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  }
  const body = await c.req.parseBody().catch(() => ({}));
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}
