/**
 * Building blocks the fake authorization servers share: single-use codes that
 * expire and remember their redirect_uri and PKCE challenge, and random tokens.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../clock.ts";

export function randomToken(prefix: string, bytes = 24): string {
  return `${prefix}${randomBytes(bytes).toString("base64url")}`;
}

export interface CodeGrant<T> {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: "S256" | "plain";
  expiresAt: number;
  subject: T;
}

export type CodeRedemption<T> =
  | { ok: true; grant: CodeGrant<T> }
  | {
      ok: false;
      reason:
        | "unknown_code"
        | "expired_code"
        | "client_mismatch"
        | "redirect_uri_mismatch"
        | "pkce_missing"
        | "pkce_mismatch"
        | "pkce_unexpected";
    };

/**
 * Authorization codes: single use (a second redemption fails), bound to client, redirect URI and PKCE both ways: a
 * code issued with a challenge needs its verifier, and a code issued without one refuses a verifier (`pkce_unexpected`)
 * rather than ignoring it. A verifier for a code whose authorize request carried no challenge is what an attacker who
 * stripped `code_challenge` from the authorize URL would leave (the PKCE downgrade, RFC 9700 §2.1.1, which asks the
 * authorization server to refuse it); Google refuses it with invalid_grant "code_verifier or verifier is not needed."
 * (observed: googleapis/google-auth-library-nodejs#2028, panva/oauth4webapi#119), Microsoft refuses it too
 * (observed, with no error quoted: pilcrowonpaper/arctic#128). What Zoom and Slack answer was not found; their fakes
 * refuse it with their PKCE error, as RFC 9700 asks.
 */
export class AuthorizationCodes<T> {
  private readonly codes = new Map<string, CodeGrant<T>>();
  constructor(
    private readonly clock: Clock,
    private readonly lifetimeMs: number,
    private readonly prefix = "",
  ) {}

  issue(grant: Omit<CodeGrant<T>, "expiresAt">): string {
    const code = randomToken(this.prefix, 18);
    this.codes.set(code, { ...grant, expiresAt: this.clock.now().getTime() + this.lifetimeMs });
    return code;
  }

  redeem(
    code: string,
    request: { clientId: string; redirectUri: string | undefined; codeVerifier: string | undefined },
  ): CodeRedemption<T> {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    if (!grant) return { ok: false, reason: "unknown_code" };
    if (grant.expiresAt <= this.clock.now().getTime()) return { ok: false, reason: "expired_code" };
    if (grant.clientId !== request.clientId) return { ok: false, reason: "client_mismatch" };
    if (grant.redirectUri !== request.redirectUri) return { ok: false, reason: "redirect_uri_mismatch" };
    if (grant.codeChallenge === undefined)
      return request.codeVerifier ? { ok: false, reason: "pkce_unexpected" } : { ok: true, grant };
    if (!request.codeVerifier) return { ok: false, reason: "pkce_missing" };
    if (!verifyPkce(request.codeVerifier, grant.codeChallenge, grant.codeChallengeMethod))
      return { ok: false, reason: "pkce_mismatch" };
    return { ok: true, grant };
  }

  clear(): void {
    this.codes.clear();
  }
}

export function verifyPkce(verifier: string, challenge: string, method: "S256" | "plain"): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = method === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
  return computed === challenge;
}

/** Reads client credentials from HTTP Basic, as Zoom requires and Slack prefers. */
export function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return {
    clientId: decodeURIComponent(decoded.slice(0, colon)),
    clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}
