/**
 * One HTTP call to a provider: bounded retries with exponential backoff on
 * 429, 5xx and network failures, honouring Retry-After; the body is parsed by
 * a schema, and failures become `ProviderError`s shaped by the provider's
 * own error parser.
 */
import type { z } from "zod";
import type { Clock } from "../clock.ts";
import { ProviderError, type ProviderId, ProviderResponseError } from "./errors.ts";
import { parseRetryAfter } from "./retry-after.ts";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** A longer Retry-After than this is not waited for: the error goes to the caller. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 20_000 };

export interface HttpDeps {
  fetch: typeof fetch;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  retry: RetryPolicy;
}

export const defaultHttpDeps = (clock: Clock): HttpDeps => ({
  fetch: globalThis.fetch,
  clock,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  retry: defaultRetryPolicy,
});

export interface ProviderRequest<T> {
  provider: ProviderId;
  url: string | URL;
  method?: string;
  headers?: Record<string, string>;
  /** A string or URLSearchParams is sent as is; an object is sent as JSON. */
  body?: string | URLSearchParams | object;
  /** Parses a 2xx body; `null` means the call answers with no content (204). */
  schema: z.ZodType<T> | null;
  /** Turns a non-2xx answer into the provider's typed error. */
  toError: (response: { status: number; body: unknown; headers: Headers }) => ProviderError;
  /** Some providers (Slack) report failures inside a 200: return an error to throw it. */
  checkOk?: (body: unknown, response: { status: number; headers: Headers }) => ProviderError | undefined;
  /** Whether a failed attempt may be sent again (POSTs that create things should say no unless idempotent). */
  retryable?: boolean;
}

const retryStatuses = new Set([429, 500, 502, 503, 504]);

export async function providerRequest<T>(deps: HttpDeps, request: ProviderRequest<T>): Promise<T> {
  const { retry } = deps;
  let lastError: ProviderError | undefined;
  for (let attempt = 1; attempt <= retry.maxAttempts; attempt++) {
    let response: Response;
    try {
      response = await deps.fetch(request.url, toInit(request));
    } catch (cause) {
      lastError = new ProviderError(request.provider, 0, "network_error", `${request.provider} could not be reached`, { cause });
      if (!(await backOff(deps, request, attempt, undefined))) break;
      continue;
    }
    const body = await readBody(response);
    if (response.ok) {
      const failure = request.checkOk?.(body, response);
      if (!failure) return parse(request, response.status, body);
      lastError = failure;
    } else {
      lastError = request.toError({ status: response.status, body, headers: response.headers });
    }
    const retryAfterMs = lastError.retryAfterMs ?? parseRetryAfter(response.headers.get("retry-after"), deps.clock.now());
    const transient = retryStatuses.has(lastError.status) || lastError.code === "ratelimited" || lastError.code === "rate_limited";
    if (!transient || !(await backOff(deps, request, attempt, retryAfterMs))) {
      throw withRetryAfter(lastError, retryAfterMs);
    }
  }
  throw lastError ?? new ProviderError(request.provider, 0, "network_error", "no attempt was made");
}

async function backOff(deps: HttpDeps, request: ProviderRequest<unknown>, attempt: number, retryAfterMs: number | undefined): Promise<boolean> {
  if (request.retryable === false || attempt >= deps.retry.maxAttempts) return false;
  const exponential = deps.retry.baseDelayMs * 2 ** (attempt - 1);
  const delay = retryAfterMs ?? exponential + Math.random() * deps.retry.baseDelayMs;
  if (delay > deps.retry.maxDelayMs) return false;
  await deps.sleep(delay);
  return true;
}

function withRetryAfter(error: ProviderError, retryAfterMs: number | undefined): ProviderError {
  if (error.retryAfterMs !== undefined || retryAfterMs === undefined) return error;
  return Object.assign(error, { retryAfterMs });
}

function toInit(request: ProviderRequest<unknown>): RequestInit {
  const headers: Record<string, string> = { accept: "application/json", ...request.headers };
  let body: string | URLSearchParams | undefined;
  if (typeof request.body === "string" || request.body instanceof URLSearchParams) {
    body = request.body;
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers["content-type"] ??= "application/json; charset=utf-8";
  }
  return { method: request.method ?? (body === undefined ? "GET" : "POST"), headers, body, signal: AbortSignal.timeout(30_000) };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
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
    throw new ProviderResponseError(request.provider, status, `${request.provider} answered in an unexpected shape: ${result.error.issues[0]?.path.join(".")} ${result.error.issues[0]?.message}`, {
      cause: result.error,
    });
  }
  return result.data;
}
