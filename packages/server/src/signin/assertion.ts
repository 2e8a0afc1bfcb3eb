/**
 * The sign-in assertion: a short-lived JWT the server signs when a person has
 * proved, at the provider, that they control an account with the portal
 * user's email in the organisation's workspace. The portal's backend verifies
 * it against /.well-known/jwks.json and logs its user in (README, "Sign in
 * with Slack").
 *
 * Explicitly typed (`typ`), per RFC 8725 §3.11, so it cannot be mistaken for
 * any other JWT, and audience-bound to one host.
 */
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import type { ProviderId } from "../providers/errors.ts";
import type { ServerSigningKey } from "./server-keys.ts";

export const assertionLifetimeSeconds = 5 * 60;
export const assertionType = "tsunagu-signin+jwt";

/** The claim naming the provider identity that signed in: `https://tsunagu.dev/slack` {team_id, user_id}. */
export function providerClaim(provider: ProviderId): string {
  return `https://tsunagu.dev/${provider}`;
}

export interface AssertionFacts {
  /** The server's public URL. */
  issuer: string;
  hostId: string;
  orgId: string;
  userId: string;
  email: string;
  provider: ProviderId;
  /** Where the provider identity lives (Slack team id) and who it is (Slack user id). */
  providerAccount: { teamId: string; userId: string };
  issuedAt: Date;
}

export interface SignedAssertion {
  assertion: string;
  jti: string;
  expiresAt: string;
}

export async function signAssertion(key: ServerSigningKey, facts: AssertionFacts): Promise<SignedAssertion> {
  const jti = randomUUID();
  const iat = Math.floor(facts.issuedAt.getTime() / 1000);
  const exp = iat + assertionLifetimeSeconds;
  const assertion = await new SignJWT({
    org: facts.orgId,
    email: facts.email,
    [providerClaim(facts.provider)]: { team_id: facts.providerAccount.teamId, user_id: facts.providerAccount.userId },
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: assertionType })
    .setIssuer(facts.issuer)
    .setAudience(facts.hostId)
    .setSubject(facts.userId)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
  return { assertion, jti, expiresAt: new Date(exp * 1000).toISOString() };
}
