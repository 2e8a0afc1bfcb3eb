/**
 * Reads a host token's payload in the browser, unverified. Only for timing
 * (when to ask for a fresh token) and for hints (locale, time zone): the
 * server verifies the signature and decides everything that matters.
 */
export interface HostTokenClaims {
  iss?: string;
  aud?: string | string[];
  sub?: string;
  org?: string;
  role?: string;
  email?: string;
  name?: string;
  locale?: string;
  tz?: string;
  iat?: number;
  exp?: number;
  jti?: string;
}

/** The payload of a compact JWS, or undefined when the string is not one. */
export function readHostTokenClaims(token: string): HostTokenClaims | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(decodeBase64Url(parts[1]));
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) return undefined;
    return payload as HostTokenClaims;
  } catch {
    // A token we cannot read is still sent as-is: the server is the judge.
    return undefined;
  }
}

/**
 * Who the token speaks for: host, organisation and user. A renewed token of
 * the same person has the same identity; another person's must not see what
 * an element loaded for the previous one.
 */
export function tokenIdentity(claims: Pick<HostTokenClaims, "iss" | "org" | "sub"> | undefined): string | undefined {
  return claims ? `${claims.iss ?? ""}|${claims.org ?? ""}|${claims.sub ?? ""}` : undefined;
}

function decodeBase64Url(segment: string): string {
  const base64 = segment
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(segment.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}
