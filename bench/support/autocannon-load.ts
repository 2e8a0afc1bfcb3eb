/**
 * One autocannon run of one route over loopback, 50 connections: requests per
 * second, p50 and p99, and the requests that failed. The benches alternate
 * such runs with runs of the bare route of the same process and take each
 * ratio within its pair.
 */
import autocannon from "autocannon";

export const connections = 50;

export interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** What the failed requests were: status codes other than 2xx, errors and timeouts (`503 ×12, errors ×3 (…)`). */
  failures: string;
}

export interface LoadRequest {
  path: string;
  headers?: Record<string, string>;
  /** Headers of each connection in turn, in place of `headers` (a different caller on each, say). */
  connectionHeaders?: readonly Record<string, string>[];
  method?: "GET" | "POST";
  body?: string;
}

/**
 * `inWorker`: the load is fired from a worker thread, leaving this thread's event loop to what else runs here (the
 * provider fakes the server calls, for a bench that serves them from this process). `timeoutSeconds`: how long a
 * request may take before autocannon counts it failed (10 s unless given).
 */
export async function load(
  baseUrl: string,
  request: LoadRequest,
  seconds: number,
  options: { inWorker?: boolean; timeoutSeconds?: number } = {},
): Promise<LoadFigures> {
  // autocannon's workers take `setupClient` as a module's path, not a function.
  if (options.inWorker && request.connectionHeaders) throw new Error("connectionHeaders: not with inWorker");
  let opened = 0;
  const result = await autocannon({
    ...(options.inWorker ? { workers: 1 } : {}),
    ...(options.timeoutSeconds ? { timeout: options.timeoutSeconds } : {}),
    url: `${baseUrl}${request.path}`,
    connections,
    duration: seconds,
    method: request.method ?? "GET",
    headers: request.headers ?? {},
    ...(request.connectionHeaders && {
      setupClient: (client: { setHeaders(headers: Record<string, string>): void }) =>
        client.setHeaders(request.connectionHeaders![opened++ % request.connectionHeaders!.length]!),
    }),
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  // The requests still in flight when the run ended are answered before the next run starts: one more request
  // waits behind them (asked again if it went out on a kept-alive connection the server had just closed).
  for (let attempt = 1; ; attempt++) {
    try {
      await (await fetch(`${baseUrl}/bench/bare`)).arrayBuffer();
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    failures: [
      ...Object.entries(result.statusCodeStats ?? {})
        .filter(([code]) => !code.startsWith("2"))
        .map(([code, stats]) => `${code} ×${(stats as { count: number }).count}`),
      ...(result.errors > 0 ? [`errors ×${result.errors} (timeouts ×${result.timeouts})`] : []),
    ].join(", "),
  };
}
