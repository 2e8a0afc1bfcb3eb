/**
 * The one request path to a provider, with the one retry policy every call
 * follows (README, "Provider apps"):
 *
 * - `safe` calls (reads, idempotent writes, revoking) are sent again after a
 *   rate limit, a 5xx or a network failure;
 * - `create` calls (a code exchange, a refresh that spends its refresh token,
 *   a new meeting, event or message) only after a rate limit: a 429 was never
 *   processed, a 5xx or a lost answer may have been.
 *
 * Waits honour Retry-After, else back off exponentially with jitter, and are
 * bounded (attempts and longest wait): a longer Retry-After reaches the caller
 * as `retryAfterMs`. How a provider signals a rate limit beyond HTTP 429
 * (Slack's `ratelimited`, Google's 403 `rateLimitExceeded`) and shapes its
 * errors stays with the provider, as small functions passed in here.
 * `withRetries` is the loop; `providerRequest` sends one HTTP call through it;
 * libraries with their own transport (googleapis) go through `withRetries`,
 * and the Graph client's RetryHandler takes its options from `retryDecision`.
 */
import type { Clock } from "../clock.ts";
import { ProviderError, type ProviderId, ProviderResponseError } from "./errors.ts";
import { parseRetryAfter } from "./retry-after.ts";
import { fetchSend, keepAliveSend, type RawRequest, type Send } from "./transport.ts";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** A longer Retry-After than this is not waited for: the error goes to the caller. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 20_000 };

/** `safe`: may run twice without harm. `create`: creates or redeems something, so only a rate-limited attempt is
 * resent. */
export type CallKind = "safe" | "create";

export interface HttpDeps {
  /** For libraries that bring their own transport (googleapis, jose's key sets); and for `providerRequest` when no
   * `send` is given. */
  fetch: typeof fetch;
  /** How `providerRequest` sends (transport.ts); absent: over `fetch`. */
  send?: Send;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  retry: RetryPolicy;
}

export const defaultHttpDeps = (clock: Clock): HttpDeps => ({
  fetch: globalThis.fetch,
  send: keepAliveSend,
  clock,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  retry: defaultRetryPolicy,
});

/** What a provider tells the loop: how anything thrown becomes its error, and which of its errors are rate limits. */
export interface ProviderSignals {
  /** A thrown value as the provider's error, or undefined for anything that is not a provider failure (a bug of ours:
   * rethrown as is). */
  toError?: (caught: unknown) => ProviderError | undefined;
  /** Rate limits beyond HTTP 429 (which always is one). */
  isRateLimited?: (error: ProviderError) => boolean;
}

const serverFailures = new Set([0, 500, 502, 503, 504]);

/** Whether an attempt that failed with `error` may be sent again, before counting attempts and waits. */
export function retryDecision(kind: CallKind, error: { status: number }, rateLimited: boolean): boolean {
  if (rateLimited || error.status === 429) return true;
  return kind === "safe" && serverFailures.has(error.status);
}

/** The wait before attempt `attempt + 1`, or undefined when the policy gives up. */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const delay = retryAfterMs ?? policy.baseDelayMs * 2 ** (attempt - 1) + Math.random() * policy.baseDelayMs;
  return delay > policy.maxDelayMs ? undefined : delay;
}

/** The one retry loop: runs `attempt` until it succeeds or the policy for `kind` says stop. */
export async function withRetries<T>(
  deps: HttpDeps,
  kind: CallKind,
  attempt: (attemptNumber: number) => Promise<T>,
  signals: ProviderSignals = {},
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (caught) {
      const error = caught instanceof ProviderError ? caught : signals.toError?.(caught);
      if (!error) throw caught;
      const rateLimited = signals.isRateLimited?.(error) ?? false;
      const delay = retryDecision(kind, error, rateLimited)
        ? retryDelay(deps.retry, attemptNumber, error.retryAfterMs)
        : undefined;
      if (delay === undefined) throw error;
      await deps.sleep(delay);
    }
  }
}

/**
 * What reads a 2xx body: a zod schema, or a hand-written check with the same `safeParse` where a zod pass per
 * element cost too much (the free/busy answers availability reads, one per calendar account and request).
 */
export interface AnswerSchema<T> {
  safeParse(
    body: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> } };
}

export interface ProviderRequest<T> {
  provider: ProviderId;
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  /** A string or URLSearchParams is sent as is; an object is sent as JSON. */
  body?: string | URLSearchParams | object;
  /** Parses a 2xx body; `null` means the call answers with no content (204). */
  schema: AnswerSchema<T> | null;
  /** Turns a non-2xx answer into the provider's typed error. */
  toError: (response: { status: number; body: unknown; headers: Headers }) => ProviderError;
  /** Some providers (Slack) report failures inside a 200: return an error to throw it. */
  checkOk?: (body: unknown, response: { status: number; headers: Headers }) => ProviderError | undefined;
  /** The retry policy that applies (see `CallKind`). */
  kind: CallKind;
  /** Rate limits the provider signals beyond HTTP 429. */
  isRateLimited?: (error: ProviderError) => boolean;
}

export function providerRequest<T>(deps: HttpDeps, request: ProviderRequest<T>): Promise<T> {
  return withRetries(deps, request.kind, () => sendOnce(deps, request), { isRateLimited: request.isRateLimited });
}

async function sendOnce<T>(deps: HttpDeps, request: ProviderRequest<T>): Promise<T> {
  let response: Awaited<ReturnType<Send>>;
  try {
    response = await (deps.send ?? fetchSend(deps.fetch))(request.url, toRawRequest(request));
  } catch (cause) {
    throw new ProviderError(request.provider, 0, "network_error", `${request.provider} could not be reached`, {
      cause,
    });
  }
  const body = readBody(response.text);
  let error: ProviderError;
  if (response.status >= 200 && response.status < 300) {
    const failure = request.checkOk?.(body, {
      status: response.status,
      get headers() {
        return response.headers();
      },
    });
    if (!failure) return parse(request, response.status, body);
    error = failure;
  } else {
    error = request.toError({ status: response.status, body, headers: response.headers() });
  }
  throw withRetryAfter(error, parseRetryAfter(response.header("retry-after"), deps.clock.now()));
}

function withRetryAfter(error: ProviderError, retryAfterMs: number | undefined): ProviderError {
  if (error.retryAfterMs !== undefined || retryAfterMs === undefined) return error;
  return Object.assign(error, { retryAfterMs });
}

function toRawRequest(request: ProviderRequest<unknown>): RawRequest {
  const headers: Record<string, string> = { accept: "application/json", ...request.headers };
  let body: string | URLSearchParams | undefined;
  if (typeof request.body === "string" || request.body instanceof URLSearchParams) {
    body = request.body;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  return {
    method: request.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
    timeoutMs: 30_000,
  };
}

function readBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parse<T>(request: ProviderRequest<T>, status: number, body: unknown): T {
  if (request.schema === null) return undefined as T;
  const result = request.schema.safeParse(body);
  if (!result.success) {
    throw new ProviderResponseError(
      request.provider,
      status,
      `${request.provider} answered in an unexpected shape: ${result.error.issues[0]?.path.join(".")} ` +
        `${result.error.issues[0]?.message}`,
      {
        cause: result.error,
      },
    );
  }
  return result.data;
}
