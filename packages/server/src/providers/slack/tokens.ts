/** Turning Slack token answers into our TokenSet, PKCE when the quirks ask for it, and revoking a token. */
import type { Clock } from "../../clock.ts";
import { InvalidGrantError } from "../errors.ts";
import type { HttpDeps } from "../http.ts";
import type { SlackQuirks } from "../slack.ts";
import type { CodeExchange, TokenSet } from "../types.ts";
import { slackCall } from "./request.ts";
import { authRevokeSchema } from "./schemas.ts";

/**
 * `expires_in` and `refresh_token` appear only when the app turned token
 * rotation on; without it Slack tokens do not expire.
 * https://docs.slack.dev/authentication/using-token-rotation
 */
export function toTokenSet(
  clock: Clock,
  answer: { accessToken: string; scope?: string | undefined; expires_in?: number | undefined; refresh_token?: string | undefined },
): TokenSet {
  return {
    accessToken: answer.accessToken,
    refreshToken: answer.refresh_token,
    expiresAt: answer.expires_in === undefined ? undefined : new Date(clock.now().getTime() + answer.expires_in * 1000).toISOString(),
    // Slack lists granted scopes comma-separated.
    scopes: (answer.scope ?? "").split(",").filter(Boolean),
  };
}

/** https://docs.slack.dev/reference/methods/auth.revoke */
export async function revokeToken(deps: HttpDeps, apiBaseUrl: string, token: string): Promise<void> {
  try {
    await slackCall(deps, { apiBaseUrl, method: "auth.revoke", token, schema: authRevokeSchema, kind: "safe" });
  } catch (error) {
    // A token Slack already refuses is as revoked as it gets: revoking is idempotent for callers.
    if (error instanceof InvalidGrantError) return;
    throw error;
  }
}

/** S256 challenge on an authorize URL, when slackQuirks.pkce is on. */
export function addChallenge(url: URL, quirks: SlackQuirks, codeChallenge: string): void {
  if (!quirks.pkce) return;
  url.searchParams.set("code_challenge", codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
}

/** The code_verifier for the token step, when slackQuirks.pkce is on. */
export function verifierFor(quirks: SlackQuirks, exchange: CodeExchange): string | undefined {
  return quirks.pkce ? exchange.codeVerifier : undefined;
}
