/**
 * Google's grants and tokens. One grant per (account, client) gathers every
 * scope the person ever allowed. Refresh tokens are issued only on the first
 * offline exchange or with prompt=consent, never rotate, and die with the
 * grant: revoking either kind of token revokes the grant, and an unused
 * refresh token expires after six months.
 * https://developers.google.com/identity/protocols/oauth2 (refresh token expiration)
 * https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
 */
import { z } from "zod";
import type { SandboxClock } from "../clock.ts";
import { seedReference } from "../memory.ts";
import { randomToken } from "../oauth-kit.ts";
import { findAccount, type GoogleAccount } from "./accounts.ts";

/** Access tokens live about an hour (`expires_in`). */
export const accessTokenLifetimeSeconds = 3599;
/** "A refresh token … has not been used for six months." */
const unusedRefreshTokenLifetimeMs = 183 * 86_400_000;

interface Grant {
  account: GoogleAccount;
  clientId: string;
  /** Every scope allowed so far (granular consent may have left some out). */
  scopes: Set<string>;
  refreshTokenIssued: boolean;
}

export interface IssuedToken {
  grantKey: string;
  account: GoogleAccount;
  clientId: string;
  scopes: string[];
}

interface AccessToken extends IssuedToken {
  expiresAt: number;
}

interface RefreshToken extends IssuedToken {
  lastUsedAt: number;
}

const account = seedReference("Google account", findAccount);
const issued = { account, clientId: z.string(), scopes: z.array(z.string()) };

/** What `save` gives: grants and tokens, accounts by address, times in ms since the epoch (the sandbox clock's). */
export const savedGoogleGrants = z.object({
  grants: z.array(z.object({ ...issued, refreshTokenIssued: z.boolean() })),
  accessTokens: z.array(z.object({ token: z.string(), ...issued, expiresAt: z.number() })),
  refreshTokens: z.array(z.object({ token: z.string(), ...issued, lastUsedAt: z.number() })),
});

export class GoogleGrants {
  private readonly grants = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  constructor(private readonly clock: SandboxClock) {}

  /** The person allowed `scopes`; returns what a token from this consent covers. */
  consent(account: GoogleAccount, clientId: string, scopes: string[], includeGrantedScopes: boolean): string[] {
    const key = grantKey(account, clientId);
    const grant = this.grants.get(key) ?? { account, clientId, scopes: new Set<string>(), refreshTokenIssued: false };
    for (const scope of scopes) grant.scopes.add(scope);
    this.grants.set(key, grant);
    return includeGrantedScopes ? [...grant.scopes] : scopes;
  }

  /** Tokens for a redeemed code; undefined when the grant was revoked since. */
  redeem(
    account: GoogleAccount,
    clientId: string,
    scopes: string[],
    options: { offline: boolean; forceConsent: boolean },
  ) {
    const key = grantKey(account, clientId);
    const grant = this.grants.get(key);
    if (!grant) return undefined;
    let refreshToken: string | undefined;
    if (options.offline && (!grant.refreshTokenIssued || options.forceConsent)) {
      refreshToken = randomToken("1//", 40);
      grant.refreshTokenIssued = true;
      this.refreshTokens.set(refreshToken, { grantKey: key, account, clientId, scopes, lastUsedAt: this.now() });
    }
    return { accessToken: this.issueAccessToken({ grantKey: key, account, clientId, scopes }), refreshToken };
  }

  /** A new access token for a live refresh token; the refresh token itself stays as it is. */
  refresh(
    refreshToken: string,
    clientId: string,
  ): { accessToken: string; token: IssuedToken } | "invalid_grant" | "unauthorized_client" {
    const token = this.refreshTokens.get(refreshToken);
    if (!token || !this.grants.has(token.grantKey)) return "invalid_grant";
    if (this.now() - token.lastUsedAt > unusedRefreshTokenLifetimeMs) {
      this.refreshTokens.delete(refreshToken);
      return "invalid_grant";
    }
    if (token.clientId !== clientId) return "unauthorized_client";
    token.lastUsedAt = this.now();
    return { accessToken: this.issueAccessToken(token), token };
  }

  /** The live access token's owner and scopes. */
  authenticate(accessToken: string): IssuedToken | undefined {
    const token = this.accessTokens.get(accessToken);
    if (!token || token.expiresAt <= this.now() || !this.grants.has(token.grantKey)) return undefined;
    return token;
  }

  /** Revokes the grant behind an access or refresh token; false when the token is unknown or dead. */
  revokeToken(token: string): boolean {
    const issued = this.refreshTokens.get(token) ?? this.authenticate(token);
    if (!issued || !this.grants.has(issued.grantKey)) return false;
    this.dropGrant(issued.grantKey);
    return true;
  }

  /** Revokes every grant of one account (all clients); returns how many. */
  revokeAccount(account: GoogleAccount): number {
    const keys = [...this.grants.keys()].filter((key) => this.grants.get(key)?.account.email === account.email);
    for (const key of keys) this.dropGrant(key);
    return keys.length;
  }

  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = 0;
  }

  save(): z.input<typeof savedGoogleGrants> {
    const plain = ({ account, clientId, scopes }: IssuedToken) => ({ account: account.email, clientId, scopes });
    return {
      grants: [...this.grants.values()].map((grant) => ({
        account: grant.account.email,
        clientId: grant.clientId,
        scopes: [...grant.scopes],
        refreshTokenIssued: grant.refreshTokenIssued,
      })),
      accessTokens: [...this.accessTokens].map(([token, issued]) => ({
        token,
        ...plain(issued),
        expiresAt: issued.expiresAt,
      })),
      refreshTokens: [...this.refreshTokens].map(([token, issued]) => ({
        token,
        ...plain(issued),
        lastUsedAt: issued.lastUsedAt,
      })),
    };
  }

  load(saved: z.output<typeof savedGoogleGrants>): void {
    this.reset();
    for (const grant of saved.grants)
      this.grants.set(grantKey(grant.account, grant.clientId), { ...grant, scopes: new Set(grant.scopes) });
    for (const { token, ...issued } of saved.accessTokens)
      this.accessTokens.set(token, { ...issued, grantKey: grantKey(issued.account, issued.clientId) });
    for (const { token, ...issued } of saved.refreshTokens)
      this.refreshTokens.set(token, { ...issued, grantKey: grantKey(issued.account, issued.clientId) });
  }

  reset(): void {
    this.grants.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  private issueAccessToken(issued: IssuedToken): string {
    const accessToken = randomToken("ya29.", 48);
    this.accessTokens.set(accessToken, {
      grantKey: issued.grantKey,
      account: issued.account,
      clientId: issued.clientId,
      scopes: issued.scopes,
      expiresAt: this.now() + accessTokenLifetimeSeconds * 1000,
    });
    return accessToken;
  }

  /** A revoked grant is gone: its tokens stop working and the next consent counts as the first again. */
  private dropGrant(key: string): void {
    this.grants.delete(key);
    for (const [token, issued] of this.accessTokens) if (issued.grantKey === key) this.accessTokens.delete(token);
    for (const [token, issued] of this.refreshTokens) if (issued.grantKey === key) this.refreshTokens.delete(token);
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

function grantKey(account: GoogleAccount, clientId: string): string {
  return `${clientId} ${account.email}`;
}
