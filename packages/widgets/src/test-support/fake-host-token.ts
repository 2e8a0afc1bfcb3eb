/**
 * Test-only helpers for the fake API that web-test-runner.config.mjs serves.
 * Production code never imports this folder.
 */
import type { HostTokenClaims } from "../shared/host-token-claims.ts";

/** The fake API's base URL, as an element's `server` attribute. */
export const fakeServer = `${location.origin}/fake-tsunagu`;

/** Extra claims the fake API obeys: `reject` makes it refuse the token with that code. */
export interface FakeClaims extends HostTokenClaims {
  reject?: string;
}

/** A compact JWS with an unsigned payload: the fake API reads it, nothing verifies it. */
export function fakeHostToken(claims: FakeClaims): string {
  return `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}.fake-signature`;
}

function encode(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
