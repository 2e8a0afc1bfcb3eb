/**
 * The sign-in token: a host token the portal's backend signs for someone who
 * is not signed in yet (whoever typed that email on the login page). It must
 * open nothing but a sign-in start, so it carries its own audience,
 * `<host audience>:signin` (`tsunagu:signin` by default): every other route
 * verifies the host's audience and refuses it (`token_audience`), and a
 * sign-in start refuses an ordinary host token the same way. It lives at most
 * ten minutes, the time a sign-in flow may take.
 */
import type { HostRegistry } from "../auth/host-registry.ts";
import { type TokenAudience, tokenRefusal, type VerifiedHostToken, verifyHostToken } from "../auth/host-token.ts";
import type { Clock } from "../clock.ts";

export const signInTokenMaxLifetimeSeconds = 10 * 60;

export function signInAudience(hostAudience: string): string {
  return `${hostAudience}:signin`;
}

export async function verifySignInToken(
  token: string,
  context: { hosts: HostRegistry; clock: Clock },
): Promise<VerifiedHostToken> {
  // The registry as sign-in tokens see it: each host expects its sign-in audience.
  const hosts: HostRegistry = {
    ...context.hosts,
    get: (id) => {
      const host = context.hosts.get(id);
      return host && { ...host, audience: signInAudience(host.audience) };
    },
  };
  const verified = await verifyHostToken(token, { hosts, clock: context.clock });
  const lifetime = verified.claims.exp - verified.claims.iat;
  if (lifetime > signInTokenMaxLifetimeSeconds) {
    throw tokenRefusal(
      "token_lifetime",
      `A sign-in token may live at most ${signInTokenMaxLifetimeSeconds / 60} minutes (exp - iat); this one lives ` +
        `${lifetime} s.`,
    );
  }
  return verified;
}

/** Sign-in tokens, as `tokenAuth` takes them for the sign-in start. */
export const signInTokens: TokenAudience = { tokenName: "sign-in token", verify: verifySignInToken };
