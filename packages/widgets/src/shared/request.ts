/**
 * One JSON request to the Tsunagu server: bearer token, JSON body, a request
 * id the server logs, and every failure turned into a `TsunaguApiError`.
 * Elements use `ApiClientController`, which adds the token refresh on top.
 */
import { clientErrorCodes, errorFromResponse, TsunaguApiError } from "./api-error.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface TsunaguRequest {
  method?: HttpMethod;
  /** Serialised as JSON. */
  body?: unknown;
  /** Extra headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Milliseconds before the request fails with code `timeout`. Default 30 000. */
  timeoutMs?: number;
  /** Sent as `X-Request-Id`; a fresh UUID when omitted. */
  requestId?: string;
}

export const defaultTimeoutMs = 30_000;

/** `server` + `path`, keeping any path prefix of `server` (`new URL(path, server)` would drop it). */
export function apiUrl(server: string, path: string): string {
  if (!path.startsWith("/")) throw new TypeError(`API paths start with "/", got "${path}"`);
  return server.replace(/\/+$/, "") + path;
}

/** Sends the request and resolves with the parsed JSON body (undefined for an empty one). */
export async function requestJson<T>(url: string, token: string, request: TsunaguRequest = {}): Promise<T> {
  const requestId = request.requestId ?? crypto.randomUUID();
  const headers: Record<string, string> = {
    Accept: "application/json",
    Authorization: `Bearer ${token}`,
    "X-Request-Id": requestId,
    ...request.headers,
  };
  if (request.body !== undefined) headers["Content-Type"] = "application/json";
  const timeout = AbortSignal.timeout(request.timeoutMs ?? defaultTimeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;

  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? "GET",
      headers,
      body: request.body === undefined ? null : JSON.stringify(request.body),
      signal,
      // The bearer token is the only credential; the embedding page's cookies are none of our business.
      credentials: "omit",
      mode: "cors",
    });
  } catch (error) {
    throw await transportError(url, error, request.signal, requestId);
  }

  if (!response.ok) throw await errorFromResponse(response, requestId);
  return (await readJson(response, requestId)) as T;
}

async function transportError(
  url: string,
  error: unknown,
  callerSignal: AbortSignal | undefined,
  requestId: string,
): Promise<unknown> {
  // The caller's own abort passes through untouched: it is not a failure to report.
  if (callerSignal?.aborted) return callerSignal.reason;
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return new TsunaguApiError(0, clientErrorCodes.timeout, "The Tsunagu server did not answer in time.", {
      requestId,
      cause: error,
    });
  }
  // The browser hides a CORS refusal (this page's origin not among the host's) behind the same TypeError as a server
  // out of reach. Two GETs without headers (no preflight) tell them apart: one in `cors` mode settles only when the
  // server answers this origin (then the connection failed, not CORS), one in `no-cors` mode whenever it answers.
  const probe = AbortSignal.timeout(probeMs);
  const settles = (mode: RequestMode) =>
    fetch(url, {
      mode,
      credentials: "omit",
      signal: callerSignal ? AbortSignal.any([callerSignal, probe]) : probe,
    }).then(
      () => true,
      () => false,
    );
  const refused = !(await settles("cors")) && (await settles("no-cors"));
  if (callerSignal?.aborted) return callerSignal.reason;
  if (refused) console.warn(`Tsunagu: add ${location.origin} to the host's origins (the server answers, CORS refused)`);
  return refused
    ? new TsunaguApiError(0, clientErrorCodes.originNotAllowed, "The server refused this page's origin.", {
        requestId,
        cause: error,
      })
    : new TsunaguApiError(0, clientErrorCodes.network, "Could not reach the Tsunagu server.", {
        requestId,
        cause: error,
      });
}

/** How long the checks of what failed (the server out of reach, or this origin refused) may take together. */
const probeMs = 5_000;

async function readJson(response: Response, requestId: string): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TsunaguApiError(
      response.status,
      clientErrorCodes.invalidResponse,
      "The Tsunagu server answered with something other than JSON.",
      {
        requestId: response.headers.get("X-Request-Id") ?? requestId,
        cause: error,
      },
    );
  }
}
