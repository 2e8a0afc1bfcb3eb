/**
 * Typed failures from a provider call. Adapters throw these and nothing else,
 * so callers can branch on `code` (for example `invalid_grant` → needs_reauth).
 */
import { type ProviderId, providerIds } from "@tsunagu/contract";

export { type ProviderId, providerIds };

/**
 * Whether a name from a request (a path segment, a query value) is one of
 * ours. Check it before indexing a per-provider table with that name: on a
 * plain object `constructor` or `__proto__` would find an inherited property.
 */
export function isProviderId(name: string): name is ProviderId {
  return (providerIds as readonly string[]).includes(name);
}

export class ProviderError extends Error {
  override name = "ProviderError";
  constructor(
    readonly provider: ProviderId,
    /** HTTP status of the provider's answer; 0 when none came (network). */
    readonly status: number,
    /** The provider's own error code where it has one (`invalid_grant`, `ratelimited`, `3001`…), else ours. */
    readonly code: string,
    message: string,
    options: { cause?: unknown; retryAfterMs?: number | undefined } = {},
  ) {
    super(message, { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
  /** How long the provider asked us to wait, when it did. */
  readonly retryAfterMs: number | undefined;
}

/** The refresh token or grant is dead: the account needs the user to link it again. */
export class InvalidGrantError extends ProviderError {
  override name = "InvalidGrantError";
  constructor(provider: ProviderId, status: number, message: string, options: { cause?: unknown } = {}) {
    super(provider, status, "invalid_grant", message, options);
  }
}

/** The provider answered, but not in the shape its documentation promises. */
export class ProviderResponseError extends ProviderError {
  override name = "ProviderResponseError";
  constructor(provider: ProviderId, status: number, message: string, options: { cause?: unknown } = {}) {
    super(provider, status, "invalid_response", message, options);
  }
}
