/**
 * The official Graph client (`@microsoft/microsoft-graph-client` v3) with our
 * own middleware chain: bearer token → the SDK's RetryHandler → a per-attempt
 * timeout → the SDK's HTTPMessageHandler.
 *
 * Why our own chain: the SDK's AuthenticationHandler adds `Authorization` only
 * for https URLs on hosts it knows (graph.microsoft.com and national clouds,
 * or `customHosts`). Our Graph base URL is configuration, so the token must go
 * to whatever host the settings name; this chain behaves the same for the
 * production host. https://github.com/microsoftgraph/msgraph-sdk-javascript/blob/dev/src/middleware/AuthenticationHandler.ts
 *
 * The RetryHandler retries 429/503/504 and honours Retry-After (seconds,
 * fractional too, or an HTTP date); its options come from our one retry
 * policy (../http.ts): the same attempts, base delay and longest wait, and
 * the same decision of which answers a `safe` or a `create` call may resend.
 * https://github.com/microsoftgraph/msgraph-sdk-javascript/blob/dev/src/middleware/RetryHandler.ts
 * https://learn.microsoft.com/graph/throttling
 */
import {
  Client,
  type Context,
  type FetchOptions,
  GraphClientError,
  GraphError,
  HTTPMessageHandler,
  type Middleware,
  RetryHandler,
  RetryHandlerOptions,
} from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { ProviderError } from "../errors.ts";
import { type CallKind, type HttpDeps, retryDecision } from "../http.ts";
import { parseRetryAfter } from "../retry-after.ts";
import { microsoftQuirks as quirks } from "./quirks.ts";

const attemptTimeoutMs = 30_000;

export function createGraphClient(graphBaseUrl: string, accessToken: string, deps: HttpDeps): Client {
  return Client.initWithMiddleware({
    baseUrl: withSlash(graphBaseUrl),
    defaultVersion: quirks.graph.version,
    middleware: chain(
      new BearerToken(accessToken),
      new RetryHandler(retryOptions(deps, "safe")),
      new AttemptTimeout(attemptTimeoutMs),
      new HTTPMessageHandler(),
    ),
  });
}

/**
 * RetryHandler options for one request, from the policy of ../http.ts.
 * Creating something (POST /me/events) is a `create` call: a 503/504 may come
 * after the event was made, so only a 429, which Graph sends before doing
 * anything, is retried there.
 */
export function retryOptions(deps: HttpDeps, kind: CallKind): RetryHandlerOptions {
  const maxRetries = Math.min(10, Math.max(0, deps.retry.maxAttempts - 1));
  return new RetryHandlerOptions(
    deps.retry.baseDelayMs / 1000,
    maxRetries,
    (_delay, _attempt, _request, _options, response) => {
      if (!retryDecision(kind, response, false)) return false;
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), deps.clock.now());
      // A longer wait than our policy allows goes back to the caller as an error carrying retryAfterMs.
      return retryAfterMs === undefined || retryAfterMs <= deps.retry.maxDelayMs;
    },
  );
}

/** Any failure of a Graph call as our typed error. 401 InvalidAuthenticationToken → `unauthorized`. */
export function toProviderError(error: unknown, deps: HttpDeps): ProviderError {
  if (error instanceof ProviderError) return error;
  if (error instanceof GraphError) {
    const status = error.statusCode > 0 ? error.statusCode : 0;
    if (status === 0)
      return new ProviderError("microsoft", 0, "network_error", "Microsoft Graph could not be reached", {
        cause: error,
      });
    const retryAfterMs = parseRetryAfter(error.headers?.get("retry-after"), deps.clock.now());
    const code =
      status === 401 || error.code === "InvalidAuthenticationToken" ? "unauthorized" : (error.code ?? `http_${status}`);
    return new ProviderError("microsoft", status, code, error.message || `Microsoft Graph answered ${status}`, {
      cause: error,
      retryAfterMs,
    });
  }
  if (error instanceof GraphClientError)
    return new ProviderError("microsoft", 0, "client_error", error.message, { cause: error });
  return new ProviderError("microsoft", 0, "network_error", "Microsoft Graph could not be reached", { cause: error });
}

/** A Graph URL as the SDK builds it: the base URL, the version, then the path (`/me/calendar/getSchedule`). */
export function graphUrl(graphBaseUrl: string, path: string): string {
  return `${withSlash(graphBaseUrl)}${quirks.graph.version}${path}`;
}

const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);

// Graph's error envelope: {"error": {"code": "...", "message": "..."}}. https://learn.microsoft.com/graph/errors
const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }),
});

/**
 * A non-2xx Graph answer read by our own request path, mapped as `toProviderError` maps the SDK's GraphError: Graph's
 * `error.code` (401 or InvalidAuthenticationToken → `unauthorized`), its message, and the wait Retry-After asks for.
 */
export function graphError(status: number, body: unknown, headers: Headers, deps: HttpDeps): ProviderError {
  const envelope = errorEnvelopeSchema.safeParse(body);
  const code = envelope.success ? envelope.data.error.code : undefined;
  const message = (envelope.success && envelope.data.error.message) || `Microsoft Graph answered ${status}`;
  const retryAfterMs = parseRetryAfter(headers.get("retry-after"), deps.clock.now());
  const ourCode = status === 401 || code === "InvalidAuthenticationToken" ? "unauthorized" : (code ?? `http_${status}`);
  return new ProviderError("microsoft", status, ourCode, message, { retryAfterMs });
}

function chain(...middleware: Middleware[]): Middleware[] {
  middleware.forEach((current, index) => {
    const next = middleware[index + 1];
    if (next) current.setNext?.(next);
  });
  return middleware;
}

/** Sets the bearer token on every request, whatever the host. */
class BearerToken implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly accessToken: string) {}
  async execute(context: Context): Promise<void> {
    context.options = withHeader(context.options, "Authorization", `Bearer ${this.accessToken}`);
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

/** A fresh timeout for each attempt, so a retry is not cut short by the wait before it. */
class AttemptTimeout implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly timeoutMs: number) {}
  async execute(context: Context): Promise<void> {
    context.options = { ...context.options, signal: AbortSignal.timeout(this.timeoutMs) };
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

function withHeader(options: FetchOptions | undefined, name: string, value: string): FetchOptions {
  const headers = new Headers(options?.headers as ConstructorParameters<typeof Headers>[0]);
  headers.set(name, value);
  return { ...options, headers };
}
