/**
 * The security headers every answer carries: hono's `secureHeaders` defaults
 * without Cross-Origin-Resource-Policy and Cross-Origin-Opener-Policy (the
 * widget API is read cross-origin, and the OAuth popup talks to its opener),
 * and no X-Powered-By. Kept as one list built once, put on every answer by the
 * request front (request-front.ts, answer-headers.ts) instead of a middleware
 * of its own.
 * test/core/request-front.test.ts holds it equal to what hono's middleware
 * sets with the same options.
 */
export const securityHeaders: readonly (readonly [name: string, value: string])[] = [
  ["Origin-Agent-Cluster", "?1"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "SAMEORIGIN"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
];
