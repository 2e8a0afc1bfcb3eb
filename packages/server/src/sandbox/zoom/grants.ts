/**
 * The fake Zoom authorization server's memory: one grant per (Zoom user,
 * install kind), with Zoom's token rules.
 * - Each refresh rotates the refresh token; the previous one then fails with "Invalid Token!".
 * - Authorizing again replaces the grant: earlier access and refresh tokens die (Zoom's 4741).
 * - Revoking any token of a grant ends the whole grant.
 * The sandbox has one Zoom OAuth app where a real deployment has two (a
 * user-managed app for personal links, an admin-managed one for the account),
 * so the install kind is part of the grant's key: an admin's personal link
 * does not kill the account install, as it would not with two apps.
 */
import { z } from "zod";
import type { Clock } from "../../clock.ts";
import { saveExpiry, savedExpiry, seedReference } from "../memory.ts";
import { randomToken } from "../oauth-kit.ts";
import { type SeedZoomUser, zoom as seed } from "../seed.ts";

export type InstallKind = "user" | "admin";

export interface Grant {
  user: SeedZoomUser;
  kind: InstallKind;
  scopes: string[];
  /** The one refresh token that works now. */
  refreshToken: string;
}

interface IssuedToken {
  grant: Grant;
  type: "access" | "refresh";
  /** Access tokens only. */
  expiresAt: number;
}

export interface TokenAnswer {
  access_token: string;
  token_type: "bearer";
  refresh_token: string;
  expires_in: number;
  scope: string;
  api_url: string;
}

export type RefreshOutcome = { ok: true; answer: TokenAnswer } | { ok: false; why: "unknown" | "rotated" | "revoked" };
export type Authentication = { ok: true; grant: Grant } | { ok: false; why: "invalid" | "expired" };

export const zoomUser = seedReference("Zoom user", (id) => seed.users.find((user) => user.id === id));

/**
 * What `save` gives: the grants tokens point at, by their place in the list, each saying whether it is still the
 * current one for its user and kind (a replaced or revoked grant's tokens answer as such, not as unknown tokens).
 */
export const savedZoomGrants = z
  .object({
    grants: z.array(
      z.object({
        user: zoomUser,
        kind: z.enum(["user", "admin"]),
        scopes: z.array(z.string()),
        refreshToken: z.string(),
        live: z.boolean(),
      }),
    ),
    tokens: z.array(
      z.object({
        token: z.string(),
        grant: z.number().int().min(0),
        type: z.enum(["access", "refresh"]),
        expiresAt: savedExpiry,
      }),
    ),
  })
  .superRefine((state, context) => {
    for (const [index, token] of state.tokens.entries())
      if (token.grant >= state.grants.length)
        context.addIssue({ code: "custom", path: ["tokens", index, "grant"], message: `no grant ${token.grant}` });
  });

/** https://developers.zoom.us/docs/integrations/oauth/ : `expires_in` 3599 (one hour). */
const accessLifetimeSeconds = 3599;

export class ZoomGrants {
  private readonly grants = new Map<string, Grant>();
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly clock: Clock,
    private readonly apiUrl: () => string,
  ) {}

  /** A completed authorization: replaces (and so kills) the user's earlier grant of this kind. */
  authorize(user: SeedZoomUser, kind: InstallKind, scopes: string[]): TokenAnswer {
    const grant: Grant = { user, kind, scopes, refreshToken: "" };
    this.grants.set(grantKey(user.id, kind), grant);
    return this.issue(grant);
  }

  refresh(refreshToken: string): RefreshOutcome {
    const issued = this.tokens.get(refreshToken);
    if (issued?.type !== "refresh") return { ok: false, why: "unknown" };
    if (!this.isLive(issued.grant)) return { ok: false, why: "revoked" };
    if (issued.grant.refreshToken !== refreshToken) return { ok: false, why: "rotated" };
    return { ok: true, answer: this.issue(issued.grant) };
  }

  authenticate(accessToken: string): Authentication {
    const issued = this.tokens.get(accessToken);
    if (issued?.type !== "access" || !this.isLive(issued.grant)) return { ok: false, why: "invalid" };
    if (issued.expiresAt <= this.clock.now().getTime()) return { ok: false, why: "expired" };
    return { ok: true, grant: issued.grant };
  }

  /** POST /oauth/revoke with any live token of a grant ends the grant; false when the token was not live. */
  revokeToken(token: string): boolean {
    const issued = this.tokens.get(token);
    if (!issued || !this.isLive(issued.grant)) return false;
    this.grants.delete(grantKey(issued.grant.user.id, issued.grant.kind));
    return true;
  }

  /** Ends every grant of one Zoom user (both kinds); returns how many ended. */
  revokeUser(zoomUserId: string): number {
    let count = 0;
    for (const kind of ["user", "admin"] as const) if (this.grants.delete(grantKey(zoomUserId, kind))) count += 1;
    return count;
  }

  expireAccessTokens(): void {
    for (const issued of this.tokens.values()) if (issued.type === "access") issued.expiresAt = 0;
  }

  save(): z.input<typeof savedZoomGrants> {
    const places = new Map<Grant, number>();
    const place = (grant: Grant) => {
      if (!places.has(grant)) places.set(grant, places.size);
      return places.get(grant) ?? 0;
    };
    for (const grant of this.grants.values()) place(grant);
    const tokens = [...this.tokens].map(([token, issued]) => ({
      token,
      grant: place(issued.grant),
      type: issued.type,
      expiresAt: saveExpiry(issued.expiresAt),
    }));
    const grants = [...places.keys()].map((grant) => ({
      user: grant.user.id,
      kind: grant.kind,
      scopes: grant.scopes,
      refreshToken: grant.refreshToken,
      live: this.isLive(grant),
    }));
    return { grants, tokens };
  }

  load(saved: z.output<typeof savedZoomGrants>): void {
    this.clear();
    const grants = saved.grants.map(({ live, ...grant }) => {
      if (live) this.grants.set(grantKey(grant.user.id, grant.kind), grant);
      return grant;
    });
    for (const { token, grant, type, expiresAt } of saved.tokens) {
      const found = grants[grant];
      if (found) this.tokens.set(token, { grant: found, type, expiresAt });
    }
  }

  clear(): void {
    this.grants.clear();
    this.tokens.clear();
  }

  private issue(grant: Grant): TokenAnswer {
    const accessToken = randomToken("zfa_", 32);
    const refreshToken = randomToken("zfr_", 32);
    this.tokens.set(accessToken, {
      grant,
      type: "access",
      expiresAt: this.clock.now().getTime() + accessLifetimeSeconds * 1000,
    });
    this.tokens.set(refreshToken, { grant, type: "refresh", expiresAt: Number.POSITIVE_INFINITY });
    grant.refreshToken = refreshToken;
    return {
      access_token: accessToken,
      token_type: "bearer",
      refresh_token: refreshToken,
      expires_in: accessLifetimeSeconds,
      scope: grant.scopes.join(" "),
      api_url: this.apiUrl(),
    };
  }

  /** A grant lives while it is the current one for its user and kind. */
  private isLive(grant: Grant): boolean {
    return this.grants.get(grantKey(grant.user.id, grant.kind)) === grant;
  }
}

const grantKey = (zoomUserId: string, kind: InstallKind) => `${zoomUserId}:${kind}`;
