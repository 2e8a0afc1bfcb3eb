/**
 * Grants and tokens of the fake identity platform. A grant is one consent by
 * one account to one client; its tokens die with it.
 *
 * - Access tokens live a random 60–90 minutes (https://learn.microsoft.com/entra/identity-platform/access-tokens).
 * - Refresh tokens come only with `offline_access`, live 90 days, and every
 *   refresh hands out a new one while the old one keeps working until the
 *   grant is revoked (https://learn.microsoft.com/entra/identity-platform/refresh-tokens).
 * - Revoking a grant kills its refresh tokens. Access tokens are self-contained
 *   JWTs at Microsoft and "can't be revoked"; they run to their expiry, so the
 *   fake keeps them too (use expireAccessTokens to end them).
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../../clock.ts";
import { seedReference } from "../memory.ts";
import { randomToken } from "../oauth-kit.ts";
import { type DirectoryAccount, findAccount } from "./directory.ts";
import type { SigningKeys } from "./signing-keys.ts";

export interface Grant {
  id: string;
  account: DirectoryAccount;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

interface IssuedToken {
  grant: Grant;
  expiresAt: number;
}

export type AccessCheck = { ok: true; grant: Grant } | { ok: false; reason: "empty" | "malformed" | "expired" };
export type RefreshCheck = { ok: true; grant: Grant } | { ok: false; aadsts: number; message: string };

const refreshLifetimeMs = 90 * 86_400_000;

const savedToken = z.object({ token: z.string(), grant: z.string(), expiresAt: z.number() });

/** What `save` gives: grants with their account (by object id), tokens naming their grant by id. */
export const savedTokenStore = z
  .object({
    grants: z.array(
      z.object({
        id: z.string(),
        account: seedReference("Entra account", findAccount),
        clientId: z.string(),
        scopes: z.array(z.string()),
        revoked: z.boolean(),
      }),
    ),
    accessTokens: z.array(savedToken),
    refreshTokens: z.array(savedToken),
  })
  .superRefine((state, context) => {
    const ids = new Set(state.grants.map((grant) => grant.id));
    for (const kind of ["accessTokens", "refreshTokens"] as const)
      for (const [index, token] of state[kind].entries())
        if (!ids.has(token.grant))
          context.addIssue({ code: "custom", path: [kind, index, "grant"], message: `no grant ${token.grant}` });
  });

export class TokenStore {
  private grants: Grant[] = [];
  private readonly accessTokens = new Map<string, IssuedToken>();
  private readonly refreshTokens = new Map<string, IssuedToken>();

  constructor(
    private readonly clock: Clock,
    private readonly issuerOrigin: () => string,
    private readonly keys: SigningKeys,
  ) {}

  startGrant(account: DirectoryAccount, clientId: string, scopes: string[]): Grant {
    const grant: Grant = { id: randomToken("grant_", 9), account, clientId, scopes, revoked: false };
    this.grants.push(grant);
    return grant;
  }

  /** The token endpoint's success body for a grant.
   * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2 */
  issue(grant: Grant, options: { nonce?: string | undefined } = {}): Record<string, unknown> {
    const now = this.clock.now().getTime();
    const expiresIn = 3600 + Math.floor(Math.random() * 1800);
    const accessToken = randomToken("EwB", 48);
    this.accessTokens.set(accessToken, { grant, expiresAt: now + expiresIn * 1000 });
    const body: Record<string, unknown> = {
      token_type: "Bearer",
      scope: grant.scopes.filter((scope) => scope !== "offline_access").join(" "),
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: accessToken,
    };
    if (grant.scopes.includes("offline_access")) {
      const refreshToken = randomToken("M.C5", 64);
      this.refreshTokens.set(refreshToken, { grant, expiresAt: now + refreshLifetimeMs });
      body.refresh_token = refreshToken;
    }
    if (grant.scopes.includes("openid")) body.id_token = this.idToken(grant, now, options.nonce);
    return body;
  }

  checkRefreshToken(refreshToken: string, clientId: string): RefreshCheck {
    const issued = this.refreshTokens.get(refreshToken);
    if (!issued || issued.grant.clientId !== clientId)
      return { ok: false, aadsts: 9002313, message: "Invalid request. Request is malformed or invalid." };
    if (issued.grant.revoked)
      return {
        ok: false,
        aadsts: 50173,
        message: "The provided grant has expired due to it being revoked, a fresh auth token is needed.",
      };
    if (issued.expiresAt <= this.clock.now().getTime()) {
      return {
        ok: false,
        aadsts: 700082,
        message:
          "The refresh token has expired due to inactivity. The token was issued on a date more than 90 days ago.",
      };
    }
    return { ok: true, grant: issued.grant };
  }

  checkAccessToken(header: string | undefined): AccessCheck {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
    if (!token) return { ok: false, reason: "empty" };
    const issued = this.accessTokens.get(token);
    if (!issued) return { ok: false, reason: "malformed" };
    if (issued.expiresAt <= this.clock.now().getTime()) return { ok: false, reason: "expired" };
    return { ok: true, grant: issued.grant };
  }

  expireAccessTokens(): void {
    for (const issued of this.accessTokens.values()) issued.expiresAt = 0;
  }

  /** Revokes every live grant of the account; returns how many. */
  revokeGrants(account: DirectoryAccount): number {
    const live = this.grants.filter((grant) => grant.account.oid === account.oid && !grant.revoked);
    for (const grant of live) grant.revoked = true;
    return live.length;
  }

  save(): z.input<typeof savedTokenStore> {
    const plain = ([token, issued]: [string, IssuedToken]) => ({
      token,
      grant: issued.grant.id,
      expiresAt: issued.expiresAt,
    });
    return {
      grants: this.grants.map((grant) => ({ ...grant, account: grant.account.oid })),
      accessTokens: [...this.accessTokens].map(plain),
      refreshTokens: [...this.refreshTokens].map(plain),
    };
  }

  load(saved: z.output<typeof savedTokenStore>): void {
    this.reset();
    this.grants = saved.grants.map((grant) => ({ ...grant }));
    const byId = new Map(this.grants.map((grant) => [grant.id, grant]));
    for (const [tokens, savedTokens] of [
      [this.accessTokens, saved.accessTokens],
      [this.refreshTokens, saved.refreshTokens],
    ] as const) {
      for (const { token, grant, expiresAt } of savedTokens) {
        const found = byId.get(grant);
        if (found) tokens.set(token, { grant: found, expiresAt });
      }
    }
  }

  reset(): void {
    this.grants = [];
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /**
   * The v2.0 id_token (https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference),
   * signed with the key the JWKS publishes under its `kid`. `wids` lists the
   * person's directory roles by template id: Microsoft emits it for apps
   * registered with `groupMembershipClaims` "DirectoryRole" or "All"
   * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference#payload-claims),
   * and Tsunagu's app registration asks for it (README, "Provider apps").
   */
  private idToken(grant: Grant, now: number, nonce: string | undefined): string {
    const { account } = grant;
    const seconds = Math.floor(now / 1000);
    return this.keys.sign({
      aud: grant.clientId,
      iss: `${this.issuerOrigin()}/${account.tenantId}/v2.0`,
      iat: seconds,
      nbf: seconds,
      exp: seconds + 3600,
      name: account.person.name,
      oid: account.oid,
      preferred_username: account.userPrincipalName,
      email: account.person.email,
      sub: pairwiseSubject(account, grant.clientId),
      tid: account.tenantId,
      ver: "2.0",
      wids: account.roleTemplateIds,
      ...(nonce && { nonce }),
    });
  }
}

/** `sub` is pairwise: one value per person and app.
 * https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference */
export function pairwiseSubject(account: DirectoryAccount, clientId: string): string {
  return createHash("sha256").update(`${account.oid}:${clientId}`).digest("base64url").slice(0, 43);
}
